import { corsOriginsFromEnv, DEV_DASHBOARD_ORIGINS, normaliseOrigin } from '../src/cors';

describe('CORS_ORIGINS', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it("allows no origin by default in production and the dashboard's development server otherwise", () => {
    process.env.NODE_ENV = 'production';
    expect(corsOriginsFromEnv(undefined)).toEqual([]);
    process.env.NODE_ENV = 'development';
    expect(corsOriginsFromEnv(undefined)).toEqual([...DEV_DASHBOARD_ORIGINS]);
    expect(corsOriginsFromEnv('none')).toEqual([]);
  });

  it('reads a comma-separated list of origins, normalised as browsers send them', () => {
    expect(corsOriginsFromEnv(' https://Dashboard.Example.jp , http://localhost:8080,https://dashboard.example.jp')).toEqual([
      'https://dashboard.example.jp',
      'http://localhost:8080',
    ]);
    expect(normaliseOrigin('https://vendor.example.jp:443')).toBe('https://vendor.example.jp');
  });

  it('refuses wildcards, paths and what is not an origin, naming the setting', () => {
    expect(() => corsOriginsFromEnv('*')).toThrow(/CORS_ORIGINS: "\*" — wildcards are not accepted/);
    expect(() => corsOriginsFromEnv('https://*.example.jp')).toThrow(/wildcards/);
    expect(() => corsOriginsFromEnv('https://example.jp/dashboard')).toThrow(/no path/);
    expect(() => corsOriginsFromEnv('https://example.jp/')).toThrow(/no path/);
    expect(() => corsOriginsFromEnv('example.jp')).toThrow(/is not an origin/);
    expect(() => corsOriginsFromEnv('ftp://example.jp')).toThrow(/is not an origin/);
  });
});
