import { exportJWK, generateKeyPair, SignJWT, createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { authenticate, type AuthConfig } from '../src/auth';
import { onlyTheClock } from '@nimo/kit/testing';

const ISSUER = 'https://idp.test.nimo';
const AUDIENCE = 'nimo-hub';

/** A key set that counts how often a token's key is looked up (once per full verification). */
async function countingConfig(): Promise<{ config: AuthConfig; lookups: () => number; sign: (exp: number) => Promise<string> }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] });
  let count = 0;
  const keys: JWTVerifyGetKey = (header, token) => {
    count += 1;
    return jwks(header, token);
  };
  const sign = (exp: number) =>
    new SignJWT({ role: 'nation' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('n-1')
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(privateKey);
  return { config: { keys, issuer: ISSUER, audience: AUDIENCE }, lookups: () => count, sign };
}

const fakeClock = (at: number) => jest.useFakeTimers(onlyTheClock(at));
afterEach(() => jest.useRealTimers());

describe('bearer tokens verified once (issue 19)', () => {
  it('takes a token that verified again without verifying it, for a minute at most', async () => {
    const start = Date.parse('2026-12-02T09:00:00Z');
    fakeClock(start);
    const { config, lookups, sign } = await countingConfig();
    const token = await sign(start / 1000 + 3600);
    const first = await authenticate(`Bearer ${token}`, config);
    expect(first).toMatchObject({ role: 'nation', subject: 'n-1' });
    expect(Object.isFrozen(first)).toBe(true);
    jest.setSystemTime(start + 59_000);
    expect(await authenticate(`Bearer ${token}`, config)).toBe(first);
    expect(lookups()).toBe(1);
    jest.setSystemTime(start + 61_000);
    await authenticate(`Bearer ${token}`, config);
    expect(lookups()).toBe(2);
  });

  it('never past its expiry, and never for a token that differs', async () => {
    const start = Date.parse('2026-12-02T10:00:00Z');
    fakeClock(start);
    const { config, sign } = await countingConfig();
    const token = await sign(start / 1000 + 30);
    await authenticate(`Bearer ${token}`, config);
    await expect(authenticate(`Bearer ${token.slice(0, -2)}xx`, config)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    jest.setSystemTime(start + 40_000);
    await expect(authenticate(`Bearer ${token}`, config)).rejects.toThrow(/expired/);
  });
});
