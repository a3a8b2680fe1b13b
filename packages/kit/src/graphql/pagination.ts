import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badUserInput } from './errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items to return (1 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}).`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Return the items after this cursor (a `pageInfo.endCursor` of an earlier page).',
  })
  after?: string | null;
}

// Every subgraph pages its lists alike; the one PageInfo type is shared in the supergraph.
@Directive('@shareable')
@ObjectType({ description: 'Where a page stands in the whole list.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of this page; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

/** A page of a list; `totalCount` is counted only when a client asks for it. */
export interface Page<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** A getter: reading it runs the count (once). */
  readonly totalCount: Promise<number>;
}

/** The connection and edge types of one node type (`FooConnection`, `FooEdge`), Relay style. */
export function connectionTypes<T extends object>(node: ClassType<T>, name: string, what: string) {
  @ObjectType(`${name}Edge`, { description: `One ${what} in a page, with its cursor.` })
  class Edge {
    @Field(() => String, { description: 'Opaque cursor of this item.' })
    cursor!: string;

    @Field(() => node, { description: `The ${what}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what} items, with the total count of the whole list.` })
  class Connection {
    @Field(() => [Edge], { description: 'The items of this page with their cursors.' })
    edges!: Edge[];

    @Field(() => [node], { description: 'The items of this page (the same as `edges.node`).' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Where this page stands.' })
    pageInfo!: PageInfo;

    // A getter on the page object: the count runs only when a client asks for it.
    @Field(() => Int, { description: 'How many items the whole filtered list holds.' })
    totalCount!: Promise<number>;
  }
  return { Edge, Connection };
}

function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
      return values;
    }
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

function invalidCursor() {
  return badUserInput('Invalid cursor: pass a `pageInfo.endCursor` value from an earlier page.', { argument: 'after' });
}

/** PostgreSQL's data exceptions (SQLSTATE class 22): a value its column type cannot hold. */
function isDataException(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e.driverError?.code ?? e.code;
  return typeof code === 'string' && code.startsWith('22');
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}, got ${first}.`, { argument: 'first' });
  }
  return first;
}

export interface KeysetColumn<T> {
  /** SQL expression, e.g. `j.code`. */
  readonly sql: string;
  /** The same value read from an entity. */
  readonly value: (row: T) => string | number;
}

const COUNT_ONLY_FIELDS = new Set(['totalCount', '__typename']);

/** Whether a selection set (fragments followed) asks for nothing but `totalCount` and `__typename`. */
function onlyCount(selectionSet: SelectionSetNode | undefined, info: GraphQLResolveInfo): boolean {
  if (!selectionSet) return false;
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return COUNT_ONLY_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return onlyCount(selection.selectionSet, info);
    return onlyCount(info.fragments[selection.name.value]?.selectionSet, info);
  });
}

/**
 * Whether a connection field asks for its count only (`{ totalCount }`): no item, edge or cursor then
 * leaves the server, so no item is read (nor audited as read) and the page's rows are not loaded.
 */
export function asksOnlyTotalCount(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.every((node) => onlyCount(node.selectionSet, info));
}

/**
 * Keyset (cursor) pagination over a TypeORM query: orders by the given unique column list, reads
 * one row more than asked to know whether a next page exists, and counts the filtered list in a
 * separate statement only when `totalCount` is asked for. With `info` of a field that asks for its
 * count only ({@link asksOnlyTotalCount}), no row is read: the page is empty and only the count runs.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  keyset: readonly KeysetColumn<T>[],
  args: PageArgs,
  info?: GraphQLResolveInfo,
): Promise<Page<T>> {
  const limit = pageSize(args.first);
  const counter = query.clone();
  const readRows = async (): Promise<T[]> => {
    const paged = query.clone();
    if (args.after) {
      const values = decodeCursor(args.after, keyset.length);
      const params: Record<string, unknown> = {};
      values.forEach((v, i) => (params[`cursor${i}`] = v));
      paged.andWhere(`(${keyset.map((k) => k.sql).join(', ')}) > (${keyset.map((_, i) => `:cursor${i}`).join(', ')})`, params);
    }
    keyset.forEach((k, i) => (i === 0 ? paged.orderBy(k.sql, 'ASC') : paged.addOrderBy(k.sql, 'ASC')));
    return paged
      .limit(limit + 1)
      .getMany()
      .catch((error: unknown) => {
        // A cursor whose values the columns cannot hold (a hand-made or mistyped one: not a date, not a
        // UUID, out of range) is the client's mistake, not an internal error.
        if (args.after && isDataException(error)) throw invalidCursor();
        throw error;
      });
  };
  const rows = info && asksOnlyTotalCount(info) ? [] : await readRows();
  const hasNextPage = rows.length > limit;
  const nodes = rows.slice(0, limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyset.map((k) => k.value(node))), node }));
  let total: Promise<number> | undefined;
  return {
    nodes,
    edges,
    pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    get totalCount() {
      return (total ??= counter.getCount());
    },
  };
}
