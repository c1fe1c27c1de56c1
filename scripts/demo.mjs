#!/usr/bin/env node
// npm run demo: builds the extension and opens examples/support-bot in VS Code with it loaded.
// With a desktop `code` on PATH it starts that (extension development mode). Otherwise it
// starts the local VS Code server (installed by scripts/e2e/install.mjs on first use) with
// the packaged .vsix installed, and prints the URL to open in a browser. Ctrl-C stops it.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.join(repo, 'examples/support-bot');
const node = process.execPath;
const port = Number(process.env.COUNTERPART_DEMO_PORT || 8733);

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode) {
  execFileSync(node, [path.join(repo, 'scripts/bundle.mjs')], { stdio: 'inherit', cwd: repo });
  console.log('Opening examples/support-bot in VS Code with Counterpart loaded…');
  spawn('code', ['--extensionDevelopmentPath', repo, example], { stdio: 'inherit', detached: true }).unref();
  process.exit(0);
}

console.log('No desktop `code` on PATH: using the local VS Code server.');
execFileSync(node, [path.join(repo, 'scripts/e2e/install.mjs')], { stdio: 'inherit' });
execFileSync(node, [path.join(repo, 'scripts/package.mjs')], { stdio: 'inherit', cwd: repo });
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const vsix = path.join(repo, `${pkg.name}-${pkg.version}.vsix`);

const { startServer, remoteUri } = await import('./e2e/harness.mjs');
const server = await startServer({ vsix, port, trust: true, log: () => {} });
const url = `${server.origin}/?folder=${encodeURIComponent(remoteUri(server.authority, example))}`;
console.log(`\nCounterpart demo is running. Open this in a browser on this machine:\n\n  ${url}\n\nThen hover the express-refund button in src/ui/RefundPanel.tsx, read the lenses in tools/refund.json,\nand run "Counterpart: Request Counterpart Review" from the command palette. Ctrl-C stops the demo.`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await new Promise(() => {});
