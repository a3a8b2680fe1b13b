/* eslint-disable no-console -- an example prints its answers */
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';

/**
 * A vendor's app: finds municipalities by their kana reading and lists a ward's mental health
 * desks with their opening hours. Every request is a trusted document sent by its id (safelisted
 * callers may send nothing else); the types come from the hub's published schema.
 *
 *   NIMO_URL=https://<hub>/graphql NIMO_API_KEY=nimo_... npm start -- みなと
 */
const Search = graphql(`
  query VendorSearch($search: String!, $first: Int!) {
    jurisdictions(filter: { search: $search, municipalitiesOnly: true }, first: $first) {
      totalCount
      nodes {
        code
        name
        nameKana
        kind
        prefecture {
          name
        }
      }
    }
  }
`);

const Desks = graphql(`
  query VendorDesks($code: LocalGovCode!) {
    jurisdiction(code: $code) {
      name
      organizations(serviceKind: MUNICIPAL_MENTAL_HEALTH_DESK) {
        name
        openingHours {
          days
          opens
          closes
        }
      }
    }
  }
`);

export class HubError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
  }
}

/** One safelisted request: the document's id, never its text. */
export async function execute<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const endpoint = process.env.NIMO_URL ?? 'http://localhost:4000/graphql';
  const key = process.env.NIMO_API_KEY;
  if (!key) throw new Error('set NIMO_API_KEY (ask the hub operator: npm run apikey -- create --name "<vendor>")');
  const documentId = document.__meta__?.hash as string | undefined;
  if (!documentId) throw new Error('the document has no id: run codegen with persistedDocuments');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', 'x-api-key': key },
    body: JSON.stringify({ documentId, variables }),
  });
  const body = (await response.json()) as { data?: R | null; errors?: { message: string; extensions?: { code?: string } }[] };
  const error = body.errors?.[0];
  if (!response.ok || error || !body.data) {
    const retryAfter = response.headers.get('retry-after');
    throw new HubError(
      error?.message ?? `HTTP ${response.status}`,
      response.status,
      error?.extensions?.code,
      retryAfter === null ? undefined : Number(retryAfter),
    );
  }
  return body.data;
}

async function main(): Promise<void> {
  const search = process.argv[2] ?? 'みなと';
  const found = await execute(Search, { search, first: 5 });
  console.log(`「${search}」: ${found.jurisdictions.totalCount} 件`);
  for (const j of found.jurisdictions.nodes) console.log(`${j.code} ${j.prefecture.name}${j.name}（${j.nameKana}） ${j.kind}`);
  const first = found.jurisdictions.nodes[0];
  if (!first) return;
  const desks = await execute(Desks, { code: first.code });
  for (const desk of desks.jurisdiction?.organizations ?? []) {
    const hours = desk.openingHours.map((h) => `${h.days.join(',')} ${h.opens}–${h.closes}`).join('; ');
    console.log(`  ${desk.name}: ${hours}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof HubError) {
    console.error(`hub: ${error.status} ${error.code ?? ''} ${error.message}${error.retryAfterSeconds ? ` (retry after ${error.retryAfterSeconds} s)` : ''}`);
  } else console.error(error);
  process.exit(1);
});
