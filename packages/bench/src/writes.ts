import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { withDatabase, type Principal } from '@nimo/kit';
import { devToken } from '@nimo/kit/dev';

/**
 * A steady stream of the writes municipalities make all day, through a gateway, while the dashboards
 * are read: cases opened, contacts recorded, referrals to the prefecture's mental health and welfare
 * centre, staff enrolled in training sessions, across many municipalities. Open loop: one write every
 * 1000 / rate ms whatever the answers' latency (at most `MAX_IN_FLIGHT` at once), so the rate holds
 * while the hub is slow. Dates fall in the fiscal year the dashboards read, so every write changes
 * figures they show.
 */

const OPEN = 'mutation Open($input: OpenCaseInput!, $key: String) { openCase(input: $input, idempotencyKey: $key) { id version } }';
const CONTACT =
  'mutation Contact($id: ID!, $v: Int!, $input: ContactInput!, $key: String) { recordContact(caseId: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version } }';
const REFER =
  'mutation Refer($id: ID!, $v: Int!, $input: ReferInput!) { referCase(caseId: $id, expectedVersion: $v, input: $input) { id case { id version } } }';
const ENROL = 'mutation Enrol($s: ID!, $m: ID!, $key: String) { enrol(sessionId: $s, staffMemberId: $m, idempotencyKey: $key) { id state } }';

const MAX_IN_FLIGHT = 64;
/** The share of each kind of write (of 20). */
const MIX: readonly ['openCase' | 'recordContact' | 'referCase' | 'enrol', number][] = [
  ['openCase', 7],
  ['recordContact', 8],
  ['referCase', 2],
  ['enrol', 3],
];

interface Municipality {
  readonly code: string;
  readonly desk: string;
  readonly centre: string;
}

interface Enrolment {
  readonly session: string;
  readonly staff: string;
  readonly principal: Omit<Principal, 'subject'>;
}

export interface WritePlan {
  readonly municipalities: readonly Municipality[];
  readonly enrolments: readonly Enrolment[];
}

/**
 * Who writes: `count` municipalities (each with its consultation desk and its prefecture's mental
 * health and welfare centre) and staff members with open training sessions they may enrol in, read
 * from the subgraphs' databases on `serverUrl`.
 */
export async function planWrites(serverUrl: string, count = 300): Promise<WritePlan> {
  const query = async <T>(database: string, sql: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: withDatabase(serverUrl, database) });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const municipalities = await query<Municipality>(
    'nimo_directory',
    `SELECT d.jurisdiction_code AS code, min(d.id::text) AS desk, min(c.id::text) AS centre
       FROM organization d JOIN organization c ON c.prefecture_code = d.prefecture_code AND 'MENTAL_HEALTH_WELFARE_CENTRE' = ANY (c.services)
       JOIN jurisdiction j ON j.code = d.jurisdiction_code AND j.kind NOT IN ('PREFECTURE', 'ADMINISTRATIVE_WARD')
      WHERE 'MUNICIPAL_MENTAL_HEALTH_DESK' = ANY (d.services)
      GROUP BY d.jurisdiction_code ORDER BY md5(d.jurisdiction_code) LIMIT $1`,
    [count],
  );
  // Staff members and open sessions not yet started (enrolment closes when a session starts) that
  // they are not yet enrolled in (an earlier run on the same data folder enrolled some): up to three
  // sessions each. None left: the stream opens cases instead.
  const pairs = await query<{ session: string; staff: string; organization_id: string; jurisdiction_code: string }>(
    'nimo_training',
    `SELECT x.session, x.staff, x.organization_id, x.jurisdiction_code FROM (
       SELECT t.id AS session, m.id AS staff, m.organization_id, m.jurisdiction_code,
              row_number() OVER (PARTITION BY m.id ORDER BY md5(t.id::text || m.id::text)) AS k
         FROM (SELECT * FROM staff_member ORDER BY md5(id::text) LIMIT 400) m
         CROSS JOIN training_session t
        WHERE t.state IN ('OPEN', 'FULL') AND t.starts_on > current_date
          AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.session_id = t.id AND e.staff_id = m.id AND e.state <> 'CANCELLED')
     ) x WHERE x.k <= 3 ORDER BY md5(x.session::text || x.staff::text)`,
  );
  // The staff's own organisation enrols them, with the token of its tier: a prefecture's staff
  // (e.g. a mental health and welfare centre's) with a prefecture's, a municipality's with a
  // municipality's. A municipality's token never names a designated city's administrative ward:
  // staff registered under one are left out (their writes would be refused).
  const kinds = new Map(
    (await query<{ code: string; kind: string }>('nimo_directory', `SELECT code, kind FROM jurisdiction`)).map((j) => [j.code, j.kind] as const),
  );
  const enrolments: Enrolment[] = pairs
    .filter((p) => kinds.get(p.jurisdiction_code) !== 'ADMINISTRATIVE_WARD')
    .map((p) => ({
      session: p.session,
      staff: p.staff,
      principal: {
        role: kinds.get(p.jurisdiction_code) === 'PREFECTURE' ? 'prefecture' : 'municipality',
        jurisdictionCodes: [p.jurisdiction_code],
        organizationId: p.organization_id,
      },
    }));
  if (municipalities.length === 0) throw new Error('no municipality with a desk to write from');
  return { municipalities, enrolments };
}

