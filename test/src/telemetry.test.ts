import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { createLogger, demoUuid, startTracing, stopTracing, type Logger } from '@nimo/kit';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { gql, startTestHub, type TestHub } from './hub';

/**
 * Operations through the whole hub in one process: the spans of one request form one trace
 * (gateway → subgraph fetches → SQL, `traceparent` on the hop) with nothing sensitive in them; every
 * log line of a request carries its id (the trace id) in the gateway and in the subgraphs, with one
 * access-log line per request; `/metrics` of the gateway and of a subgraph says what happened.
 */
const exporter = new InMemorySpanExporter();
const lines: Record<string, unknown>[] = [];
const loggers = (service: string): Logger =>
  createLogger(service, { level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });

let hub: TestHub;
beforeAll(async () => {
  startTracing({ service: 'hub', exporter });
  hub = await startTestHub({ loggers });
}, 180_000);
afterAll(async () => {
  await hub.stop();
  await stopTracing();
});

const CHIYODA = '131016';
const DESK = demoUuid('organization', CHIYODA, '千代田区障害福祉課 精神保健福祉相談窓口');
const SECRET_REFERENCE = `TRACE-${randomBytes(4).toString('hex').toUpperCase()}`;
const SECRET_NOTE = `秘匿メモ-${randomUUID()}`;
const CASE = 'id version clientReference municipality { code name } desk { id name }';

async function token(): Promise<string> {
  return hub.keys.sign({ role: 'municipality', jurisdictions: [CHIYODA], sub: 'staff-chiyoda' });
}

