/* eslint-disable no-console -- a command-line tool prints its token */
import { isLocalGovCode, ROLES, type Role } from '@nimo/kit';
import { devToken } from '@nimo/kit/dev';
import { runCommand, UsageError } from './cli';

const USAGE = `usage:
  npm run token -- --role <role> [--jurisdiction <code>[,<code>…]] [--org <uuid>] [--sub <subject>] [--hours 8]
    prints a bearer token signed with the local development key set, to try a role against \`npm start\`
    roles: ${ROLES.join(', ')}
  example: npm run token -- --role municipality --jurisdiction 131016`;

const isRole = (value: string | undefined): value is Role => value !== undefined && (ROLES as readonly string[]).includes(value);

/** npm run token -- --role municipality --jurisdiction 131016 [--org <uuid>] [--hours 8] */
runCommand({
  name: 'token',
  usage: USAGE,
  options: {
    role: { type: 'string' },
    jurisdiction: { type: 'string', multiple: true },
    org: { type: 'string' },
    sub: { type: 'string' },
    hours: { type: 'string', default: '8' },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const role = values.role;
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const codes = (values.jurisdiction ?? []).flatMap((v) => v.split(','));
    const bad = codes.filter((c) => !isLocalGovCode(c));
    if (bad.length) throw new UsageError(`not valid local government codes: ${bad.join(', ')}`);
    const hours = Number(values.hours);
    if (!(hours > 0 && hours <= 24)) throw new UsageError('--hours must be between 0 and 24');
    const claims = { role, jurisdictionCodes: codes, organizationId: values.org ?? null, ...(values.sub ? { subject: values.sub } : {}) };
    console.log(await devToken(claims, Math.round(hours * 3600)));
    return 0;
  },
});
