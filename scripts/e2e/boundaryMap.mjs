#!/usr/bin/env node
// The Boundary Map webview in a real VS Code (offline server + Debian Chromium, see harness.mjs):
// opens a copy of examples/support-bot with the packaged extension installed, runs "Counterpart:
// Open Boundary Map" from the palette, finds the webview's frame inside the workbench and checks
// what a person gets: the example's gaps on the page, themed with VS Code's colours, a strict
// Content Security Policy that really blocks a stray script, no axe-core violations, a place
// opened at its line by a click and by the keyboard, the map following an edit, and the panel and
// its scroll position back after a window reload. With --restricted, a second server in Restricted
// Mode checks that the map renders without the calendar and says why.
//
//   node scripts/e2e/boundaryMap.mjs --vsix counterpart-0.1.0.vsix --workspace <copy of examples/support-bot>
//        [--history] [--restricted <another copy>] [--screenshots docs] [--timeout 240] [--verbose]
//   (--extension <dir> instead of --vsix loads the source folder in development mode.)
//
// Prints one line per check and closes with "e2e: N passed, N failed" (all.mjs adds these up).
// Exit code: 0 all passed, 1 a check failed (or the harness broke), 2 overall timeout.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { emptyDevelopmentFolder, installSignalHandlers, installVsix, launchBrowser, makeDataDir, openWorkbench, repoRoot, startServer, stopAll, waitForWorkbench } from './harness.mjs';

const { values } = parseArgs({
  options: {
    vsix: { type: 'string' },
    extension: { type: 'string' },
    workspace: { type: 'string' },
    restricted: { type: 'string' },
    // The workspace is test/report/demoRepo.ts's repository: the calendar has its changes to show.
    history: { type: 'boolean', default: false },
    screenshots: { type: 'string' },
    timeout: { type: 'string', default: '240' },
    verbose: { type: 'boolean', default: false },
  },
  strict: true,
});
if (!values.workspace || (!values.vsix && !values.extension)) {
  console.error('usage: node scripts/e2e/boundaryMap.mjs --vsix <file> | --extension <dir>  --workspace <folder> [--restricted <folder>] [--screenshots <dir>] [--timeout <s>]');
  process.exit(1);
}

const workspace = path.resolve(values.workspace);
const shotsDir = values.screenshots ? path.resolve(values.screenshots) : undefined;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (line) => console.log(`[map] ${line}`);
const axeSource = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

// ---- checks and waiting (as in person.mjs) -----------------------------------------------

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`  ok    ${name}`);
  } else {
    failed++;
    console.log(`  FAIL  ${name}${detail ? `\n        ${String(detail).replace(/\n/g, '\n        ')}` : ''}`);
  }
  return ok;
}
const clip = (s, n = 600) => (s.length > n ? `${s.slice(0, n)}…` : s);
const flat = (s) => s.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

let summarized = false;
function summary() {
  if (summarized) return;
  summarized = true;
  console.log(`[map] done in ${elapsed()}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
}
process.on('exit', summary);

let stopping;
const overall = setTimeout(() => {
  stopping = 'timeout';
  failed++;
  console.log(`  FAIL  everything within ${values.timeout}s (overall timeout)`);
  stopAll().finally(() => { summary(); process.exit(2); });
}, Number(values.timeout) * 1000);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { stopping ??= 'signal'; });

/** Polls `probe` until it returns a truthy value (not `{ ok: false }`); throws after `ms` with the last value seen. */
async function until(probe, what, ms = 15_000, every = 100) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last && !(typeof last === 'object' && 'ok' in last && !last.ok)) return last;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) {
      const seen = typeof last === 'object' && last && 'seen' in last ? last.seen : last;
      throw new Error(`timed out after ${ms / 1000}s waiting for ${what}${seen ? `; last saw: ${JSON.stringify(clip(String(seen)))}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, every));
  }
}

let page;
async function failureShot(name) {
  if (!page) return;
  const file = path.join(os.tmpdir(), `counterpart-map-failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path: file, timeout: 5_000 }).then(() => log(`failure screenshot ${file}`), () => {});
}

