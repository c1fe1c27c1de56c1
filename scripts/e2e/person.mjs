#!/usr/bin/env node
// Counterpart as a person sees it: opens the real VS Code workbench (offline server + Debian
// Chromium, see harness.mjs) on a copy of examples/support-bot with the packaged extension
// installed, and does what a person does — Quick Open a file, hover a word, read the code
// lenses, open the Problems panel, run a command from the palette — and checks what is on
// screen. Screenshots of each step go to --screenshots (docs/ in the repo).
//
//   node scripts/e2e/person.mjs --vsix counterpart-0.1.0.vsix --workspace <copy of examples/support-bot>
//        [--code-first <copy of examples/code-first>] [--screenshots docs] [--timeout 240] [--verbose] [--show-noise]
//   (--extension <dir> instead of --vsix loads the source folder in development mode.)
//
// Prints one line per check and closes with "person: N passed, N failed".
// Exit code: 0 all passed, 1 a check failed (or the harness broke), 2 overall timeout.
// The workspace is only read (the review request stays an unsaved editor), but pass a copy.
// With --code-first, a second window then opens that folder, where the prompt is a constant in a
// .ts file, and looks at the lens above it, then at the refunds agent's lens, which counts only its own cases.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { emptyDevelopmentFolder, installSignalHandlers, installVsix, launchBrowser, makeDataDir, openWorkbench, startServer, stopAll, waitForWorkbench } from './harness.mjs';

const { values } = parseArgs({
  options: {
    vsix: { type: 'string' },
    extension: { type: 'string' },
    workspace: { type: 'string' },
    'code-first': { type: 'string' },
    screenshots: { type: 'string' },
    timeout: { type: 'string', default: '240' },
    verbose: { type: 'boolean', default: false },
    'show-noise': { type: 'boolean', default: false },
  },
  strict: true,
});
if (!values.workspace || (!values.vsix && !values.extension)) {
  console.error('usage: node scripts/e2e/person.mjs --vsix <file> | --extension <dir>  --workspace <folder> [--code-first <folder>] [--screenshots <dir>] [--timeout <s>]');
  process.exit(1);
}

const workspace = path.resolve(values.workspace);
const codeFirst = values['code-first'] ? path.resolve(values['code-first']) : undefined;
const shotsDir = values.screenshots ? path.resolve(values.screenshots) : undefined;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (line) => console.log(`[person] ${line}`);

// ---- the checks ---------------------------------------------------------------------------

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
/** Checks that `text` contains each expected string (or matches each RegExp). */
function expectText(what, text, expected) {
  for (const e of expected) {
    const ok = e instanceof RegExp ? e.test(text) : text.includes(e);
    check(`${what} shows ${e instanceof RegExp ? e : JSON.stringify(e)}`, ok, `saw: ${JSON.stringify(clip(text))}`);
  }
}
const clip = (s, n = 600) => (s.length > n ? `${s.slice(0, n)}…` : s);
const flat = (s) => s.replace(/\u00a0/g, ' ').replace(/[ \t]+/g, ' ').trim();

let summarized = false;
function summary() {
  if (summarized) return;
  summarized = true;
  console.log(`[person] done in ${elapsed()}`);
  console.log(`person: ${passed} passed, ${failed} failed`);
}
function finish(code) {
  summary();
  process.exit(code);
}
// However the run ends (even by a signal, whose handler in harness.mjs exits 130), the summary is the last line.
process.on('exit', summary);

// Set when the run is being cut short (timeout or signal): the remaining steps are skipped, not failed.
let stopping;
const overall = setTimeout(() => {
  stopping = 'timeout';
  failed++;
  console.log(`  FAIL  everything within ${values.timeout}s (overall timeout)`);
  stopAll().finally(() => finish(2));
}, Number(values.timeout) * 1000);

// ---- waiting, without fixed sleeps -------------------------------------------------------

/** Polls `probe` (async) until it returns a truthy value; throws after `ms` with the last value seen. */
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

