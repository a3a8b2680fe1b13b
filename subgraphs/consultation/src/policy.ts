import { anyOf, area, everyone, forRoles, isNothing, ownJurisdictions, ownOrganization, scopeCovers, scopeWhere, type Principal } from '@nimo/kit';
import { OPEN_REFERRAL_STATUSES } from './enums';

/**
 * Who may read and write what in the consultation subgraph — the domain page's "Who may see what",
 * in one place. Resolvers and loaders apply these rules in SQL (lists, single fetches and entity
 * references alike) and, for fields, with `Guard`.
 *
 * - Personal case data: the municipality that owns the case (role `municipality`, its own code).
 * - The organisation a case was referred to (any principal acting for that organisation) sees the
 *   referral and the case summary (age band, sex, needs, status, dates, desk) while the referral is
 *   open — not the client reference, contacts or notes, and nothing of other cases.
 * - Figures (aggregates, with small counts suppressed): the nation and the adviser organisation
 *   for everything; prefectures, public health centres and mental health and welfare centres for
 *   their area; a municipality for itself.
 * - Vendors and the public: nothing here. The domain page opens public directory data to them, and
 *   says nothing of consultation figures, so the hub denies (a published, suppressed open-data
 *   release would be a decision for the ministry to take).
 * - Writes: the owning municipality opens, records contacts, refers, cancels, closes and reopens;
 *   the receiving organisation accepts, declines, starts and completes its referrals.
 * - Audit trail: the owning municipality, for its own cases.
 */
export const policy = {
  ownCases: forRoles(['municipality'], ownJurisdictions),
  receivedReferrals: ownOrganization,
  writeCases: forRoles(['municipality'], ownJurisdictions),
  respondToReferrals: ownOrganization,
  /**
   * The second line in both directions: an organisation (any principal acting for one — a public health
   * centre, a mental health and welfare centre, a hospital, …) refers a person to a municipal desk, and
   * sees the referrals it sent; the municipality answers those (`writeCases`).
   */
  referToMunicipalities: ownOrganization,
  sentReferrals: ownOrganization,
  figures: anyOf(
    forRoles(['nation', 'adviser'], everyone),
    forRoles(['prefecture', 'health_centre', 'mhw_centre'], area),
    forRoles(['municipality'], ownJurisdictions),
  ),
  auditTrail: forRoles(['municipality'], ownJurisdictions),
} as const;

const OPEN = OPEN_REFERRAL_STATUSES.map((s) => `'${s}'`).join(', ');

/** SQL: the cases (alias `c`) a principal may read. */
export function caseVisibility(principal: Principal): { sql: string; params: Record<string, unknown> } {
  const own = scopeWhere(policy.ownCases(principal), { jurisdiction: 'c.municipality_code' }, 'own');
  const received = policy.receivedReferrals(principal);
  if (isNothing(received)) return own;
  const viaReferral = scopeWhere(received, { organization: 'vr.to_organization_id' }, 'recv');
  return {
    sql: `(${own.sql} OR EXISTS (SELECT 1 FROM referral vr WHERE vr.case_id = c.id AND vr.status IN (${OPEN}) AND ${viaReferral.sql}))`,
    params: { ...own.params, ...viaReferral.params },
  };
}

/** SQL: the referrals (alias `r`) a principal may read. */
export function referralVisibility(principal: Principal): { sql: string; params: Record<string, unknown> } {
  const own = scopeWhere(policy.ownCases(principal), { jurisdiction: 'r.municipality_code' }, 'own');
  const received = policy.receivedReferrals(principal);
  if (isNothing(received)) return own;
  const open = scopeWhere(received, { organization: 'r.to_organization_id' }, 'recv');
  const sent = scopeWhere(policy.sentReferrals(principal), { organization: 'r.from_organization_id' }, 'sent');
  return { sql: `(${own.sql} OR (r.status IN (${OPEN}) AND ${open.sql}) OR ${sent.sql})`, params: { ...own.params, ...open.params, ...sent.params } };
}

/** In memory: does the principal own this case (its municipality)? */
export const isCaseOwner = (principal: Principal, row: { municipalityCode: string }): boolean =>
  scopeCovers(policy.ownCases(principal), { jurisdictionCode: row.municipalityCode });

/** In memory: is the principal the receiving organisation of this referral? */
export const isReceiver = (principal: Principal, row: { toOrganizationId: string }): boolean =>
  scopeCovers(policy.receivedReferrals(principal), { organizationId: row.toOrganizationId });