/** Runs one step; a step that throws counts as one failed check and the next step still runs. */
async function step(name, fn) {
  if (stopping) return;
  console.log(`\n[map] ${name}`);
  try {
    await fn();
  } catch (e) {
    if (stopping) return;
    check(name, false, e.message.split('\n').slice(0, 6).join('\n'));
    await failureShot(name);
  }
}

// ---- the workbench -------------------------------------------------------------------------

const activeTab = (p) => p.evaluate(() => document.querySelector('.part.editor .editor-group-container.active .tabs-container .tab.active')?.getAttribute('aria-label') ?? '');
const cursor = (p) => p.evaluate(() => document.querySelector('.statusbar [id="status.editor.selection"]')?.textContent?.trim() ?? '');
const focusedPick = (p) => p.evaluate(() => document.querySelector('.quick-input-widget .monaco-list-row.focused')?.textContent ?? '');

/** F1, type the command's title, wait for it to be the top pick, Enter. */
async function runCommand(p, title) {
  await p.keyboard.press('F1');
  await p.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 10_000 });
  await p.keyboard.type(title);
  await until(async () => {
    const t = flat(await focusedPick(p));
    return t.toLowerCase().includes(title.toLowerCase()) ? t : { ok: false, seen: t };
  }, `the palette to offer "${title}"`);
  await p.keyboard.press('Enter');
  await p.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * The Boundary Map's frame. A webview is two nested iframes in the workbench (the host page and
 * the content); the content frame is the one holding the report's places.
 */
async function mapFrame(p, what = 'the Boundary Map webview', ms = 30_000, expect = () => true) {
  return until(async () => {
    for (const frame of p.frames()) {
      if (frame === p.mainFrame() || frame.isDetached()) continue;
      // The report's page (not the "drawing…" one shown while it is on its way).
      const text = await frame.evaluate(() => (document.querySelector('a[data-file]') ? document.body.innerText : '')).catch(() => '');
      if (text && expect(text)) return { frame, text };
    }
    return { ok: false, seen: `${p.frames().length} frames` };
  }, what, ms);
}

async function screenshot(p, name) {
  if (!shotsDir) return;
  fs.mkdirSync(shotsDir, { recursive: true });
  const file = path.join(shotsDir, name);
  await p.screenshot({ path: file });
  log(`screenshot ${path.relative(process.cwd(), file) || file}`);
}

/** Opens a workbench window on `folder`; resolves once it is laid out, with the secondary side bar closed. */
async function openWindow(server, browser, dirs, folder) {
  const wb = await openWorkbench({
    server, browser, workspace: folder,
    log: (l) => values.verbose && console.log(l),
    viewport: { width: 1400, height: 900 },
    onLog: (line, type) => {
      if (values.verbose || type === 'error') console.log(`[workbench${type === 'error' ? ' error' : ''}] ${line}`);
    },
    extensionDevelopmentPath: values.vsix ? emptyDevelopmentFolder(dirs) : path.resolve(values.extension),
  });
  await waitForWorkbench(wb.page);
  log(`workbench on ${path.basename(folder)} up after ${elapsed()}`);
  await runCommand(wb.page, 'View: Hide Secondary Side Bar').catch((e) => log(`could not hide the secondary side bar: ${e.message}`));
  return wb;
}

const MAP_ITEM = '.statusbar .statusbar-item[aria-label="Open the Counterpart Boundary Map"], .statusbar [id="counterpart.counterpart.counterpart.boundaryMap"]';

/** Waits for Counterpart to have indexed the workspace (its status bar entry shows), then opens the map from the palette or that entry. */
async function openMap(p, how = 'palette') {
  await until(() => p.locator(MAP_ITEM).count(), 'the Boundary Map entry in the status bar', 60_000);
  if (how === 'palette') await runCommand(p, 'Counterpart: Open Boundary Map');
  else await p.locator(MAP_ITEM).first().click();
}

// ---- the run ------------------------------------------------------------------------------

