/* eslint-disable no-console -- a command-line tool prints its results */
import { auditCheckpointDatabaseUrl, SUBGRAPHS } from '@nimo/kit';
import { describeVerification, verifySubgraphAudit, type AuditVerification } from './audit';
import { runCommand, UsageError, type CliArgs } from './cli';
import { findHubDatabases } from './databases';

const USAGE = `usage: npm run audit:verify -- <subgraph> [<subgraph> …] | --all
  Recomputes the keyed hash chain (HMAC, AUDIT_HMAC_KEYS) of each subgraph's audit_log and holds it
  against the signed checkpoints kept outside it (AUDIT_CHECKPOINT_DATABASE_URL, else the gateway's
  database). Exit 0: every chain verifies; 1: a chain is altered, truncated or rewritten (the record
  is named); 2: a usage error, or a named subgraph has no audit log.`;

const OPTIONS = { all: { type: 'boolean' } } as const;

/**
 * npm run audit:verify -- consultation | --all
 * Finds the databases the way `npm start` does (<NAME>_DATABASE_URL, DATABASE_URL, or the embedded
 * server in .data/postgres, started here if it is not running).
 */
async function run({ values, positionals }: CliArgs<typeof OPTIONS>): Promise<number> {
  if ((values.all === true) === positionals.length > 0) throw new UsageError('name the subgraph(s) or give --all');
  const known = SUBGRAPHS.map((s) => s.name);
  const unknown = positionals.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UsageError(`unknown subgraph(s) ${unknown.join(', ')}; the registry has ${known.join(', ')}`);
  const names = values.all ? known : positionals;

  const databases = await findHubDatabases(
    { subgraphs: names },
    {
      onStart: (dir, port) =>
        console.error(`audit:verify: starting the embedded PostgreSQL of npm start (${dir}, port ${port}); it stops when this command ends`),
    },
  );
  // The signed checkpoints: where the subgraphs write them (configured, or npm start's gateway database).
  const checkpointUrl = auditCheckpointDatabaseUrl() || (databases.source === 'configured' ? undefined : databases.gateway());
  if (!checkpointUrl)
    console.error('audit:verify: no checkpoint database configured (AUDIT_CHECKPOINT_DATABASE_URL or GATEWAY_DATABASE_URL): truncation cannot be detected');
  const results: AuditVerification[] = [];
  try {
    for (const name of names) {
      const result = await verifySubgraphAudit(name, databases.subgraph(name), checkpointUrl);
      results.push(result);
      console.log(describeVerification(result));
    }
  } finally {
    await databases.close();
  }
  if (results.some((r) => r.status === 'broken')) return 1;
  // A subgraph named on purpose that has nothing to verify is not a pass.
  if (!values.all && results.some((r) => r.status !== 'ok')) return 2;
  if (!results.some((r) => r.status === 'ok')) console.log('no subgraph has an audit log yet');
  return 0;
}

runCommand({ name: 'audit:verify', usage: USAGE, options: OPTIONS, run });
