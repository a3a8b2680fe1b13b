import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { flagFromEnv, isProduction, type Logger } from '@nimo/kit';
import { ensureDevSecret } from '@nimo/kit/dev';
import type { DataSource } from 'typeorm';

/**
 * Free text (contact notes, referral reasons and outcomes) is encrypted at rest with AES-256-GCM.
 *
 * Keys come from `CONSULTATION_NOTE_KEYS`: a comma-separated list of `<key id>:<32 bytes, base64>`;
 * the FIRST key encrypts new text, every listed key decrypts. Each ciphertext records its key id.
 * Rotation: put a new key first and keep the old ones listed; new writes use the new key at once,
 * old text stays readable; `reencryptNotes` (run with `CONSULTATION_REENCRYPT=1` at start) rewrites
 * old text with the current key, after which the old key can be removed. Without the variable, a
 * development hub keeps a key in `.data/consultation-note-key`; production refuses to start.
 */
export interface Keyring {
  readonly currentId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

export interface Sealed {
  readonly keyId: string;
  /** 12-byte IV ‖ 16-byte tag ‖ ciphertext. */
  readonly data: Buffer;
}

export function parseKeyring(spec: string): Keyring {
  const keys = new Map<string, Buffer>();
  let currentId: string | undefined;
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [id, b64] = part.split(':');
    if (!id || !b64 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error('CONSULTATION_NOTE_KEYS: each entry must be <key id>:<base64 key>');
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new Error(`CONSULTATION_NOTE_KEYS: key ${id} must be 32 bytes (base64 of 32 random bytes)`);
    keys.set(id, key);
    currentId ??= id;
  }
  if (!currentId) throw new Error('CONSULTATION_NOTE_KEYS has no key');
  return { currentId, keys };
}

export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring {
  const spec = env.CONSULTATION_NOTE_KEYS;
  if (spec) return parseKeyring(spec);
  if (isProduction()) throw new Error('CONSULTATION_NOTE_KEYS must be set in production (see subgraphs/consultation/src/notes.ts)');
  return parseKeyring(devNoteKeys());
}

/** The development key (made once in .data/) as a CONSULTATION_NOTE_KEYS value; refused in production. */
export function devNoteKeys(): string {
  const hex = ensureDevSecret('consultation-note-key', 'The development note key');
  return `dev:${Buffer.from(hex, 'hex').toString('base64')}`;
}

/**
 * Where a text is stored (`<table>.<column>:<row id>`): bound to the ciphertext as GCM additional
 * data, so a ciphertext moved to another row or column does not open.
 */
export const place = (table: string, column: string, id: string): string => `${table}.${column}:${id}`;

export function seal(keyring: Keyring, text: string, at: string): Sealed {
  const key = keyring.keys.get(keyring.currentId);
  if (!key) throw new Error('no current note key');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(at, 'utf8'));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return { keyId: keyring.currentId, data: Buffer.concat([iv, cipher.getAuthTag(), body]) };
}

export function open(keyring: Keyring, sealed: Sealed, at: string): string {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) throw new Error(`note key ${sealed.keyId} is not configured (CONSULTATION_NOTE_KEYS)`);
  if (sealed.data.length < 28) throw new Error('sealed text too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.data.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(at, 'utf8'));
  decipher.setAuthTag(sealed.data.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.data.subarray(28)), decipher.final()]).toString('utf8');
}

/** Opens a stored (key id, data) pair; null when there is no text. */
export function openStored(keyring: Keyring, keyId: string | null, data: Buffer | null, at: string): string | null {
  return keyId && data ? open(keyring, { keyId, data }, at) : null;
}

let loaded: Keyring | undefined;
/** The process's keyring, read from the environment once. */
export function noteKeyring(): Keyring {
  loaded ??= keyringFromEnv();
  return loaded;
}

/** Encrypted columns: table, key-id column, ciphertext column. */
const SEALED_COLUMNS = [
  ['case_contact', 'note_key_id', 'note_ciphertext', 'note'],
  ['referral', 'reason_key_id', 'reason_ciphertext', 'reason'],
  ['referral', 'response_key_id', 'response_ciphertext', 'response'],
] as const;

