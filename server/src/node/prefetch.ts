import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Host } from '../core/host';
import { keepEvalFacts, planEvalReads, type EvalRead } from '../core/index/prefetch';
import type { IndexCache, IndexOptions } from '../core/index/workspaceIndex';
import type { EvalWorkerInput, EvalWorkerResult } from './evalWorker';

/** Less than this much eval text is parsed faster than a thread starts. */
const MIN_BYTES = 1024 * 1024;
const MAX_THREADS = 4;

export interface PrefetchFigures {
  readonly files: number;
  readonly bytes: number;
  readonly threads: number;
}

/**
 * Reads and parses the eval files a folder's next build needs in worker
 * threads, one per core, and keeps the facts in the folder's cache, so the
 * build that follows finds them there. Parsing is most of a cold index, and
 * its garbage then never reaches the long-lived heap. Anything that goes
 * wrong leaves the work to the build itself.
 */
export async function prefetchEvals(root: string, host: Host, options: IndexOptions, cache: IndexCache, { threads = defaultThreads(), minBytes = MIN_BYTES } = {}): Promise<PrefetchFigures> {
  const none = { files: 0, bytes: 0, threads: 0 };
  const script = path.join(__dirname, 'evalWorker.js');
  if (threads < 1 || !fs.existsSync(script)) return none;
  let reads: EvalRead[];
  try {
    reads = planEvalReads(root, host, options, cache);
  } catch {
    return none;
  }
  const bytes = reads.reduce((n, r) => n + r.size, 0);
  if (bytes < minBytes) return none;
  const shares = share(reads, threads);
  await Promise.all(shares.map((part) => runWorker(script, part, cache)));
  return { files: reads.length, bytes, threads: shares.length };
}

function defaultThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(MAX_THREADS, cores));
}

/** The reads split into even shares by size, biggest first. */
function share(reads: readonly EvalRead[], threads: number): EvalRead[][] {
  const parts = Array.from({ length: Math.min(threads, reads.length) }, () => ({ bytes: 0, reads: [] as EvalRead[] }));
  for (const read of [...reads].sort((a, b) => b.size - a.size)) {
    const smallest = parts.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    smallest.reads.push(read);
    smallest.bytes += read.size;
  }
  return parts.map((p) => p.reads).filter((r) => r.length);
}

function runWorker(script: string, reads: readonly EvalRead[], cache: IndexCache): Promise<void> {
  const input: EvalWorkerInput = { reads, withText: reads.some((r) => r.key === undefined) };
  return new Promise<void>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: input });
    } catch {
      resolve();
      return;
    }
    worker.once('message', (results: EvalWorkerResult[]) => {
      for (const result of results) keepEvalFacts(cache, reads[result.index], result.facts, result.text);
    });
    // Whatever happened, the build reads what is missing.
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
}
