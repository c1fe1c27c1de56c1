// Builds counterpart-<version>.vsix: a production bundle, then vsce with the
// .vscodeignore allow-list. The bundle carries every dependency, so vsce packs
// no node_modules.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const out = `${pkg.name}-${pkg.version}.vsix`;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

run(process.execPath, [require.resolve('typescript/bin/tsc'), '-b']);
run(process.execPath, ['scripts/bundle.mjs', '--production']);
run(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license',
  // The README's pictures live in docs/, outside the package; keep their links as written.
  '--no-rewrite-relative-links', '-o', out]);
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KB`);