// Ctrl-C / kill: the harness stops the server and browser and exits 130.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { if (!stopping) console.log(`[person] ${sig}: stopping`); stopping ??= 'signal'; });

/** Runs one step; a step that throws counts as one failed check and the next step still runs. */
async function step(name, fn) {
  if (stopping) return;
  console.log(`\n[person] ${name}`);
  try {
    await fn();
  } catch (e) {
    if (stopping) return;
    check(name, false, e.message.split('\n').slice(0, 6).join('\n'));
    await failureShot(name);
  }
}

// ---- the workbench, the way a person uses it ---------------------------------------------

const EDITOR = '.part.editor .editor-group-container.active .editor-container .monaco-editor';

/** The active editor's rendered lines, top to bottom (Monaco does not keep them in DOM order). */
function editorLines(page) {
  return page.evaluate((sel) => {
    const ed = document.querySelector(sel);
    if (!ed) return [];
    return [...ed.querySelectorAll('.view-lines .view-line')]
      .map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
  }, EDITOR);
}

/** The active tab's label text. */
function activeTab(page) {
  return page.evaluate(() => document.querySelector('.part.editor .tabs-container .tab.active')?.getAttribute('aria-label') ?? '');
}

/** The text of the code lenses in the active editor, one entry per lens line (lenses joined by " | "). */
function lensLines(page) {
  return page.evaluate((sel) => {
    const ed = document.querySelector(sel);
    if (!ed) return [];
    return [...ed.querySelectorAll('.contentWidgets .codelens-decoration')].map((el) => el.textContent.replace(/\u00a0/g, ' '));
  }, EDITOR);
}

async function quickInputOpen(page) {
  await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 10_000 });
}

async function quickInputClosed(page) {
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The focused row of the quick input list. */
function focusedPick(page) {
  return page.evaluate(() => document.querySelector('.quick-input-widget .monaco-list-row.focused')?.textContent ?? '');
}

/** Quick Open (Ctrl+P), type the path, wait for it to be the top pick, Enter; waits for its tab and text. */
async function openFile(page, rel, { expectLine } = {}) {
  const base = path.basename(rel);
  await page.keyboard.press('Control+P');
  await quickInputOpen(page);
  await page.keyboard.type(rel);
  await until(async () => {
    const t = await focusedPick(page);
    return t.includes(base) ? t : { ok: false, seen: t };
  }, `Quick Open to offer ${rel}`);
  await page.keyboard.press('Enter');
  await quickInputClosed(page);
  await until(async () => {
    const tab = await activeTab(page);
    const lines = await editorLines(page);
    const ready = tab.includes(base) && lines.length > 0 && (!expectLine || lines.some((l) => l.includes(expectLine)));
    return ready ? true : { ok: false, seen: `tab ${tab}; first line ${lines[0] ?? ''}` };
  }, `${rel} to open in the editor`);
}

/** F1, type the command's title, wait for it to be the top pick, Enter. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await quickInputOpen(page);
  await page.keyboard.type(title);
  await until(async () => {
    const t = flat(await focusedPick(page));
    return t.toLowerCase().includes(title.toLowerCase()) ? t : { ok: false, seen: t };
  }, `the palette to offer "${title}"`);
  await page.keyboard.press('Enter');
  await quickInputClosed(page);
}

/** Where `word` sits on the first rendered line containing `lineText` (viewport coordinates). */
function wordBox(page, lineText, word) {
  return page.evaluate(({ sel, lineText, word }) => {
    const ed = document.querySelector(sel);
    const line = [...(ed?.querySelectorAll('.view-lines .view-line') ?? [])].find((el) => el.textContent.replace(/\u00a0/g, ' ').includes(lineText));
    if (!line) return null;
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent.indexOf(word);
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + word.length);
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, left: r.left, top: r.top, width: r.width, height: r.height };
    }
    return null;
  }, { sel: EDITOR, lineText, word });
}

