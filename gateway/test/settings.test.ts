import type { IncomingMessage } from 'node:http';
import { PUBLIC_PRINCIPAL } from '@nimo/kit';
import { safelistRolesFromEnv } from '../src/documents';
import { callerKey } from '../src/rate-limit';
import { apiKeyPrincipal } from '../src/api-keys';

describe('SAFELIST_ROLES', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('safelists vendor and public callers by default in production, and nobody in development', () => {
    process.env.NODE_ENV = 'production';
    expect([...safelistRolesFromEnv(undefined)]).toEqual(['vendor', 'public']);
    process.env.NODE_ENV = 'development';
    expect([...safelistRolesFromEnv(undefined)]).toEqual([]);
  });

  it('reads a list, all or none, and refuses an unknown role', () => {
    expect([...safelistRolesFromEnv('vendor, provider')]).toEqual(['vendor', 'provider']);
    expect(safelistRolesFromEnv('all').has('nation')).toBe(true);
    expect(safelistRolesFromEnv('all').has('public')).toBe(true);
    expect(safelistRolesFromEnv('none').size).toBe(0);
    expect(() => safelistRolesFromEnv('vendor,admin')).toThrow(/SAFELIST_ROLES: unknown role "admin"/);
  });
});

describe('the caller a rate limit counts for', () => {
  const request = (remoteAddress: string, forwarded?: string) =>
    ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

  it("is the API key, the token's role and subject, or the address of an anonymous caller", () => {
    expect(callerKey(apiKeyPrincipal('abcdefghijkl'), request('10.0.0.1'), false)).toBe('apikey:abcdefghijkl');
    expect(callerKey({ role: 'nation', subject: 'u1', jurisdictionCodes: [], organizationId: null }, request('10.0.0.1'), false)).toBe('nation:u1');
    expect(callerKey(PUBLIC_PRINCIPAL, request('10.0.0.1'), false)).toBe('ip:10.0.0.1');
    expect(callerKey(null, request('10.0.0.2'), false)).toBe('ip:10.0.0.2');
  });

  it('takes the last X-Forwarded-For hop only when told to trust the proxy', () => {
    expect(callerKey(PUBLIC_PRINCIPAL, request('10.0.0.1', '203.0.113.9, 198.51.100.7'), false)).toBe('ip:10.0.0.1');
    expect(callerKey(PUBLIC_PRINCIPAL, request('10.0.0.1', '203.0.113.9, 198.51.100.7'), true)).toBe('ip:198.51.100.7');
  });
});