/** The spans of one trace, once its root (the gateway's server span) has ended. */
async function traceOf(traceId: string): Promise<ReadableSpan[]> {
  for (let i = 0; i < 100; i += 1) {
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    if (spans.some((s) => s.kind === SpanKind.SERVER && s.parentSpanContext?.spanId === CALLER_SPAN)) return spans;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no finished trace ${traceId}`);
}
const CALLER_SPAN = '00f067aa0ba902b7';
const traceparent = (traceId: string) => `00-${traceId}-${CALLER_SPAN}-01`;
const parentOf = (span: ReadableSpan, spans: ReadableSpan[]) => spans.find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId);
function ancestors(span: ReadableSpan, spans: ReadableSpan[]): ReadableSpan[] {
  const chain: ReadableSpan[] = [];
  for (let p = parentOf(span, spans); p; p = parentOf(p, spans)) chain.push(p);
  return chain;
}
const { SERVER, CLIENT } = SpanKind;
const isSql = (s: ReadableSpan) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql';

describe('one request, one trace', () => {
  let traceId: string;
  let spans: ReadableSpan[];
  let bearer: string;

  beforeAll(async () => {
    bearer = await token();
    const headers = { authorization: `Bearer ${bearer}` };
    const opened = await gql<{ openCase: { id: string } }>(
      hub.gateway.url,
      `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { ${CASE} } }`,
      {
        input: {
          municipalityCode: CHIYODA,
          deskId: DESK,
          clientReference: SECRET_REFERENCE,
          ageBand: 'AGE_30S',
          sex: 'FEMALE',
          needs: ['MENTAL_HEALTH'],
          openedOn: '2026-04-10',
        },
      },
      headers,
    );
    expect(opened.body.errors).toBeUndefined();
    const id = opened.body.data?.openCase.id ?? '';
    const contact = await gql(
      hub.gateway.url,
      'mutation Contact($id: ID!, $input: ContactInput!) { recordContact(caseId: $id, expectedVersion: 1, input: $input) { id contacts { note } } }',
      { id, input: { contactedOn: '2026-04-12', channel: 'PHONE', staffReference: 'staff-7', note: SECRET_NOTE } },
      headers,
    );
    expect(contact.body.errors).toBeUndefined();
    // The traced request: a GET (its variables in the query string) that the consultation subgraph
    // answers and the directory completes (the desk), with a client reference as a literal too.
    traceId = randomBytes(16).toString('hex');
    const query = `query Traced($id: ID!) { consultationCase(id: $id) { ${CASE} contacts { note } } consultationCases(filter: { clientReference: "${SECRET_REFERENCE}" }) { totalCount } }`;
    const url = `${hub.gateway.url}?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify({ id }))}`;
    // node:http rather than fetch: this process traces its own fetch calls, which would start a trace.
    const text = await new Promise<string>((resolve, reject) => {
      http
        .get(url, { headers: { ...headers, traceparent: traceparent(traceId), 'apollo-require-preflight': '1' } }, (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (data += chunk));
          res.on('end', () => resolve(data));
        })
        .on('error', reject);
    });
    const body = JSON.parse(text) as {
      data?: { consultationCase: { clientReference: string; contacts: { note: string }[] }; consultationCases: { totalCount: number } };
    };
    expect(body.data?.consultationCase.clientReference).toBe(SECRET_REFERENCE);
    expect(body.data?.consultationCase.contacts[0]?.note).toBe(SECRET_NOTE);
    expect(body.data?.consultationCases.totalCount).toBe(1);
    spans = await traceOf(traceId);
  });

  it('runs from the gateway through each subgraph fetch to the SQL statements', () => {
    const [root, ...others] = spans.filter((s) => s.kind === SERVER && s.parentSpanContext?.spanId === CALLER_SPAN);
    expect(others).toHaveLength(0);
    if (!root) throw new Error('no gateway span');
    // Apollo Gateway's own spans: the plan is executed with one fetch per subgraph asked.
    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    expect(fetches.length).toBeGreaterThanOrEqual(2);
    // Each hop: the gateway's client span, and the subgraph's server span as its child (traceparent).
    const subgraphServers = spans.filter((s) => s.kind === SERVER && parentOf(s, spans)?.kind === CLIENT);
    expect(subgraphServers.length).toBe(fetches.length);
    for (const server of subgraphServers) {
      const chain = ancestors(server, spans);
      expect(chain).toContain(root);
      expect(chain.some((s) => s.name === 'gateway.fetch')).toBe(true);
      // Every subgraph request ran SQL, whose spans hang below it.
      const sql = spans.filter((s) => isSql(s) && ancestors(s, spans).includes(server));
      expect(sql.length).toBeGreaterThan(0);
    }
    // Both subgraphs took part: consultation (the case) and the directory (its desk and municipality).
    const sqlDatabases = new Set(spans.filter(isSql).map((s) => String(s.attributes['db.namespace'] ?? s.attributes['db.name'])));
    expect([...sqlDatabases].some((d) => d.includes('consultation'))).toBe(true);
    expect([...sqlDatabases].some((d) => d.includes('directory'))).toBe(true);
    // GraphQL execution in the subgraphs is traced too.
    expect(spans.filter((s) => s.name === 'graphql.parse' || s.name.startsWith('query Traced__')).length).toBeGreaterThanOrEqual(2);
  });

  it('puts no sensitive value in any span: no note, no client reference, no token, no query string', () => {
    const everything = JSON.stringify(
      exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, resource: s.resource.attributes })),
    );
    expect(everything).not.toContain(SECRET_REFERENCE);
    expect(everything).not.toContain(SECRET_NOTE);
    expect(everything).not.toContain(bearer);
    expect(everything).not.toContain(bearer.split('.')[1] ?? 'unused');
    expect(everything).not.toMatch(/x-nimo-principal|authorization/i);
    expect(everything).not.toContain('variables=');
    // The SQL is there, with its placeholders only.
    expect(spans.filter(isSql).some((s) => /\$1/.test(String(s.attributes['db.query.text'] ?? s.attributes['db.statement'])))).toBe(true);
  });

  it('gives every log line of the request its trace id, in the gateway and in the subgraphs, and one access line each', () => {
    const ofRequest = lines.filter((l) => l.requestId === traceId);
    const access = ofRequest.filter((l) => l.msg === 'request');
    expect(new Set(access.map((l) => l.service))).toEqual(new Set(['consultation', 'directory', 'gateway']));
    const gatewayLine = access.find((l) => l.service === 'gateway');
    expect(gatewayLine).toMatchObject({ operation: 'Traced', type: 'query', role: 'municipality', status: 200 });
    expect(typeof gatewayLine?.ms).toBe('number');
    expect(access.filter((l) => l.service === 'consultation').length).toBeGreaterThanOrEqual(1);
    expect(access.filter((l) => l.service === 'directory').length).toBeGreaterThanOrEqual(1);
    // Each process wrote exactly one access line per request it served.
    const gatewayAccess = lines.filter((l) => l.msg === 'request' && l.service === 'gateway');
    expect(new Set(gatewayAccess.map((l) => l.requestId)).size).toBe(gatewayAccess.length);
    // No personal data in the access lines.
    const text = JSON.stringify(lines.filter((l) => l.msg === 'request'));
    expect(text).not.toContain(SECRET_REFERENCE);
    expect(text).not.toContain(SECRET_NOTE);
    expect(text).not.toContain('staff-chiyoda');
  });
});

describe('/metrics', () => {
  const metricsOf = async (graphqlUrl: string) => {
    const response = await fetch(new URL('/metrics', graphqlUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return response.text();
  };

  it('counts requests per operation, subgraph fetches, SQL per request, pools and the process', async () => {
    await gql(hub.gateway.url, 'query Counted { jurisdiction(code: "131016") { name } }');
    await gql(hub.gateway.url, 'query Counted { jurisdiction(code: "131016") { name } }');
    const gateway = await metricsOf(hub.gateway.url);
    expect(gateway).toMatch(/nimo_graphql_requests_total\{service="gateway",operation="Counted",status="200"\} 2/);
    expect(gateway).toMatch(/nimo_graphql_request_duration_seconds_count\{service="gateway",operation="Counted"\} 2/);
    expect(gateway).toMatch(/nimo_subgraph_fetch_duration_seconds_count\{subgraph="directory"\} \d+/);
    expect(gateway).toMatch(/nimo_subgraph_fetch_errors_total/);
    expect(gateway).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(gateway).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(gateway).toMatch(/nimo_rate_limit_refusals_total/);
    const directory = await metricsOf(hub.directory.url);
    expect(directory).toMatch(/nimo_sql_statements_per_request_count\{service="directory"\} [1-9]/);
    expect(directory).toMatch(/nimo_db_pool_connections\{pool="directory",state="total"\} [1-9]/);
    expect(directory).toMatch(/nimo_db_pool_max_connections\{pool="directory"\} \d+/);
  });

  it('counts the requests of an operation the same in the gateway as the access log says', async () => {
    const before = lines.filter((l) => l.msg === 'request' && l.service === 'gateway' && l.operation === 'CountedTwice').length;
    await gql(hub.gateway.url, 'query CountedTwice { jurisdiction(code: "131016") { code } }');
    await gql(hub.gateway.url, 'query CountedTwice { jurisdiction(code: "131017") { code } }');
    const gateway = await metricsOf(hub.gateway.url);
    expect(gateway).toMatch(/nimo_graphql_requests_total\{service="gateway",operation="CountedTwice",status="200"\} 2/);
    expect(lines.filter((l) => l.msg === 'request' && l.service === 'gateway' && l.operation === 'CountedTwice').length - before).toBe(2);
    const bad = lines.filter((l) => l.msg === 'request' && l.service === 'gateway' && l.operation === 'CountedTwice').pop();
    expect(bad?.errors).toEqual(['BAD_USER_INPUT']);
  });
});
