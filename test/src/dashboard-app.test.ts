import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { dashboardOperations } from '@nimo/schema/operations';
import { launchChromium } from './browser';
import { startTestHub, type TestHub } from './hub';

/**
 * The dashboard (dashboard/) in headless Chromium against a running test hub: each view's figures
 * against the API's answer, the exports, what each role may open, and keyboard-only use.
 * DASHBOARD_SCREENSHOTS=<folder> keeps a screenshot of each view (the README's).
 */
let hub: TestHub;
let browser: Browser;
let base: string;
const shots = process.env.DASHBOARD_SCREENSHOTS;

beforeAll(async () => {
  hub = await startTestHub();
  browser = await launchChromium();
  base = `http://127.0.0.1:${hub.gateway.port}/dashboard/`;
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
}, 120_000);

const OPERATIONS = new Map(dashboardOperations().map((o) => [o.name, o]));
const FY = 2024;
const TOTTORI = '310000';
const CHIYODA = '131016';
const MINATO = '131032';
interface Count {
  value: number | null;
  suppressed: boolean;
}

/** What the API answers for a dashboard document (by hash), for a principal. */
async function api<T>(
  name: string,
  variables: Record<string, unknown>,
  claims: Record<string, unknown>,
): Promise<{ data: T; errors?: { path?: (string | number)[]; extensions?: { code?: string } }[] }> {
  const op = OPERATIONS.get(name);
  if (!op) throw new Error(`no operation ${name}`);
  const response = await fetch(hub.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.keys.sign(claims)}` },
    body: JSON.stringify({ operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: op.sha256 } } }),
  });
  return (await response.json()) as { data: T };
}

/** As the dashboard shows a count: 「秘匿」 when suppressed, never zero. */
const shown = (c: Count, unit = '件') => (c.suppressed ? '秘匿' : `${(c.value ?? 0).toLocaleString('ja-JP')}${unit}`);

const contexts: BrowserContext[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

async function signedIn(identity: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'ja-JP' });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  (page as Page & { problems?: string[] }).problems = problems;
  await page.goto(base);
  await page.getByRole('button', { name: new RegExp(`^${identity}`) }).click();
  await page.locator('main h2').first().waitFor();
  return page;
}

const problemsOf = (page: Page) => (page as Page & { problems?: string[] }).problems ?? [];

async function figure(page: Page, label: string): Promise<string> {
  return (await page.locator(`[data-figure="${label}"] dd`).first().innerText()).trim();
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
}

async function downloadText(page: Page, tableCaption: string, button: string): Promise<{ download: Download; bytes: Buffer }> {
  const block = page.locator('.table-block', { has: page.locator('caption', { hasText: tableCaption }) });
  const [download] = await Promise.all([page.waitForEvent('download'), block.getByRole('button', { name: button }).click()]);
  const file = await download.path();
  return { download, bytes: fs.readFileSync(file) };
}

/** A pattern that matches this text and nothing longer. */
const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')}$`);

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r') continue;
    else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  return rows;
}

/** The rows of a trend chart's table (its caption starts with the chart's title), as shown. */
async function trendRows(page: Page, title: string): Promise<string[][]> {
  const block = page.locator('.table-block', { has: page.locator('caption', { hasText: `${title}（数値）` }) });
  await block.waitFor();
  const rows = block.locator('tbody tr');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) out.push((await rows.nth(i).locator('th, td').allInnerTexts()).map((t) => t.trim()));
  return out;
}

/** The API's 令和 names of the trend's five fiscal years (Query.labels). */
async function yearLabels(claims: Record<string, unknown>): Promise<Map<number, string>> {
  const answer = await api<{ labels: { fiscalYears: { fiscalYear: number; label: string }[] } }>('Labels', { from: 2015, to: 2040 }, claims);
  return new Map(answer.data.labels.fiscalYears.map((y) => [y.fiscalYear, y.label]));
}

