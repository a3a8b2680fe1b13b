import 'reflect-metadata';
import { buildFederatedSchema, defineSubgraph } from '@nimo/kit';
import { DailyLifeArea } from './entities/daily-life-area';
import { Forum, ForumMember } from './entities/forum';
import { ForumCycle, ForumMeeting } from './entities/forum-record';
import { Jurisdiction } from './entities/jurisdiction';
import { Organization } from './entities/organization';
import { Region } from './entities/region';
import { createLoaders, type Loaders } from './loaders';
import { DirectoryInitial1732500000000 } from './migrations/1732500000000-directory-initial';
import { labels } from './labels';
import { ForumRecords1733200000000 } from './migrations/1733200000000-forum-records';
import { DirectoryFiguresGeneration1733300000000 } from './migrations/1733300000000-figures-generation';
import { referenceResolvers } from './references';
import { LabelsRootResolver } from './resolvers/labels';
import { DailyLifeAreaResolver } from './resolvers/daily-life-area';
import { ForumMemberResolver, ForumResolver } from './resolvers/forum';
import { ForumCycleIndicatorResolver, ForumCycleResolver, ForumMeetingResolver, ForumRecordFieldsResolver } from './resolvers/forum-record';
import { ForumCoverageResolver, JurisdictionResolver } from './resolvers/jurisdiction';
import { OrganizationResolver } from './resolvers/organization';
import { RegionResolver } from './resolvers/region';
import { ViewerResolver } from './resolvers/viewer';
import { seedDirectory } from './seed';

/**
 * The directory subgraph: jurisdictions and areas, organisations and their services, forums. Public data,
 * except a forum's minutes and PDCA cycles (for its own jurisdiction and the tiers above; `policy.ts`).
 */
export const subgraph = defineSubgraph<Loaders>({
  name: 'directory',
  entities: [Jurisdiction, Region, DailyLifeArea, Organization, Forum, ForumMember, ForumMeeting, ForumCycle],
  migrations: [DirectoryInitial1732500000000, ForumRecords1733200000000, DirectoryFiguresGeneration1733300000000],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        LabelsRootResolver,
        labels.resolver,
        JurisdictionResolver,
        ForumCoverageResolver,
        RegionResolver,
        DailyLifeAreaResolver,
        OrganizationResolver,
        ForumResolver,
        ForumMemberResolver,
        ForumRecordFieldsResolver,
        ForumMeetingResolver,
        ForumCycleResolver,
        ForumCycleIndicatorResolver,
        ViewerResolver,
      ],
      orphanedTypes: [labels.type],
      referenceResolvers: { ...referenceResolvers, ...labels.referenceResolvers },
    }),
  createLoaders,
  seed: seedDirectory,
  // Public data: the same answer for every principal (`viewer` hints PRIVATE itself).
  cacheScope: 'PUBLIC',
});
