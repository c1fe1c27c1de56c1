/**
 * "Who owns this path?" for 100,000 paths against 2,000 globs: Counterpart's
 * matcher (sorted listing, each glob tested only under its literal base)
 * against two CODEOWNERS libraries from npm, which test every pattern
 * against every path (timed on a sample and scaled, since the whole run
 * would take minutes).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileMatcher } from '../../server/src/core/index/fileMatcher';
import { Random } from './generate';

export interface OwnershipFigures {
  readonly paths: number;
  readonly globs: number;
  readonly ms: number;
  /** Sorting the same paths from scratch, which a listing in another order would cost first. */
  readonly sortMs: number;
  readonly owned: number;
  readonly libraries: readonly { readonly name: string; readonly sample: number; readonly msPer100k: number }[];
}

function workload(seed: number, paths: number, globs: number): { paths: string[]; globs: string[] } {
  const r = new Random(seed);
  const out: string[] = [];
  const exts = ['ts', 'tsx', 'py', 'md', 'json', 'yaml'];
  for (let i = 0; i < paths; i++) out.push(`packages/pkg${r.int(0, 499)}/src/mod${r.int(0, 19)}/file${i}.${exts[r.int(0, exts.length - 1)]}`);
  const g: string[] = [];
  for (let i = 0; i < globs; i++) {
    const pkg = `packages/pkg${r.int(0, 499)}`;
    switch (i % 4) {
      case 0: g.push(out[r.int(0, out.length - 1)]); break;
      case 1: g.push(`${pkg}/src/mod${r.int(0, 19)}/*.tsx`); break;
      case 2: g.push(`${pkg}/**/*.md`); break;
      default: g.push(`${pkg}/src/mod${r.int(0, 19)}/**`);
    }
  }
  return { paths: out, globs: g };
}

/** CODEOWNERS lines for the same globs: anchored at the root, as manifest globs are. */
function codeownersText(globs: readonly string[]): string {
  return globs.map((g, i) => `/${g} @team${i % 7}`).join('\n') + '\n';
}

export async function measureOwnership(seed = 1, paths = 100_000, globs = 2_000, sample = 1_000): Promise<OwnershipFigures> {
  const w = workload(seed, paths, globs);
  // A listing in another order costs a sort first: timed apart.
  const s0 = performance.now();
  const listed = [...w.paths].sort();
  const sortMs = performance.now() - s0;
  // Ours, from the listing as the hosts give it (in path order: NodeHost sorts each folder's few names as it walks):
  // build the matcher, match every glob, then answer every path.
  const t0 = performance.now();
  const matcher = new FileMatcher(listed);
  const owner = new Map<string, number>();
  w.globs.forEach((g, i) => {
    for (const f of matcher.match(g)) owner.set(f, i); // the last glob that names a path wins, as in CODEOWNERS
  });
  let owned = 0;
  for (const p of w.paths) if (owner.get(p) !== undefined) owned++;
  const ms = performance.now() - t0;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpart-owners-'));
  const libraries: { name: string; sample: number; msPer100k: number }[] = [];
  try {
    fs.writeFileSync(path.join(dir, 'CODEOWNERS'), codeownersText(w.globs));
    const picked = w.paths.slice(0, sample);
    const scale = (elapsed: number): number => (elapsed / picked.length) * 100_000;
    {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Codeowners = require('codeowners') as new (dir: string) => { getOwner(p: string): string[] };
      const l0 = performance.now();
      const engine = new Codeowners(dir);
      for (const p of picked) engine.getOwner(p);
      libraries.push({ name: 'codeowners', sample: picked.length, msPer100k: scale(performance.now() - l0) });
    }
    {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { OwnershipEngine } = require('@snyk/github-codeowners/dist/lib/ownership/OwnershipEngine') as { OwnershipEngine: { FromCodeownersFile(p: string): { calcFileOwnership(p: string): string[] } } };
      const l0 = performance.now();
      const engine = OwnershipEngine.FromCodeownersFile(path.join(dir, 'CODEOWNERS'));
      for (const p of picked) engine.calcFileOwnership(p);
      libraries.push({ name: '@snyk/github-codeowners', sample: picked.length, msPer100k: scale(performance.now() - l0) });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { paths, globs, ms, sortMs, owned, libraries };
}
