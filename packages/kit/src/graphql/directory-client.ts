import { GraphQLError } from 'graphql';
import { HOP_HEADER, signHop } from '../auth/hop';
import type { Principal } from '../auth/principal';
import { intFromEnv } from '../config';
import { subgraphUrl } from '../hub';
import { nationalCodeList } from '../jurisdictions';
import { badUserInput } from './errors';

/**
 * Writes that name an organisation check it with its owner, the directory subgraph, before anything
 * is stored (issue 13; why a service call and not a read model: docs/architecture.md, "References to
 * other subgraphs"). The call is the federation's own: `_entities` on the directory, signed with the
 * writer's principal as the gateway signs a hop (HUB_INTERNAL_SECRET), so the directory answers
 * exactly as it would through the gateway.
 *
 * What a write needs of an organisation (its services and where it is and serves) changes rarely; a
 * found organisation is remembered for `cacheMs` (DIRECTORY_CACHE_MS, default 60 s). An unknown id is
 * never remembered, so an organisation added to the directory can be named at once. When the
 * directory cannot answer within `timeoutMs` (DIRECTORY_TIMEOUT_MS, default 3 s), the write is
 * refused with SUBGRAPH_UNAVAILABLE (retriable) and nothing changes.
 */

/** What a write needs to know of a directory organisation. */
export interface OrganizationFacts {
  readonly id: string;
  /** Its services (directory ServiceKind values), main service first. */
  readonly services: readonly string[];
  /** The jurisdiction it is located in, and that jurisdiction's prefecture. */
  readonly jurisdictionCode: string;
  readonly prefectureCode: string;
  /** The jurisdictions it serves (municipalities, or a whole prefecture for second-line bodies). */
  readonly serviceAreaCodes: readonly string[];
}

/** What a named organisation must be for a write to accept it. */
export interface OrganizationRequirement {
  /** The argument that names it, for the error (`input.deskId`). */
  readonly argument: string;
  /** What the write needs it to be, in words (`a consultation desk`), for the error. */
  readonly what: string;
  /** It provides at least one of these services (directory ServiceKind values). */
  readonly services?: readonly string[];
  /** It is located in or serves this jurisdiction (or the whole prefecture it lies in). */
  readonly serves?: string;
}

export interface DirectoryClientOptions {
  /** The directory subgraph's GraphQL URL (default DIRECTORY_URL, else the local default port). */
  readonly url?: string;
  /** The hop key (the same HUB_INTERNAL_SECRET the gateway signs with). */
  readonly key: Uint8Array;
  readonly timeoutMs?: number;
  readonly cacheMs?: number;
}

const ENTITIES = `query NimoReferenceCheck($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Organization { id services jurisdiction { code prefecture { code } } serviceAreas { code } }
  }
}`;

interface EntityAnswer {
  readonly data?: {
    readonly _entities?: readonly ({
      readonly id: string;
      readonly services: readonly string[];
      readonly jurisdiction: { readonly code: string; readonly prefecture: { readonly code: string } };
      readonly serviceAreas: readonly { readonly code: string }[];
    } | null)[];
  } | null;
  readonly errors?: readonly { readonly message: string }[];
}

/** The directory's facts about organisations, for the writes of the other subgraphs. */
export class DirectoryClient {
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly cache = new Map<string, { facts: OrganizationFacts; until: number }>();

  constructor(private readonly options: DirectoryClientOptions) {
    this.url = options.url ?? subgraphUrl('directory');
    this.timeoutMs = options.timeoutMs ?? intFromEnv('DIRECTORY_TIMEOUT_MS', 3000);
    this.cacheMs = options.cacheMs ?? intFromEnv('DIRECTORY_CACHE_MS', 60_000);
  }

