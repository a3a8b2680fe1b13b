/* eslint-disable no-console -- a command-line tool prints its results */
import { parseArgs } from 'node:util';
import { redactUrl } from '@nimo/kit';
import { ApiKeyStore, type ApiKeyInfo } from '@nimo/gateway/api-keys';
import { findHubDatabases } from './databases';

const USAGE = `usage:
  npm run apikey -- create --name "Vendor X"   make a key (printed once, on stdout)
  npm run apikey -- list                       every key: id, vendor, created, last used, revoked
  npm run apikey -- revoke <key id>            revoke a key (the gateway stops accepting it within API_KEY_CACHE_MS, 10 s)`;

class UsageError extends Error {}

const when = (date: Date | null): string => (date ? date.toISOString().replace(/\.\d+Z$/, 'Z') : '—');

function table(keys: readonly ApiKeyInfo[]): string {
  const rows = [['KEY ID', 'NAME', 'CREATED', 'LAST USED', 'REVOKED'], ...keys.map((k) => [k.keyId, k.name, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)])];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/**
 * npm run apikey -- create --name "Vendor X" | list | revoke <key id>
 * Vendor API keys in the gateway's database: the same database `npm start` uses (GATEWAY_DATABASE_URL,
 * DATABASE_URL, or the embedded server in .data/postgres, started here if it is not running).
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  const [command, ...rest] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'create' && (!values.name || rest.length > 0)) throw new UsageError('create needs --name "<vendor>"');
  else if (command === 'list' && rest.length > 0) throw new UsageError('list takes no arguments');
  else if (command === 'revoke' && rest.length !== 1) throw new UsageError('revoke needs one key id');
  else if (command !== 'create' && command !== 'list' && command !== 'revoke') throw new UsageError(command ? `unknown command ${command}` : 'no command');

  const databases = await findHubDatabases(
    { gateway: true },
    { onStart: (dir, port) => console.error(`apikey: starting the embedded PostgreSQL of npm start (${dir}, port ${port}); it stops when this command ends`) },
  );
  let store: ApiKeyStore | undefined;
  try {
    store = await ApiKeyStore.open(databases.gateway());
    if (command === 'create') {
      const created = await store.create(values.name ?? '');
      console.log(created.key);
      console.error(
        `apikey: created key ${created.keyId} for "${created.name}" in ${redactUrl(databases.gateway())}.\n` +
          'This is the only time the key is shown; only its hash is stored. Send it as the header `x-api-key: <key>`.',
      );
    } else if (command === 'list') {
      const keys = await store.list();
      console.log(keys.length === 0 ? 'no API keys yet (npm run apikey -- create --name "Vendor X")' : table(keys));
    } else {
      const revoked = await store.revoke(rest[0] ?? '');
      if (!revoked) {
        console.error(`apikey: no key with id ${rest[0]}`);
        return 1;
      }
      console.log(`revoked ${revoked.keyId} (${revoked.name}) at ${when(revoked.revokedAt)}; a running gateway refuses it within API_KEY_CACHE_MS (10 s by default)`);
    }
    return 0;
  } finally {
    await store?.close();
    await databases.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`apikey: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof UsageError) console.error(USAGE);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
