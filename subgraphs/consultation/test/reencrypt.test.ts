import { randomBytes, randomUUID } from 'node:crypto';
import { createLogger, openDatabase } from '@nimo/kit';
import { createTestDatabase, dropTestDatabase } from '@nimo/kit/testing';
import type { DataSource } from 'typeorm';
import { subgraph } from '../src';
import { open, parseKeyring, place, reencryptNotes, seal } from '../src/notes';

let url: string;
let db: DataSource;
beforeAll(async () => {
  url = await createTestDatabase('reencrypt');
  db = await openDatabase(subgraph, url, { logger: createLogger('test') });
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

it('re-encrypts text sealed with an old key under the current key, keeping it readable', async () => {
  const k1 = randomBytes(32).toString('base64');
  const old = parseKeyring(`k1:${k1}`);
  const caseId = randomUUID();
  await db.query(
    `INSERT INTO consultation_case (id, municipality_code, desk_organization_id, client_reference, age_band, sex, needs, status, opened_on)
     VALUES ($1, '131016', $2, 'C-1', 'UNKNOWN', 'UNKNOWN', '{OTHER}', 'OPEN', '2026-04-01')`,
    [caseId, randomUUID()],
  );
  for (let i = 0; i < 5; i += 1) {
    const id = randomUUID();
    const sealed = seal(old, `note ${i}`, place('case_contact', 'note', id));
    await db.query(
      `INSERT INTO case_contact (id, case_id, municipality_code, contacted_on, channel, staff_reference, note_key_id, note_ciphertext) VALUES ($1, $2, '131016', '2026-04-02', 'PHONE', 's-1', $3, $4)`,
      [id, caseId, sealed.keyId, sealed.data],
    );
  }
  const rotated = parseKeyring(`k2:${randomBytes(32).toString('base64')},k1:${k1}`);
  expect(await reencryptNotes(db, rotated, 2)).toBe(5);
  const rows = await db.query<{ id: string; note_key_id: string; note_ciphertext: Buffer }[]>(
    'SELECT id, note_key_id, note_ciphertext FROM case_contact ORDER BY note_key_id',
  );
  expect(new Set(rows.map((r) => r.note_key_id))).toEqual(new Set(['k2']));
  const onlyNew = parseKeyring(`k2:${rotated.keys.get('k2')?.toString('base64')}`);
  expect(rows.map((r) => open(onlyNew, { keyId: r.note_key_id, data: r.note_ciphertext }, place('case_contact', 'note', r.id))).sort()).toEqual([
    'note 0',
    'note 1',
    'note 2',
    'note 3',
    'note 4',
  ]);
  expect(await reencryptNotes(db, rotated)).toBe(0);
});
