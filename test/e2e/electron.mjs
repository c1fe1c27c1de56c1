#!/usr/bin/env node
// The same end-to-end suites under @vscode/test-electron, for contributors with a desktop
// VS Code. It never downloads VS Code: point VSCODE_EXECUTABLE at your install, e.g.
//
//   VSCODE_EXECUTABLE=/usr/share/code/code node test/e2e/electron.mjs
//   VSCODE_EXECUTABLE="/Applications/Visual Studio Code.app/Contents/MacOS/Electron" node test/e2e/electron.mjs
//
// Options (all optional; defaults in brackets):
//   --extension <dir>        extensionDevelopmentPath [the repo root]
//   --tests <file.js>        compiled tests entry exporting run() [out/test/e2e/suite/index.js]
//   --workspace <path>       folder or .code-workspace to open [examples/support-bot]
//   --vsix <file>            install this package into a fresh extensions dir and test it instead
// Not here: --untrusted. @vscode/test-electron 2.5.2 always passes --disable-workspace-trust, so
// restricted mode is only testable with scripts/e2e/run.mjs --untrusted.
// Exits with the tests' result: 0 passed, 1 failed or could not start.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(repoRoot, 'package.json'));

const executable = process.env.VSCODE_EXECUTABLE;
if (!executable) {
  console.error(
    '[e2e-electron] VSCODE_EXECUTABLE is not set.\n' +
    '  Set it to a desktop VS Code executable to run the e2e suites under @vscode/test-electron, e.g.\n' +
    '    VSCODE_EXECUTABLE=/usr/share/code/code node test/e2e/electron.mjs\n' +
    '  (This script never downloads VS Code. Without a desktop VS Code use the offline harness:\n' +
    '    node scripts/e2e/install.mjs && node scripts/e2e/run.mjs --extension . --tests out/test/e2e/suite/index.js --workspace examples/support-bot)',
  );
  process.exit(1);
}
if (!fs.existsSync(executable)) {
  console.error(`[e2e-electron] VSCODE_EXECUTABLE=${executable} does not exist.`);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    extension: { type: 'string', default: repoRoot },
    tests: { type: 'string', default: path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js') },
    workspace: { type: 'string', default: path.join(repoRoot, 'examples', 'support-bot') },
    vsix: { type: 'string' },
    untrusted: { type: 'boolean', default: false },
  },
  strict: true,
});

if (values.untrusted) {
  console.error('[e2e-electron] --untrusted is not possible here: @vscode/test-electron always passes --disable-workspace-trust.\n' +
    '  Test restricted mode with: node scripts/e2e/run.mjs --untrusted ...');
  process.exit(1);
}

const tests = path.resolve(values.tests);
const workspace = path.resolve(values.workspace);
if (!fs.existsSync(tests)) {
  console.error(`[e2e-electron] ${tests} does not exist: compile the e2e tests first (npm run build).`);
  process.exit(1);
}

const { runTests, resolveCliArgsFromVSCodeExecutablePath } = require('@vscode/test-electron');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpart-e2e-electron-'));
const userDataDir = path.join(tmp, 'user-data');
const extensionsDir = path.join(tmp, 'extensions');
fs.mkdirSync(extensionsDir, { recursive: true });

function extensionIdOf(dir) {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return pkg.publisher && pkg.name ? `${pkg.publisher}.${pkg.name}` : undefined;
  } catch {
    return undefined;
  }
}

let code = 1;
try {
  let extensionDevelopmentPath = path.resolve(values.extension);
  let extensionPath = extensionDevelopmentPath;
  if (values.vsix) {
    const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable);
    const vsix = path.resolve(values.vsix);
    console.log(`[e2e-electron] installing ${vsix}`);
    const r = spawnSync(cli, [...cliArgs, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
      encoding: 'utf8', stdio: 'inherit', shell: process.platform === 'win32',
    });
    if (r.status !== 0) throw new Error(`--install-extension ${vsix} failed (exit ${r.status})`);
    const names = fs.readdirSync(extensionsDir).filter((n) => fs.statSync(path.join(extensionsDir, n)).isDirectory());
    extensionPath = names.length === 1 ? path.join(extensionsDir, names[0]) : undefined;
    // Extension tests only run in development mode: an empty folder stands for the extension.
    extensionDevelopmentPath = path.join(tmp, 'no-development-extension');
    fs.mkdirSync(extensionDevelopmentPath, { recursive: true });
  }
  const extensionId = extensionPath ? extensionIdOf(extensionPath) : undefined;
  code = await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath,
    extensionTestsPath: tests,
    launchArgs: [
      workspace,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      // runTests adds --disable-workspace-trust, --skip-welcome, --skip-release-notes, --disable-updates
    ],
    extensionTestsEnv: {
      COUNTERPART_E2E_WORKSPACE: workspace,
      COUNTERPART_E2E_TRUSTED: '1',
      COUNTERPART_E2E_MODE: values.vsix ? 'vsix' : 'development',
      ...(extensionId ? { COUNTERPART_E2E_EXTENSION_ID: extensionId, COUNTERPART_E2E_EXTENSION_PATH: extensionPath } : {}),
    },
  });
} catch (err) {
  console.error(`[e2e-electron] ${err && err.message ? err.message : err}`);
  code = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`[e2e-electron] ${code === 0 ? 'PASSED' : `FAILED (exit ${code})`}`);
process.exit(code);
