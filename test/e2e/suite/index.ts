// Tests entry for the end-to-end suites: `run()` is called inside a real VS Code extension
// host, both by scripts/e2e/run.mjs (VS Code server + headless Chromium) and by
// @vscode/test-electron (test/e2e/electron.mjs). It runs mocha over every `*.e2e.js`
// file next to it (compiled from test/e2e/suite/*.e2e.ts) and rejects when a test fails.
//
// Optional environment (inherited by the extension host from the server / test-electron):
//   COUNTERPART_E2E_GREP   only run tests whose full title matches this pattern
//   COUNTERPART_E2E_SUITE  only run these suites (comma-separated file names without .e2e.js)
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import type MochaType from 'mocha';

type MochaCtor = typeof MochaType;

// mocha 11 loads as CommonJS on Node 18.18 and later, so the suites also run in the extension
// host of an older desktop VS Code (its Electron's Node); mocha 12 would need require(esm).
function loadMocha(): MochaCtor {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('mocha');
    return (m.default ?? m) as MochaCtor;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
      throw new Error(
        `mocha cannot load in this extension host (Node ${process.version}). ` +
          'Use a newer desktop VS Code, or the offline harness (scripts/e2e/run.mjs, Node 24).',
      );
    }
    throw err;
  }
}

// The web workbench receives the extension host's console as one string per call, joining the
// arguments without applying printf-style placeholders, so mocha's `console.log('%s', ...)`
// would arrive as "%s ...". Format here, before the extension host forwards the call.
// VS Code's extension host defines the console methods as accessors (its setter does not
// replace what the getter returns), so redefine the properties rather than assign them.
function formatConsole(): () => void {
  const methods = ['log', 'info', 'warn', 'error'] as const;
  const saved = methods.map((m) => Object.getOwnPropertyDescriptor(console, m));
  methods.forEach((m) => {
    const original = console[m];
    try {
      Object.defineProperty(console, m, {
        configurable: true,
        enumerable: true,
        writable: true,
        value: (...args: unknown[]) => original.call(console, format(...args)),
      });
    } catch {
      // not configurable: leave it; output keeps its raw placeholders
    }
  });
  return () =>
    methods.forEach((m, i) => {
      const d = saved[i];
      if (!d) return;
      try {
        Object.defineProperty(console, m, d);
      } catch {
        /* leave it */
      }
    });
}

export async function run(): Promise<void> {
  const restoreConsole = formatConsole();
  try {
    await runMocha();
  } finally {
    restoreConsole();
  }
}

async function runMocha(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 20000,
    reporter: 'spec',
    grep: process.env.COUNTERPART_E2E_GREP || undefined,
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.e2e.js') && (!process.env.COUNTERPART_E2E_SUITE || process.env.COUNTERPART_E2E_SUITE.split(',').some((s) => f.startsWith(`${s}.`))))
    .sort()
    .map((f) => path.join(__dirname, f));
  if (files.length === 0) {
    throw new Error(`no *.e2e.js files in ${__dirname}: compile test/e2e/suite/*.e2e.ts first`);
  }
  for (const f of files) mocha.addFile(f);

  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats ?? { passes: 0, failures, pending: 0, tests: 0 };
        const skipped = stats.pending ? `, ${stats.pending} skipped` : '';
        // The plain closing line CI reads.
        console.log(`e2e: ${stats.passes} passed, ${stats.failures} failed${skipped}`);
        if (failures > 0) reject(new Error(`${failures} end-to-end test(s) failed`));
        else if (stats.tests === 0) reject(new Error('no end-to-end test ran'));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
