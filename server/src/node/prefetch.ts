import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import type { EvalFileFacts } from '../core/evals/readers';
import type { Host } from '../core/host';
import { keepEvalFacts, planEvalReads, type EvalRead } from '../core/index/prefetch';
import type { IndexCache, IndexOptions } from '../core/index/workspaceIndex';
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
 * long-lived process. Anything that goes wrong leaves the work to the build:
 * this never throws.
 */
export async function prefetchEvals(root: string, host: Host, options: IndexOptions, cache: IndexCache, { processes = defaultProcesses(), minBytes = PREFETCH_MIN_BYTES } = {}): Promise<PrefetchFigures> {
  const none = { files: 0, bytes: 0, processes: 0 };
  const script = path.join(__dirname, 'evalWorker.js');
  if (processes < 1 || !fs.existsSync(script)) return none;
  let reads: EvalRead[];
  try {
    reads = planEvalReads(root, host, options, cache);
  } catch {
    return none;
  }
  const bytes = reads.reduce((n, r) => n + r.size, 0);
  if (bytes < minBytes) return none;
  const shares = share(reads, processes);
  await Promise.all(shares.map((part) => runWorker(script, part, cache)));
  return { files: reads.length, bytes, processes: shares.length };
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

function runWorker(script: string, { reads, bytes }: Share, cache: IndexCache): Promise<void> {
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
        for (const result of batch) keepEvalFacts(cache, reads[result.index], JSON.parse(result.facts) as EvalFileFacts, result.text);
      } catch {
        child.kill(); // Not what a child sends: the build reads what is missing.
      }
    });
    // A child that takes far longer than parsing its share could (a pathological file) is stopped;
    // whatever happened, the build reads what is missing.
    const timer = setTimeout(() => child.kill(), TIMEOUT_MS + (bytes / (1024 * 1024)) * TIMEOUT_MS_PER_MB);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    child.once('error', done);
    child.once('exit', done);
    child.send(input, (err) => {
      if (err) child.kill();
    });
  });
}
