import { homeOf, mayOpen } from './access';
import { inlineConfig } from './config';
import { DOCUMENT_HASHES } from './generated/documents';
import { parseRoute } from './route';
import { storedSession } from './session';

/**
 * The first screen's requests, sent by the page's first (small) module before the application's
 * code is loaded and run: `Labels` and, signed in, the opening view's own document, both at once.
 * The GraphQL client takes each answer (`preloadedFetch`) when the application asks the same
 * operation with the same variables, once; anything else it fetches itself. This module imports
 * nothing heavy (no React, no GraphQL documents): docs/dashboard.md, time to first figures.
 */

/** The fiscal year the views open with. */
export const DEFAULT_FISCAL_YEAR = 2024;

/** The fiscal years whose names are loaded (`Labels`): the program's first years to well past today. */
export const LABELLED_YEARS = { from: 2015, to: 2040 } as const;

type Variables = Readonly<Record<string, string | number>>;

interface Preloaded {
  readonly operationName: string;
  readonly variables: Variables;
  readonly response: Promise<Response>;
  readonly sentAt: number;
}

/** An answer not taken by then is not used (the person has moved on; the figures may have changed). */
const FRESH_MS = 30_000;

const preloaded: Preloaded[] = [];

/** The request body the client sends for a trusted document: its hash only (client.ts). */
function body(operationName: string, variables: Variables): string {
  const sha256Hash = DOCUMENT_HASHES[operationName];
  return JSON.stringify({ operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash } } });
}

/** The opening view's document and variables for this session and URL (null: none, or not one it may open). */
function openingDocument(session: NonNullable<ReturnType<typeof storedSession>>): { operationName: string; variables: Variables } | null {
  const asked = parseRoute(location.hash);
  const route = asked.view === 'home' ? parseRoute(homeOf(session) ?? '') : asked;
  if (!mayOpen(session, route)) return null;
  const fiscalYear = DEFAULT_FISCAL_YEAR;
  switch (route.view) {
    case 'national':
      return { operationName: 'NationalView', variables: { fiscalYear } };
    case 'prefecture':
      return { operationName: 'PrefectureView', variables: { code: route.code, fiscalYear } };
    case 'municipality':
      return { operationName: 'MunicipalView', variables: { code: route.code, fiscalYear } };
    default:
      return null;
  }
}

/** Sends the first screen's requests (only where the server inlined the configuration: otherwise the URL of GraphQL is not known yet). */
export function preload(): void {
  const config = inlineConfig();
  if (!config) return;
  const url = new URL(config.graphqlUrl, document.baseURI).href;
  const session = storedSession();
  const ask = (operationName: string, variables: Variables) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (session) headers.authorization = `Bearer ${session.token}`;
    const response = fetch(url, { method: 'POST', headers, body: body(operationName, variables) });
    // A failure is the client's to report when it takes the answer.
    response.catch(() => undefined);
    preloaded.push({ operationName, variables, response, sentAt: performance.now() });
  };
  ask('Labels', LABELLED_YEARS);
  const opening = session ? openingDocument(session) : null;
  if (opening) ask(opening.operationName, opening.variables);
}

const sameVariables = (a: Variables, b: Readonly<Record<string, unknown>>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * The client's `fetch`: the preloaded answer for the same operation and variables (once), else a
 * request of its own.
 */
export const preloadedFetch: typeof fetch = (input, init) => {
  if (typeof init?.body === 'string' && preloaded.length > 0) {
    const sent = JSON.parse(init.body) as { operationName?: string; variables?: Record<string, unknown> };
    const at = preloaded.findIndex(
      (p) => p.operationName === sent.operationName && sameVariables(p.variables, sent.variables ?? {}) && performance.now() - p.sentAt < FRESH_MS,
    );
    if (at >= 0) return preloaded.splice(at, 1)[0]!.response;
  }
  return fetch(input, init);
};
