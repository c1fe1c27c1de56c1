import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import type { EvalFileFacts } from '../core/evals/readers';
import type { Host } from '../core/host';
import { MAX_DEPTH } from '../core/evals/suite';
import { EvalReadPlanner, keepEvalFacts, readHere, type EvalFacts, type EvalRead } from '../core/index/prefetch';
import { buildIndex, type IndexCache, type IndexOptions } from '../core/index/workspaceIndex';
import type { EvalWorkerInput, EvalWorkerResult } from './evalWorker';

/**
 * Less than this much eval text is parsed faster in this process: on the
 * bench's two cores, 1.7 MB took 1.4 s ahead against 1.0 s in place, 5 MB
 * broke even (2.2 against 2.6 s) and 10 MB gained a fifth.
 */
export const PREFETCH_MIN_BYTES = 4 * 1024 * 1024;
const MAX_PROCESSES = 4;
/** A child is stopped after this long, plus this much per megabyte it parses (the bench parses 5 MB a second). */
const TIMEOUT_MS = 30_000;
const TIMEOUT_MS_PER_MB = 5_000;

export interface PrefetchFigures {
  readonly files: number;
  readonly bytes: number;
  readonly processes: number;
}

/**
 * Reads and parses the eval files a folder's next build needs in child
 * processes, one per core, and keeps the facts in the folder's cache, so the
 * build that follows finds them there. Parsing is most of a cold index, and
 * its garbage (and what the allocator keeps of it) then never reaches the
 * long-lived process.
 *
 * Round by round: the files the manifest names, then the case files their
 * configs reach through `file://` (promptfoo suites keep most cases there),
 * as deep as a build follows. A round too small for other processes is
 * parsed here when it is the first (the build would parse those configs
 * anyway, and what they reach may be big), and ends the prefetch when it is
 * not. Anything that goes wrong leaves the work to the build: this never
 * throws.
 */
export async function prefetchEvals(root: string, host: Host, options: IndexOptions, cache: IndexCache, { processes = defaultProcesses(), minBytes = PREFETCH_MIN_BYTES, alongside = fillCache } = {}): Promise<PrefetchFigures> {
  const figures = { files: 0, bytes: 0, processes: 0 };
  const script = path.join(__dirname, 'evalWorker.js');
  if (processes < 1 || !fs.existsSync(script)) return figures;
  try {
    const planner = EvalReadPlanner.start(root, host, options, cache);
    let reads = planner?.first() ?? [];
    let filled = false;
    for (let depth = 0; planner && reads.length && depth <= MAX_DEPTH; depth++) {
      const bytes = reads.reduce((n, r) => n + r.size, 0);
      const done: EvalFacts[] = [];
      if (bytes >= minBytes) {
        const shares = share(reads, processes);
        const parsed = Promise.all(shares.map((part) => runWorker(script, part, cache, done)));
        // Meanwhile this process, which only waits for facts, does the rest of the build's reading, once.
        if (!filled) alongside(root, host, options, cache);
        filled = true;
        await parsed;
        figures.files += reads.length;
        figures.bytes += bytes;
        figures.processes = Math.max(figures.processes, shares.length);
      } else if (depth === 0) {
        for (const read of reads) {
          const facts = readHere(cache, host, read);
          if (facts) done.push({ read, facts });
        }
      } else {
        break;
      }
      reads = planner.next(done);
    }
  } catch {
    // The build reads what is missing.
  }
  return figures;
}

/**
 * Everything of a build but the eval files, into the cache the build reads
 * (markers, hashes, located text, copy): done while the children parse
 * instead of after them. Its index is thrown away. Only for a host that
 * tells revisions (the language server's): a cache keyed by texts has the
 * build read every file again anyway, and measured alternating on the
 * bench it gained nothing there (5.7 s without, 6.0 s with), against
 * 6.1 s to 5.8 s with revisions.
 */
function fillCache(root: string, host: Host, options: IndexOptions, cache: IndexCache): void {
  if (!host.revision) return;
  try {
    buildIndex(root, host, { ...options, evalsLater: true }, cache);
  } catch {
    // The build proper says what is wrong.
  }
}

/**
 * One process per core: this one mostly waits meanwhile (taking in the
 * facts costs little), and on two cores two children beat one by a third.
 */
function defaultProcesses(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(MAX_PROCESSES, cores));
}

interface Share {
  readonly reads: EvalRead[];
  bytes: number;
}

/** The reads split into even shares by size, biggest first. */
function share(reads: readonly EvalRead[], processes: number): Share[] {
  const parts: Share[] = Array.from({ length: Math.min(processes, reads.length) }, () => ({ bytes: 0, reads: [] }));
  for (const read of [...reads].sort((a, b) => b.size - a.size)) {
    const smallest = parts.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    smallest.reads.push(read);
    smallest.bytes += read.size;
  }
  return parts.filter((p) => p.reads.length);
}

/** One child's share, its facts kept in the cache and added to `done`. */
function runWorker(script: string, { reads, bytes }: Share, cache: IndexCache, done: EvalFacts[]): Promise<void> {
  const input: EvalWorkerInput = { reads, withText: reads.some((r) => r.key === undefined) };
  return new Promise<void>((resolve) => {
    let child: ChildProcess;
    try {
      // The same runtime as this process, no inspector, no workspace code. Inside VS Code that runtime is
      // Electron, which runs as Node only when told (the language server itself is started so).
      child = fork(script, [], {
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        execArgv: [],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
    } catch {
      resolve();
      return;
    }
    child.on('message', (batch: readonly EvalWorkerResult[]) => {
      try {
        for (const result of batch) {
          const read = reads[result.index];
          done.push({ read, facts: keepEvalFacts(cache, read, JSON.parse(result.facts) as EvalFileFacts, result.text) });
        }
      } catch {
        child.kill(); // Not what a child sends: the build reads what is missing.
      }
    });
    // A child that takes far longer than parsing its share could (a pathological file) is stopped;
    // whatever happened, the build reads what is missing.
    const timer = setTimeout(() => child.kill(), TIMEOUT_MS + (bytes / (1024 * 1024)) * TIMEOUT_MS_PER_MB);
    const finish = (): void => {
      clearTimeout(timer);
      resolve();
    };
    child.once('error', finish);
    child.once('exit', finish);
    child.send(input, (err) => {
      if (err) child.kill();
    });
  });
}
