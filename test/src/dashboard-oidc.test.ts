import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { createRemoteJWKSet } from 'jose';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { startTestHub, type TestHub } from './hub';

/**
 * The dashboard's production sign-in, end to end in Chromium: OpenID Connect authorisation code
 * with PKCE against a real OpenID provider (`oidc-provider`, in its own process), whose access
 * tokens the gateway verifies through its JWKS URL, as AUTH_JWKS_URL configures it.
 */
const RESOURCE = 'urn:nimo:hub';
let hub: TestHub;
let provider: ChildProcess;
let browser: Browser;
let base: string;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}/dashboard/`;
  provider = spawn(process.execPath, [path.join(__dirname, 'oidc-provider.mjs'), base, RESOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: provider.stdout! }).once('line', resolve);
    provider.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code})`)));
  });
  const { issuer, jwksUri } = JSON.parse(first) as { issuer: string; jwksUri: string };
  hub = await startTestHub({
    gatewayPort: port,
    auth: { keys: createRemoteJWKSet(new URL(jwksUri)), issuer, audience: RESOURCE },
    dashboardOidc: { issuer, clientId: 'nimo-dashboard', scope: 'openid profile', resource: RESOURCE },
  });
  browser = await launchChromium();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  provider?.kill();
}, 120_000);

describe('dashboard sign-in with OpenID Connect', () => {
  it('signs in with the authorisation code and PKCE, and the gateway accepts the access token', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
    const page = await context.newPage();
    const authorize: URL[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/auth?')) authorize.push(new URL(r.url()));
    });
    await page.goto(base);
    // No development picker when an identity provider is configured.
    expect(await page.getByText('開発用の利用者').count()).toBe(0);
    await page.getByRole('button', { name: 'サインイン' }).click();
    // The provider's own login form (oidc-provider's development interactions).
    await page.locator('input[name="login"]').fill('tottori');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    const consent = page.locator('button[type="submit"]');
    if (await consent.isVisible().catch(() => false)) await consent.click();
    await page.getByRole('heading', { name: /鳥取県/ }).waitFor({ timeout: 60_000 });
    const request = authorize[0];
    expect(request?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request?.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request?.searchParams.get('response_type')).toBe('code');
    // Back on the dashboard with the figures the hub answered for this principal.
    await page.locator('[data-figure="新規相談件数"] dd').first().waitFor();
    expect(await page.locator('.who').innerText()).toContain('鳥取県 担当者');
    expect(await page.getByRole('navigation', { name: '画面' }).getByRole('link').allInnerTexts()).toEqual(['都道府県']);
    expect(new URL(page.url()).search).toBe('');
    await context.close();
  });
});
