import 'reflect-metadata';
import { buildFederatedSchema, defineSubgraph } from '@nimo/kit';
import { Course } from './entities/course';
import { Enrolment } from './entities/enrolment';
import { Jurisdiction, Organization } from './entities/external';
import { TrainingSession } from './entities/session';
import { StaffMember } from './entities/staff-member';
import { createLoaders, type Loaders } from './loaders';
import { TrainingInitial1733000000000 } from './migrations/1733000000000-training-initial';
import { TrainingFiguresGeneration1733100000000 } from './migrations/1733100000000-figures-generation';
import { labels } from './labels';
import { referenceResolvers } from './references';
import { CourseResolver } from './resolvers/course';
import { EnrolmentResolver } from './resolvers/enrolment';
import { JurisdictionFiguresResolver } from './resolvers/figures';
import { OrganizationResolver } from './resolvers/organization';
import { TrainingSessionResolver } from './resolvers/session';
import { StaffMemberResolver } from './resolvers/staff-member';
import { seedTraining } from './seed';

/** The training subgraph: courses, sessions, enrolment and completion, and the workforce they build. */
export const subgraph = defineSubgraph<Loaders>({
  name: 'training',
  entities: [Course, TrainingSession, StaffMember, Enrolment],
  migrations: [TrainingInitial1733000000000, TrainingFiguresGeneration1733100000000],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        labels.resolver,
        CourseResolver,
        TrainingSessionResolver,
        EnrolmentResolver,
        StaffMemberResolver,
        JurisdictionFiguresResolver,
        OrganizationResolver,
      ],
      orphanedTypes: [labels.type, Jurisdiction, Organization],
      referenceResolvers: { ...referenceResolvers, ...labels.referenceResolvers },
    }),
  createLoaders,
  seed: seedTraining,
});

/** The demo data generator (the end-to-end tests compare the hub's answers with it). */
export { buildTrainingDemo, directoryOrganizationId } from './seed/demo';
export { OrganiserKind } from './enums';
