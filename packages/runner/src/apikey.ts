/* eslint-disable no-console -- a command-line tool prints its results */
import { redactUrl } from '@nimo/kit';
import type { ApiKeyInfo } from '@nimo/gateway/api-keys';
import { runCommand, table, UsageError, when, withGatewayStore } from './cli';

const USAGE = `usage:
  npm run apikey -- create --name "Vendor X"   make a key (printed once, on stdout)
  npm run apikey -- list                       every key: id, vendor, created, last used, revoked
  npm run apikey -- revoke <key id>            revoke a key (the gateway stops accepting it within API_KEY_CACHE_MS, 10 s)`;

const keyTable = (keys: readonly ApiKeyInfo[]): string =>
  table(
    ['KEY ID', 'NAME', 'CREATED', 'LAST USED', 'REVOKED'],
    keys.map((k) => [k.keyId, k.name, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)]),
  );

/**
 * npm run apikey -- create --name "Vendor X" | list | revoke <key id>
 * Vendor API keys in the gateway's database: the same database `npm start` uses (GATEWAY_DATABASE_URL,
 * DATABASE_URL, or the embedded server in .data/postgres, started here if it is not running).
 */
runCommand({
  name: 'apikey',
  usage: USAGE,
  options: { name: { type: 'string' } },
  async run({ values, positionals: [command, ...rest] }) {
    if (command === 'create' && (!values.name || rest.length > 0)) throw new UsageError('create needs --name "<vendor>"');
    else if (command === 'list' && rest.length > 0) throw new UsageError('list takes no arguments');
    else if (command === 'revoke' && rest.length !== 1) throw new UsageError('revoke needs one key id');
    else if (command !== 'create' && command !== 'list' && command !== 'revoke') throw new UsageError(command ? `unknown command ${command}` : 'no command');

    return withGatewayStore('apikey', async (store, url) => {
      if (command === 'create') {
        const created = await store.create(values.name ?? '');
        console.log(created.key);
        console.error(
          `apikey: created key ${created.keyId} for "${created.name}" in ${redactUrl(url)}.\n` +
            'This is the only time the key is shown; only its hash is stored. Send it as the header `x-api-key: <key>`.',
        );
      } else if (command === 'list') {
        const keys = await store.list();
        console.log(keys.length === 0 ? 'no API keys yet (npm run apikey -- create --name "Vendor X")' : keyTable(keys));
      } else {
        const revoked = await store.revoke(rest[0] ?? '');
        if (!revoked) {
          console.error(`apikey: no key with id ${rest[0]}`);
          return 1;
        }
        console.log(
          `revoked ${revoked.keyId} (${revoked.name}) at ${when(revoked.revokedAt)}; a running gateway refuses it within API_KEY_CACHE_MS (10 s by default)`,
        );
      }
      return 0;
    });
  },
});
