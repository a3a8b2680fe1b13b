import { GraphQLError } from 'graphql';
import { UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Principal, Role } from './principal';

/**
 * The shared helpers of every subgraph's policy module.
 *
 * A subgraph states who may read and write what in ONE module (`src/policy.ts`): each rule maps a
 * principal to a {@link Scope}, the set of rows it may touch. The same scope is applied twice, by
 * one definition each: in SQL ({@link scopeWhere}, so that lists, single fetches and entity
 * references never load a row outside it) and in memory ({@link scopeCovers}, for field guards and
 * for checks before a write). Where the rules are silent, the scope is {@link NOTHING}: deny.
 */
export interface Scope {
  /** Every row. */
  readonly all: boolean;
  /** Rows of these jurisdictions exactly (local government codes). */
  readonly jurisdictions: readonly string[];
  /** Rows of any jurisdiction in these prefectures (two-digit prefixes of the code). */
  readonly prefectures: readonly string[];
  /** Rows tied to these directory organisations (e.g. the receiving end of a referral). */
  readonly organizations: readonly string[];
}

export const NOTHING: Scope = Object.freeze({ all: false, jurisdictions: [], prefectures: [], organizations: [] });
export const EVERYTHING: Scope = Object.freeze({ all: true, jurisdictions: [], prefectures: [], organizations: [] });

/** A rule: what a principal may touch. */
export type Rule = (principal: Principal) => Scope;

/** A prefecture's own code: digits 3–5 are `000` (e.g. 130001 東京都). */
export const isPrefectureCode = (code: string): boolean => code.slice(2, 5) === '000';

/** The scope of rows that no principal is denied. */
export const everyone: Rule = () => EVERYTHING;
/** Deny: the default where the domain page is silent. */
export const nobody: Rule = () => NOTHING;

/** Only these roles get what `rule` gives; everyone else nothing. */
export const forRoles =
  (roles: readonly Role[], rule: Rule): Rule =>
  (principal) =>
    roles.includes(principal.role) ? rule(principal) : NOTHING;

/** The jurisdictions a principal acts for, exactly (a municipality's own rows). */
export const ownJurisdictions: Rule = (principal) =>
  principal.jurisdictionCodes.length === 0 ? NOTHING : { ...NOTHING, jurisdictions: [...principal.jurisdictionCodes] };

/**
 * A principal's area: a prefecture code covers every jurisdiction of that prefecture; any other
 * code covers itself (a health centre's token lists the municipalities of its area).
 */
export const area: Rule = (principal) => ({
  ...NOTHING,
  jurisdictions: principal.jurisdictionCodes.filter((c) => !isPrefectureCode(c)),
  prefectures: principal.jurisdictionCodes.filter(isPrefectureCode).map((c) => c.slice(0, 2)),
});

/** Rows tied to the organisation a principal acts for. */
export const ownOrganization: Rule = (principal) => (principal.organizationId === null ? NOTHING : { ...NOTHING, organizations: [principal.organizationId] });

/** Whatever any of the rules gives. */
export const anyOf =
  (...rules: Rule[]): Rule =>
  (principal) =>
    union(...rules.map((rule) => rule(principal)));

export function union(...scopes: Scope[]): Scope {
  if (scopes.some((s) => s.all)) return EVERYTHING;
  const distinct = (values: string[]) => [...new Set(values)];
  return {
    all: false,
    jurisdictions: distinct(scopes.flatMap((s) => s.jurisdictions)),
    prefectures: distinct(scopes.flatMap((s) => s.prefectures)),
    organizations: distinct(scopes.flatMap((s) => s.organizations)),
  };
}

export const isNothing = (scope: Scope): boolean =>
  !scope.all && scope.jurisdictions.length === 0 && scope.prefectures.length === 0 && scope.organizations.length === 0;

/** What a row is tied to, for {@link scopeCovers}. */
export interface Owner {
  readonly jurisdictionCode?: string | null;
  readonly organizationId?: string | null;
}

/** In memory: does the scope cover this row? (The same rule as {@link scopeWhere}.) */
export function scopeCovers(scope: Scope, owner: Owner): boolean {
  if (scope.all) return true;
  const code = owner.jurisdictionCode;
  if (code && (scope.jurisdictions.includes(code) || scope.prefectures.includes(code.slice(0, 2)))) return true;
  return !!owner.organizationId && scope.organizations.includes(owner.organizationId);
}

/** Columns (SQL expressions) a row's owner is read from, for {@link scopeWhere}. */
export interface OwnerColumns {
  readonly jurisdiction?: string;
  readonly organization?: string;
}

/**
 * In SQL: a condition and its named parameters (TypeORM query builder style) that keep only rows
 * inside the scope. A scope part without a column to test it against is a programming error, not a
 * silent widening or narrowing: it throws.
 */
export function scopeWhere(scope: Scope, columns: OwnerColumns, name = 'scope'): { sql: string; params: Record<string, unknown> } {
  if (scope.all) return { sql: 'TRUE', params: {} };
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (scope.jurisdictions.length > 0 || scope.prefectures.length > 0) {
    if (!columns.jurisdiction) throw new Error('scopeWhere: the scope names jurisdictions but no jurisdiction column was given');
    if (scope.jurisdictions.length > 0) {
      parts.push(`${columns.jurisdiction} = ANY(:${name}_j)`);
      params[`${name}_j`] = scope.jurisdictions;
    }
    if (scope.prefectures.length > 0) {
      parts.push(`left(${columns.jurisdiction}, 2) = ANY(:${name}_p)`);
      params[`${name}_p`] = scope.prefectures;
    }
  }
  if (scope.organizations.length > 0) {
    if (!columns.organization) throw new Error('scopeWhere: the scope names organisations but no organisation column was given');
    parts.push(`${columns.organization} = ANY(:${name}_o::uuid[])`);
    params[`${name}_o`] = scope.organizations;
  }
  return { sql: parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`, params };
}

/** 403-style denial: on a nullable field it nulls that field only, with this error on its path. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Throws FORBIDDEN unless the scope covers the row. */
export function authorize(scope: Scope, owner: Owner, what: string): void {
  if (!scopeCovers(scope, owner)) throw forbidden(`You may not see or change ${what}.`);
}

/**
 * A field guard (type-graphql middleware): the field resolves only when `allowed(principal, parent)`;
 * otherwise it is `null` with a FORBIDDEN error on its path (declare the field nullable).
 */
export function Guard<TParent>(allowed: (principal: Principal, parent: TParent) => boolean, what: string): MethodDecorator & PropertyDecorator {
  // Not async: it runs for every guarded field of every row (a national overview's ~1,900
  // jurisdictions), and type-graphql awaits what it returns anyway.
  const guard: MiddlewareFn<{ principal: Principal }> = ({ root, context }, next) => {
    if (!allowed(context.principal, root as TParent)) throw forbidden(`You may not see ${what}.`);
    return next();
  };
  return UseMiddleware(guard);
}
