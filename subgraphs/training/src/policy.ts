import { everyone, forRoles, ownJurisdictions, ownOrganization, scopeCovers, scopeWhere, STAFF_ROLES, type Principal, type Role } from '@nimo/kit';
import { OrganiserKind } from './enums';

/**
 * Who may read and write what in the training subgraph. The domain page ("Who may see what", and
 * the training issue): personal data of staff is visible to their own organisation, to the
 * organiser of a session they enrolled in, and aggregated for others. Where the page is silent,
 * the choices below deny, and say so.
 *
 * Every rule is applied twice by one definition: in SQL (`staffWhere`, `enrolmentWhere`,
 * `organiserWhere`; lists, single fetches and references never load a row outside the scope) and
 * in memory (`seesStaff`, `organises`, the Guards on fields and the checks before a write).
 */

/** Which organiser kinds a role may act as (the organiser's jurisdiction must also be one of the principal's). */
export const ORGANISER_KINDS_OF_ROLE: Partial<Record<Role, readonly OrganiserKind[]>> = {
  // The program secretariat (構築支援事業事務局) is commissioned by the nation and acts with a nation credential.
  nation: [OrganiserKind.NATIONAL_SECRETARIAT],
  // "prefecture (or designated city at that tier)" (docs/access.md).
  prefecture: [OrganiserKind.PREFECTURE, OrganiserKind.DESIGNATED_CITY],
  municipality: [OrganiserKind.DESIGNATED_CITY],
  mhw_centre: [OrganiserKind.MHW_CENTRE],
  health_centre: [OrganiserKind.PUBLIC_HEALTH_CENTRE],
};

/** What a course's organiser is. */
export interface CourseOrganiser {
  readonly organiserKind: OrganiserKind;
  readonly organiserJurisdictionCode: string | null;
  readonly organiserOrganizationId: string | null;
}

/** Roles that may hold organisation-bound staff records (vendors and the public never do). */
const ORGANISATION_ROLES: readonly Role[] = ['nation', 'adviser', 'prefecture', 'health_centre', 'mhw_centre', 'municipality', 'provider'];

export const policy = {
  /** Courses and sessions with their place counts: a published training catalogue, no personal data. Everyone, vendors and the public included. */
  catalogue: everyone,
  /**
   * Aggregates (trainingSummary, trainedStaffTotal, Organization.workforce): government staff roles,
   * for every jurisdiction (workforce statistics carry no personal data). The page is silent on
   * providers, vendors and the public: denied.
   */
  aggregates: forRoles([...STAFF_ROLES], everyone),
  /** Staff records (personal data) and their enrolments: the staff member's own organisation. */
  ownStaff: forRoles(ORGANISATION_ROLES, ownOrganization),
} as const;

/** May this principal see aggregates? */
export const seesAggregates = (p: Principal): boolean => policy.aggregates(p).all;

/** Does the principal organise this course (and so its sessions)? */
export function organises(p: Principal, c: CourseOrganiser): boolean {
  const kinds = ORGANISER_KINDS_OF_ROLE[p.role] ?? [];
  if (!kinds.includes(c.organiserKind)) return false;
  if (c.organiserKind === OrganiserKind.NATIONAL_SECRETARIAT) return true;
  if (!scopeCovers(ownJurisdictions(p), { jurisdictionCode: c.organiserJurisdictionCode })) return false;
  // A course of a named organisation (e.g. one of Tokyo's three mental health and welfare centres) is that organisation's.
  return c.organiserOrganizationId === null || c.organiserOrganizationId === p.organizationId;
}

/** May the principal organise anything at all (a role that can be an organiser)? */
export const mayOrganise = (p: Principal): boolean => (ORGANISER_KINDS_OF_ROLE[p.role] ?? []).length > 0;

/** Is this staff member one of the principal's own organisation? */
export const ownsStaff = (p: Principal, staff: { organizationId: string }): boolean =>
  scopeCovers(policy.ownStaff(p), { organizationId: staff.organizationId });

export interface Sql {
  sql: string;
  params: Record<string, unknown>;
}

/** SQL: courses (alias `c`) the principal organises; the same rule as {@link organises}. */
export function organiserWhere(p: Principal, c = 'c', name = 'organiser'): Sql {
  const kinds = ORGANISER_KINDS_OF_ROLE[p.role] ?? [];
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (kinds.includes(OrganiserKind.NATIONAL_SECRETARIAT)) parts.push(`${c}.organiser_kind = 'NATIONAL_SECRETARIAT'`);
  const others = kinds.filter((k) => k !== OrganiserKind.NATIONAL_SECRETARIAT);
  if (others.length > 0) {
    const codes = scopeWhere(ownJurisdictions(p), { jurisdiction: `${c}.organiser_jurisdiction_code` }, `${name}_j`);
    parts.push(
      `(${c}.organiser_kind = ANY(:${name}_kinds) AND ${codes.sql} AND (${c}.organiser_organization_id IS NULL OR ${c}.organiser_organization_id = :${name}_self::uuid))`,
    );
    Object.assign(params, codes.params, { [`${name}_kinds`]: others, [`${name}_self`]: p.organizationId });
  }
  return { sql: parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`, params };
}

/** SQL: staff members (alias `s`) whose personal data the principal may see: own organisation, or enrolled in a session it organises. */
export function staffWhere(p: Principal, s = 's'): Sql {
  const own = scopeWhere(policy.ownStaff(p), { organization: `${s}.organization_id` }, 'own');
  const organiser = organiserWhere(p, 'oc', 'sorg');
  return {
    sql: `(${own.sql} OR ${organiserOfStaffSql(organiser, s)})`,
    params: { ...own.params, ...organiser.params },
  };
}

/** SQL boolean: the staff member (alias `s`) enrolled in a session of a course the principal organises. */
export function organiserOfStaffSql(organiser: Sql, s = 's'): string {
  if (organiser.sql === 'FALSE') return 'FALSE';
  return `EXISTS (SELECT 1 FROM enrolment oe JOIN training_session ots ON ots.id = oe.session_id JOIN course oc ON oc.id = ots.course_id
                  WHERE oe.staff_id = ${s}.id AND ${organiser.sql})`;
}

/** SQL: enrolments (alias `e`, with its staff `s` and course `c` joined) the principal may see: its own staff's, or those of sessions it organises. */
export function enrolmentWhere(p: Principal, s = 's', c = 'c'): Sql {
  const own = scopeWhere(policy.ownStaff(p), { organization: `${s}.organization_id` }, 'own');
  const organiser = organiserWhere(p, c, 'eorg');
  return { sql: `(${own.sql} OR ${organiser.sql})`, params: { ...own.params, ...organiser.params } };
}

/** In memory (field guards): the staff row carries `organiserView`, computed in SQL by the loader with the same rule. */
export const seesStaff = (p: Principal, staff: { organizationId: string; organiserView?: boolean }): boolean =>
  ownsStaff(p, staff) || staff.organiserView === true;
