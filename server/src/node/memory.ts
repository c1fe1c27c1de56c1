import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** How long the server must have been quiet after a full build before its heap is compacted. */
const QUIET_MS = 2000;
/** Compact only a heap this big: a small workspace's build leaves nothing worth a pause. */
export const COMPACT_FROM_BYTES = 96 * 1024 * 1024;
/** Keystrokes (patches) after which a quiet moment compacts the heap as a full build does. */
const PATCHES_PER_COMPACTION = 200;

let collector: (() => void) | null | undefined;

/** V8's full collection, reached once through the flag `--expose-gc` sets; null where the runtime refuses it. */
function fullCollection(): (() => void) | null {
  if (collector === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      collector = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collector = null;
    }
  }
  return collector;
}

/**
 * A full build (the first, or one after the manifest changed) leaves the
 * heap holding hundreds of MiB of pages half filled by garbage that V8
 * gives back only when its own idle heuristics happen to run. Once the
 * server has been quiet for a moment after such a build, one compacting
 * collection (a fraction of a second on a monorepo) moves what is live
 * together and lets the rest go.
 */
export class HeapCompactor {
  private timer: NodeJS.Timeout | undefined;
  private patches = 0;

  /** A full build ran: compact once nothing else has run for a moment. */
  afterFullBuild(): void {
    this.cancel();
    this.patches = 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      compactHeap();
    }, QUIET_MS);
    this.timer.unref();
  }

  /**
   * A keystroke's patch ran: it leaves little behind, but thousands of them
   * add up, so after every PATCHES_PER_COMPACTION the next quiet moment
   * compacts too. A compaction already waiting waits for the quiet again.
   */
  afterPatch(): void {
    if (++this.patches >= PATCHES_PER_COMPACTION || this.timer) this.afterFullBuild();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** One compacting full collection, when the heap is big enough to be worth it; answers whether it ran. */
export function compactHeap(): boolean {
  if (v8.getHeapStatistics().total_heap_size < COMPACT_FROM_BYTES) return false;
  const gc = fullCollection();
  if (!gc) return false;
  v8.setFlagsFromString('--compact-on-every-full-gc');
  try {
    gc();
  } finally {
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
  return true;
}
