import 'reflect-metadata';
import { buildFederatedSchema, defineSubgraph } from '@nimo/kit';
import { ConsultationCase } from './entities/case';
import { CaseContact } from './entities/contact';
import { Jurisdiction, Organization } from './entities/external';
import { Referral } from './entities/referral';
import { createLoaders, type Loaders } from './loaders';
import { ConsultationInitial1732600000000 } from './migrations/1732600000000-consultation-initial';
import { FiguresGeneration1732700000000 } from './migrations/1732700000000-figures-generation';
import { FiguresGenerationSettled1732800000000 } from './migrations/1732800000000-figures-generation-settled';
import { FigureCells1733000000000 } from './migrations/1733000000000-figure-cells';
import { labels } from './labels';
import { ReferralsBothWays1733300000000 } from './migrations/1733300000000-referrals-both-ways';
import { referenceResolvers } from './references';
import { AuditRecord } from './entities/audit-record';
import { AuditTrailResolver } from './resolvers/audit-trail';
import { CaseResolver, ContactResolver } from './resolvers/case';
import { JurisdictionFiguresResolver, NationalFiguresResolver } from './resolvers/figures';
import { OrganizationReferralsResolver, ReferralResolver } from './resolvers/referral';
import { reencryptOnStart } from './notes';
import { seedConsultation } from './seed';
import { warmFigures } from './figures';

/** The consultation subgraph: municipal cases, contacts, referrals across tiers, audit trail, figures. Sensitive data. */
export const subgraph = defineSubgraph<Loaders>({
  name: 'consultation',
  entities: [ConsultationCase, CaseContact, Referral, AuditRecord],
  migrations: [
    ConsultationInitial1732600000000,
    FiguresGeneration1732700000000,
    FiguresGenerationSettled1732800000000,
    FigureCells1733000000000,
    ReferralsBothWays1733300000000,
  ],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        labels.resolver,
        CaseResolver,
        ContactResolver,
        ReferralResolver,
        OrganizationReferralsResolver,
        JurisdictionFiguresResolver,
        NationalFiguresResolver,
        AuditTrailResolver,
      ],
      orphanedTypes: [labels.type, Jurisdiction, Organization],
      referenceResolvers: { ...referenceResolvers, ...labels.referenceResolvers },
    }),
  createLoaders,
  seed: seedConsultation,
  onStart: reencryptOnStart,
  onReady: warmFigures,
});

/** The development note key as a CONSULTATION_NOTE_KEYS value (the benchmark's production-mode hub uses it). */
export { devNoteKeys } from './notes';

/** The figures' counts and their protection, for the command that measures it (`npm run figures:protection`) and the end-to-end tests. */
export { countFigures, FIGURE_COLUMNS, figuresFor, figuresTable, NATION, protectFigures } from './figures';
