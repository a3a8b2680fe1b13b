import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDevKeys, ensureDevSecret } from '../src/auth/dev-keys';

/** Development keys and secrets are never replaced silently (issue 14, point 5). */
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nimo-dev-keys-'));
  process.env.NIMO_DATA_DIR = dir;
});
afterEach(() => {
  delete process.env.NIMO_DATA_DIR;
  fs.rmSync(dir, { recursive: true, force: true });
});

it('makes a key set once and keeps it; several made at once end up as one', async () => {
  const sets = await Promise.all(Array.from({ length: 5 }, () => ensureDevKeys(path.join(dir, 'dev-keys'))));
  const kids = new Set(sets.map((s) => s.privateJwk.kid));
  const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'dev-keys', 'private.jwk.json'), 'utf8')) as { kid: string };
  expect(kids).toEqual(new Set([onDisk.kid]));
  expect((await ensureDevKeys(path.join(dir, 'dev-keys'))).privateJwk.kid).toBe(onDisk.kid);
});

it('refuses an incomplete key set instead of replacing it', async () => {
  const keys = path.join(dir, 'dev-keys');
  await ensureDevKeys(keys);
  fs.rmSync(path.join(keys, 'jwks.json'));
  await expect(ensureDevKeys(keys)).rejects.toThrow(/incomplete \(jwks.json is missing\).*Restore the missing file/);
  expect(fs.existsSync(path.join(keys, 'private.jwk.json'))).toBe(true);
});

it('keeps a secret, and refuses a damaged one rather than overwriting it', () => {
  const first = ensureDevSecret('hub-secret', 'The development hop secret');
  expect(ensureDevSecret('hub-secret', 'The development hop secret')).toBe(first);
  fs.writeFileSync(path.join(dir, 'hub-secret'), '');
  expect(() => ensureDevSecret('hub-secret', 'The development hop secret')).toThrow(/empty or damaged/);
  expect(fs.readFileSync(path.join(dir, 'hub-secret'), 'utf8')).toBe('');
});
