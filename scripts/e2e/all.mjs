#!/usr/bin/env node
// The end-to-end part of `npm test`: installs the offline VS Code server if missing, packages
// the extension as a .vsix (what users install), and runs the suites in test/e2e/suite inside a
// real VS Code on fresh copies of examples/support-bot (trusted, restricted, and multi-root) and
// of examples/code-first (artifacts inside code files). Then drives the workbench as a person
// would (scripts/e2e/person.mjs), and opens the Boundary Map webview (scripts/e2e/boundaryMap.mjs),
// writing screenshots into docs/. Exits non-zero when anything failed.
//
//   node scripts/e2e/all.mjs [--only main,restricted,multiroot,codeFirst,person,boundaryMap] [--no-package]

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, runExtensionTests } from './harness.mjs';

const { values } = parseArgs({ options: { only: { type: 'string' }, 'no-package': { type: 'boolean', default: false } }, strict: true });
const only = values.only ? new Set(values.only.split(',')) : undefined;
const wanted = (name) => !only || only.has(name);

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const vsix = path.join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
const tests = path.join(repoRoot, 'out/test/e2e/suite/index.js');
const examples = path.join(repoRoot, 'examples');
const started = Date.now();
const node = process.execPath;

execFileSync(node, [path.join(repoRoot, 'scripts/e2e/install.mjs')], { stdio: 'inherit' });
if (!values['no-package'] || !fs.existsSync(vsix)) execFileSync(node, [path.join(repoRoot, 'scripts/package.mjs')], { stdio: 'inherit', cwd: repoRoot });
if (!fs.existsSync(tests)) throw new Error(`${tests} is missing: run the build first`);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpart-e2e-ws-'));
/** A fresh copy of examples/<example> for one run, so the tests' edits never touch the repo. */
const copyExample = (name, example = 'support-bot') => {
  const dir = path.join(scratch, name, example);
  fs.cpSync(path.join(examples, example), dir, { recursive: true });
  return dir;
};

/** A second, unrelated folder with its own manifest and owners, for the multi-root suite. */
function coachingFolder(root) {
  const dir = path.join(root, 'coaching');
  fs.mkdirSync(path.join(dir, 'prompts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'counterpart.yaml'), [
    'version: 1',
    'owners:',
    '  growth: { title: Growth, lead: "@gia" }',
    '  coaching-ml: { title: Coaching ML, lead: "@max" }',
    'artifacts:',
    '  - id: coach-prompt',
    '    kind: system-prompt',
    '    files: prompts/coach.prompt',
    '    owner: coaching-ml',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'prompts/coach.prompt'), 'system:\nYou are a running coach.\n');
  return dir;
}

const runs = [
  { name: 'main', workspace: () => copyExample('main'), trust: true },
  { name: 'restricted', workspace: () => copyExample('restricted'), trust: false },
  {
    name: 'multiroot',
    trust: true,
    workspace: () => {
      const a = copyExample('multiroot');
      const b = coachingFolder(path.join(scratch, 'multiroot'));
      const file = path.join(scratch, 'multiroot', 'boundary.code-workspace');
      fs.writeFileSync(file, JSON.stringify({ folders: [{ path: a }, { path: b }] }, null, 2));
      return file;
    },
  },
  // Prompts and tools located inside code (symbol, tool, region): test/e2e/suite/codeFirst.e2e.ts.
  { name: 'codeFirst', workspace: () => copyExample('codeFirst', 'code-first'), trust: true },
];

const failed = [];
const totals = { passed: 0, failed: 0 };
/** Prints a line and adds up the suites' own closing lines ("e2e: N passed, N failed"). */
const tally = (line) => {
  console.log(line);
  for (const m of String(line).matchAll(/(?:e2e|person): (\d+) passed, (\d+) failed/g)) {
    totals.passed += Number(m[1]);
    totals.failed += Number(m[2]);
  }
};
try {
  for (const run of runs.filter((r) => wanted(r.name))) {
    console.log(`\n[e2e] suite ${run.name}${run.trust ? '' : ' (restricted mode)'}`);
    const code = await runExtensionTests({ vsix, extensionTestsPath: tests, workspace: run.workspace(), trust: run.trust, env: { COUNTERPART_E2E_SUITE: run.name }, timeoutSec: 240, log: tally, onLog: tally });
    if (code !== 0) failed.push(run.name);
  }
  if (wanted('person')) {
    console.log('\n[e2e] as a person sees it');
    const person = spawnSync(node, [path.join(repoRoot, 'scripts/e2e/person.mjs'), '--vsix', vsix, '--workspace', copyExample('person'), '--code-first', copyExample('person', 'code-first'), '--screenshots', path.join(repoRoot, 'docs')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    for (const line of (person.stdout ?? '').trimEnd().split('\n')) tally(line);
    if (person.status !== 0) failed.push('person');
  }
  if (wanted('boundaryMap')) {
    console.log('\n[e2e] the Boundary Map webview (trusted, then restricted)');
    // The example with six weeks of history by both sides (test/report/demoRepo.ts), so the calendar has changes to show.
    const { demoRepository } = createRequire(import.meta.url)(path.join(repoRoot, 'out/test/report/demoRepo.js'));
    const demo = demoRepository();
    try {
      const args = ['--vsix', vsix, '--workspace', demo.dir, '--history', '--restricted', copyExample('boundaryMapRestricted'), '--screenshots', path.join(repoRoot, 'docs')];
      const map = spawnSync(node, [path.join(repoRoot, 'scripts/e2e/boundaryMap.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
      for (const line of (map.stdout ?? '').trimEnd().split('\n')) tally(line);
      if (map.status !== 0) failed.push('boundaryMap');
    } finally {
      demo.dispose();
    }
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
console.log(`\n[e2e] ${failed.length ? `FAILED: ${failed.join(', ')}` : 'all end-to-end suites passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
// The plain closing line for everything above.
console.log(`e2e: ${totals.passed} passed, ${totals.failed + (failed.length && !totals.failed ? failed.length : 0)} failed`);
process.exit(failed.length ? 1 : 0);
