import { randomBytes } from 'node:crypto';
import { open, parseKeyring, seal } from '../src/notes';
import { requireReference } from '../src/validate';

const key = () => randomBytes(32).toString('base64');

describe('notes at rest', () => {
  it('encrypts with the current key and still opens text sealed with an older one (rotation)', () => {
    const old = parseKeyring(`k1:${key()}`);
    const sealedOld = seal(old, '初回相談のメモ', 'case_contact.note:a');
    expect(sealedOld.data.toString('utf8')).not.toContain('初回');
    const k1 = old.keys.get('k1')?.toString('base64');
    const rotated = parseKeyring(`k2:${key()},k1:${k1}`);
    const sealedNew = seal(rotated, '二回目', 'case_contact.note:b');
    expect(sealedNew.keyId).toBe('k2');
    expect(open(rotated, sealedOld, 'case_contact.note:a')).toBe('初回相談のメモ');
    expect(open(rotated, sealedNew, 'case_contact.note:b')).toBe('二回目');
    expect(() => open(old, sealedNew, 'case_contact.note:b')).toThrow(/k2 is not configured/);
  });

  it('detects tampering (GCM tag)', () => {
    const ring = parseKeyring(`k1:${key()}`);
    const sealed = seal(ring, 'text', 'referral.reason:x');
    expect(open(ring, sealed, 'referral.reason:x')).toBe('text');
    // Moved to another row or column, it does not open.
    expect(() => open(ring, sealed, 'referral.reason:y')).toThrow();
    expect(() => open(ring, sealed, 'referral.response:x')).toThrow();
    // Cut short (a truncated tag), it does not open.
    expect(() => open(ring, { ...sealed, data: sealed.data.subarray(0, 20) }, 'referral.reason:x')).toThrow();
    const data = Buffer.from(sealed.data);
    data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 1;
    expect(() => open(ring, { ...sealed, data }, 'referral.reason:x')).toThrow();
  });

  it('refuses malformed key specs', () => {
    expect(() => parseKeyring('')).toThrow(/no key/);
    expect(() => parseKeyring('k1:short')).toThrow(/32 bytes/);
    expect(() => parseKeyring('no-colon')).toThrow(/<key id>/);
  });
});

describe('pseudonymous references', () => {
  it.each(['C131016-000123', 'staff-7', 'a.b_c-d'])('accepts %s', (ref) => expect(requireReference('r', ref)).toBe(ref));
  it.each(['山田太郎', 'x', '1234-5678-9012', '123456789012', 'has space'])('refuses %s', (ref) =>
    expect(() => requireReference('r', ref)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }) as Error),
  );
});
