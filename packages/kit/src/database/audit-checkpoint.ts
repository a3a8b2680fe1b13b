import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { intFromEnv } from '../config';
import { ensureDatabase } from './admin';
import { auditKeyring, checkpointContent, macOf, type AuditCheckpoint, type AuditKeyring } from './audit';
import { createDataSource } from './datasource';
import { openingDatabase } from './unreachable';
import { gatewayDatabaseUrl } from './url';

/**
 * Signed checkpoints of the audit chains, kept OUTSIDE the databases they protect.
 *
 * A chain inside one database cannot show that its newest records were deleted, nor that it was
 * rebuilt from some record on by someone holding the key: every checkpoint is an HMAC-signed
 * statement (subgraph, seq, head hash, time) stored in another database — by default the gateway's
 * (`nimo_gateway`), else `AUDIT_CHECKPOINT_DATABASE_URL` — so that whoever alters a subgraph's
 * database must also alter this one and forge signatures under a key neither database holds.
 * Each subgraph with an audit log writes one when it starts, every `AUDIT_CHECKPOINT_INTERVAL_MS`
 * (default 30 s) when its head moved, and when it stops; `npm run audit:verify` checks the chains
 * against them. Records appended after the newest checkpoint are only as safe as the chain itself
 * (see docs/audit.md).
 */

/** Where checkpoints go: `AUDIT_CHECKPOINT_DATABASE_URL`, else the gateway's database. */
export function auditCheckpointDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AUDIT_CHECKPOINT_DATABASE_URL || gatewayDatabaseUrl(env);
}

const TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS audit_checkpoint (
    subgraph text NOT NULL,
    seq bigint NOT NULL,
    head_hash text NOT NULL,
    at timestamptz NOT NULL,
    signature text NOT NULL,
    PRIMARY KEY (subgraph, seq)
  );
  CREATE OR REPLACE FUNCTION audit_checkpoint_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_checkpoint is append-only'; END $$;
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_checkpoint_no_update') THEN
      CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE OR DELETE ON audit_checkpoint FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only();
      CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_append_only();
    END IF;
  END $$;`;

/** The checkpoint store: its own connection to the checkpoint database (created with its table if missing). */
export class AuditCheckpointStore {
  private constructor(private readonly db: DataSource) {}

  /** Opens the store, creating its database and table when missing. */
  static async open(url: string): Promise<AuditCheckpointStore> {
    await ensureDatabase(url);
    const db = createDataSource({ url, entities: [], migrations: [], applicationName: 'nimo-audit-checkpoint', poolSize: 1 });
    await db.initialize();
    // Several subgraphs may create the table at once: serialise on an advisory lock.
    await db.transaction(async (m) => {
      await m.query("SELECT pg_advisory_xact_lock(hashtext('nimo_audit_checkpoint'))");
      await m.query(TABLE_SQL);
    });
    return new AuditCheckpointStore(db);
  }

  /** Opens an existing store to read it, changing nothing; null when its database does not exist. */
  static async openToRead(url: string): Promise<AuditCheckpointStore | null> {
    const db = createDataSource({ url, entities: [], migrations: [], applicationName: 'nimo-audit-checkpoint', poolSize: 1 });
    try {
      await db.initialize();
    } catch (error) {
      if ((error as { code?: string }).code === '3D000') return null;
      throw error;
    }
    return new AuditCheckpointStore(db);
  }

  /** Every checkpoint of a subgraph, oldest first (none when the table was never made). */
  async list(subgraph: string): Promise<AuditCheckpoint[]> {
    const [table] = await this.db.query<{ present: boolean }[]>("SELECT to_regclass('public.audit_checkpoint') IS NOT NULL AS present");
    if (!table?.present) return [];
    const rows = await this.db.query<
      {
        seq: string;
        head_hash: string;
        at: Date;
        signature: string;
      }[]
    >('SELECT seq, head_hash, at, signature FROM audit_checkpoint WHERE subgraph = $1 ORDER BY seq', [subgraph]);
    return rows.map((r) => ({ seq: r.seq, headHash: r.head_hash, at: r.at, signature: r.signature }));
  }

  /**
   * Signs and stores the chain's current head, unless the newest checkpoint already names it.
   * Returns the checkpoint written, or null when there was nothing new (or no record yet).
   */
  async checkpoint(subgraph: string, source: EntityManager, keyring: AuditKeyring = auditKeyring()): Promise<AuditCheckpoint | null> {
    const [head] = await source.query<{ seq: string; hash: string }[]>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    if (!head) return null;
    const [last] = await this.db.query<{ seq: string | null }[]>('SELECT max(seq)::text AS seq FROM audit_checkpoint WHERE subgraph = $1', [subgraph]);
    if (last?.seq === head.seq) return null;
    // Millisecond precision, as PostgreSQL keeps it (the signature is checked on the stored time).
    const at = new Date(Math.floor(Date.now()));
    const unsigned = { seq: head.seq, headHash: head.hash, at };
    const checkpoint: AuditCheckpoint = { ...unsigned, signature: macOf(keyring.current, checkpointContent(subgraph, unsigned)) };
    await this.db.query('INSERT INTO audit_checkpoint (subgraph, seq, head_hash, at, signature) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
      subgraph,
      checkpoint.seq,
      checkpoint.headHash,
      checkpoint.at,
      checkpoint.signature,
    ]);
    return checkpoint;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/** A subgraph's checkpoint writer: one now, one every interval when the head moved, one at stop. */
export interface AuditCheckpointer {
  /** Writes a checkpoint now (when the head moved). */
  flush(): Promise<AuditCheckpoint | null>;
  stop(): Promise<void>;
}

/**
 * Starts checkpointing a subgraph's audit log, if it has one and a checkpoint database is
 * configured; null otherwise (said in the log: the chain is then protected by its key only).
 */
export async function startAuditCheckpoints(options: {
  subgraph: string;
  db: DataSource;
  logger: Logger;
  url?: string | undefined;
  intervalMs?: number;
}): Promise<AuditCheckpointer | null> {
  const { subgraph, db, logger } = options;
  const [table] = await db.query<{ present: boolean }[]>("SELECT to_regclass('public.audit_log') IS NOT NULL AS present");
  if (!table?.present) return null;
  // Read the keys at start: a production subgraph without AUDIT_HMAC_KEYS does not start.
  const keyring = auditKeyring();
  const url = options.url ?? auditCheckpointDatabaseUrl();
  if (!url) {
    logger.warn('no database for audit checkpoints (AUDIT_CHECKPOINT_DATABASE_URL or the gateway database): truncation of the audit log cannot be detected');
    return null;
  }
  const variable =
    options.url || process.env.AUDIT_CHECKPOINT_DATABASE_URL
      ? 'AUDIT_CHECKPOINT_DATABASE_URL'
      : process.env.GATEWAY_DATABASE_URL
        ? 'GATEWAY_DATABASE_URL'
        : 'DATABASE_URL';
  const store = await openingDatabase(`${subgraph}: the audit checkpoint database`, url, variable, () => AuditCheckpointStore.open(url));
  let running: Promise<AuditCheckpoint | null> = Promise.resolve(null);
  const flush = () => {
    running = running.then(
      () => store.checkpoint(subgraph, db.manager, keyring),
      () => store.checkpoint(subgraph, db.manager, keyring),
    );
    return running;
  };
  const tick = () => {
    flush().catch((error: unknown) => logger.error({ err: error }, 'audit checkpoint failed'));
  };
  await flush();
  const timer = setInterval(tick, options.intervalMs ?? intFromEnv('AUDIT_CHECKPOINT_INTERVAL_MS', 30_000));
  timer.unref();
  return {
    flush,
    async stop() {
      clearInterval(timer);
      try {
        await flush();
      } catch (error) {
        logger.error({ err: error }, 'audit checkpoint at stop failed');
      }
      await store.close();
    },
  };
}
