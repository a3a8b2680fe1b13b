/* eslint-disable no-console -- a command-line tool reports on the console */
import fs from 'node:fs';
import path from 'node:path';
import { BASELINE_FILE, breakingChanges, generate, SCHEMA_DIR, staleFiles, writeGenerated } from './index';

/**
 * npm run compose            regenerate schema/subgraphs/*.graphql and schema/supergraph.graphql
 * npm run schema:check       fail when those files are stale or the API breaks published clients
 * npm run schema:publish     accept the current API as the published baseline (a deliberate release step)
 */
async function main(): Promise<void> {
  const mode = process.argv[2] ?? '--write';
  const generated = await generate();
  const baseline = fs.existsSync(BASELINE_FILE) ? fs.readFileSync(BASELINE_FILE, 'utf8') : undefined;
  const breaking = baseline ? breakingChanges(baseline, generated.api) : [];
  for (const change of breaking) console.log(`BREAKING ${change.type}: ${change.description}`);

  if (mode === '--check') {
    const stale = staleFiles(generated);
    if (stale.length) console.log(`stale (run \`npm run compose\`): ${stale.join(', ')}`);
    if (stale.length || breaking.length) process.exit(1);
    console.log('schema is current; no breaking changes against the published API');
    return;
  }
  writeGenerated(generated);
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_DIR) || '.'}: supergraph and ${Object.keys(generated.subgraphs).length} subgraph SDLs`);
  if (mode === '--publish') {
    fs.mkdirSync(path.dirname(BASELINE_FILE), { recursive: true });
    fs.writeFileSync(BASELINE_FILE, generated.api);
    console.log('published the current API as the baseline for breaking-change checks');
  } else if (breaking.length) {
    console.log(`${breaking.length} breaking change(s) against the published API: keep them out, or publish deliberately with \`npm run schema:publish\``);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