export interface WriteStats {
  readonly seconds: number;
  readonly sent: number;
  readonly perSecond: number;
  /** Answers without errors, per kind. */
  readonly ok: Record<string, number>;
  /** Answers with errors (refusals such as an enrolment already made, conflicts) or failed requests, per kind. */
  readonly refused: Record<string, number>;
  readonly p50: number;
  readonly p99: number;
  /** The first refusal's message of each kind, to see what went wrong. */
  readonly firstRefusal: Record<string, string>;
}

interface OpenCase {
  id: string;
  version: number;
  municipality: Municipality;
  openedOn: string;
  referred: boolean;
  /** A write on it is in flight: the next one waits (it would carry a stale version). */
  busy: boolean;
}

/** Writes through `gatewayUrl` at `rate` per second until stopped. */
export class WriteLoad {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly cases: OpenCase[] = [];
  private readonly tokens = new Map<string, Promise<string>>();
  private readonly latencies: number[] = [];
  private readonly ok: Record<string, number> = {};
  private readonly refused: Record<string, number> = {};
  private readonly firstRefusal: Record<string, string> = {};
  private sent = 0;
  private started = 0;
  private turn = 0;
  private nextEnrolment = 0;

  constructor(
    private readonly gatewayUrl: string,
    private readonly plan: WritePlan,
    private readonly rate: number,
    /** The fiscal year the writes fall in. */
    private readonly fiscalYear: number,
  ) {}

  start(): void {
    this.started = Date.now();
    const intervalMs = 1000 / this.rate;
    let due = Date.now();
    const tick = () => {
      const now = Date.now();
      while (due <= now) {
        due += intervalMs;
        if (this.inFlight.size >= MAX_IN_FLIGHT) continue;
        const p = this.one().finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      }
      this.timer = setTimeout(tick, Math.max(1, due - Date.now()));
    };
    tick();
  }

  async stop(): Promise<WriteStats> {
    if (this.timer) clearTimeout(this.timer);
    const seconds = (Date.now() - this.started) / 1000;
    await Promise.all([...this.inFlight]);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
    return {
      seconds,
      sent: this.sent,
      perSecond: this.sent / seconds,
      ok: { ...this.ok },
      refused: { ...this.refused },
      p50: at(50),
      p99: at(99),
      firstRefusal: { ...this.firstRefusal },
    };
  }

  private token(key: string, principal: Omit<Principal, 'subject'>): Promise<string> {
    let token = this.tokens.get(key);
    if (!token) {
      token = devToken(principal);
      this.tokens.set(key, token);
    }
    return token;
  }

  private municipality(): Municipality {
    const list = this.plan.municipalities;
    const m = list[this.sent % list.length];
    if (!m) throw new Error('no municipality');
    return m;
  }

  /** A day of the fiscal year (April to March), `offset` days after `from` when given. */
  private day(from?: string, offset = 0): string {
    const start = Date.UTC(this.fiscalYear, 3, 1);
    const base = from ? Date.parse(`${from}T00:00:00Z`) : start + Math.floor(Math.random() * 330) * 86_400_000;
    return new Date(Math.min(base + offset * 86_400_000, Date.UTC(this.fiscalYear + 1, 2, 31))).toISOString().slice(0, 10);
  }

