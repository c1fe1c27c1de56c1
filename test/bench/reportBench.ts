/// <reference lib="dom" />
/**
 * The boundary report's figures for `npm run bench`: building the report
 * model and its HTML at the bench's scale, the page's size, how long Chromium
 * takes to render it, and the release calendar's first and second run on a
 * repository of 1,000 commits (the second reads every blob fact from the cache).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../../server/src/core/findings';
import type { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex';
import { defaultSince } from '../../server/src/core/report/calendar';
import { buildReport } from '../../server/src/core/report/model';
import { readCalendar } from '../../server/src/node/calendar';
import { toPosix } from '../../server/src/node/nodeHost';
import { loadIndex } from '../../server/src/node/workspace';
import { renderReportHtml } from '../../server/src/present/report/html';

export const REPORT_BUILD_TARGET_MS = 1000;
export const REPORT_RENDER_TARGET_MS = 1000;
export const REPORT_SIZE_TARGET = 2 * 1024 * 1024;
export const CALENDAR_SECOND_RUN_TARGET_MS = 1000;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface ReportFigures {
  readonly buildMs: number;
  readonly htmlMs: number;
  readonly bytes: number;
  readonly intents: number;
  readonly artifacts: number;
  /** Navigation start to the end of the load event (the script has run), median; undefined without Chromium. */
  readonly renderMs?: number;
  readonly renderNote: string;
}

/** Builds and renders the report `runs` times from a built index, then loads the page in Chromium. */
export async function measureReport(index: WorkspaceIndex, findings: readonly Finding[], runs: number): Promise<ReportFigures> {
  const builds: number[] = [];
  const renders: number[] = [];
  let html = '';
  let report = buildReport(index, findings);
  renderReportHtml(report, { mode: 'file' }); // JIT warm-up, untimed
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    report = buildReport(index, findings);
    const t1 = performance.now();
    html = renderReportHtml(report, { mode: 'file' });
    renders.push(performance.now() - t1);
    builds.push(t1 - t0);
  }
  const figures = { buildMs: median(builds), htmlMs: median(renders), bytes: Buffer.byteLength(html), intents: report.intents.length, artifacts: report.artifacts.length };
  if (!fs.existsSync(CHROMIUM)) return { ...figures, renderNote: `no Chromium at ${CHROMIUM}` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpart-bench-report-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
  try {
    const times: number[] = [];
    for (let r = 0; r < Math.max(3, runs); r++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // Load event end, then one frame: the page has been laid out and painted with its script run.
      const ms = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => {
        const nav = window.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        resolve(Math.max(nav.loadEventEnd, window.performance.now()));
      })));
      times.push(ms);
      await page.close();
    }
    return { ...figures, renderMs: median(times), renderNote: `median of ${times.length}: ${times.map((t) => Math.round(t)).join(', ')} ms` };
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface CalendarFigures {
  readonly commits: number;
  readonly events: number;
  readonly firstMs: number;
  readonly secondMs: number;
  readonly note?: string;
}

/**
 * A repository of `commits` commits over the last eight weeks by both sides,
 * each editing one of 40 prompts, a tool list or a UI file (written with
 * `git fast-import`, so making it takes a moment), then the calendar twice.
 */
export async function measureCalendar(commits = 1000): Promise<CalendarFigures> {
  if (spawnSync('git', ['--version']).status !== 0) return { commits: 0, events: 0, firstMs: 0, secondMs: 0, note: 'git is not installed' };
  const dir = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'counterpart-bench-calendar-'))));
  try {
    const prompts = 40;
    const manifest = [
      'version: 1',
      'owners:',
      '  product: { title: Product, lead: "@dana", members: [dana@acme.com] }',
      '  platform: { title: ML Platform, lead: "@sam", members: [sam@acme.com] }',
      'artifacts:',
      ...Array.from({ length: prompts }, (_, i) => `  - { id: prompt-${i}, kind: system-prompt, files: prompts/p${i}.md, owner: platform, intents: [intent-${i % 10}] }`),
      ...Array.from({ length: 10 }, (_, i) => `  - { id: tool-${i}, kind: tool-description, files: tools/tools.json, tool: tool_${i}, owner: platform, intents: [intent-${i}] }`),
      'intents:',
      ...Array.from({ length: 10 }, (_, i) => `  - { id: intent-${i}, owner: product }`),
      'surfaces:',
      '  - files: src/**/*.tsx',
      `    marker: 'data-intent="(?<intent>[a-z0-9-]+)"'`,
      '    owner: product',
      '',
    ].join('\n');
    const now = Date.now();
    // Inside the calendar's default window (this week and the seven before it), so every commit is read.
    const span = now - defaultSince(new Date(now)).getTime() - 3600 * 1000;
    const lines: string[] = [];
    const blob = (p: string, text: string): void => {
      lines.push(`M 100644 inline ${p}`, `data ${Buffer.byteLength(text)}`, text);
    };
    const tools = (n: number): string => JSON.stringify({ tools: Array.from({ length: 10 }, (_, i) => ({ name: `tool_${i}`, description: `Tool ${i}, version ${i === n % 10 ? n : 0}.` })) }, null, 2);
    for (let c = 0; c < commits; c++) {
      const who = c % 3 === 0 ? ['Dana Reyes', 'dana@acme.com'] : ['Sam Okafor', 'sam@acme.com'];
      const when = Math.floor((now - span + (span * c) / commits) / 1000);
      const message = `Change ${c}`;
      lines.push('commit refs/heads/main', `author ${who[0]} <${who[1]}> ${when} +0000`, `committer ${who[0]} <${who[1]}> ${when} +0000`, `data ${message.length}`, message);
      if (c === 0) {
        blob('counterpart.yaml', manifest);
        for (let i = 0; i < prompts; i++) blob(`prompts/p${i}.md`, `You are prompt ${i}.\n`);
        blob('tools/tools.json', tools(0));
      } else if (c % 5 === 0) {
        blob('tools/tools.json', tools(c));
      } else if (c % 7 === 0) {
        blob(`src/ui/Panel${c % 20}.tsx`, `// revision ${c}\n<button data-intent="intent-${c % 10}">x</button>\n<button data-intent="intent-${(c + 3) % 10}">y</button>\n`);
      } else {
        blob(`prompts/p${c % prompts}.md`, `You are prompt ${c % prompts}.\nRevision ${c}.\n`);
      }
      lines.push('');
    }
    spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    const imported = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, input: lines.join('\n') + '\n', maxBuffer: 64 * 1024 * 1024 });
    if (imported.status !== 0) return { commits: 0, events: 0, firstMs: 0, secondMs: 0, note: `git fast-import failed: ${imported.stderr}` };
    spawnSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
    const index = await loadIndex(dir);
    if (!index) return { commits: 0, events: 0, firstMs: 0, secondMs: 0, note: 'no manifest in the generated repository' };
    const t0 = performance.now();
    const first = await readCalendar(dir, index);
    const t1 = performance.now();
    const second = await readCalendar(dir, index);
    const t2 = performance.now();
    return { commits: second.commits, events: first.weeks.reduce((n, w) => n + w.events.length, 0), firstMs: t1 - t0, secondMs: t2 - t1 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
