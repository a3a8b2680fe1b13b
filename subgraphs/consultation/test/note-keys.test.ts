import { randomBytes, randomUUID } from 'node:crypto';
import { createLogger, openDatabase } from '@nimo/kit';
import { createTestDatabase, dropTestDatabase } from '@nimo/kit/testing';
import type { DataSource } from 'typeorm';
import { subgraph } from '../src';
import { checkNoteKeys, parseKeyring, place, seal } from '../src/notes';

/** Start-up refuses when stored notes could not be read with the configured keys (issue 14, point 5). */
let url: string;
let db: DataSource;
const k1 = randomBytes(32).toString('base64');
beforeAll(async () => {
  url = await createTestDatabase('note_keys');
  db = await openDatabase(subgraph, url, { logger: createLogger('test') });
  const caseId = randomUUID();
  await db.query(
    `INSERT INTO consultation_case (id, municipality_code, desk_organization_id, client_reference, age_band, sex, needs, status, opened_on)
     VALUES ($1, '131016', $2, 'C-1', 'UNKNOWN', 'UNKNOWN', '{OTHER}', 'OPEN', '2026-04-01')`,
    [caseId, randomUUID()],
  );
  const id = randomUUID();
  const sealed = seal(parseKeyring(`k1:${k1}`), 'a note', place('case_contact', 'note', id));
  await db.query(
    `INSERT INTO case_contact (id, case_id, municipality_code, contacted_on, channel, staff_reference, note_key_id, note_ciphertext) VALUES ($1, $2, '131016', '2026-04-02', 'PHONE', 's-1', $3, $4)`,
    [id, caseId, sealed.keyId, sealed.data],
  );
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

it('starts when the keys the notes were written with are configured', async () => {
  await expect(checkNoteKeys(db, parseKeyring(`k2:${randomBytes(32).toString('base64')},k1:${k1}`))).resolves.toBeUndefined();
});

it('refuses to start when no configured key has the id the notes were written with, naming it', async () => {
  await expect(checkNoteKeys(db, parseKeyring(`k2:${randomBytes(32).toString('base64')}`))).rejects.toThrow(
    /refusing to start: texts are encrypted with note key id k1, which (CONSULTATION_NOTE_KEYS|the development key .*) does not contain/,
  );
});

it('refuses to start when a key of the same id does not open them (a key made anew)', async () => {
  await expect(checkNoteKeys(db, parseKeyring(`k1:${randomBytes(32).toString('base64')}`))).rejects.toThrow(
    /the configured key k1 does not open the texts stored under that id/,
  );
});