let server;
let browser;
let code = 0;
const dirs = makeDataDir('counterpart-map-');
installSignalHandlers();
process.on('exit', () => { try { fs.rmSync(dirs.root, { recursive: true, force: true }); } catch { /* best effort */ } });
try {
  if (values.vsix) await installVsix(values.vsix, { dirs, log: (l) => values.verbose && console.log(l) });
  server = await startServer({ trust: true, dirs, verbose: values.verbose, log: (l) => values.verbose && console.log(l) });
  browser = await launchBrowser();
  const wb = await openWindow(server, browser, dirs, workspace);
  page = wb.page;
  let map;

  await step('open the map from the palette', async () => {
    await openMap(page);
    map = await mapFrame(page, 'the Boundary Map to show the express-refund gap', 30_000, (t) => t.includes('express-refund'));
    const tab = await until(async () => {
      const t = await activeTab(page);
      return t.includes('Boundary Map') ? t : { ok: false, seen: t };
    }, 'the Boundary Map tab', 5_000).catch(() => activeTab(page));
    check(`the panel's tab is titled for the folder (${tab})`, tab.includes(`Boundary Map: ${path.basename(workspace)}`), tab);
    const text = flat(map.text);
    log(`page text: ${clip(text, 300)}`);
    check('the page shows the uncovered express-refund intent', /express-refund/.test(text) && /no eval case/i.test(text), clip(text));
    check('the page shows the tool description that drifted since its review', /refund-tool|tools\/refund\.json/.test(text), clip(text));
    check('manifest errors are listed as the Problems panel words them', /This key is given twice in the same block/.test(text) && /'growth' is not one of the owners/.test(text), clip(text));
    if (values.history) {
      const rowOf = (subject) => map.frame.evaluate((s) => [...document.querySelectorAll('#calendar tr')].map((tr) => tr.innerText.replace(/\s+/g, ' ')).find((t) => t.includes(s)) ?? '', subject);
      const tool = await rowOf('Refund tool: call it only after explicit confirmation');
      check('the calendar shows the refund tool\'s change, which product never signed', /Not reviewed by the other side/.test(tool), tool || clip(text));
      const handoff = await rowOf('Handoff prompt: lower temperature');
      check('and the handoff prompt\'s change, which product signed', /Signed by/.test(handoff), handoff || clip(text));
    } else {
      check('the calendar says what history it could read (the copy is not a git repository)', /not in a git repository/.test(text), clip(text));
    }
    const places = await map.frame.locator('a[data-file]').count();
    check(`every place is a link (${places} of them)`, places > 10);
  });

  await step('the Counterpart Boundary view offers the map in its title bar', async () => {
    const header = page.locator('.pane-header').filter({ hasText: 'Counterpart Boundary' }).first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await header.hover();
    const action = header.locator('.actions [aria-label="Open Boundary Map"], .actions [aria-label^="Open Boundary Map"]').first();
    await action.waitFor({ state: 'visible', timeout: 10_000 });
    await action.click();
    const tabs = await until(async () => {
      const n = await page.locator('.part.editor .tab').filter({ hasText: 'Boundary Map' }).count();
      return n > 0 ? n : { ok: false, seen: n };
    }, 'the Boundary Map tab', 5_000);
    check(`the title bar's button brings the one map forward (${tabs} tab)`, tabs === 1 && (await activeTab(page)).includes('Boundary Map'));
    map = await mapFrame(page);
  });

  await step('themed with VS Code\'s colours', async () => {
    const colours = await map.frame.evaluate(() => ({
      variable: getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim(),
      background: getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim(),
      body: getComputedStyle(document.body).color,
      kind: document.body.className,
    }));
    log(`colours: ${JSON.stringify(colours)}`);
    check('VS Code hands the page its theme (--vscode-foreground is set)', colours.variable !== '', JSON.stringify(colours));
    const rgb = await map.frame.evaluate((c) => { const el = document.createElement('span'); el.style.color = c; document.body.append(el); const v = getComputedStyle(el).color; el.remove(); return v; }, colours.variable);
    check('the text is drawn in the theme\'s foreground colour', colours.body === rgb, `body ${colours.body}, theme ${rgb}`);
  });

  await step('a strict Content Security Policy', async () => {
    const csp = await map.frame.evaluate(() => ({
      policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      // VS Code adds its own script (acquireVsCodeApi, id _vscodeApiScript) before the page's policy applies.
      scripts: [...document.scripts].filter((s) => s.id !== '_vscodeApiScript').map((s) => ({ nonce: s.nonce !== '', src: s.src })),
      remote: [...document.querySelectorAll('[src], link[href]')].map((e) => e.getAttribute('src') ?? e.getAttribute('href')).filter((u) => /^(https?:)?\/\//.test(u)),
    }));
    log(`policy: ${csp.policy}`);
    check('the policy allows nothing by default', /default-src 'none'/.test(csp.policy), csp.policy);
    check('the policy runs only scripts with its nonce', /script-src 'nonce-[A-Za-z0-9+/=]+'/.test(csp.policy) && !/script-src[^;]*unsafe-inline/.test(csp.policy), csp.policy);
    check('every script on the page carries the nonce', csp.scripts.length > 0 && csp.scripts.every((s) => s.nonce && !s.src), JSON.stringify(csp.scripts));
    check('nothing is loaded from elsewhere', csp.remote.length === 0, JSON.stringify(csp.remote));
    // A script slipped into the page without the nonce does not run.
    const ran = await map.frame.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__strayScriptRan = true;';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 100));
      s.remove();
      return window.__strayScriptRan === true;
    });
    check('a script without the nonce is blocked', !ran);
  });

  await step('accessible: no axe-core violations in the webview', async () => {
    // Evaluated through the debugger protocol, which the page's policy does not govern (the axe
    // source could not be injected as a <script>: the policy would rightly block it).
    await map.frame.evaluate(`${axeSource}\n;void 0`);
    const result = await map.frame.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return { violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })), passes: r.passes.length };
    });
    log(`axe: ${result.passes} rules passed, ${result.violations.length} violated`);
    check('axe-core finds no violations', result.violations.length === 0, result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(', ')}`).join('\n'));
    const semantics = await map.frame.evaluate(() => ({
      h1: document.querySelectorAll('h1').length,
      h2: document.querySelectorAll('h2').length,
      tables: document.querySelectorAll('table').length,
      headers: document.querySelectorAll('table th').length,
    }));
    check(`headings and table semantics (${JSON.stringify(semantics)})`, semantics.h1 === 1 && semantics.h2 >= 2 && (semantics.tables === 0 || semantics.headers > 0), JSON.stringify(semantics));
  });

  /** The colour theme picker (Ctrl+K Ctrl+T), as a person opens it. */
  const pickTheme = async () => {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+T');
    await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 10_000 });
  };
  await step('accessible in a dark theme too', async () => {
    await pickTheme();
    await page.keyboard.type('Dark Modern');
    await until(async () => flat(await focusedPick(page)).includes('Dark Modern') || { ok: false, seen: await focusedPick(page) }, 'the Dark Modern theme to be offered');
    await page.keyboard.press('Enter');
    const dark = await until(async () => {
      const kind = await map.frame.evaluate(() => document.body.className).catch(() => '');
      return /vscode-dark/.test(kind) ? kind : { ok: false, seen: kind };
    }, 'the map to follow the dark theme', 10_000);
    log(`body class: ${dark}`);
    await map.frame.evaluate(`${axeSource}\n;void 0`).catch(() => {});
    const violations = await map.frame.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
    check('axe-core finds no violations in Dark Modern', violations.length === 0, violations.join('\n'));
    await screenshot(page, 'boundary-map-webview-dark.png');
    await pickTheme();
    await page.keyboard.type('Light Modern');
    await until(async () => flat(await focusedPick(page)).includes('Light Modern') || { ok: false, seen: await focusedPick(page) }, 'the Light Modern theme to be offered');
    await page.keyboard.press('Enter');
    await until(async () => /vscode-light/.test(await map.frame.evaluate(() => document.body.className).catch(() => '')), 'the map to be light again', 10_000);
  });

  await step('screenshot of the map in VS Code', async () => {
    await page.mouse.move(5, 890);
    await screenshot(page, 'boundary-map-webview.png');
    // And the gap the example is about: the express-refund button nobody covers.
    const scrolled = await map.frame.evaluate(() => {
      const row = [...document.querySelectorAll('#map-table tr')].find((tr) => tr.textContent.includes('express-refund'));
      if (!row) return false;
      window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - 120);
      return true;
    });
    if (scrolled) await screenshot(page, 'boundary-map-gap.png');
    await map.frame.evaluate(() => window.scrollTo(0, 0));
  });

  /** Where a place in the map leads: its file and 1-based line. */
  const placeOf = (a) => a.evaluate((el) => ({ file: el.dataset.file, line: Number(el.dataset.line) + 1, text: el.textContent.trim() }));
  /** Waits until the editor shows `file` with the cursor on `line`. */
  const expectEditorAt = async (file, line, how) => {
    const at = await until(async () => {
      const tab = await activeTab(page);
      const where = await cursor(page);
      return tab.includes(path.basename(file)) && new RegExp(`^Ln ${line},`).test(where) ? { tab, where } : { ok: false, seen: `tab ${tab}; ${where}` };
    }, `${file} to open at line ${line}`, 15_000).catch((e) => ({ error: e.message }));
    check(`${how} opens ${file} at line ${line}`, !at.error, at.error);
  };

  await step('a click on a place opens the file at its line', async () => {
    const link = map.frame.locator('a[data-file="src/ui/RefundPanel.tsx"]').first();
    const place = await placeOf(link);
    log(`clicking "${place.text}" → ${place.file}:${place.line}`);
    await link.click();
    await expectEditorAt(place.file, place.line, 'a click');
  });

  await step('Enter on a focused place opens it too (keyboard only)', async () => {
    map = await mapFrame(page);
    const link = map.frame.locator('a[data-file="tools/refund.json"], a[data-file="counterpart.yaml"]').first();
    const place = await placeOf(link);
    // Into the page as a keyboard user gets there: focus the page, then Tab until the place is focused.
    await link.focus();
    await map.frame.evaluate(() => document.activeElement?.blur());
    const links = await map.frame.locator('a[data-file]').evaluateAll((as) => as.map((a) => `${a.dataset.file}:${a.dataset.line}`));
    const target = `${place.file}:${place.line - 1}`;
    await map.frame.locator('body').focus().catch(() => {});
    let reached = false;
    for (let i = 0; i < links.length + 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await map.frame.evaluate((t) => { const a = document.activeElement; return a?.matches?.('a[data-file]') && `${a.dataset.file}:${a.dataset.line}` === t; }, target);
    }
    check(`Tab reaches the place ${target}`, reached);
    const ring = await map.frame.evaluate(() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth}`; });
    check(`the focused place shows a focus outline (${ring})`, !/^none|^\S+ 0px/.test(ring), ring);
    await page.keyboard.press('Enter');
    await expectEditorAt(place.file, place.line, 'Enter');
  });

  await step('the map follows an edit as it is typed', async () => {
    // The editor (beside the map) has tools/refund.json or counterpart.yaml; type a new intent
    // marker into the UI file instead, as main.e2e.ts does through the API.
    const link = (await mapFrame(page)).frame.locator('a[data-file="src/ui/RefundPanel.tsx"]').first();
    await link.click();
    await until(async () => (await activeTab(page)).includes('RefundPanel.tsx'), 'RefundPanel.tsx to be active', 10_000);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    // The closing quote typed too: VS Code may or may not have closed it (then it types over it).
    await page.keyboard.type('<b data-intent="seat-upgrade"');
    const seen = await mapFrame(page, 'the map to show the new seat-upgrade marker', 15_000, (t) => t.includes('seat-upgrade')).catch((e) => ({ error: e.message }));
    if (!check('the map shows the marker typed a moment ago, unsaved', !seen.error, seen.error)) await failureShot('live');
    // Delete the line again, and the map drops it.
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    const gone = await mapFrame(page, 'the map to drop seat-upgrade', 15_000, (t) => !t.includes('seat-upgrade')).catch((e) => ({ error: e.message }));
    check('and drops it once the line is deleted', !gone.error, gone.error);
  });

  await step('the map and where the reader was come back after a reload', async () => {
    map = await mapFrame(page);
    // A reader narrows the map to Product's intents, then scrolls.
    await map.frame.locator('.filters[data-for="map-table"] select[data-filter="owner"]').selectOption('product');
    const shownBefore = await map.frame.locator('.filters[data-for="map-table"] .shown').innerText();
    // …and sorts it by intent, twice: descending.
    const sortButton = map.frame.locator('#map-table thead th').first().locator('button');
    await sortButton.click();
    await sortButton.click();
    const sortBefore = await map.frame.locator('#map-table thead th').first().getAttribute('aria-sort');
    log(`filtered: ${shownBefore}`);
    const scrolled = await map.frame.evaluate(async () => {
      window.scrollTo(0, Math.min(200, document.documentElement.scrollHeight - window.innerHeight));
      await new Promise((r) => setTimeout(r, 400)); // the page saves its scroll 100 ms after it stops
      return Math.round(window.scrollY);
    });
    log(`scrolled the map to ${scrolled}px`);
    await runCommand(page, 'Developer: Reload Window');
    await waitForWorkbench(page);
    const back = await mapFrame(page, 'the Boundary Map to be back after the reload', 60_000).catch((e) => ({ error: e.message }));
    check('the Boundary Map panel is back after a reload', !back.error, back.error);
    if (back.error) return;
    const y = await until(async () => {
      const v = await back.frame.evaluate(() => Math.round(window.scrollY));
      return v === scrolled ? v : { ok: false, seen: v };
    }, `the map to scroll back to ${scrolled}px`, 5_000).catch(() => back.frame.evaluate(() => Math.round(window.scrollY)));
    check(`the map keeps its scroll position (${y}px)`, scrolled === 0 || y === scrolled, `was ${scrolled}, now ${y}`);
    const filter = await back.frame.evaluate(() => ({
      owner: document.querySelector('.filters[data-for="map-table"] select[data-filter="owner"]')?.value,
      shown: document.querySelector('.filters[data-for="map-table"] .shown')?.textContent,
    }));
    check(`and its filter (${filter.owner}: ${filter.shown})`, filter.owner === 'product' && filter.shown === shownBefore, JSON.stringify(filter));
    const sortAfter = await back.frame.locator('#map-table thead th').first().getAttribute('aria-sort');
    check(`and its sorting (intent ${sortAfter})`, sortBefore === 'descending' && sortAfter === sortBefore, `was ${sortBefore}, now ${sortAfter}`);
    // Back to every owner, for what follows.
    await back.frame.locator('.filters[data-for="map-table"] select[data-filter="owner"]').selectOption('');
  });

  await step('the walkthrough for a first-time user', async () => {
    // The whole editor area for it, so its pictures show beside the steps.
    await runCommand(page, 'View: Close All Editor Groups');
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('Welcome: Open Walkthrough');
    await until(async () => flat(await focusedPick(page)).includes('Open Walkthrough') || { ok: false, seen: await focusedPick(page) }, 'the palette to offer Open Walkthrough');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('Get started with Counterpart');
    await until(async () => flat(await focusedPick(page)).includes('Get started with Counterpart') || { ok: false, seen: await focusedPick(page) }, 'the walkthrough to be offered', 10_000);
    await page.keyboard.press('Enter');
    const steps = await until(async () => {
      const titles = await page.evaluate(() => [...document.querySelectorAll('.gettingStartedContainer .getting-started-step .step-title')].map((e) => e.textContent.trim()).filter(Boolean));
      return titles.length >= 4 ? titles : { ok: false, seen: titles.join(' / ') };
    }, 'the walkthrough\'s steps', 15_000);
    log(`walkthrough steps: ${steps.join(' / ')}`);
    check('the walkthrough has its four steps', ['Create or open the manifest', 'See a finding', 'Open the Boundary Map', 'Request a review'].every((t, i) => steps[i] === t), steps.join(' / '));
    // The step's page (media/walkthrough/manifest.md) is drawn in a webview of its own.
    const media = await until(async () => {
      for (const frame of page.frames()) {
        const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (text.includes('sits at the root of the folder')) return text;
      }
      return { ok: false, seen: `${page.frames().length} frames` };
    }, 'the first step\'s page beside the steps', 15_000).catch((e) => ({ error: e.message }));
    check('the first step\'s page shows beside the steps', !media.error, media.error);
    await screenshot(page, 'walkthrough.png');
    // A person opens the third step and presses its button: the map comes forward and the step is ticked off.
    await page.locator('.gettingStartedContainer .getting-started-step[data-step-id$="map"]').click();
    const button = page.locator('.gettingStartedContainer .monaco-button').filter({ hasText: /^Open Boundary Map$/ }).first();
    await button.click();
    await until(async () => (await activeTab(page)).includes('Boundary Map') || { ok: false, seen: await activeTab(page) }, 'the step\'s button to open the map', 10_000);
    check('the step\'s button opens the Boundary Map', true);
    // Back to the walkthrough's tab to see the step ticked off.
    await page.locator('.part.editor .tab').filter({ hasText: 'Welcome' }).first().click();
    await until(() => page.locator('.gettingStartedContainer .getting-started-step').count(), 'the walkthrough to show again', 10_000);
    const done = await page.evaluate(() => [...document.querySelectorAll('.gettingStartedContainer .getting-started-step')].map((e) => `${e.dataset.stepId}:${e.getAttribute('aria-checked')}`));
    log(`walkthrough progress: ${done.join(', ')}`);
    check('the walkthrough ticks off the map step', done.some((d) => /map:true$/.test(d)), done.join(', '));
  });

  await wb.context.close();
  page = undefined;
} catch (e) {
  if (stopping) await new Promise(() => {});
  check('the workbench runs', false, e.stack || e.message);
  await failureShot('harness');
  code = 1;
} finally {
  await stopAll({ server, browser });
}

