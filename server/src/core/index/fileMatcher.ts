import { Minimatch } from 'minimatch';
import { globBase } from '../paths';

/**
 * Matches manifest globs against the folder's file list. Each glob is compiled
 * once, to one regular expression; a literal path is a binary search and a
 * glob only tests the files under its literal base folder (found by binary
 * search in the sorted list).
 */
export class FileMatcher {
  private readonly sorted: string[];

  constructor(files: readonly string[]) {
    // Hosts list in path order, which spares a sort of thousands of paths on every build.
    this.sorted = sortedPaths(files);
  }

  get files(): readonly string[] {
    return this.sorted;
  }

  has(file: string): boolean {
    return this.sorted[lowerBound(this.sorted, file)] === file;
  }

  match(pattern: string): string[] {
    const glob = pattern.replace(/^\.\//, '');
    // A plain path (most artifacts name one file) is a lookup; compiling it would cost more than the lookup.
    if (!/[*?[\]{}()!+@\\]/.test(glob)) return this.has(glob) ? [glob] : [];
    // A simple glob has a `*` or `?` here, so it is never plain: minimatch is not needed for it at all.
    const re = simpleGlobRegExp(glob);
    let test: (f: string) => boolean;
    if (re) {
      test = (f) => re.test(f);
    } else {
      const mm = new Minimatch(glob, { dot: true });
      // Braces alone (`docs/{help,faq}.md`) expand to plain paths: each is a lookup.
      if (!mm.hasMagic()) return [...new Set(mm.globSet)].filter((p) => this.has(p)).sort();
      test = (f) => mm.match(f);
    }
    const base = globBase(glob);
    const tail = literalTail(glob);
    const out: string[] = [];
    const { sorted } = this;
    // The paths under the base are one run of the sorted list, found by two searches rather than testing each
    // path's start (slow on the joined strings a listing is made of); a path going on with U+FFFF is still tested.
    const end = lowerBound(sorted, `${base}\uffff`);
    for (let i = lowerBound(sorted, base); i < end || (i < sorted.length && sorted[i].startsWith(base)); i++) {
      const file = sorted[i];
      if (file.endsWith(tail) && test(file)) out.push(file);
    }
    return out;
  }
}

/**
 * The one expression a simple glob (literal text, `*`, `?` and `**`
 * segments, nothing else) compiles to, matching what minimatch matches with
 * `dot: true` on a listing's paths; undefined for any other glob, which
 * minimatch then tests itself. Minimatch splits each path into segments on
 * every test: on a monorepo's listing that was most of the time spent. A
 * unit test holds the two to the same answers on random globs and paths.
 */
export function simpleGlobRegExp(glob: string): RegExp | undefined {
  if (/[[\]{}()!+@\\]/.test(glob) || glob.startsWith('#')) return undefined;
  const parts = glob.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  // Runs of `**` segments are one.
  const segs = parts.filter((p, i) => !(p === '**' && parts[i - 1] === '**'));
  const segment = (p: string): string => p.replace(/[.^$|\\/]/g, '\\$&').replace(/\*+/g, '[^/]*').replace(/\?/g, '[^/]');
  let re = '';
  segs.forEach((p, i) => {
    const first = i === 0;
    const last = i === segs.length - 1;
    if (p !== '**') re += (first || segs[i - 1] === '**' ? '' : '/') + segment(p);
    else if (first && last) re += '[^/]+(?:/[^/]+)*';
    else if (first) re += '(?:[^/]+/)*';
    else if (last) re += '(?:/[^/]+)+';
    else re += '/(?:[^/]+/)*';
  });
  return new RegExp(`^${re}$`);
}

/**
 * The text every path a glob matches ends with: what follows its last magic
 * character (`.md` of `docs/**\/*.md`), when that is a `*` or `?` and the
 * text holds no slash. Tested first, it spares most paths under the base.
 */
function literalTail(glob: string): string {
  const tail = /[^*?[\]{}()!+@\\/]*$/.exec(glob)![0];
  const before = glob[glob.length - tail.length - 1];
  return before === '*' || before === '?' ? tail : '';
}

/** The first index of a sorted list whose entry is not before `prefix`. */
export function lowerBound(sorted: readonly string[], prefix: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isSorted(files: readonly string[]): boolean {
  for (let i = 1; i < files.length; i++) if (files[i - 1] > files[i]) return false;
  return true;
}

/** Paths in code-unit order: the list itself when it already is (a host's listing), else a sorted copy. */
export function sortedPaths(files: readonly string[]): string[] {
  return isSorted(files) ? (files as string[]) : [...files].sort();
}
