import 'reflect-metadata';
import { buildFederatedSchema, defineSubgraph } from '@nimo/kit';
import { Adviser, AdviserAssignment, PromotionSupporter } from './entities/adviser';
import { IndicatorValue } from './entities/evaluation';
import { PracticeCase } from './entities/practice-case';
import { NationalBudget, ProgramParticipation } from './entities/program';
import { SupportRequest } from './entities/support-request';
import { createLoaders, type Loaders } from './loaders';
import { AdviserSupportInitial1732600000000 } from './migrations/1732600000000-adviser-support-initial';
import { AdviserSupportFiguresGeneration1733300000000 } from './migrations/1733300000000-figures-generation';
import { labels } from './labels';
import { referenceResolvers } from './references';
import { AdviserResolver, PromotionSupporterResolver } from './resolvers/adviser';
import { EvaluationResolver } from './resolvers/figures';
import { JurisdictionResolver } from './resolvers/jurisdiction';
import { PracticeCaseResolver } from './resolvers/practice-case';
import { ProgramResolver } from './resolvers/program';
import { SupportRequestResolver } from './resolvers/support-request';
import { seedAdviserSupport } from './seed';

/**
 * The adviser-support subgraph: the two national programs (participation, items, budgets), the
 * national adviser organisation (advisers, assignments, supporters), support requests, the evaluation
 * of construction status and the practice cases. Extends the directory's Jurisdiction by key.
 */
export const subgraph = defineSubgraph<Loaders>({
  name: 'adviser-support',
  entities: [NationalBudget, ProgramParticipation, Adviser, AdviserAssignment, PromotionSupporter, SupportRequest, IndicatorValue, PracticeCase],
  migrations: [AdviserSupportInitial1732600000000, AdviserSupportFiguresGeneration1733300000000],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        labels.resolver,
        ProgramResolver,
        AdviserResolver,
        PromotionSupporterResolver,
        SupportRequestResolver,
        EvaluationResolver,
        PracticeCaseResolver,
        JurisdictionResolver,
      ],
      orphanedTypes: [labels.type],
      referenceResolvers: { ...referenceResolvers, ...labels.referenceResolvers },
    }),
  createLoaders,
  seed: seedAdviserSupport,
});

export { SUPPORT_REQUEST_TRANSITIONS as TRANSITIONS } from './enums';
export { PROMOTION_ITEMS, NATIONAL_BUDGETS } from './program';
