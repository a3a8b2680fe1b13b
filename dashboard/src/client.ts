import { Client, fetchExchange, type CombinedError } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { getOperationAST } from 'graphql';
import { DOCUMENT_HASHES } from './generated/documents';
import { preloadedFetch } from './preload';

/**
 * The GraphQL client: urql, sending every dashboard operation as a trusted persisted document by
 * its SHA-256 hash only (the hashes the gateway knows, from schema/operations/), never the text.
 */
export function createClient(url: string, token: () => string | null): Client {
  return new Client({
    url,
    // Every view is fetched fresh when shown: figures change as the desks work.
    requestPolicy: 'network-only',
    preferGetMethod: false,
    // The first screen's answers, asked before this code was loaded (preload.ts).
    fetch: preloadedFetch,
    exchanges: [
      persistedExchange({
        enforcePersistedQueries: true,
        // POST: the gateway's CSRF prevention refuses a GET without a preflight header.
        preferGetForPersistedQueries: false,
        enableForMutation: false,
        generateHash: async (_query, document) => {
          const name = getOperationAST(document)?.name?.value ?? '';
          const hash = DOCUMENT_HASHES[name];
          if (!hash) throw new Error(`${name} is not one of the trusted documents`);
          return hash;
        },
      }),
      fetchExchange,
    ],
    fetchOptions: () => {
      const t = token();
      const headers: Record<string, string> = t ? { authorization: `Bearer ${t}` } : {};
      return { headers };
    },
  });
}

/** The paths (e.g. `jurisdiction.organizations.0.staff`) of the fields refused with FORBIDDEN. */
export function refusedPaths(error: CombinedError | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  for (const e of error?.graphQLErrors ?? []) if (e.extensions?.code === 'FORBIDDEN' && e.path) out.add(e.path.join('.'));
  return out;
}

/** A message a person can act on, in Japanese, for what is not a refused field. */
export function errorMessage(error: CombinedError): string {
  if (error.networkError) return 'ハブに接続できませんでした。ネットワークを確認して、もう一度お試しください。';
  const first = error.graphQLErrors.find((e) => e.extensions?.code !== 'FORBIDDEN') ?? error.graphQLErrors[0];
  switch (first?.extensions?.code) {
    case 'UNAUTHENTICATED':
      return 'サインインの有効期限が切れたか、認証に失敗しました。もう一度サインインしてください。';
    case 'FORBIDDEN':
      return 'ご利用の権限ではこの画面を閲覧できません。';
    case 'BAD_USER_INPUT':
      return `入力に誤りがあります: ${first.message}`;
    case 'PERSISTED_QUERY_NOT_FOUND':
      return 'この画面の問い合わせがハブに登録されていません（ダッシュボードとハブの版が合っていません）。';
    default:
      return 'データを取得できませんでした。時間をおいてもう一度お試しください。';
  }
}

/** `refused('a.0.b')`: was the field at that path (or one inside it) refused? */
export function refusedAt(error: CombinedError | undefined): (path: string) => boolean {
  const paths = [...refusedPaths(error)];
  return (path) => paths.some((p) => p === path || p.startsWith(`${path}.`));
}