  /** The facts of each organisation (ids lower-case UUIDs); null for one the directory does not know. */
  async organizations(ids: readonly string[], principal: Principal, argument: string): Promise<Map<string, OrganizationFacts | null>> {
    const now = Date.now();
    const found = new Map<string, OrganizationFacts | null>();
    const ask: string[] = [];
    for (const id of new Set(ids)) {
      const cached = this.cache.get(id);
      if (cached && cached.until > now) found.set(id, cached.facts);
      else ask.push(id);
    }
    if (ask.length === 0) return found;
    const answer = await this.ask(ask, principal, argument);
    ask.forEach((id, i) => {
      const entity = answer[i];
      if (!entity) {
        found.set(id, null);
        return;
      }
      const facts: OrganizationFacts = {
        id: entity.id,
        services: entity.services,
        jurisdictionCode: entity.jurisdiction.code,
        prefectureCode: entity.jurisdiction.prefecture.code,
        serviceAreaCodes: entity.serviceAreas.map((a) => a.code),
      };
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(id, { facts, until: now + this.cacheMs });
      found.set(id, facts);
    });
    return found;
  }

  /**
   * The organisation `id` names, checked against `requirement`; BAD_USER_INPUT naming the argument
   * when it does not exist or does not fit, SUBGRAPH_UNAVAILABLE when the directory cannot answer.
   */
  async requireOrganization(principal: Principal, id: string, requirement: OrganizationRequirement): Promise<OrganizationFacts> {
    const { argument, what } = requirement;
    const facts = (await this.organizations([id], principal, argument)).get(id) ?? null;
    if (!facts) throw badUserInput(`\`${argument}\` ${id} names no organisation in the directory.`, { argument });
    if (requirement.services && !facts.services.some((s) => requirement.services?.includes(s))) {
      throw badUserInput(
        `\`${argument}\` ${id} is not ${what}: it provides ${facts.services.join(', ') || 'no service'}, and ${what} provides ${requirement.services.join(' or ')}.`,
        {
          argument,
          services: facts.services,
        },
      );
    }
    if (requirement.serves !== undefined && !servesJurisdiction(facts, requirement.serves)) {
      throw badUserInput(`\`${argument}\` ${id} is not located in and does not serve ${requirement.serves}.`, {
        argument,
        jurisdictionCode: requirement.serves,
      });
    }
    return facts;
  }

  private async ask(ids: readonly string[], principal: Principal, argument: string): Promise<NonNullable<NonNullable<EntityAnswer['data']>['_entities']>> {
    const unavailable = (reason: string, cause?: unknown) =>
      new GraphQLError(`The directory could not be asked to check \`${argument}\` (${reason}); nothing was changed. Retry shortly.`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'directory' },
        ...(cause instanceof Error ? { originalError: cause } : {}),
      });
    let answer: EntityAnswer;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HOP_HEADER]: await signHop(principal, this.options.key) },
        body: JSON.stringify({ query: ENTITIES, variables: { representations: ids.map((id) => ({ __typename: 'Organization', id })) } }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw unavailable(`it answered HTTP ${response.status}`);
      answer = (await response.json()) as EntityAnswer;
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      // By name: a DOMException from another realm (jest) is not `instanceof Error`.
      throw unavailable((error as { name?: unknown } | null)?.name === 'TimeoutError' ? 'it did not answer in time' : 'it is unavailable', error);
    }
    const entities = answer.data?._entities;
    if (!entities || entities.length !== ids.length) throw unavailable(answer.errors?.[0]?.message ? 'it answered with an error' : 'its answer was incomplete');
    return entities;
  }
}

/**
 * Whether an organisation is located in a jurisdiction, or serves it or a jurisdiction that encloses
 * it (a ward's designated city, a municipality's prefecture), by the national code list.
 */
export function servesJurisdiction(facts: OrganizationFacts, code: string): boolean {
  const enclosing: string[] = [];
  for (let row = nationalCodeList().byCode.get(code); row; row = row.parentCode ? nationalCodeList().byCode.get(row.parentCode) : undefined)
    enclosing.push(row.code);
  if (enclosing.length === 0) enclosing.push(code);
  return facts.jurisdictionCode === code || enclosing.some((c) => facts.serviceAreaCodes.includes(c));
}