  private kind(): (typeof MIX)[number][0] {
    const total = MIX.reduce((s, [, w]) => s + w, 0);
    let n = this.turn++ % total;
    for (const [kind, weight] of MIX) {
      if (n < weight) return kind;
      n -= weight;
    }
    return 'openCase';
  }

  private async one(): Promise<void> {
    let kind = this.kind();
    // Contacts and referrals need a case opened by this stream; enrolments a staff member left.
    const idle = this.cases.filter((c) => !c.busy);
    const open = idle.filter((c) => !c.referred);
    if ((kind === 'recordContact' && idle.length === 0) || (kind === 'referCase' && open.length === 0)) kind = 'openCase';
    if (kind === 'enrol' && this.nextEnrolment >= this.plan.enrolments.length) kind = 'openCase';
    this.sent += 1;
    let query: string;
    let variables: Record<string, unknown>;
    let token: string;
    let onOk: (data: Record<string, unknown>) => void = () => undefined;
    let onDone: () => void = () => undefined;
    if (kind === 'openCase') {
      const m = this.municipality();
      const openedOn = this.day();
      token = await this.token(m.code, { role: 'municipality', jurisdictionCodes: [m.code], organizationId: null });
      query = OPEN;
      variables = {
        key: randomUUID(),
        input: {
          municipalityCode: m.code,
          deskId: m.desk,
          clientReference: `B-${randomUUID().slice(0, 8)}`,
          ageBand: 'AGE_40S',
          sex: 'UNKNOWN',
          needs: ['MENTAL_HEALTH'],
          openedOn,
        },
      };
      onOk = (data) => {
        const c = data.openCase as { id: string; version: number };
        this.cases.push({ id: c.id, version: c.version, municipality: m, openedOn, referred: false, busy: false });
        if (this.cases.length > 2000) this.cases.shift();
      };
    } else if (kind === 'recordContact') {
      const c = idle[Math.floor(Math.random() * idle.length)] as OpenCase;
      c.busy = true;
      token = await this.token(c.municipality.code, { role: 'municipality', jurisdictionCodes: [c.municipality.code], organizationId: null });
      query = CONTACT;
      variables = {
        id: c.id,
        v: c.version,
        key: randomUUID(),
        input: { contactedOn: this.day(c.openedOn, 1 + Math.floor(Math.random() * 10)), channel: 'PHONE', staffReference: 'bench-staff' },
      };
      onOk = (data) => {
        c.version = (data.recordContact as { version: number }).version;
      };
      onDone = () => {
        c.busy = false;
      };
    } else if (kind === 'referCase') {
      const c = open[Math.floor(Math.random() * open.length)] as OpenCase;
      c.referred = true;
      c.busy = true;
      token = await this.token(c.municipality.code, { role: 'municipality', jurisdictionCodes: [c.municipality.code], organizationId: null });
      query = REFER;
      variables = {
        id: c.id,
        v: c.version,
        input: { target: 'MENTAL_HEALTH_WELFARE_CENTRE', toOrganizationId: c.municipality.centre, reason: '（ベンチマーク）専門的支援の依頼' },
      };
      onOk = (data) => {
        c.version = (data.referCase as { case: { version: number } }).case.version;
      };
      onDone = () => {
        c.busy = false;
      };
    } else {
      const e = this.plan.enrolments[this.nextEnrolment++] as Enrolment;
      token = await this.token(`${e.principal.jurisdictionCodes.join()}|${e.principal.organizationId}`, e.principal);
      query = ENROL;
      variables = { s: e.session, m: e.staff, key: randomUUID() };
    }
    const t = Date.now();
    try {
      const response = await fetch(this.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(60_000),
      });
      const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string }[] };
      this.latencies.push(Date.now() - t);
      if (body.errors?.length || !body.data) {
        this.refused[kind] = (this.refused[kind] ?? 0) + 1;
        this.firstRefusal[kind] ??= body.errors?.[0]?.message ?? `HTTP ${response.status}`;
      } else {
        this.ok[kind] = (this.ok[kind] ?? 0) + 1;
        onOk(body.data);
      }
    } catch (error) {
      this.latencies.push(Date.now() - t);
      this.refused[kind] = (this.refused[kind] ?? 0) + 1;
      this.firstRefusal[kind] ??= error instanceof Error ? error.message : String(error);
    } finally {
      onDone();
    }
  }
}
