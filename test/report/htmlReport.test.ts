/// <reference lib="dom" />
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildReport } from '../../server/src/core/report/model';
import { computeFindings } from '../../server/src/core/rules/rules';
import { loadIndex } from '../../server/src/node/workspace';
import { renderReportHtml } from '../../server/src/present/report/html';
import { CLI, demoRepository } from './demoRepo';

const REPO = path.resolve(__dirname, '../../..');
const DOCS = path.join(REPO, 'docs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

interface AxeResult { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }

/** axe-core run in the page (through the debugger, so the page's CSP stays as strict as shipped). */
async function axe(page: Page): Promise<AxeResult['violations']> {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => (window as unknown as { axe: { run(o: object): Promise<AxeResult> } }).axe.run({ resultTypes: ['violations'] }));
  return result.violations;
}

function describeViolations(v: AxeResult['violations']): string {
  return v.map((x) => `${x.id} (${x.impact}): ${x.help} at ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

/** Waits for a condition in the page, polling until a deadline. */
async function until(page: Page, condition: () => boolean, what: string): Promise<void> {
  try {
    await page.waitForFunction(condition, undefined, { timeout: 10000, polling: 50 });
  } catch {
    assert.fail(`timed out waiting for ${what}`);
  }
}

describe('HTML report in Chromium', function () {
  this.timeout(120000);
  let browser: Browser;
  let page: Page;
  let demo: ReturnType<typeof demoRepository>;
  let htmlFile: string;
  const cspErrors: string[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip();
    demo = demoRepository();
    htmlFile = path.join(path.dirname(demo.dir), 'out', 'boundary-report.html');
    const r = spawnSync(process.execPath, [CLI, 'report', demo.dir, '--html', htmlFile], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Wrote .*boundary-report\.html \(\d+ KB\)/);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  });

  after(async () => {
    await browser?.close();
    demo?.dispose();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(pathToFileURL(htmlFile).href);
  });

  afterEach(async () => {
    await page?.close();
  });

  it('shows the map, the calendar, the drift list and the problems, with headings and table semantics', async () => {
    assert.equal(await page.locator('h1').textContent(), 'Boundary report: support-bot');
    assert.deepEqual(await page.locator('h2').allTextContents(), ['Coverage map', 'Release calendar', 'Drift: changed since the counterpart review', 'Artifacts waiting for review', 'Manifest problems']);
    const map = page.getByRole('table', { name: /intents by owner/ });
    assert.deepEqual(await map.locator('thead th').allTextContents(), ['Intent ⇅', 'State ⇅', 'UI surfaces', 'System prompts tuned for it', 'Tools serving it', 'Eval cases', 'Help-copy promises'].map((t) => t.replace(' ⇅', '')));
    const express = map.getByRole('row', { name: /Express refund/ });
    assert.match(await express.textContent() ?? '', /Uncovered.*Unhandled.*Promised, not handled/);
    assert.match(await map.getByRole('rowheader', { name: /Product \(@dana\)/ }).textContent() ?? '', /5 intents/);
    // The calendar: the unsigned crossing and the signed one, with authors and sides.
    const calendar = page.locator('#calendar');
    const tool = calendar.getByRole('row', { name: /Tool description 'refund-tool' changed/ });
    assert.match(await tool.textContent() ?? '', /Sam Okafor \(ML Platform\).*⚠ Not reviewed by the other side/);
    const handoff = calendar.getByRole('row', { name: /System prompt 'handoff-prompt' changed/ });
    assert.match(await handoff.textContent() ?? '', /Signed by @lee \(Product\)/);
    assert.match(await calendar.getByRole('row', { name: /Intent 'express-refund' added to the UI/ }).textContent() ?? '', /Dana Reyes \(Product\)/);
    assert.match(await calendar.locator('.history').textContent() ?? '', /History starts at .*the first commit/);
    // The drift list has the diff of the tool's located text.
    assert.match(await page.locator('#drift').textContent() ?? '', /-Creates a refund draft for an order\.\n\+Creates a refund draft for an order\. Only call this when/);
    assert.ok(await page.locator('#problems li').count() >= 5);
    assert.deepEqual(cspErrors, [], 'the page runs under its own CSP without violations');
  });

  it('links every place to its file and line', async () => {
    const links = await page.locator('a[data-file]').evaluateAll((as) => as.map((a) => ({ href: (a as HTMLAnchorElement).href, file: a.getAttribute('data-file'), line: a.getAttribute('data-line') })));
    assert.ok(links.length > 30, `${links.length} links`);
    for (const link of links) {
      assert.ok(link.file && link.line !== null && /^\d+$/.test(link.line), JSON.stringify(link));
      const url = new URL(link.href);
      assert.equal(url.hash, `#L${Number(link.line) + 1}`);
      assert.equal(decodeURIComponent(url.pathname), `${demo.dir}/${link.file}`);
      assert.ok(fs.existsSync(decodeURIComponent(url.pathname)), `${link.file} exists`);
    }
  });

  it('filters by owner and by state, and says how many rows it shows', async () => {
    const filters = page.locator('.filters[data-for="map-table"]');
    await filters.getByLabel('State').selectOption('uncovered');
    const visible = page.locator('#map-table tbody tr:not(.group):visible');
    const states = await visible.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-states')));
    assert.ok(states.length > 0 && states.every((s) => s?.split(' ').includes('uncovered')), JSON.stringify(states));
    assert.equal(await filters.getByRole('status').textContent(), `Showing ${states.length} of 8 intents.`);
    await filters.getByLabel('State').selectOption('');
    await filters.getByLabel('Owner').selectOption('product');
    assert.equal(await visible.count(), 5);
    assert.equal(await page.locator('#map-table tbody[data-group="-"]').isHidden(), true, 'a group with nothing shown is hidden with its heading');
    // The artifact list has its own filters.
    const artifacts = page.locator('.filters[data-for="artifacts-table"]');
    await artifacts.getByLabel('State').selectOption('changed');
    assert.deepEqual(await page.locator('#artifacts-table tbody tr:not(.group):visible th').allTextContents(), ['support-prompt', 'refund-tool']);
    // The calendar's: only the changes nobody on the other side signed, of one owner.
    const calendar = page.locator('.filters[data-for="calendar-weeks"]');
    await calendar.getByLabel('State').selectOption('not-reviewed');
    const rows = page.locator('#calendar-weeks tbody tr:visible');
    assert.ok(await rows.count() > 0);
    for (const text of await rows.allTextContents()) assert.match(text, /⚠ Not reviewed by the other side/);
    await calendar.getByLabel('Owner').selectOption('product');
    assert.deepEqual((await rows.allTextContents()).map((t) => /(Help copy '[a-z-]+')/.exec(t)?.[1]), ["Help copy 'refund-help'"]);
    assert.match(await calendar.getByRole('status').textContent() ?? '', /^Showing 1 of \d+ changes\.$/);
  });

  it('sorts a column from its header button and says which way', async () => {
    const header = page.locator('#map-table thead th', { hasText: 'Eval cases' });
    await header.getByRole('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    const counts = async (): Promise<number[]> => page.locator('#map-table tbody[data-group="product"] tr:not(.group) td:nth-child(6)').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
    const up = await counts();
    assert.deepEqual(up, [...up].sort((a, b) => a - b));
    await header.getByRole('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    const down = await counts();
    assert.deepEqual(down, [...up].sort((a, b) => b - a));
  });

  it('works from the keyboard: skip link, filters, sorting, opening a cell', async () => {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the coverage map');
    await page.keyboard.press('Enter');
    // From the map, the next stops are the filters, then the sort buttons.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('label')?.textContent?.startsWith('Owner')), true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'BUTTON');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#map-table thead th[aria-sort="ascending"]').count(), 1);
    const summary = page.locator('#map-table summary').first();
    await summary.focus();
    await page.keyboard.press('Enter');
    assert.equal(await summary.evaluate((s) => (s.parentElement as HTMLDetailsElement).open), true);
    await until(page, () => document.activeElement?.tagName === 'SUMMARY', 'the summary to keep focus');
  });

  it('has no axe-core violations, light and dark', async () => {
    let violations = await axe(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.emulateMedia({ colorScheme: 'dark' });
    violations = await axe(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    // With the details open (their links visible) too.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('#map-table details').evaluateAll((ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    violations = await axe(page);
    assert.equal(violations.length, 0, describeViolations(violations));
  });

  it('reads without its script: the tables are all there, the filters hidden', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const plain = await context.newPage();
    await plain.goto(pathToFileURL(htmlFile).href);
    assert.equal(await plain.locator('#map-table tbody tr:not(.group)').count(), 8);
    assert.equal(await plain.locator('.filters').first().isHidden(), true);
    assert.ok(await plain.locator('#calendar table').count() > 0);
    await context.close();
  });

  it('takes the screenshots for the README: the map and the calendar', async () => {
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.locator('#map-table details').first().evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.locator('#map').screenshot({ path: path.join(DOCS, 'report-map.png') });
    const weeks = page.locator('#calendar');
    await weeks.screenshot({ path: path.join(DOCS, 'report-calendar.png') });
    for (const f of ['report-map.png', 'report-calendar.png']) assert.ok(fs.statSync(path.join(DOCS, f)).size > 10_000, f);
  });

  it('renders text from the workspace as text: a prompt with <script> runs nothing', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-hostile-')));
    try {
      fs.cpSync(demo.dir, dir, { recursive: true });
      const evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
      fs.appendFileSync(path.join(dir, 'prompts/support/system.prompt.md'), `\n${evil}\n`);
      fs.writeFileSync(path.join(dir, 'counterpart.yaml'), fs.readFileSync(path.join(dir, 'counterpart.yaml'), 'utf8').replace('title: Express refund', `title: '${evil.replace(/'/g, "''")}'`));
      const index = (await loadIndex(dir))!;
      const html = renderReportHtml(buildReport(index, computeFindings(index)), { mode: 'file' });
      const file = path.join(dir, 'report.html');
      fs.writeFileSync(file, html);
      await page.goto(pathToFileURL(file).href);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.equal(await page.locator('script').count(), 1);
      assert.equal(await page.locator('img').count(), 0);
      assert.ok((await page.locator('#map-table').textContent())?.includes('<script>window.__pwned = 1</script>'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in a webview, a click on a place posts open with its file and line', async () => {
    const index = (await loadIndex(demo.dir))!;
    const html = renderReportHtml(buildReport(index, computeFindings(index)), { mode: 'webview', nonce: 'test-nonce-1', cspSource: 'https://file+.vscode-resource.vscode-cdn.net' });
    const file = path.join(path.dirname(htmlFile), 'webview.html');
    fs.writeFileSync(file, html);
    await page.addInitScript(() => {
      const w = window as unknown as { posted: unknown[]; acquireVsCodeApi(): { postMessage(m: unknown): void } };
      w.posted = [];
      w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.posted.push(m) });
    });
    await page.goto(pathToFileURL(file).href);
    const link = page.locator('#map-table a[data-file="src/ui/RefundPanel.tsx"]').first();
    const line = Number(await link.getAttribute('data-line'));
    await link.click();
    await until(page, () => (window as unknown as { posted: unknown[] }).posted.length > 0, 'a message');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { posted: unknown[] }).posted), [{ command: 'open', file: 'src/ui/RefundPanel.tsx', line }]);
    assert.equal(new URL(page.url()).hash, '', 'the link did not navigate');
  });
});
