import { GraphQLError } from 'graphql';
import { isLocalGovCode } from '../graphql/local-gov-code';
import { isUuid } from '../graphql/validate';

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
  return {
    role: role as Role,
    subject: typeof claims.sub === 'string' ? claims.sub : '',
    jurisdictionCodes: rawCodes as string[],
    organizationId: org as string | null,
  };
}