// Restricted Mode: no git, so no calendar; the map still renders and says why.
if (values.restricted && !stopping) {
  const rdirs = makeDataDir('counterpart-map-restricted-');
  process.on('exit', () => { try { fs.rmSync(rdirs.root, { recursive: true, force: true }); } catch { /* best effort */ } });
  try {
    if (values.vsix) await installVsix(values.vsix, { dirs: rdirs, log: (l) => values.verbose && console.log(l) });
    server = await startServer({ trust: false, dirs: rdirs, verbose: values.verbose, log: (l) => values.verbose && console.log(l) });
    browser = await launchBrowser();
    const wb = await openWindow(server, browser, rdirs, path.resolve(values.restricted));
    page = wb.page;
    await step('in Restricted Mode the map renders without the calendar and says why', async () => {
      // The workbench asks whether to trust the folder: a person who does not, says so.
      const no = page.locator('.monaco-dialog-box .dialog-buttons a, .monaco-dialog-box .dialog-buttons button').filter({ hasText: /don't trust|No/i }).first();
      if (await no.isVisible({ timeout: 5_000 }).catch(() => false)) await no.click();
      await openMap(page, 'status bar');
      const map = await mapFrame(page, 'the Boundary Map in Restricted Mode', 30_000, (t) => t.includes('express-refund'));
      const text = flat(map.text);
      log(`page text: ${clip(text, 300)}`);
      check('the map still shows the gaps', /express-refund/.test(text));
      check('it says the calendar is missing because of Restricted Mode', /Restricted Mode/i.test(text) && /calendar/i.test(text) && /git/i.test(text), clip(text));
      await map.frame.evaluate(() => document.getElementById('calendar')?.scrollIntoView());
      await screenshot(page, 'boundary-map-restricted.png');
    });
  } catch (e) {
    if (stopping) await new Promise(() => {});
    check('the restricted workbench runs', false, e.stack || e.message);
    await failureShot('restricted-harness');
    code = 1;
  } finally {
    await stopAll({ server, browser });
  }
}
clearTimeout(overall);
if (stopping) await new Promise(() => {});
summary();
process.exit(failed > 0 || code ? 1 : 0);
