import { Minimatch } from 'minimatch';
import { globBase } from '../paths';

/**
 * Matches manifest globs against the folder's file list. Each glob is compiled
 * once; a literal path is a set lookup and a glob only tests the files under
 * its literal base folder (found by binary search in the sorted list).
 */
export class FileMatcher {
  private readonly sorted: string[];
  private readonly set: Set<string>;

  constructor(files: readonly string[]) {
    // Hosts that keep their listing sorted spare a sort of thousands of paths on every build.
    this.sorted = isSorted(files) ? (files as string[]) : [...files].sort();
    this.set = new Set(this.sorted);
  }

  get files(): readonly string[] {
    return this.sorted;
  }

  has(file: string): boolean {
    return this.set.has(file);
  }

  match(pattern: string): string[] {
    const glob = pattern.replace(/^\.\//, '');
    // A plain path (most artifacts name one file) is a set lookup; compiling it would cost more than the lookup.
    if (!/[*?[\]{}()!+@\\]/.test(glob)) return this.set.has(glob) ? [glob] : [];
    const mm = new Minimatch(glob, { dot: true });
    // Braces alone (`docs/{help,faq}.md`) expand to plain paths: each is a lookup.
    if (!mm.hasMagic()) return [...new Set(mm.globSet)].filter((p) => this.set.has(p)).sort();
    const base = globBase(glob);
    const out: string[] = [];
    for (let i = lowerBound(this.sorted, base); i < this.sorted.length && this.sorted[i].startsWith(base); i++) {
      if (mm.match(this.sorted[i])) out.push(this.sorted[i]);
    }
    return out;
  }
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