const TREND = { fromFiscalYear: FY - 4, toFiscalYear: FY };
const TREND_YEARS = [FY - 4, FY - 3, FY - 2, FY - 1, FY];

/**
 * A trend chart against the API: its text alternative names the chart and its years, and its table
 * holds, year by year, the 令和 name from the API and each figure as the one-year screens show it.
 */
async function expectTrend(page: Page, title: string, labels: Map<number, string>, expected: (year: number) => string[]): Promise<void> {
  const span = `${labels.get(TREND.fromFiscalYear)}〜${labels.get(TREND.toFiscalYear)}`;
  const full = `${title}${span}）`;
  expect(await trendRows(page, full)).toEqual(TREND_YEARS.map((y) => [labels.get(y) ?? '', ...expected(y)]));
  const image = page.getByRole('img', { name: new RegExp(`^${full.replace(/[()（）]/g, '.')}`) });
  expect(await image.count()).toBe(1);
  expect(await image.locator('desc').textContent()).toContain(labels.get(TREND.toFiscalYear));
}

describe('the dashboard in Chromium', () => {
  it('is served by the gateway at /dashboard/ from the build, with the development sign-in', async () => {
    const page = await (await browser.newContext()).newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(base);
    await page.getByRole('heading', { name: '開発用の利用者を選んでサインイン' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    // Everything from the hub's own origin: no CDN, no fonts from elsewhere.
    expect(requests.filter((u) => !u.startsWith(`http://127.0.0.1:${hub.gateway.port}/`))).toEqual([]);
    await page.context().close();
  });

  it('全国: figures, the map and the table match the API; the views it may open', async () => {
    const page = await signedIn('厚生労働省');
    await page.getByRole('heading', { name: /全国/ }).waitFor();
    // The header names who is signed in once, and the role in the API's words.
    expect((await page.locator('header .who').innerText()).replace(/\s+/g, ' ').trim()).toBe('厚生労働省 国（厚生労働省）');
    type National = {
      nationalConsultationSummary: { casesOpened: Count; referralsMade: Count };
      nationalTrainingSummary: { staffTrained: number };
      nationalEvaluation: { prefectures: { code: string; name: string; consultationSummary: { casesOpened: Count } }[]; indicators: { code: string }[] };
    };
    const { data } = await api<National>('NationalView', { fiscalYear: FY }, { role: 'nation' });
    expect(await figure(page, '新規相談件数')).toBe(shown(data.nationalConsultationSummary.casesOpened));
    expect(await figure(page, 'つなぎ（紹介）件数')).toBe(shown(data.nationalConsultationSummary.referralsMade));
    expect(await figure(page, '研修修了者数')).toBe(`${data.nationalTrainingSummary.staffTrained.toLocaleString('ja-JP')}人`);
    // The map: one labelled tile per prefecture, each naming its value (the text alternative).
    const tiles = page.locator('.tiles a');
    expect(await tiles.count()).toBe(47);
    const tottori = data.nationalEvaluation.prefectures.find((p) => p.code === TOTTORI);
    expect(await page.locator(`.tiles a[href="#/prefecture/${TOTTORI}"]`).getAttribute('aria-label')).toBe(
      `鳥取県: ${shown(tottori!.consultationSummary.casesOpened)}`,
    );
    // The legend: five steps of counts in whole cases, from the smallest shown prefecture's to the
    // largest's, then the prefectures without a figure (suppressed, refused or none).
    const counts = data.nationalEvaluation.prefectures.flatMap(({ consultationSummary: { casesOpened: c } }) =>
      c.suppressed || c.value === null ? [] : [c.value],
    );
    const legend = (await page.locator('.tilemap .legend li').allInnerTexts()).map((t) => t.trim());
    const steps = legend.slice(0, 5);
    for (const entry of steps) expect(entry).toMatch(/^[\d,]+〜[\d,]+件$/);
    expect(steps[0]!.split('〜')[0]).toBe(Math.min(...counts).toLocaleString('ja-JP'));
    expect(steps[4]!.split('〜')[1]).toBe(`${Math.max(...counts).toLocaleString('ja-JP')}件`);
    expect(legend.slice(5)).toEqual(counts.length < 47 ? [`秘匿・権限なし・データなし（${47 - counts.length}）`] : []);
    // The table: 47 rows, 鳥取県's cases as the API says.
    const table = page.locator('.table-block', { has: page.locator('caption', { hasText: '都道府県別の数値' }) });
    // The tables come the frame after the figures and the map.
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(47);
    const row = table.locator('tbody tr', { has: page.locator('th', { hasText: '鳥取県' }) });
    expect((await row.locator('td').first().innerText()).trim()).toBe(shown(tottori!.consultationSummary.casesOpened));
    // Trends: five fiscal years with the API's 令和 names, each year as the one-year fields answer it.
    type Trends = {
      nationalConsultationSummaries: { fiscalYear: number; casesOpened: Count; referralsMade: Count }[];
      nationalTrainingSummaries: { fiscalYear: number; staffTrained: number }[];
      nationalEvaluations: { fiscalYear: number; indicators: { code: string; value: number | null }[] }[];
    };
    const trends = (await api<Trends>('NationalTrends', TREND, { role: 'nation' })).data;
    const labels = await yearLabels({ role: 'nation' });
    const at = <T extends { fiscalYear: number }>(list: T[], year: number): T => list.find((x) => x.fiscalYear === year)!;
    expect(at(trends.nationalConsultationSummaries, FY).casesOpened).toEqual(data.nationalConsultationSummary.casesOpened);
    await expectTrend(page, '新規相談とつなぎの件数（全国、', labels, (y) => [
      shown(at(trends.nationalConsultationSummaries, y).casesOpened),
      shown(at(trends.nationalConsultationSummaries, y).referralsMade),
    ]);
    await expectTrend(page, '研修修了者数（全国、', labels, (y) => [`${at(trends.nationalTrainingSummaries, y).staffTrained.toLocaleString('ja-JP')}人`]);
    await expectTrend(page, '協議の場を設置した市町村の割合（全国、', labels, (y) => {
      const v = at(trends.nationalEvaluations, y).indicators.find((i) => i.code === 'FORUM_MUNICIPALITY')?.value;
      return [v === null || v === undefined ? '—' : `${v.toLocaleString('ja-JP', { maximumFractionDigits: 1 })}%`];
    });
    await screenshot(page, 'national');
    // Nation may open every view.
    expect(await page.getByRole('navigation', { name: '画面' }).getByRole('link').allInnerTexts()).toEqual(['全国', 'アドバイザー']);
    expect(problemsOf(page)).toEqual([]);
  });

  it('全国 opens with its configuration in the page and each document asked once: Labels and its own first, the trends after its figures', async () => {
    const page = await signedIn('厚生労働省');
    await page.getByRole('heading', { name: /全国/ }).waitFor();
    // The first load settled before listening: its trends are asked after its figures arrive, and a
    // request of that load still to come would otherwise be counted as the reloaded page's.
    await page.locator('.trends .table-block').first().waitFor();
    const urls: string[] = [];
    const operations: string[] = [];
    page.on('request', (r) => {
      urls.push(r.url());
      if (r.url().endsWith('/graphql')) operations.push((JSON.parse(r.postData() ?? '{}') as { operationName?: string }).operationName ?? '');
    });
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('nimo:national-first-figures').length > 0);
    expect(await figure(page, '新規相談件数')).not.toBe('');
    await page.locator('.trends .table-block').first().waitFor();
    expect(urls.filter((u) => u.includes('/api/'))).toEqual([]);
    expect(operations.slice(0, 2).sort()).toEqual(['Labels', 'NationalView']);
    expect(operations.slice(2)).toEqual(['NationalTrends']);
    expect(problemsOf(page)).toEqual([]);
  });

  it('都道府県: its municipalities with suppressed counts as 「秘匿」, and the CSV and .xlsx exports agree with the screen', async () => {
    const page = await signedIn('鳥取県');
    await page.getByRole('heading', { name: /鳥取県/ }).waitFor();
    type Pref = { regions: { municipalities: { code: string; name: string; consultationSummary: { casesOpened: Count } | null }[] }[] };
    const { data } = await api<Pref>('PrefectureView', { code: TOTTORI, fiscalYear: FY }, { role: 'prefecture', jurisdictions: [TOTTORI] });
    const munis = data.regions.flatMap((r) => r.municipalities);
    const caption = '鳥取県の市町村';
    const table = page.locator('.table-block', { has: page.locator('caption', { hasText: caption }) });
    expect(await table.locator('tbody tr').count()).toBe(munis.length);
    for (const m of munis) {
      const cell = table
        .locator('tbody tr', { has: page.locator('th', { hasText: m.name }) })
        .locator('td')
        .nth(3);
      expect([m.name, (await cell.innerText()).trim()]).toEqual([m.name, shown(m.consultationSummary!.casesOpened)]);
    }
    const suppressed = munis.filter((m) => m.consultationSummary?.casesOpened.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    await expect(page.getByText('1〜9件の小さな件数').first().isVisible()).resolves.toBe(true);
    // Trends: the prefecture's cases and referrals, as the API's range answers them.
    type PrefTrends = {
      jurisdiction: {
        consultationSummaries: { fiscalYear: number; casesOpened: Count; referralsMade: Count }[];
        trainingSummaries: { fiscalYear: number; staffTrained: number }[];
      };
    };
    const prefTrends = (await api<PrefTrends>('PrefectureTrends', { code: TOTTORI, ...TREND }, { role: 'prefecture', jurisdictions: [TOTTORI] })).data
      .jurisdiction;
    const prefLabels = await yearLabels({ role: 'prefecture', jurisdictions: [TOTTORI] });
    const yearOf = <T extends { fiscalYear: number }>(list: T[], year: number): T => list.find((x) => x.fiscalYear === year)!;
    await expectTrend(page, '新規相談とつなぎの件数（鳥取県、', prefLabels, (y) => [
      shown(yearOf(prefTrends.consultationSummaries, y).casesOpened),
      shown(yearOf(prefTrends.consultationSummaries, y).referralsMade),
    ]);
    await expectTrend(page, '研修修了者数（鳥取県、', prefLabels, (y) => [`${yearOf(prefTrends.trainingSummaries, y).staffTrained.toLocaleString('ja-JP')}人`]);
    await screenshot(page, 'prefecture');

    // CSV: UTF-8 with a BOM, the same rows and words as the screen (秘匿 included).
    const csv = await downloadText(page, caption, 'CSVで保存');
    expect(csv.download.suggestedFilename()).toBe('鳥取県_市町村別_令和6年度.csv');
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(csv.bytes.toString('utf8').slice(1));
    expect(rows[0]?.slice(0, 5)).toEqual(['市町村', '種別', '障害保健福祉圏域', '協議の場', '新規相談件数']);
    expect(rows.length).toBe(munis.length + 1);
    for (const m of munis) {
      const r = rows.find((x) => x[0] === m.name);
      const c = m.consultationSummary!.casesOpened;
      expect([m.name, r?.[4]]).toEqual([m.name, c.suppressed ? '秘匿' : String(c.value)]);
    }
    // Every kind is shown in the API's own words (Query.labels), not as a code or a word of the dashboard's own.
    const labels = await api<{ labels: { jurisdictionKind: { value: string; label: string }[] } }>(
      'Labels',
      { from: 2015, to: 2040 },
      { role: 'prefecture', jurisdictions: [TOTTORI] },
    );
    const kindWords = new Set(labels.data.labels.jurisdictionKind.map((k) => k.label));
    expect(
      rows
        .slice(1)
        .map((r) => r[1])
        .filter((k) => !kindWords.has(k ?? '')),
    ).toEqual([]);
    // .xlsx: opens with exceljs, numbers as numbers, the same cells as the CSV.
    const xlsx = await downloadText(page, caption, 'Excel（.xlsx）で保存');
    expect(xlsx.download.suggestedFilename()).toBe('鳥取県_市町村別_令和6年度.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(xlsx.bytes).buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(rows.length);
    for (let i = 1; i <= sheet.rowCount; i++) {
      // Cells hold numbers and words only (an object here would be a formula or a rich text: shown as such).
      const values = (sheet.getRow(i).values as unknown[])
        .slice(1)
        .map((v) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean)));
      expect(values).toEqual(rows[i - 1]);
    }
    const anySuppressed = rows.slice(1).find((r) => r[4] === '秘匿');
    expect(anySuppressed).toBeDefined();

    // A prefecture sees neither the national nor the adviser view, nor another prefecture.
    expect(await page.getByRole('navigation', { name: '画面' }).getByRole('link').allInnerTexts()).toEqual(['都道府県']);
    await page.goto(`${base}#/national`);
    await page.getByText('ご利用の権限ではこの画面を閲覧できません').waitFor();
    await page.goto(`${base}#/prefecture/130001`);
    await page.getByText('ご利用の権限ではこの画面を閲覧できません').waitFor();
    expect(problemsOf(page)).toEqual([]);
  });

  it('市町村: counts only, and a refused field shows as 「権限なし」, not as an error page', async () => {
    const page = await signedIn('港区');

    await page.getByRole('heading', { name: /港区/ }).waitFor();
    type Muni = {
      jurisdiction: {
        organizations: { staff: unknown[] | null }[];
        trainingSummary: { staffTrained: number; municipalities: number; municipalitiesWithTrainedConsultationStaff: number };
      };
      openCases: { totalCount: number };
      openReferrals: { totalCount: number };
    };
    const answer = await api<Muni>('MunicipalView', { code: MINATO, fiscalYear: FY }, { role: 'municipality', jurisdictions: [MINATO] });
    expect(await figure(page, '対応中・つなぎ中の相談')).toBe(`${answer.data.openCases.totalCount.toLocaleString('ja-JP')}件`);
    expect(await figure(page, '進行中のつなぎ（紹介）')).toBe(`${answer.data.openReferrals.totalCount.toLocaleString('ja-JP')}件`);
    // Completions within the year next to municipalities with staff trained by the year's end: the
    // share says that it is cumulative, so that 「0人」 next to 「100%」 reads as the API means it.
    const training = answer.data.jurisdiction.trainingSummary;
    expect(await figure(page, '研修修了者数')).toBe(`${training.staffTrained.toLocaleString('ja-JP')}人`);
    const share = Math.round((training.municipalitiesWithTrainedConsultationStaff / training.municipalities) * 1000) / 10;
    expect((await figure(page, '研修修了の相談担当者がいる市町村の割合')).replace(/\s+/g, ' ')).toBe(
      `${share.toLocaleString('ja-JP')}% （年度末までの修了：${training.municipalitiesWithTrainedConsultationStaff} / ${training.municipalities}市町村）`,
    );
    // Without a desk's organisation the staff lists are refused (FORBIDDEN on their paths only).
    expect(answer.errors?.some((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.at(-1) === 'staff')).toBe(true);
    const desks = page.locator('.table-block', { has: page.locator('caption', { hasText: '港区の相談窓口' }) });
    expect((await desks.locator('tbody tr').first().locator('td').nth(1).innerText()).trim()).toBe('権限なし');
    // No client's details anywhere on the page.
    expect(await page.getByText(/年代|ageBand|クライアント/).count()).toBe(0);
    // Trends: the municipality's own cases and referrals, as the API's range answers them.
    type MuniTrends = {
      jurisdiction: {
        consultationSummaries: { fiscalYear: number; casesOpened: Count; referralsMade: Count }[];
        evaluations: { fiscalYear: number; met: number }[];
      };
    };
    const muniTrends = (await api<MuniTrends>('MunicipalTrends', { code: MINATO, ...TREND }, { role: 'municipality', jurisdictions: [MINATO] })).data
      .jurisdiction;
    const muniLabels = await yearLabels({ role: 'municipality', jurisdictions: [MINATO] });
    const ofYear = <T extends { fiscalYear: number }>(list: T[], year: number): T => list.find((x) => x.fiscalYear === year)!;
    await expectTrend(page, '新規相談とつなぎの件数（港区、', muniLabels, (y) => [
      shown(ofYear(muniTrends.consultationSummaries, y).casesOpened),
      shown(ofYear(muniTrends.consultationSummaries, y).referralsMade),
    ]);
    await expectTrend(page, '達成した評価指標の数（港区、', muniLabels, (y) => [String(ofYear(muniTrends.evaluations, y).met)]);
    await screenshot(page, 'municipality');
    expect(await page.getByRole('navigation', { name: '画面' }).getByRole('link').allInnerTexts()).toEqual(['市町村']);
    await page.goto(`${base}#/municipality/${CHIYODA}`);
    await page.getByText('ご利用の権限ではこの画面を閲覧できません').waitFor();
    expect(problemsOf(page)).toEqual([]);
  });

  it('アドバイザー: the assigned jurisdictions and their support requests as the API answers', async () => {
    const page = await signedIn('アドバイザー組織');
    await page.getByRole('link', { name: 'アドバイザー' }).click();
    await page.getByRole('heading', { name: /アドバイザー/ }).waitFor();
    type List = { advisers: { id: string; displayName: string }[] };
    const list = await api<List>('AdviserList', {}, { role: 'adviser' });
    const first = list.data.advisers[0]!;
    type View = { adviser: { assignments: { name: string; supportRequests: unknown[] | null }[] } };
    const view = await api<View>('AdviserView', { adviserId: first.id, fiscalYear: FY }, { role: 'adviser' });
    const table = page.locator('.table-block', { has: page.locator('caption', { hasText: `${first.displayName}の担当` }) });
    await table.waitFor();
    expect(await table.locator('tbody th').allInnerTexts()).toEqual(view.data.adviser.assignments.map((a) => a.name));
    const requests = page.locator('.table-block', { has: page.locator('caption', { hasText: '担当先からの支援依頼' }) });
    expect(await requests.locator('tbody tr').count()).toBe(view.data.adviser.assignments.reduce((n, a) => n + (a.supportRequests?.length ?? 0), 0));
    await screenshot(page, 'adviser');
    expect(problemsOf(page)).toEqual([]);
  });

  it('works with the keyboard alone, with a visible focus, and on a tablet', async () => {
    const context = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: 'ja-JP' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(base);
    const identity = page.getByRole('button', { name: /^厚生労働省/ });
    await identity.waitFor();
    // Tab to the nation's identity and press Enter.
    for (let i = 0; i < 20 && !(await identity.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    const outline = await identity.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /全国/ }).waitFor();
    // The view's heading has the focus; Tab reaches a table's sort button and Enter sorts it.
    const sort = page
      .locator('caption', { hasText: '都道府県別の数値' })
      .locator('xpath=..')
      .getByRole('button', { name: /新規相談件数/ });
    for (let i = 0; i < 200 && !(await sort.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await sort.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await sort.locator('xpath=..').getAttribute('aria-sort')).toBe('ascending');
    // A tile of the map is a link: Enter opens that prefecture.
    const tile = page.locator(`.tiles a[href="#/prefecture/${TOTTORI}"]`);
    await tile.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /鳥取県/ }).waitFor();
    // Nothing runs off the side of a tablet screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('都道府県: its forums and their recent meetings as the API answers them, on screen and in the CSV', async () => {
    const page = await signedIn('鳥取県');
    await page.getByRole('heading', { name: /鳥取県/ }).waitFor();
    type Meeting = { heldOn: string; attendees: number | null; agenda: string[] | null; decisions: string[] | null };
    type Forum = { id: string; name: string; level: string; establishedOn: string | null; meetingsHeld: number; meetings: Meeting[] };
    type Dated = { id: string } | null;
    type Pref = { jurisdiction: { forum: Dated }; regions: { forum: Dated; municipalities: { name: string; forum: Dated }[] }[]; forums: { nodes: Forum[] } };
    const claims = { role: 'prefecture', jurisdictions: [TOTTORI] };
    const { data, errors } = await api<Pref>('PrefectureView', { code: TOTTORI, fiscalYear: FY }, claims);
    // The prefecture reads its forums' minutes (the tier above): nothing refused under forums.
    expect((errors ?? []).filter((e) => e.path?.[0] === 'forums')).toEqual([]);
    const forums = data.forums.nodes;
    // The same forums as the rest of the answer names: the prefecture's own, its regions' and its municipalities'.
    const named = [data.jurisdiction.forum, ...data.regions.map((r) => r.forum), ...data.regions.flatMap((r) => r.municipalities.map((m) => m.forum))]
      .filter((f): f is { id: string } => f !== null)
      .map((f) => f.id);
    expect(forums.map((f) => f.id).sort()).toEqual([...new Set(named)].sort());
    expect(forums.some((f) => f.meetings.length > 0 && (f.meetings[0]!.agenda?.length ?? 0) > 0)).toBe(true);
    const levels = new Map(
      (await api<{ labels: { forumLevel: { value: string; label: string }[] } }>('Labels', { from: 2015, to: 2040 }, claims)).data.labels.forumLevel.map(
        (l) => [l.value, l.label],
      ),
    );
    const fy = (await yearLabels(claims)).get(FY)!;
    // As the screen shows each forum: name, level (the API's word), set up, meetings of the year, the latest two dates and the latest minutes.
    const expected = (f: Forum): string[] => {
      const latest = f.meetings[0];
      return [
        f.name,
        levels.get(f.level)!,
        f.establishedOn ?? '—',
        `${f.meetingsHeld.toLocaleString('ja-JP')}回`,
        f.meetings.map((m) => m.heldOn).join('、') || '—',
        typeof latest?.attendees === 'number' ? `${latest.attendees.toLocaleString('ja-JP')}人` : '—',
        latest?.agenda?.join('／') || '—',
        latest?.decisions?.join('／') || '—',
      ];
    };
    const caption = '鳥取県の協議の場と直近の開催';
    const table = page.locator('.table-block', { has: page.locator('caption', { hasText: caption }) });
    expect(await table.locator('thead th').allInnerTexts()).toEqual(
      expect.arrayContaining(
        ['協議の場', '階層', '設置日', `${fy}の開催回数`, '直近の開催日', '直近の出席者数', '直近の議題', '直近の決定事項'].map((h) =>
          expect.stringContaining(h),
        ),
      ),
    );
    expect(await table.locator('tbody tr').count()).toBe(forums.length);
    // The prefecture's own forum first, then its regions', then its municipalities'.
    const order = ['PREFECTURE', 'REGION', 'MUNICIPALITY'];
    const byName = new Map(forums.map((f) => [f.name, f]));
    const shownLevels = (await table.locator('tbody tr th').allInnerTexts()).map((n) => order.indexOf(byName.get(n.trim())!.level));
    expect(shownLevels).toEqual([...shownLevels].sort((a, b) => a - b));
    for (const f of forums) {
      const row = table.locator('tbody tr', { has: page.locator('th', { hasText: exactly(f.name) }) });
      const shownRow = [(await row.locator('th').innerText()).trim(), ...(await row.locator('td').allInnerTexts()).map((t) => t.trim())];
      expect(shownRow).toEqual(expected(f));
    }
    // The municipalities' table says how often each one's forum met in the year, from the same list.
    const municipalities = page.locator('.table-block', { has: page.locator('caption', { hasText: '鳥取県の市町村' }) });
    const heldOf = new Map(forums.map((f) => [f.id, f.meetingsHeld]));
    for (const m of data.regions.flatMap((r) => r.municipalities)) {
      const cell = municipalities
        .locator('tbody tr', { has: page.locator('th', { hasText: exactly(m.name) }) })
        .locator('td')
        .nth(2);
      expect([m.name, (await cell.innerText()).trim()]).toEqual([m.name, m.forum ? `あり（${fy}の開催 ${heldOf.get(m.forum.id)}回）` : 'なし']);
    }
    await table.scrollIntoViewIfNeeded();
    if (shots) {
      fs.mkdirSync(shots, { recursive: true });
      await table.screenshot({ path: path.join(shots, 'prefecture-forums.png') });
    }
    // The CSV holds the same rows, numbers as numbers and '' where the screen shows —.
    const csv = await downloadText(page, caption, 'CSVで保存');
    expect(csv.download.suggestedFilename()).toBe(`鳥取県_協議の場_${fy}.csv`);
    const rows = parseCsv(csv.bytes.toString('utf8').slice(1));
    expect(rows.length).toBe(forums.length + 1);
    for (const f of forums) {
      const asExported = expected(f).map((v, i) => (v === '—' ? '' : i === 3 ? String(f.meetingsHeld) : i === 5 ? String(f.meetings[0]!.attendees) : v));
      expect(rows.find((r) => r[0] === f.name)).toEqual(asExported);
    }
    expect(problemsOf(page)).toEqual([]);
  });

  // JIS X 8341-3 / WCAG 2.1 AA, as axe-core checks it in the browser: contrast, names, structure.
  it.each([
    ['全国', '厚生労働省', null],
    ['都道府県', '鳥取県', null],
    ['市町村', '港区', null],
    ['アドバイザー', 'アドバイザー組織', 'アドバイザー'],
    ['sign-in', null, null],
  ] as const)('%s: no WCAG 2.1 A/AA violation found by axe-core (contrast included)', async (_view, identity, link) => {
    let page: Page;
    if (identity === null) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
      contexts.push(context);
      page = await context.newPage();
      await page.goto(base);
      await page.getByRole('button', { name: /^厚生労働省/ }).waitFor();
    } else {
      page = await signedIn(identity);
      if (link) await page.getByRole('link', { name: link }).click();
      await page.locator('main h2').first().waitFor();
      await page
        .locator('[aria-busy="true"]')
        .first()
        .waitFor({ state: 'detached', timeout: 60_000 })
        .catch(() => undefined);
    }
    // Evaluated over the DevTools protocol: the dashboard's CSP (script-src 'self') rightly refuses an injected script tag.
    await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const audit = () =>
      page.evaluate(async () => {
        type Rule = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
        const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: Rule[]; passes: Rule[] }> } }).axe;
        const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return {
          violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })),
          contrastChecked: result.passes.find((p) => p.id === 'color-contrast')?.nodes.length ?? 0,
        };
      });
    const { violations, contrastChecked } = await audit();
    expect(violations).toEqual([]);
    expect(contrastChecked).toBeGreaterThan(0);
    if (identity === null) {
      // The check can fail: grey on white below 4.5:1 is found.
      await page.evaluate(() => document.querySelector('main')?.insertAdjacentHTML('beforeend', '<p style="color:#aaa;background:#fff">低コントラスト</p>'));
      expect((await audit()).violations.map((v) => v.id)).toContain('color-contrast');
    }
  });
});
