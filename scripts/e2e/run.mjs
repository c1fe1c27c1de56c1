#!/usr/bin/env node
// Runs a compiled mocha tests entry (exporting run(), as for @vscode/test-electron) inside a
// real VS Code extension host: VS Code's server (Node 24) + headless Chromium, offline.
//
//   node scripts/e2e/run.mjs --extension <extensionDevelopmentPath> \
//        --tests <absolute path to compiled tests entry .js> \
//        --workspace <folder or .code-workspace> \
//        [--vsix <file>] [--untrusted] [--screenshots <dir>] [--timeout 300] [--verbose] [--show-noise]
//
// With --vsix the package is installed into the run's fresh extensions folder first and the
// tests run against that installed build (no extensionDevelopmentPath is passed).
// Exits with the tests' exit code; 2 on timeout; 3 if the server died; 1 on harness errors.
// Run `node scripts/e2e/install.mjs` once first.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runExtensionTests } from './harness.mjs';

const usage = `usage: node scripts/e2e/run.mjs --extension <dir> --tests <tests entry .js> --workspace <folder|.code-workspace>
                                [--vsix <file>] [--untrusted] [--screenshots <dir>] [--timeout <seconds, default 300>]
                                [--verbose] [--show-noise]`;

function fail(msg) {
  console.error(`[e2e] ${msg}\n${usage}`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      extension: { type: 'string' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
      vsix: { type: 'string' },
      untrusted: { type: 'boolean', default: false },
      screenshots: { type: 'string' },
      timeout: { type: 'string', default: '300' },
      verbose: { type: 'boolean', default: false },
      'show-noise': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (e) {
  fail(e.message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!values.tests) fail('--tests is required');
if (!values.workspace) fail('--workspace is required');
if (!values.extension && !values.vsix) fail('--extension (or --vsix) is required');

const tests = path.resolve(values.tests);
const workspace = path.resolve(values.workspace);
const extension = values.extension ? path.resolve(values.extension) : undefined;
const timeoutSec = Number(values.timeout);
if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) fail(`--timeout must be a positive number of seconds, got ${values.timeout}`);
if (!fs.existsSync(tests)) fail(`--tests: no such file ${tests} (compile the e2e tests first)`);
if (!fs.existsSync(workspace)) fail(`--workspace: no such folder or file ${workspace}`);
if (extension && !fs.existsSync(path.join(extension, 'package.json'))) fail(`--extension: ${extension} has no package.json`);

const started = Date.now();
let code;
try {
  code = await runExtensionTests({
    extensionDevelopmentPath: extension,
    extensionTestsPath: tests,
    workspace,
    vsix: values.vsix ? path.resolve(values.vsix) : undefined,
    trust: !values.untrusted,
    screenshotsDir: values.screenshots ? path.resolve(values.screenshots) : undefined,
    timeoutSec,
    verbose: values.verbose,
    showNoise: values['show-noise'],
  });
} catch (e) {
  console.error(`[e2e] harness error: ${values.verbose ? e.stack || e.message : e.message}`);
  code = 1;
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`[e2e] ${code === 0 ? 'PASSED' : `FAILED (exit ${code})`} in ${secs}s`);
process.exit(code);
