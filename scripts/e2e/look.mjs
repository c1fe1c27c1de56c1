#!/usr/bin/env node
// Look at the extension the way a person does: open the workbench on a workspace, open a file,
// optionally run a command from the palette and hover a word, print what the hover widget
// says, and take a screenshot. Built from harness.mjs; a starting point for scripted checks.
//
//   node scripts/e2e/look.mjs --extension <dir> --workspace <folder> [--open <file in workspace>]
//        [--command "<palette title>"] [--hover <word>] [--screenshot <file.png>] [--wait 3000]
//        [--untrusted] [--vsix <file>]
// Prints "hover: <text>" when --hover finds a widget; exits 1 if the hover never appears.

import path from 'node:path';
import { parseArgs } from 'node:util';
import { installVsix, makeDataDir, startServer, launchBrowser, openWorkbench, waitForWorkbench, remoteUri, stopAll, emptyDevelopmentFolder } from './harness.mjs';
import fs from 'node:fs';

const { values } = parseArgs({
  options: {
    extension: { type: 'string' },
    workspace: { type: 'string' },
    vsix: { type: 'string' },
    open: { type: 'string' },
    command: { type: 'string' },
    hover: { type: 'string' },
    screenshot: { type: 'string' },
    wait: { type: 'string', default: '3000' },
    untrusted: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '120' },
  },
  strict: true,
});
if (!values.workspace) {
  console.error('usage: node scripts/e2e/look.mjs --extension <dir> --workspace <folder> [--open <file>] [--command <title>] [--hover <word>] [--screenshot <png>]');
  process.exit(1);
}

const workspace = path.resolve(values.workspace);
const overall = setTimeout(() => {
  console.error(`[look] gave up after ${values.timeout}s`);
  stopAll().finally(() => process.exit(2));
}, Number(values.timeout) * 1000);

let code = 0;
let server;
let browser;
const dirs = makeDataDir('counterpart-look-');
try {
  if (values.vsix) await installVsix(values.vsix, { dirs });
  server = await startServer({ trust: !values.untrusted, dirs });
  browser = await launchBrowser();
  const payload = [];
  if (values.open) {
    const file = path.resolve(workspace, values.open);
    payload.push(['openFile', remoteUri(server.authority, file)]);
  }
  const { page } = await openWorkbench({
    server, browser, workspace, payload,
    extensionDevelopmentPath: values.vsix ? emptyDevelopmentFolder(dirs) : values.extension && path.resolve(values.extension),
  });
  await waitForWorkbench(page);
  if (values.open) await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30_000 });
  await page.waitForTimeout(Number(values.wait)); // let the extension activate and decorate

  if (values.command) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { timeout: 10_000 });
    await page.keyboard.type(values.command);
    await page.waitForTimeout(500);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 10_000 }).catch(() => {});
    await page.waitForTimeout(1000);
    // This headless workbench shows no toasts (messages go to the notification centre, behind
    // the bell); what it announces to screen readers is in the aria alerts.
    const alerts = await page.locator('.monaco-aria-container .monaco-alert').allInnerTexts();
    for (const t of alerts) if (t.trim()) console.log(`announced: ${t.trim()}`);
  }

  if (values.hover) {
    // Find the exact word in the rendered lines and point at its middle.
    await page.waitForFunction((w) => document.querySelector('.monaco-editor .view-lines')?.textContent?.includes(w), values.hover, { timeout: 10_000 });
    const point = await page.evaluate((w) => {
      const root = document.querySelector('.monaco-editor .view-lines');
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent.indexOf(w);
        if (i < 0) continue;
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + w.length);
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      return null;
    }, values.hover);
    if (!point) throw new Error(`"${values.hover}" is not on screen in the editor`);
    await page.mouse.move(point.x, point.y);
    try {
      const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents').first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      console.log(`hover: ${(await hover.innerText()).trim()}`);
    } catch {
      console.log(`hover: (no hover widget appeared over "${values.hover}")`);
      code = 1;
    }
  }

  if (values.screenshot) {
    const file = path.resolve(values.screenshot);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    console.log(`[look] screenshot ${file}`);
  }
} catch (e) {
  console.error(`[look] ${e.stack || e.message}`);
  code = 1;
} finally {
  clearTimeout(overall);
  await stopAll({ server, browser });
  fs.rmSync(dirs.root, { recursive: true, force: true });
}
process.exit(code);
