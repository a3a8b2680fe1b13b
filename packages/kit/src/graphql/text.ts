import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode } from 'graphql';

/**
 * Text the hub stores must be valid Unicode text that PostgreSQL keeps as sent:
 * - no null character (U+0000): PostgreSQL's `text` cannot hold it (the insert fails);
 * - no lone UTF-16 surrogate (U+D800–U+DFFF without its pair): JSON and GraphQL strings can carry
 *   one, but UTF-8 cannot, so the driver would silently store U+FFFD instead of what was sent.
 *
 * One check serves every subgraph and the gateway: {@link validTextPlugin} looks at every string a
 * request carries (variables at any depth and string literals in the document) before anything
 * runs, so no resolver, scalar or field has to remember it.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` is not valid text to store, or null when it is. */
export function invalidTextReason(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a null character (U+0000)';
  // Every string of every request passes here (a subgraph's entity representations: thousands per
  // national overview): the engine's own check first, the regular expression only to say where.
  if (value.isWellFormed()) return null;
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) {
    return `contains a lone UTF-16 surrogate (U+${surrogate[0].charCodeAt(0).toString(16).toUpperCase()}) at index ${surrogate.index}, which is not a character`;
  }
  return null;
}

function invalidText(argument: string, reason: string, httpStatus: number): GraphQLError {
  return new GraphQLError(`\`${argument}\` is not valid text: it ${reason}.`, {
    extensions: { code: 'BAD_USER_INPUT', argument, http: { status: httpStatus } },
  });
}

/** Throws BAD_USER_INPUT naming `argument` unless `value` is valid text (for text from elsewhere than GraphQL). */
export function requireValidText(argument: string, value: string): string {
  const reason = invalidTextReason(value);
  if (reason) throw invalidText(argument, reason, 400);
  return value;
}

/** The first invalid string in a JSON value (variables), with its path, e.g. `input.name` or `ids[2]`. */
export function findInvalidText(value: unknown, path: string): { path: string; reason: string } | null {
  const found = firstInvalid(value);
  return found && { path: path + found.at.reverse().join(''), reason: found.reason };
}

/**
 * The first invalid string in `value`, with the path's steps innermost first. The path is built only
 * for the string found, on the way out: a request's variables hold thousands of valid strings.
 */
function firstInvalid(value: unknown): { at: string[]; reason: string } | null {
  if (typeof value === 'string') {
    const reason = invalidTextReason(value);
    return reason ? { at: [], reason } : null;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = firstInvalid(value[index]);
      if (found) {
        found.at.push(`[${index}]`);
        return found;
      }
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const keyReason = invalidTextReason(key);
      if (keyReason) return { at: ['.<key>'], reason: keyReason };
      const found = firstInvalid((value as Record<string, unknown>)[key]);
      if (found) {
        found.at.push(`.${key}`);
        return found;
      }
    }
  }
  return null;
}

/** The first invalid string literal in a document, named by its field, argument and input fields. */
export function findInvalidLiteral(document: DocumentNode): { path: string; reason: string } | null {
  let found: { path: string; reason: string } | null = null;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (found) return;
      const reason = invalidTextReason(node.value);
      if (!reason) return;
      const names = ([...ancestors, parent] as readonly (ASTNode | readonly ASTNode[] | undefined)[])
        .filter((a): a is ASTNode => a !== undefined && !Array.isArray(a) && 'kind' in a)
        .flatMap((a) => (a.kind === Kind.FIELD || a.kind === Kind.ARGUMENT || a.kind === Kind.OBJECT_FIELD ? [a.name.value] : []));
      found = { path: names.join('.') || 'a string in the document', reason };
    },
  });
  return found;
}

/**
 * Refuses, before execution, any request carrying text that cannot be stored as sent (see above):
 * BAD_USER_INPUT naming the variable path or the argument, and nothing runs. `httpStatus` is 400 at
 * the gateway (the client's mistake); a subgraph answers 200 with the error so that the gateway
 * passes the code on.
 */
export function validTextPlugin(options: { httpStatus?: number } = {}): ApolloServerPlugin {
  const httpStatus = options.httpStatus ?? 400;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          for (const [name, value] of Object.entries(request.variables ?? {})) {
            const found = findInvalidText(value, name);
            if (found) throw invalidText(found.path, found.reason, httpStatus);
          }
          const literal = findInvalidLiteral(document);
          if (literal) throw invalidText(literal.path, literal.reason, httpStatus);
        },
      };
    },
  };
}
