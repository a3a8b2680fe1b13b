import { GraphQLError } from 'graphql';
import { isLocalGovCode } from '../graphql/local-gov-code';
import { isUuid } from '../graphql/validate';
import { invalidTextReason } from '../graphql/text';
import { jurisdictionRows, JurisdictionKind, type JurisdictionRow } from '../jurisdictions';

/** Who may act in the hub (the domain page's actors). `public` is anyone without a credential. */
export const ROLES = ['nation', 'adviser', 'prefecture', 'health_centre', 'mhw_centre', 'municipality', 'provider', 'vendor'] as const;
export type Role = (typeof ROLES)[number] | 'public';

/** Roles of government staff: the tiers and the adviser organisation. */
export const STAFF_ROLES: ReadonlySet<Role> = new Set(['nation', 'adviser', 'prefecture', 'health_centre', 'mhw_centre', 'municipality']);

/** The verified identity a request acts for. */
export interface Principal {
  readonly role: Role;
  /** Token subject (user or client id); empty for the public. */
  readonly subject: string;
  /** Jurisdictions it acts for (local government codes); empty for nation, adviser, vendor, public. */
  readonly jurisdictionCodes: readonly string[];
  /** The directory organisation it acts for, if any. */
  readonly organizationId: string | null;
}

/**
 * A principal's identity with its rights (role, subject, organisation, jurisdictions), as one
 * string: two requests share it only when they act for the same principal with the same rights.
 * Idempotency keys and the gateway's response cache are both kept per this key.
 */
export function principalKey(principal: Principal): string {
  return JSON.stringify([principal.role, principal.subject, principal.organizationId, [...principal.jurisdictionCodes].sort()]);
}

export const PUBLIC_PRINCIPAL: Principal = Object.freeze({ role: 'public', subject: '', jurisdictionCodes: [], organizationId: null });

/** 401: the credential is missing where required, malformed, expired or wrongly signed. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Token claims → principal. Claims: `role`, `jurisdictions` (codes), `org` (organisation id), `sub`. */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const role = claims.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw unauthenticated(`Token has no valid role claim (one of ${ROLES.join(', ')}).`);
  }
  const rawCodes = claims.jurisdictions ?? [];
  if (!Array.isArray(rawCodes) || !rawCodes.every(isLocalGovCode)) {
    throw unauthenticated('Token claim `jurisdictions` must be a list of valid local government codes.');
  }
  const org = claims.org ?? null;
  if (org !== null && !isUuid(org)) {
    throw unauthenticated('Token claim `org` must be an organisation id (a UUID).');
  }
  const needsJurisdiction = ['prefecture', 'health_centre', 'mhw_centre', 'municipality'].includes(role);
  if (needsJurisdiction && rawCodes.length === 0) {
    throw unauthenticated(`A ${role} token must name the jurisdiction(s) it acts for.`);
  }
  if (role === 'provider' && org === null) throw unauthenticated('A provider token must name its organisation (`org`).');
  checkJurisdictionsFitRole(role as Exclude<Role, 'public'>, rawCodes);
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  // The subject is stored in audit records: it must be text PostgreSQL keeps as sent.
  const subjectReason = invalidTextReason(subject);
  if (subjectReason) throw unauthenticated(`Token claim \`sub\` is not valid text: it ${subjectReason}.`);
  return {
    role: role as Role,
    subject,
    jurisdictionCodes: rawCodes,
    organizationId: org,
  };
}

/**
 * Which jurisdictions each role may name in its `jurisdictions` claim, by the kinds of the national
 * code list (the directory's `JurisdictionKind`), after the domain page's tiers:
 * - municipality: a municipality (市町村, designated and core cities included) or a special ward
 *   (特別区, municipal status); not a prefecture, not an administrative ward of a designated city (it
 *   acts through its city), not a Northern Territories village (administration suspended);
 * - prefecture: a prefecture, or a designated city, which holds many of a prefecture's powers in
 *   mental health (it runs its own mental health and welfare centre);
 * - mhw_centre: where mental health and welfare centres are — every prefecture and the 20
 *   designated cities;
 * - health_centre: a jurisdiction that runs a public health centre (prefectures, designated and
 *   core cities, special wards and the other health-centre cities);
 * - nation, adviser, provider, vendor: none (they act for the whole country or for an organisation).
 */
export const JURISDICTIONS_A_ROLE_MAY_NAME: Readonly<
  Record<Exclude<Role, 'public'>, { readonly fits: (row: JurisdictionRow) => boolean; readonly what: string }>
> = {
  municipality: {
    fits: (row) => row.parentCode === row.prefectureCode && row.kind !== JurisdictionKind.PREFECTURE && !row.administrationSuspended,
    what: 'municipalities and special wards',
  },
  prefecture: {
    fits: (row) => row.kind === JurisdictionKind.PREFECTURE || row.kind === JurisdictionKind.DESIGNATED_CITY,
    what: 'prefectures and designated cities',
  },
  mhw_centre: {
    fits: (row) => row.kind === JurisdictionKind.PREFECTURE || row.kind === JurisdictionKind.DESIGNATED_CITY,
    what: 'prefectures and designated cities (where mental health and welfare centres are)',
  },
  health_centre: { fits: (row) => row.runsPublicHealthCentre && !row.administrationSuspended, what: 'jurisdictions that run a public health centre' },
  nation: { fits: () => false, what: 'no jurisdictions' },
  adviser: { fits: () => false, what: 'no jurisdictions' },
  provider: { fits: () => false, what: 'no jurisdictions' },
  vendor: { fits: () => false, what: 'no jurisdictions' },
};

let rowsByCode: ReadonlyMap<string, JurisdictionRow> | null = null;

/** 401 unless every code the claim names is a jurisdiction the role may act for (see above). */
export function checkJurisdictionsFitRole(role: Exclude<Role, 'public'>, codes: readonly string[]): void {
  rowsByCode ??= new Map(jurisdictionRows().map((row) => [row.code, row]));
  const rule = JURISDICTIONS_A_ROLE_MAY_NAME[role];
  for (const code of codes) {
    const row = rowsByCode.get(code);
    if (!row) throw unauthenticated(`Token claim \`jurisdictions\` names ${code}, which is not a jurisdiction of Japan.`);
    if (!rule.fits(row)) {
      throw unauthenticated(
        `Token claim \`jurisdictions\` names ${code} (${row.name}, ${row.kind}${row.administrationSuspended ? ', administration suspended' : ''}), which a ${role} token may not name: a ${role} names ${rule.what}.`,
      );
    }
  }
}
