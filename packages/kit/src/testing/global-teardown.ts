import fs from 'node:fs';
import type { EmbeddedServer } from '../database/embedded';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __nimoEmbedded?: EmbeddedServer & { dir: string } }).__nimoEmbedded;
  if (!embedded) return;
  await embedded.stop();
  fs.rmSync(embedded.dir, { recursive: true, force: true });
}
