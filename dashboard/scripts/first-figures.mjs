// Time to first figures of the national view (全国), measured in Chromium: from the start of the
// navigation to the moment the view has painted its figures (the `nimo:national-first-figures`
// performance mark, set when the NationalView answer is rendered).
//
//   npm run dashboard:timing -- [--url http://localhost:4000/dashboard/] [--runs 5] [--identity 厚生労働省]
//   npm run dashboard:timing -- --url … --token "$(npm run -s token -- --role nation)"
//
// Against a running hub. Without --token it signs in with the development picker (npm start outside
// production); with --token (production: no picker) each page starts with that bearer token as the
// dashboard's session, as a tab where the person signed in earlier. Each run is a fresh page load
// (new browser context, so nothing is cached in the browser); the hub's response cache is whatever
// the hub runs with (off by default).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:4000/dashboard/' },
    runs: { type: 'string', default: '5' },
    identity: { type: 'string', default: '厚生労働省' },
    token: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const runs = Number(values.runs);
const browser = await chromium.launch({
  executablePath: values.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
/** The dashboard's session for a bearer token (the shape dashboard/src/auth.ts keeps in sessionStorage). */
function sessionOf(token) {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) throw new Error('--token: not a JWT that is still valid');
  const session = {
    token,
    role: typeof claims.role === 'string' ? claims.role : 'public',
    jurisdictions: Array.isArray(claims.jurisdictions) ? claims.jurisdictions : [],
    org: typeof claims.org === 'string' ? claims.org : null,
    name: typeof claims.sub === 'string' ? claims.sub : '',
    expiresAt: claims.exp * 1000,
  };
  return JSON.stringify({ 'nimo.dashboard.session': JSON.stringify(session) });
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
console.log(`load average at start: ${load()} (${os.cpus().length} cores)`);
try {
  let session;
  if (values.token) session = sessionOf(values.token.trim());
  else {
    // Sign in once with the development picker and keep the session (sessionStorage) to start each measured load signed in.
    const setup = await browser.newContext();
    const page = await setup.newPage();
    await page.goto(values.url);
    await page.getByRole('button', { name: new RegExp(`^${values.identity}`) }).click();
    await page.locator('main h2').first().waitFor();
    session = await page.evaluate(() => JSON.stringify(Object.fromEntries(Object.entries(sessionStorage))));
    await setup.close();
  }

  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((s) => {
      for (const [k, v] of Object.entries(JSON.parse(s))) sessionStorage.setItem(k, v);
    }, session);
    const p = await context.newPage();
    // Each hub request by its operation: when it was sent (epoch ms) and how long until its answer had arrived.
    const operations = [];
    p.on('requestfinished', (r) => {
      if (!r.url().endsWith('/graphql') || r.method() !== 'POST') return;
      const { startTime, responseEnd } = r.timing();
      operations.push({ name: JSON.parse(r.postData() ?? '{}').operationName ?? '?', sentAt: startTime, took: responseEnd });
    });
    await p.goto(new URL('#/national', values.url).href);
    await p.waitForFunction(() => performance.getEntriesByName('nimo:national-first-figures').length > 0, null, { timeout: 120_000 });
    const { ms, origin, scripts, html, loaded } = await p.evaluate(() => {
      const painted = performance.getEntriesByName('nimo:national-first-figures')[0].startTime;
      const js = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js') && e.responseEnd <= painted);
      return {
        ms: painted,
        origin: performance.timeOrigin,
        scripts: js.reduce((sum, e) => sum + e.decodedBodySize, 0),
        html: performance.getEntriesByType('navigation')[0]?.responseEnd ?? NaN,
        loaded: Math.max(...js.map((e) => e.responseEnd)),
      };
    });
    times.push(ms);
    // The hub requests answered before the paint (Labels and the view's own, NationalView), in the order sent.
    const before = operations
      .filter((o) => o.sentAt - origin + o.took <= ms)
      .sort((a, b) => a.sentAt - b.sentAt)
      .map((o) => `${o.name} asked at ${(o.sentAt - origin).toFixed(0)} ms, took ${o.took.toFixed(0)} ms`);
    console.log(
      `run ${i + 1}: first figures painted ${ms.toFixed(0)} ms after navigation (page at ${html.toFixed(0)} ms, ${(scripts / 1024).toFixed(0)} KiB of scripts at ${loaded.toFixed(0)} ms; before the paint: ${before.join('; ')})`,
    );
    await context.close();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `national view, time to first figures: median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms over ${runs} runs (${values.url}); load average at the end: ${load()}`,
  );
} finally {
  await browser.close();
}
