/**
 * GitHub's CODEOWNERS path patterns: gitignore-like, as GitHub documents them.
 *
 * - A pattern with a `/` at its start or in its middle is anchored at the top
 *   of the repository; one without (`*.md`, `docs/`) matches at any depth.
 * - `*` matches within one folder name, `?` one character of it, `**` any
 *   number of folders (`**\/x`, `a/**\/b`, `a/**`).
 * - A trailing `/` means "everything inside that folder"; a pattern that names
 *   a file or folder (`/apps/github`) also matches everything inside it; a
 *   pattern ending in `/*` matches only the folder's own files, not deeper ones.
 * - No `!` (excluding) and no `[…]` character ranges: GitHub does not support them.
 *
 * Paths are relative to the repository's top, with forward slashes and no
 * leading slash. Matching is case-sensitive, as on GitHub.
 */

/** A compiled pattern, or why GitHub skips the line that holds it. */
export type CompiledPattern = { readonly ok: true; readonly test: (path: string) => boolean } | { readonly ok: false; readonly problem: string };

export function compilePattern(pattern: string): CompiledPattern {
  if (pattern === '') return { ok: false, problem: 'the line has no path pattern' };
  if (pattern.startsWith('!')) return { ok: false, problem: "GitHub does not support '!' to exclude files in CODEOWNERS" };
  if (/(^|[^\\])\[/.test(pattern)) return { ok: false, problem: "GitHub does not support character ranges ('[…]') in CODEOWNERS" };
  if (pattern.includes('***')) return { ok: false, problem: "'***' is not a valid pattern" };
  if (pattern === '/') return { ok: true, test: () => false };
  const steps = stepsOf(pattern);
  return { ok: true, test: (path) => matchSteps(steps, path.split('/')) };
}

/**
 * A pattern as steps over a path's folder names: one name (a glob within it),
 * any number of names (`**`), or at least one (a trailing `/` or `/**`).
 * Matching steps against names, remembering what was tried, takes time in
 * proportion to their product however many `**` a pattern has (a regular
 * expression could backtrack for minutes on a hostile line).
 */
type Step = { readonly kind: 'name'; readonly glob: string } | { readonly kind: 'any' } | { readonly kind: 'some' };

function stepsOf(pattern: string): Step[] {
  const segments = pattern.split('/');
  if (segments[0] === '') {
    segments.shift();
  } else if ((segments.length === 1 || (segments.length === 2 && segments[1] === '')) && segments[0] !== '**') {
    // One name, no slash before it: it may sit at any depth.
    segments.unshift('**');
  }
  if (segments.length > 1 && segments[segments.length - 1] === '') segments[segments.length - 1] = '**';
  const last = segments.length - 1;
  const steps: Step[] = [];
  segments.forEach((segment, i) => {
    if (segment === '**') {
      // `**` at the end (or alone) needs something inside; elsewhere it may stand for no folder at all.
      const step: Step = i === last ? { kind: 'some' } : { kind: 'any' };
      if (steps[steps.length - 1]?.kind !== 'any' || step.kind === 'some') steps.push(step);
      return;
    }
    steps.push({ kind: 'name', glob: segment });
    // A name (not a lone `*`) also owns everything inside it when it is a folder.
    if (i === last && segment !== '*') steps.push({ kind: 'any' });
  });
  return steps;
}

function matchSteps(steps: readonly Step[], names: readonly string[]): boolean {
  const width = names.length + 1;
  const memo = new Uint8Array((steps.length + 1) * width); // 0 unknown, 1 no, 2 yes
  const match = (i: number, j: number): boolean => {
    if (i === steps.length) return j === names.length;
    const key = i * width + j;
    if (memo[key]) return memo[key] === 2;
    const step = steps[i];
    let ok: boolean;
    if (step.kind === 'any') ok = match(i + 1, j) || (j < names.length && match(i, j + 1));
    else if (step.kind === 'some') ok = j < names.length && (match(i + 1, j + 1) || match(i, j + 1));
    else ok = j < names.length && globMatches(step.glob, names[j]) && match(i + 1, j + 1);
    memo[key] = ok ? 2 : 1;
    return ok;
  };
  return match(0, 0);
}

/** `*` (any characters), `?` (one), `\x` (x itself), within one name; no backtracking beyond the last `*`. */
function globMatches(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  let starG = -1;
  let starN = 0;
  while (n < name.length) {
    const c = glob[g];
    if (c === '*') {
      starG = ++g;
      starN = n;
    } else if (g < glob.length && (c === '?' || (c === '\\' && g + 1 < glob.length ? glob[g + 1] === name[n] : c === name[n]))) {
      g += c === '\\' && g + 1 < glob.length ? 2 : 1;
      n++;
    } else if (starG >= 0) {
      g = starG;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/** A repository path written as a CODEOWNERS pattern that matches exactly it (and what is inside it, were it a folder). */
export function literalPattern(path: string): string {
  // After the leading slash only the wildcards, the escape and a space need a backslash ('#' and '!' count only first).
  return `/${path.replace(/[\\*?[\] ]/g, (c) => `\\${c}`)}`;
}
