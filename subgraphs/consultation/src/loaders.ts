import { groupLoader, keyedLoader, rowLoader, scopeWhere, type FiscalYear, type Principal } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { CaseContact } from './entities/contact';
import { ConsultationCase } from './entities/case';
import { Referral } from './entities/referral';
import { OPEN_REFERRAL_STATUSES } from './enums';
import { figuresForYears, figuresOptions, type Figures } from './figures';
import { caseVisibility, policy, referralVisibility } from './policy';

/**
 * The consultation subgraph's loaders for one request. Every one applies the policy in its SQL, so
 * a row outside the principal's scope is never loaded, whichever path (list, single fetch, entity
 * reference) asks for it. One statement per loader per tick, whatever the number of keys.
 */
export function createLoaders(db: DataSource, principal: Principal) {
  const cases = db.getRepository(ConsultationCase);
  const referrals = db.getRepository(Referral);
  const visibleCases = caseVisibility(principal);
  const visibleReferrals = referralVisibility(principal);
  const ownContacts = scopeWhere(policy.ownCases(principal), { jurisdiction: 'k.municipality_code' });
  const received = scopeWhere(policy.receivedReferrals(principal), { organization: 'r.to_organization_id' }, 'recv');
  return {
    case: rowLoader(
      (ids: readonly string[]) =>
        cases.createQueryBuilder('c').where('c.id = ANY(:ids::uuid[])', { ids }).andWhere(visibleCases.sql, visibleCases.params).getMany(),
      (c) => c.id,
    ),
    contactsOf: groupLoader(
      (ids: readonly string[]) =>
        db
          .getRepository(CaseContact)
          .createQueryBuilder('k')
          .where('k.case_id = ANY(:ids::uuid[])', { ids })
          .andWhere(ownContacts.sql, ownContacts.params)
          .orderBy('k.contacted_on')
          .addOrderBy('k.id')
          .getMany(),
      (k) => k.caseId,
    ),
    referralsOf: groupLoader(
      (ids: readonly string[]) =>
        referrals
          .createQueryBuilder('r')
          .where('r.case_id = ANY(:ids::uuid[])', { ids })
          .andWhere(visibleReferrals.sql, visibleReferrals.params)
          .orderBy('r.requested_on')
          .addOrderBy('r.id')
          .getMany(),
      (r) => r.caseId,
    ),
    referral: rowLoader(
      (ids: readonly string[]) =>
        referrals.createQueryBuilder('r').where('r.id = ANY(:ids::uuid[])', { ids }).andWhere(visibleReferrals.sql, visibleReferrals.params).getMany(),
      (r) => r.id,
    ),
    /** Open referrals received by organisations: only the principal's own organisation's rows. */
    openReferralsTo: groupLoader(
      (ids: readonly string[]) =>
        referrals
          .createQueryBuilder('r')
          .where('r.to_organization_id = ANY(:ids::uuid[])', { ids })
          .andWhere('r.status IN (:...open)', { open: OPEN_REFERRAL_STATUSES })
          .andWhere(received.sql, received.params)
          .orderBy('r.requested_on')
          .addOrderBy('r.id')
          .getMany(),
      (r) => r.toOrganizationId,
    ),
    /**
     * Figures per fiscal year: the last protected snapshot, computed again off the request path after a
     * change (figures.ts). The years asked for in one tick (a trend's) cost one statement.
     */
    figures: keyedLoader<FiscalYear, Figures>((years) => figuresForYears(db, years, figuresOptions())),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
