// Bundles the CLI, the language server and the extension client into dist/,
// and the GitHub Action into action/ (committed: a JavaScript action runs
// from the repository as it is, with no install step).
// `--check-action` writes nothing and exits 1 when the committed action is
// out of date with its source. Type-checking is `tsc -b`'s job; this only packs what runs.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
const checkAction = process.argv.includes('--check-action');

// The code parsers VS Code ships (tree-sitter runtime and grammars), beside each bundle
// in wasm/: a bundle loads one only when a manifest needs it.
const wasmDir = dirname(createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm'));
const WASM = ['tree-sitter', 'tree-sitter-typescript', 'tree-sitter-tsx', 'tree-sitter-javascript', 'tree-sitter-python'];

/**
 * The action's bundle: always the same bytes for the same source (no source
 * map, no minification, no time or path in it), so the committed copy can be
 * compared with a fresh build.
 */
async function actionBundle() {
  const result = await build({
    entryPoints: ['server/src/action/main.ts'],
    bundle: true,
    write: false,
    outfile: 'action/index.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    define: { COUNTERPART_VERSION: JSON.stringify(pkg.version) },
    legalComments: 'eof',
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

if (checkAction) {
  const fresh = await actionBundle();
  const committed = existsSync('action/index.js') ? readFileSync('action/index.js', 'utf8') : '';
  const stale = [];
  if (fresh !== committed) stale.push('action/index.js');
  for (const name of WASM) {
    const target = join('action/wasm', `${name}.wasm`);
    if (!existsSync(target) || !readFileSync(target).equals(readFileSync(join(wasmDir, `${name}.wasm`)))) stale.push(target);
  }
  if (stale.length) {
    console.error(`The committed action is out of date with its source (${stale.join(', ')}): run 'node scripts/bundle.mjs' and commit action/.`);
    process.exit(1);
  }
  process.exit(0);
}

const entries = [
  { in: 'server/src/cli.ts', out: 'cli' },
  { in: 'server/src/server.ts', out: 'server' },
  // Beside the CLI and the server, which start it in child processes to parse eval files.
  { in: 'server/src/node/evalWorker.ts', out: 'evalWorker' },
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
].filter((e) => existsSync(e.in));

await Promise.all(
  entries.map((e) =>
    build({
      entryPoints: { [e.out]: e.in },
      outdir: 'dist',
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // jsonc-parser's UMD build hides its requires from bundlers; its ESM build bundles cleanly.
      mainFields: ['module', 'main'],
      external: e.external ?? [],
      sourcemap: !production,
      minify: production,
      define: { COUNTERPART_VERSION: JSON.stringify(pkg.version) },
      logLevel: 'warning',
    }),
  ),
);

for (const dir of ['dist/wasm', 'action/wasm']) {
  mkdirSync(dir, { recursive: true });
  for (const name of WASM) copyFileSync(join(wasmDir, `${name}.wasm`), join(dir, `${name}.wasm`));
}
writeFileSync('action/index.js', await actionBundle());
