// Bundles the CLI, the language server and the extension client into dist/.
// Type-checking is `tsc -b`'s job; this only packs what runs.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');

const entries = [
  { in: 'server/src/cli.ts', out: 'cli' },
  { in: 'server/src/server.ts', out: 'server' },
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

// The code parsers VS Code ships (tree-sitter runtime and grammars), beside the
// bundle in dist/wasm: the server loads one only when a manifest needs it.
const wasmDir = dirname(createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm'));
mkdirSync('dist/wasm', { recursive: true });
for (const name of ['tree-sitter', 'tree-sitter-typescript', 'tree-sitter-tsx', 'tree-sitter-javascript', 'tree-sitter-python']) {
  copyFileSync(join(wasmDir, `${name}.wasm`), join('dist/wasm', `${name}.wasm`));
}