/**
 * Re-encrypts every text sealed with an older key under the current one, a batch at a time, each
 * batch in its own transaction. Returns how many texts it rewrote.
 */
export async function reencryptNotes(db: DataSource, keyring: Keyring, batchSize = 1000): Promise<number> {
  let rewritten = 0;
  for (const [table, keyColumn, dataColumn, field] of SEALED_COLUMNS) {
    for (;;) {
      const done = await db.transaction(async (m) => {
        const rows = await m.query<{ id: string; key_id: string; data: Buffer }[]>(
          `SELECT id, ${keyColumn} AS key_id, ${dataColumn} AS data FROM ${table}
            WHERE ${keyColumn} IS NOT NULL AND ${keyColumn} <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [keyring.currentId, batchSize],
        );
        for (const row of rows) {
          const at = place(table, field, row.id);
          const sealed = seal(keyring, open(keyring, { keyId: row.key_id, data: row.data }, at), at);
          await m.query(`UPDATE ${table} SET ${keyColumn} = $1, ${dataColumn} = $2 WHERE id = $3`, [sealed.keyId, sealed.data, row.id]);
        }
        return rows.length;
      });
      rewritten += done;
      if (done < batchSize) break;
    }
  }
  return rewritten;
}

/**
 * Refuses to go on when stored text could not be read: for every key id the encrypted columns use,
 * the keyring must hold that key and it must open a sample text sealed with it. Without this check a
 * missing or replaced key (a development key made anew in .data/, a key left out of
 * CONSULTATION_NOTE_KEYS) went unnoticed at start and every note failed later, one request at a time.
 */
export async function checkNoteKeys(db: DataSource, keyring: Keyring): Promise<void> {
  const missing = new Set<string>();
  const wrong = new Set<string>();
  for (const [table, keyColumn, dataColumn, field] of SEALED_COLUMNS) {
    // One sample per key id (the oldest row of each).
    const samples = await db.query<{ id: string; key_id: string; data: Buffer }[]>(
      `SELECT DISTINCT ON (${keyColumn}) id, ${keyColumn} AS key_id, ${dataColumn} AS data FROM ${table}
        WHERE ${keyColumn} IS NOT NULL ORDER BY ${keyColumn}, id`,
    );
    for (const sample of samples) {
      if (!keyring.keys.has(sample.key_id)) {
        missing.add(sample.key_id);
        continue;
      }
      try {
        open(keyring, { keyId: sample.key_id, data: sample.data }, place(table, field, sample.id));
      } catch {
        wrong.add(sample.key_id);
      }
    }
  }
  if (missing.size === 0 && wrong.size === 0) return;
  const dev = !process.env.CONSULTATION_NOTE_KEYS;
  const parts = [
    ...(missing.size > 0
      ? [
          `texts are encrypted with note key id ${[...missing].join(', ')}, which ${dev ? 'the development key (.data/consultation-note-key)' : 'CONSULTATION_NOTE_KEYS'} does not contain`,
        ]
      : []),
    ...(wrong.size > 0 ? [`the configured key ${[...wrong].join(', ')} does not open the texts stored under that id (a different key with the same id)`] : []),
  ];
  throw new Error(
    `refusing to start: ${parts.join('; ')}. Configure the key(s) the data was written with ` +
      `(CONSULTATION_NOTE_KEYS=<new id>:<key>,<old id>:<old key>; ${dev ? 'or restore .data/consultation-note-key' : 'keep old keys listed until CONSULTATION_REENCRYPT=1 has rewritten their texts'}). ` +
      'Nothing was changed.',
  );
}

/**
 * At start: the configured note keys must open the stored texts (`checkNoteKeys`); then, with
 * CONSULTATION_REENCRYPT=1, old text is re-encrypted under the current key.
 */
export async function reencryptOnStart(db: DataSource, logger: Logger): Promise<void> {
  await checkNoteKeys(db, noteKeyring());
  if (!flagFromEnv('CONSULTATION_REENCRYPT', false)) return;
  const count = await reencryptNotes(db, noteKeyring());
  logger.info({ count, keyId: noteKeyring().currentId }, 'texts re-encrypted under the current note key');
}