/** Waits until `word` on its line stops moving (lenses and decorations shift lines as they arrive). */
async function steadyWordBox(page, lineText, word) {
  let prev;
  let steady = 0;
  return until(async () => {
    const box = await wordBox(page, lineText, word);
    if (!box) { steady = 0; return { ok: false, seen: `"${word}" not on screen` }; }
    steady = prev && prev.x === box.x && prev.y === box.y ? steady + 1 : 0;
    prev = box;
    return steady >= 3 ? box : { ok: false, seen: `moving: ${JSON.stringify(box)}` };
  }, `"${word}" to stay put on screen`, 10_000);
}

/** Text of the visible editor hover, or '' when none is showing. */
function hoverText(page) {
  return page.evaluate(() => {
    const visible = [...document.querySelectorAll('.monaco-hover:not(.hidden)')].filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height > 0);
    return visible.map((el) => el.innerText).join('\n');
  });
}

async function screenshot(page, name, clip) {
  if (!shotsDir) return;
  fs.mkdirSync(shotsDir, { recursive: true });
  // Let the editor's fade-ins finish (code lenses fade in), so the picture shows what a person sees.
  await until(() => page.evaluate(() => !document.getAnimations().some((a) => a.playState === 'running' && a.effect?.target?.closest?.('.monaco-editor'))), 'the editor animations to finish', 2_000).catch(() => {});
  const file = path.join(shotsDir, name);
  await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
  log(`screenshot ${path.relative(process.cwd(), file) || file}`);
}

