/* eslint-disable no-console -- a command-line tool prints its token */
import { parseArgs } from 'node:util';
import { isLocalGovCode, ROLES, type Role } from '@nimo/kit';
import { devToken } from '@nimo/kit/dev';

/**
 * npm run token -- --role municipality --jurisdiction 131016 [--org <uuid>] [--hours 8]
 * Prints a bearer token for the local development key set, to try each role against `npm start`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      jurisdiction: { type: 'string', multiple: true },
      org: { type: 'string' },
      sub: { type: 'string' },
      hours: { type: 'string', default: '8' },
    },
  });
  const role = values.role as Role | undefined;
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  }
  const codes = (values.jurisdiction ?? []).flatMap((v) => v.split(','));
  const bad = codes.filter((c) => !isLocalGovCode(c));
  if (bad.length) throw new Error(`not valid local government codes: ${bad.join(', ')}`);
  const hours = Number(values.hours);
  if (!(hours > 0 && hours <= 24)) throw new Error('--hours must be between 0 and 24');
  console.log(
    await devToken(
      { role, jurisdictionCodes: codes, organizationId: values.org ?? null, ...(values.sub ? { subject: values.sub } : {}) },
      Math.round(hours * 3600),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(`token: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
