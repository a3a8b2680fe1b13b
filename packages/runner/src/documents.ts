/* eslint-disable no-console -- a command-line tool prints its results */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { redactUrl } from '@nimo/kit';
import { apiSchemaSdl } from '@nimo/schema';
import { SUPERGRAPH_PATH, VendorDocuments, checkDocument, readDocumentsFile, type DocumentStatus, type VendorDocument } from '@nimo/gateway';
import { runCommand, table, UsageError, when, withGatewayStore, type CliArgs } from './cli';

const USAGE = `usage:
  npm run documents -- submit --vendor "Vendor X" <file>...        check a vendor's documents and store them, pending review
        (files: codegen's persisted-documents.json, an Apollo persisted query manifest, or .graphql with one operation)
  npm run documents -- list [--status pending|approved|rejected|revoked]
  npm run documents -- show <id>                                    a document's body and review
  npm run documents -- approve <id> --by "<operator>" [--note "..."]  safelisted callers may run it (within DOCUMENT_CACHE_MS, 10 s)
  npm run documents -- reject <id> --by "<operator>" --note "<why>"
  npm run documents -- revoke <id> --by "<operator>" --note "<why>"    an approved document stops running`;

const STATUSES: readonly DocumentStatus[] = ['pending', 'approved', 'rejected', 'revoked'];

const documentTable = (documents: readonly VendorDocument[]): string =>
  table(
    ['ID', 'NAME', 'TYPE', 'VENDOR', 'STATUS', 'SUBMITTED', 'REVIEWED BY'],
    documents.map((d) => [d.id, d.name, d.type, d.vendor, d.status, when(d.submittedAt), d.reviewedBy ?? '—']),
  );

const OPTIONS = { vendor: { type: 'string' }, status: { type: 'string' }, by: { type: 'string' }, note: { type: 'string' } } as const;

/**
 * npm run documents -- submit | list | show | approve | reject | revoke
 * Vendors' trusted documents in the gateway's database (the same one `npm start` and `npm run apikey`
 * use). Submitted documents wait for an operator's review; only approved ones run for safelisted callers.
 */
async function run({ values, positionals: [command, ...rest] }: CliArgs<typeof OPTIONS>): Promise<number> {
  const decisions = { approve: 'approved', reject: 'rejected', revoke: 'revoked' } as const;
  if (command === 'submit') {
    if (!values.vendor || rest.length === 0) throw new UsageError('submit needs --vendor "<vendor>" and at least one file');
  } else if (command === 'list') {
    if (rest.length > 0) throw new UsageError('list takes no arguments');
    if (values.status !== undefined && !(STATUSES as readonly string[]).includes(values.status))
      throw new UsageError(`--status is one of ${STATUSES.join(', ')}`);
  } else if (command === 'show') {
    if (rest.length !== 1) throw new UsageError('show needs one document id');
  } else if (command === 'approve' || command === 'reject' || command === 'revoke') {
    if (rest.length !== 1 || !values.by) throw new UsageError(`${command} needs one document id and --by "<operator>"`);
    if (command !== 'approve' && !values.note) throw new UsageError(`${command} needs --note "<why>" (the vendor is told)`);
  } else {
    throw new UsageError(command ? `unknown command ${command}` : 'no command');
  }

  // Check the files before touching any database.
  const checked =
    command === 'submit'
      ? (() => {
          const schema = buildSchema(apiSchemaSdl(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')));
          return rest.flatMap((file) =>
            readDocumentsFile(fs.readFileSync(file, 'utf8'), path.basename(file)).map((d) => ({ file, result: checkDocument(d, schema) })),
          );
        })()
      : [];
  const refused = checked.filter((c) => !c.result.ok);
  for (const { file, result } of refused) if (!result.ok) console.error(`documents: ${file}: ${result.id ?? '(no id)'} is refused: ${result.reason}`);
  if (refused.length > 0) return 1;

  return withGatewayStore('documents', async (store, url) => {
    const documents = new VendorDocuments(store.db);
    if (command === 'submit') {
      const { stored, known } = await documents.submit(
        values.vendor ?? '',
        checked.map((c) => c.result),
      );
      for (const d of stored) console.log(`pending   ${d.id}  ${d.name}`);
      for (const d of known) console.log(`${d.status.padEnd(9)} ${d.id}  ${d.name} (already submitted by ${d.vendor})`);
      console.error(
        `documents: ${stored.length} stored for review in ${redactUrl(url)}; an operator approves each with \`npm run documents -- approve <id> --by "<name>"\``,
      );
    } else if (command === 'list') {
      const list = await documents.list(values.status as DocumentStatus | undefined);
      console.log(list.length === 0 ? 'no vendor documents' : documentTable(list));
    } else if (command === 'show') {
      const d = await documents.get(rest[0] ?? '');
      if (!d) {
        console.error(`documents: no document ${rest[0]}`);
        return 1;
      }
      console.log(`${documentTable([d])}\n${d.reviewNote ? `note: ${d.reviewNote}\n` : ''}\n${d.body}`);
    } else {
      const decision = decisions[command];
      const d = await documents.review(rest[0] ?? '', decision, values.by ?? '', values.note ?? null);
      if (!d) {
        console.error(`documents: no ${decision === 'revoked' ? 'approved' : 'pending'} document ${rest[0]}`);
        return 1;
      }
      console.log(`${decision} ${d.id} (${d.name}, ${d.vendor}); a running gateway sees it within DOCUMENT_CACHE_MS (10 s by default)`);
    }
    return 0;
  });
}

runCommand({ name: 'documents', usage: USAGE, options: OPTIONS, run });
