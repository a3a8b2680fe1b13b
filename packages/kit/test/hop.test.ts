import { signHop, verifyHop } from '../src/auth/hop';
import type { Principal } from '../src/auth/principal';
import { onlyTheClock } from '../src/testing';

const key = new TextEncoder().encode('k'.repeat(32));
const otherKey = new TextEncoder().encode('o'.repeat(32));
const desk: Principal = { role: 'municipality', subject: 'desk-1', jurisdictionCodes: ['131016'], organizationId: null };
const nation: Principal = { role: 'nation', subject: 'n-1', jurisdictionCodes: [], organizationId: null };

const fakeClock = (at: number) => jest.useFakeTimers(onlyTheClock(at));
afterEach(() => jest.useRealTimers());

describe('the hop token, signed and verified once per lifetime (issue 19)', () => {
  it('reuses a principal’s token for ten seconds only, and never another principal’s', async () => {
    fakeClock(Date.parse('2026-12-02T09:00:00Z'));
    const first = await signHop(desk, key);
    jest.setSystemTime(Date.parse('2026-12-02T09:00:09Z'));
    expect(await signHop({ ...desk }, key)).toBe(first);
    expect(await signHop(nation, key)).not.toBe(first);
    expect(await signHop({ ...desk, jurisdictionCodes: ['131024'] }, key)).not.toBe(first);
    expect(await signHop(desk, otherKey)).not.toBe(first);
    jest.setSystemTime(Date.parse('2026-12-02T09:00:11Z'));
    expect(await signHop(desk, key)).not.toBe(first);
  });

  it('remembers a verified token until it expires, not a second longer', async () => {
    fakeClock(Date.parse('2026-12-02T10:00:00Z'));
    const token = await signHop(desk, key);
    const principal = await verifyHop(token, key);
    expect(principal).toEqual(desk);
    expect(Object.isFrozen(principal) && Object.isFrozen(principal.jurisdictionCodes)).toBe(true);
    jest.setSystemTime(Date.parse('2026-12-02T10:00:59Z'));
    expect(await verifyHop(token, key)).toEqual(desk);
    jest.setSystemTime(Date.parse('2026-12-02T10:01:01Z'));
    await expect(verifyHop(token, key)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('verifies in full what it has not seen: another key, an altered token', async () => {
    const token = await signHop(nation, key);
    await verifyHop(token, key);
    await expect(verifyHop(token, otherKey)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const [head, body, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>;
    const altered = `${head}.${Buffer.from(JSON.stringify({ ...claims, role: 'adviser' })).toString('base64url')}.${signature}`;
    await expect(verifyHop(altered, key)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