let page;
async function failureShot(name) {
  if (!page) return;
  const file = path.join(os.tmpdir(), `counterpart-person-failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path: file, timeout: 5_000 }).then(() => log(`failure screenshot ${file}`), () => {});
}

// ---- the run ------------------------------------------------------------------------------

let server;
let browser;
let code = 0;
const dirs = makeDataDir('counterpart-person-');
// On an abrupt exit (signal, timeout, crash) the harness's exit handler kills the server; this
// one, registered after it, then removes this run's data dir.
installSignalHandlers();
process.on('exit', () => { try { fs.rmSync(dirs.root, { recursive: true, force: true }); } catch { /* best effort */ } });
try {
  if (values.vsix) await installVsix(values.vsix, { dirs, log: (l) => values.verbose && console.log(l) });
  server = await startServer({ trust: true, dirs, verbose: values.verbose, log: (l) => values.verbose && console.log(l) });
  browser = await launchBrowser();
  /** Opens a workbench window on `folder` in its own browser context; resolves once it is laid out. */
  const openWindow = async (folder) => {
    const wb = await openWorkbench({
      server, browser, workspace: folder,
      showNoise: values['show-noise'],
      log: (l) => values.verbose && console.log(l),
      viewport: { width: 1400, height: 900 },
      onLog: (line, type) => {
        if (values.verbose || type === 'error') console.log(`[workbench${type === 'error' ? ' error' : ''}] ${line}`);
      },
      // The vsix is installed into the server's extensions folder; an empty development folder keeps
      // the workbench from loading anything else (see runExtensionTests in harness.mjs).
      extensionDevelopmentPath: values.vsix ? emptyDevelopmentFolder(dirs) : path.resolve(values.extension),
    });
    await waitForWorkbench(wb.page);
    log(`workbench on ${path.basename(folder)} up after ${elapsed()}`);
    // The Chat view opens in the secondary side bar on first run; a person closes it to make room.
    await runCommand(wb.page, 'View: Hide Secondary Side Bar').catch((e) => log(`could not hide the secondary side bar: ${e.message}`));
    await wb.page.locator('.part.auxiliarybar').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => log('the secondary side bar is still visible'));
    return wb;
  };
  const first = await openWindow(workspace);
  page = first.page;

  // 1. The express-refund button: the hover says it is uncovered and who owns the evals.
  await step('hover over the express-refund marker in src/ui/RefundPanel.tsx', async () => {
    await openFile(page, 'src/ui/RefundPanel.tsx', { expectLine: 'data-intent="express-refund"' });
    const lens = await until(async () => {
      const lines = await lensLines(page);
      const l = lines.find((t) => t.includes('express-refund:'));
      return l ?? { ok: false, seen: lines.join(' / ') };
    }, 'Counterpart to decorate RefundPanel.tsx (the lens above the express-refund button)', 60_000);
    check('the extension decorates RefundPanel.tsx', true);
    expectText('the lens above the button', lens, ['express-refund: no eval case · no prompt tuned']);
    const squiggles = await until(() => page.locator(`${EDITOR} .squiggly-warning`).count(), 'warning squiggles in RefundPanel.tsx', 15_000);
    check(`the button line has warning squiggles (${squiggles})`, squiggles > 0);

    const box = await steadyWordBox(page, 'data-intent="express-refund"', 'express-refund');
    let text = '';
    for (let attempt = 0; attempt < 3 && !text.includes('Intent express-refund'); attempt++) {
      // A person moves onto the word and rests there; nudge a pixel to retrigger if it was missed.
      await page.mouse.move(box.x - 40, box.y + 30);
      await page.mouse.move(box.x + attempt, box.y, { steps: 4 });
      text = await until(async () => {
        const t = await hoverText(page);
        return t.includes('Intent express-refund') ? t : { ok: false, seen: t };
      }, 'the hover over express-refund', 8_000).catch(async () => hoverText(page));
    }
    text = flat(text);
    // The hover lists the line's diagnostics first, then Counterpart's own card for the intent.
    const at = text.indexOf('Intent express-refund');
    const card = at >= 0 ? text.slice(at) : text;
    log(`hover card: ${clip(card.replace(/\n+/g, ' ⏎ '), 400)}`);
    expectText('the hover', text, ['Intent express-refund']);
    expectText("the hover's intent card", card, [/no eval case|uncovered/, 'Evals are owned by ML Platform (@sam)', 'Surfaced here in UI code owned by Product (@dana)']);
    check('the hover renders markdown (no backticks left)', !text.includes('`express-refund`'), `saw: ${clip(text)}`);
    await screenshot(page, 'hover-ui-marker.png');
  });

  // 2. The tool description: the lenses name owner and counterpart, evals, intents, and the review shortcut.
  await step('code lenses above the description in tools/refund.json', async () => {
    await page.mouse.move(5, 450); // off the editor, so the hover closes
    await openFile(page, 'tools/refund.json', { expectLine: '"description": "Creates a refund draft' });
    const expected = ['ML Platform owns · counterpart Product (@dana)', '5 eval cases', '2 intents · 1 uncovered', 'Request counterpart review'];
    const lens = await until(async () => {
      const lines = await lensLines(page);
      const l = lines.find((t) => t.includes(' owns · '));
      return l && expected.every((e) => l.includes(e)) ? l : { ok: false, seen: lines.join(' / ') };
    }, 'the code lenses of refund.json', 30_000).catch(async () => (await lensLines(page)).find((t) => t.includes(' owns')) ?? (await lensLines(page)).join(' / '));
    log(`lenses: ${lens}`);
    expectText('the lens line', lens, expected);
    // The lens sits directly above the description's line (polled: lenses are laid out a frame or
    // more after their text arrives).
    const placementNow = () => page.evaluate((sel) => {
      const ed = document.querySelector(sel);
      const lensEl = [...ed.querySelectorAll('.contentWidgets .codelens-decoration')].find((el) => el.textContent.includes(' owns '));
      const line = [...ed.querySelectorAll('.view-lines .view-line')].find((el) => el.textContent.replace(/\u00a0/g, ' ').includes('"description": "Creates'));
      if (!lensEl || !line) return null;
      const a = lensEl.getBoundingClientRect();
      const b = line.getBoundingClientRect();
      return { lensBottom: a.bottom, lineTop: b.top };
    }, EDITOR);
    const above = (p) => p && p.lensBottom <= p.lineTop + 1 && p.lineTop - p.lensBottom < 30;
    const firstPlacement = await placementNow();
    const placement = await until(async () => {
      const p = await placementNow();
      return above(p) ? p : { ok: false, seen: JSON.stringify(p) };
    }, 'the lens to sit above the description line', 5_000).catch(placementNow);
    if (!above(firstPlacement) && above(placement)) log(`the lens moved into place after a moment (first seen ${JSON.stringify(firstPlacement)})`);
    check('the lens sits directly above the description line', above(placement), JSON.stringify(placement));
    // The editor's top part: tab, breadcrumbs, the lens and the lines around it.
    const part = await page.locator('.part.editor').boundingBox();
    await screenshot(page, 'code-lens-tool.png', part && { x: part.x, y: part.y, width: part.width, height: Math.min(part.height, 360) });
  });

  // 3. The Problems panel lists Counterpart's findings.
  await step('the Problems panel', async () => {
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)').catch(async () => {
      // Should the title change, a person would press Ctrl+Shift+M.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+M');
    });
    await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
    // Give the list the whole window, as a person does to read through it.
    await runCommand(page, 'View: Toggle Maximized Panel');
    await until(async () => ((await page.locator('.part.panel').boundingBox())?.height ?? 0) > 600, 'the panel to be maximized', 10_000);
    const rows = () => page.evaluate(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => r.textContent.replace(/\u00a0/g, ' ')));
    // The manifest's group comes first (it is the only file with errors); the rest may be below the fold.
    const text = await until(async () => {
      const t = (await rows()).join('\n');
      return /no eval case covers it/.test(t) ? t : { ok: false, seen: t };
    }, 'Counterpart findings in the Problems panel', 30_000).catch(async () => (await rows()).join('\n'));
    const count = (await rows()).length;
    log(`problems: ${count} rows on screen; first: ${clip(text.split('\n').slice(0, 3).join(' | '), 300)}`);
    // (The "(…)" around the code is drawn by CSS, so the row text reads "Counterpartuncovered-intent".)
    expectText('the Problems panel', text, ['counterpart.yaml', 'Counterpart', 'uncovered-intent', 'no eval case covers it', 'Evals are owned by ML Platform (@sam)']);
    const badge = await page.evaluate(() => document.querySelector('.part.panel .composite-bar [aria-label^="Problems"] .badge-content, .part.panel .action-item.checked .badge-content')?.textContent ?? '');
    check(`the Problems tab counts the findings (${badge})`, Number(badge) >= 25, `badge: ${JSON.stringify(badge)}`);
    await screenshot(page, 'problems-panel.png');
    // The filter box narrows the list, as a person does to find one finding.
    const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    const filterBy = async (words, expectRows, what) => {
      await filter.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(words);
      return until(async () => {
        const r = await rows();
        return r.length === expectRows ? r.join('\n') : { ok: false, seen: r.join('\n') };
      }, what, 15_000).catch(async () => (await rows()).join('\n'));
    };
    // 1 file row + 1 finding.
    const contract = await filterBy('tool-contract-change', 2, 'the list to show just the tool-contract-change finding');
    expectText('the Problems panel filtered by "tool-contract-change"', contract, ['refund.json', 'The rule for when the model calls this tool changed', 'tool-contract-change']);
    // 1 file row + 2 findings + their "declared here" lines.
    const marker = await filterBy('express-refund\' is surfaced here', 5, 'the list to show the findings on the express-refund button');
    expectText('the Problems panel filtered by the button', marker, ['RefundPanel.tsx', "Intent 'express-refund' is surfaced here, but no eval case covers it", '[Ln 24, Col 24]']);
    // Put things back and close the panel: empty filter, usual size, hidden.
    await filter.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await runCommand(page, 'View: Toggle Maximized Panel');
    await until(async () => ((await page.locator('.part.panel').boundingBox())?.height ?? 900) < 600, 'the panel to be restored', 10_000);
    await runCommand(page, 'View: Hide Panel');
    await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 10_000 });
  });

  // 4. Request Counterpart Review from the palette while refund.json is the active editor.
  await step('Request Counterpart Review from the palette', async () => {
    await openFile(page, 'tools/refund.json', { expectLine: '"description": "Creates a refund draft' });
    await runCommand(page, 'Counterpart: Request Counterpart Review');
    const first = "# Counterpart review: tool description 'refund-tool'";
    const lines = await until(async () => {
      const tab = await activeTab(page);
      const l = await editorLines(page);
      return tab.includes('Untitled-') && l[0]?.startsWith('# Counterpart review') ? l : { ok: false, seen: `tab ${tab}; first line ${l[0] ?? ''}` };
    }, 'the review request to open in an untitled editor', 20_000);
    const tab = await activeTab(page);
    check(`the request opens in a new untitled editor (${tab.match(/Untitled-\d+/)?.[0]})`, /Untitled-\d+/.test(tab), tab);
    check(`its first line is ${JSON.stringify(first)}`, lines[0].trim() === first, `saw: ${JSON.stringify(lines[0])}`);
    const body = lines.join(' ').replace(/\s+/g, ' '); // wrapped lines joined back
    expectText('the review request', body, ['ML Platform (@sam) asks Product (@dana) to review', 'Only call this when the user has explicitly confirmed']);
    const language = await until(async () => {
      const t = await page.evaluate(() => document.querySelector('.statusbar [id="status.editor.mode"]')?.textContent ?? '');
      return t.includes('Markdown') ? t : { ok: false, seen: t };
    }, 'the status bar to say Markdown', 10_000).catch(() => '');
    check('the request is a Markdown document (status bar)', language.includes('Markdown'), `saw: ${JSON.stringify(language)}`);
    await screenshot(page, 'review-request.png');
  });

  // 5. A prompt template: roles, placeholders, template blocks and section tags stand out from the prose.
  await step('syntax highlighting in prompts/support/handoff.prompt', async () => {
    await openFile(page, 'prompts/support/handoff.prompt', { expectLine: 'name: human-handoff' });
    const lens = await until(async () => {
      const lines = await lensLines(page);
      return lines.find((t) => t.includes(' owns · ')) ?? { ok: false, seen: lines.join(' / ') };
    }, 'the owner lens at the top of the prompt', 15_000).catch(async () => (await lensLines(page)).join(' / '));
    expectText('the lens at the top of the prompt', lens, ['ML Platform owns · counterpart Product (@dana)']);
    const language = await until(async () => {
      const t = (await page.locator('.statusbar-item[id="status.editor.mode"]').innerText().catch(() => '')).trim();
      return t || undefined;
    }, 'the language mode in the status bar', 10_000).catch(() => '');
    check('the file opens in the Prompt Template language', language.includes('Prompt Template'), `saw: ${JSON.stringify(language)}`);
    const colors = await until(async () => {
      const c = await page.evaluate((sel) => {
        const ed = document.querySelector(sel);
        const spans = [...(ed?.querySelectorAll('.view-lines .view-line span span') ?? [])].map((el) => ({ el, text: el.textContent.replace(/\u00a0/g, ' ') }));
        const colorOf = (pred) => { const s = spans.find(pred); return s ? getComputedStyle(s.el).color : undefined; };
        return {
          prose: colorOf((s) => s.text.includes('You write the note')),
          role: colorOf((s) => s.text.trim() === 'system' || s.text.trim() === 'system:'),
          placeholder: colorOf((s) => s.text.trim() === '{{'),
          block: colorOf((s) => s.text.trim() === 'if' || s.text.trim() === 'for'),
          tag: colorOf((s) => s.text === 'instructions' || s.text === '<instructions>'),
        };
      }, EDITOR);
      return c.prose && c.role && c.placeholder && c.block && c.tag ? c : { ok: false, seen: JSON.stringify(c) };
    }, 'the tokens of the prompt to be coloured', 15_000).catch((e) => ({ error: e.message }));
    if (colors.error) {
      check('the prompt is tokenized', false, colors.error);
    } else {
      log(`colours: role ${colors.role}, placeholder ${colors.placeholder}, block ${colors.block}, tag ${colors.tag}, prose ${colors.prose}`);
      for (const part of ['role', 'placeholder', 'block', 'tag']) {
        check(`the ${part} is coloured apart from the prose`, colors[part] !== colors.prose, JSON.stringify(colors));
      }
    }
    await screenshot(page, 'prompt-highlighting.png');
  });

  // 6. Prompts that live in code (examples/code-first): the lenses sit above the constant, not atop the file.
  if (codeFirst && !stopping) {
    await first.context.close();
    const second = await openWindow(codeFirst);
    page = second.page;
    await step('code lenses above the systemPrompt constant in app/api/chat/route.ts', async () => {
      await openFile(page, 'app/api/chat/route.ts', { expectLine: 'export const systemPrompt' });
      const expected = ['ML Platform owns · counterpart Product (@dana)', 'Request counterpart review'];
      const lines = await until(async () => {
        const l = await lensLines(page);
        return l.some((t) => expected.every((e) => t.includes(e))) ? l : { ok: false, seen: l.join(' / ') };
      }, 'the code lenses of route.ts', 60_000).catch(async () => lensLines(page));
      log(`lenses: ${lines.join(' / ')}`);
      expectText('the lens line', lines.find((t) => t.includes(' owns · ')) ?? lines.join(' / '), expected);
      // Which source line is directly below each lens (the lens belongs to that line).
      const placementNow = () => page.evaluate((sel) => {
        const ed = document.querySelector(sel);
        const views = [...ed.querySelectorAll('.view-lines .view-line')].map((el) => ({ top: el.getBoundingClientRect().top, text: el.textContent.replace(/\u00a0/g, ' ') }));
        return [...ed.querySelectorAll('.contentWidgets .codelens-decoration')].filter((el) => el.textContent.includes(' owns ')).map((el) => {
          const bottom = el.getBoundingClientRect().bottom;
          const below = views.filter((v) => v.top >= bottom - 1).sort((a, b) => a.top - b.top)[0];
          return { gap: below ? below.top - bottom : null, below: below?.text ?? null };
        });
      }, EDITOR);
      const atPrompt = (ps) => ps.find((p) => p.below?.startsWith('export const systemPrompt') && p.gap < 30);
      const placements = await until(async () => {
        const ps = await placementNow();
        return atPrompt(ps) ? ps : { ok: false, seen: JSON.stringify(ps) };
      }, 'the owner lens to sit above export const systemPrompt', 10_000).catch(placementNow);
      log(`owner lenses sit above: ${placements.map((p) => JSON.stringify(p.below?.trim().slice(0, 50))).join(', ')}`);
      check('the owner lens sits directly above "export const systemPrompt = `"', Boolean(atPrompt(placements)), JSON.stringify(placements));
      check('no owner lens sits above the first line of the file', !placements.some((p) => p.below?.startsWith('// The Parcelly support chat')), JSON.stringify(placements));
      // The editor's top part: tab, breadcrumbs, the imports, the lens and the prompt below it.
      const part = await page.locator('.part.editor').boundingBox();
      await screenshot(page, 'code-lens-symbol.png', part && { x: part.x, y: part.y, width: part.width, height: Math.min(part.height, 440) });
    });
    // The refunds agent's instructions count only the cases of the suite that runs the agent
    // (evals/refunds: 2), not the chat suite's (6), though both have a refund case.
    await step('the lens above refund_agent\'s instructions in agents/refunds.py counts its own eval cases', async () => {
      await openFile(page, 'agents/refunds.py', { expectLine: 'refund_agent = Agent(' });
      const expected = ['ML Platform owns · counterpart Product (@dana)', '2 eval cases', '1 intent', 'Request counterpart review'];
      const instructions = (ps) => ps.find((p) => p.below?.includes('"You handle refund requests for Parcelly. "'));
      const placementNow = () => page.evaluate((sel) => {
        const ed = document.querySelector(sel);
        const views = [...ed.querySelectorAll('.view-lines .view-line')].map((el) => ({ top: el.getBoundingClientRect().top, text: el.textContent.replace(/\u00a0/g, ' ') }));
        return [...ed.querySelectorAll('.contentWidgets .codelens-decoration')].map((el) => {
          const bottom = el.getBoundingClientRect().bottom;
          const below = views.filter((v) => v.top >= bottom - 1).sort((a, b) => a.top - b.top)[0];
          return { lens: el.textContent.replace(/\u00a0/g, ' '), gap: below ? below.top - bottom : null, below: below?.text ?? null };
        });
      }, EDITOR);
      // Scroll the agent near the top of the editor, as a person does to read it (it sits below the
      // tool), with sticky scroll off so the header of issue_refund does not cover the lines above it.
      await runCommand(page, 'Toggle Editor Sticky Scroll').catch((e) => log(`could not turn sticky scroll off: ${e.message}`));
      const agentTop = () => page.evaluate((sel) => {
        const ed = document.querySelector(sel);
        const line = [...ed.querySelectorAll('.view-lines .view-line')].find((el) => el.textContent.replace(/\u00a0/g, ' ').includes('refund_agent = Agent('));
        return line ? line.getBoundingClientRect().top - ed.getBoundingClientRect().top : null;
      }, EDITOR);
      // One line at a time (Ctrl+Down scrolls the view by a line; the cursor stays).
      await page.keyboard.press('Control+Home');
      await until(async () => {
        const top = await agentTop();
        if (top !== null && top >= 30 && top <= 60) return true;
        await page.keyboard.press(top !== null && top < 30 ? 'Control+ArrowUp' : 'Control+ArrowDown');
        return { ok: false, seen: `refund_agent = Agent( at ${top}px from the editor's top` };
      }, 'refund_agent = Agent( near the top of the editor', 15_000, 50).catch((e) => log(e.message));
      await page.mouse.move(5, 450); // off the editor, so no hover covers the lens
      const placements = await until(async () => {
        const ps = await placementNow();
        const p = instructions(ps);
        return p && p.gap < 30 && expected.every((e) => p.lens.includes(e)) ? ps : { ok: false, seen: JSON.stringify(ps) };
      }, 'the lens "2 eval cases" above the refunds agent\'s instructions', 60_000).catch(placementNow);
      const lens = instructions(placements)?.lens ?? placements.map((p) => p.lens).join(' / ');
      log(`lens above the instructions: ${lens}`);
      expectText('the lens above the instructions', lens, expected);
      check('the lens sits directly above the first line of the instructions', Boolean(instructions(placements) && instructions(placements).gap < 30), JSON.stringify(placements));
      const tool = placements.find((p) => p.below?.includes('def issue_refund'));
      if (tool) log(`lens above the issue_refund tool: ${tool.lens}`);
      const part = await page.locator('.part.editor').boundingBox();
      await screenshot(page, 'lens-prompt-cases.png', part && { x: part.x, y: part.y, width: part.width, height: Math.min(part.height, 440) });
    });
  }
} catch (e) {
  if (stopping) await new Promise(() => {}); // the timeout or signal handler finishes the run
  check('the workbench runs', false, e.stack || e.message);
  await failureShot('harness');
  code = 1;
} finally {
  clearTimeout(overall);
  await stopAll({ server, browser });
  fs.rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
}
if (stopping) await new Promise(() => {}); // the timeout or signal handler finishes the run
finish(failed > 0 || code ? 1 : 0);
