/* eslint-disable no-console -- a command-line tool prints its results */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  createLogger,
  dropDatabase,
  ensureDatabase,
  fiscalYearDates,
  intFromEnv,
  nationalCodeList,
  openDatabase,
  PROTECTION_VALUES,
  requireFiscalYear,
  SUPPRESSION_THRESHOLD,
  withDatabase,
  type FiscalYear,
} from '@nimo/kit';
import { countFigures, FIGURE_COLUMNS, figuresFor, NATION, protectFigures, subgraph } from '@nimo/consultation';
import type { DataSource } from 'typeorm';
import { findHubDatabases } from './databases';

const USAGE = `usage: npm run figures:protection -- [--server <postgres url>] [--keep] [--runs N] [--request-path]
  How many cells the consultation figures hide for each fiscal year, nationally, and what the
  protection (kit protectTable) costs in CPU. Without --server it reads npm start's consultation
  database; with --server it seeds a database there (nimo_protection_<cases>; CONSULTATION_DEMO_CASES
  cases, 50,000 by default), measures, and drops it unless --keep (a kept one is reused: the seed adds
  nothing the second time). --request-path: what a request for FY2026 costs with the figures served
  from snapshots (cold, warm, right after a write; how long until the write shows; the event loop's
  delay while the next snapshot is computed in the background process); it adds a case and deletes it again.`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function requestPath(db: DataSource, fiscalYear: FiscalYear): Promise<void> {
  const options = { threshold: SUPPRESSION_THRESHOLD, protectionValues: PROTECTION_VALUES, maxAgeMs: 300_000, refreshMs: 0 };
  const timed = async () => {
    const started = performance.now();
    const figures = await figuresFor(db, fiscalYear, options);
    return { figures, ms: performance.now() - started };
  };
  const cold = await timed();
  const warm: number[] = [];
  for (let i = 0; i < 20; i += 1) warm.push((await timed()).ms);
  const [municipality] = nationalCodeList().municipalities;
  const [{ id, at }] = await db.query<[{ id: string; at: Date }]>(
    `INSERT INTO consultation_case (id, municipality_code, desk_organization_id, client_reference, age_band, sex, needs, status, opened_on)
     VALUES (gen_random_uuid(), $1, gen_random_uuid(), 'figures-protection', 'UNKNOWN', 'UNKNOWN', '{MENTAL_HEALTH}', 'OPEN', $2) RETURNING id, statement_timestamp() AS at`,
    [municipality?.code, fiscalYearDates(fiscalYear).from],
  );
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const afterWrite = await timed();
  const stale = afterWrite.figures === cold.figures;
  const during: number[] = [];
  let current = afterWrite;
  while (current.figures === cold.figures) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    current = await timed();
    during.push(current.ms);
  }
  delay.disable();
  const shows = Date.now() - at.getTime();
  await db.query('DELETE FROM consultation_case WHERE id = $1', [id]);
  console.log(
    `request path FY${fiscalYear}: cold (no snapshot yet) ${cold.ms.toFixed(0)} ms; warm median ${median(warm).toFixed(1)} ms; ` +
      `right after a write ${afterWrite.ms.toFixed(1)} ms (${stale ? 'the last snapshot, as of before the write' : 'a new snapshot'}); ` +
      `${during.length} requests while the next snapshot was computed: median ${median(during).toFixed(1)} ms, max ${Math.max(...during).toFixed(1)} ms; ` +
      `the write showed after ${shows} ms; event-loop delay meanwhile p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
  );
}

const levelOf = (unit: string, prefectures: ReadonlySet<string>) => (unit === NATION ? 'nation' : prefectures.has(unit) ? 'prefecture' : 'municipality');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      keep: { type: 'boolean' },
      'request-path': { type: 'boolean' },
      runs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = Number(values.runs ?? '3');
  const logger = createLogger('figures-protection');
  let url: string;
  let close: () => Promise<void>;
  if (values.server) {
    url = withDatabase(values.server, `nimo_protection_${intFromEnv('CONSULTATION_DEMO_CASES', 50_000)}`);
    await ensureDatabase(url);
    const db = await openDatabase(subgraph, url, { logger });
    await subgraph.seed?.(db, logger);
    await db.destroy();
    close = () => (values.keep ? Promise.resolve() : dropDatabase(url));
  } else {
    const databases = await findHubDatabases({ subgraphs: ['consultation'] }, {});
    url = databases.subgraph('consultation');
    close = () => databases.close();
  }
  const db = await openDatabase(subgraph, url, { logger });
  try {
    const threshold = SUPPRESSION_THRESHOLD;
    const prefectures = new Set(nationalCodeList().prefectures.map((p) => p.code));
    // The demo data's years (April 2024 to October 2026).
    for (const fiscalYear of [2024, 2025, 2026].map((y) => requireFiscalYear(y))) {
      const counts = await countFigures(db, fiscalYear);
      const units = new Set([...counts.values.keys()].map((id) => id.slice(0, id.indexOf('|'))));
      let hidden = new Set<string>();
      const times: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const started = process.cpuUsage();
        hidden = protectFigures(counts.values, threshold, PROTECTION_VALUES);
        const used = process.cpuUsage(started);
        times.push((used.user + used.system) / 1000);
      }
      const cells = units.size * FIGURE_COLUMNS.length;
      const small = [...counts.values.values()].filter((v) => v > 0 && v < threshold).length;
      const zeros = [...hidden].filter((id) => (counts.values.get(id) ?? 0) === 0).length;
      const byLevel = new Map<string, number>();
      for (const id of hidden) {
        const level = levelOf(id.slice(0, id.indexOf('|')), prefectures);
        byLevel.set(level, (byLevel.get(level) ?? 0) + 1);
      }
      times.sort((a, b) => a - b);
      console.log(
        `FY${fiscalYear}: ${units.size} units with cases × ${FIGURE_COLUMNS.length} counts = ${cells} cells; ` +
          `small (1–${threshold - 1}) ${small}; hidden ${hidden.size} (${[...byLevel].map(([l, n]) => `${l} ${n}`).join(', ')}; ` +
          `of them ${hidden.size - small - zeros} larger counts and ${zeros} zeros); protection CPU ${times[Math.floor(times.length / 2)]?.toFixed(0)} ms (median of ${runs})`,
      );
    }
    if (values['request-path']) await requestPath(db, requireFiscalYear(2026));
  } finally {
    await db.destroy();
    await close();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`figures:protection: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
