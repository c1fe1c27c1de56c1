/**
 * A worker thread that reads and parses eval files for a build (see
 * prefetch.ts): the parsing, and the garbage it makes, stay in this thread's
 * heap, which goes when the thread ends.
 */
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readEvalFile, type EvalFileFacts } from '../core/evals/readers';
import type { EvalRead } from '../core/index/prefetch';
import { LineIndex } from '../core/text';

export interface EvalWorkerInput {
  readonly reads: readonly EvalRead[];
  /** Send each text back too: the cache of a host without revisions is keyed by text. */
  readonly withText: boolean;
}

export interface EvalWorkerResult {
  readonly index: number;
  readonly facts: EvalFileFacts;
  readonly text?: string;
}

const input = workerData as EvalWorkerInput;
const results: EvalWorkerResult[] = [];
input.reads.forEach((read, index) => {
  let text: string;
  try {
    text = fs.readFileSync(read.abs, 'utf8');
  } catch {
    return; // Gone or unreadable: the build says so.
  }
  if (text.includes('\u0000')) return; // Binary: the build skips it, with a finding.
  const facts = readEvalFile(text, read.file, read.reader, read.paths, new LineIndex(text));
  results.push({ index, facts, text: input.withText ? text : undefined });
});
parentPort?.postMessage(results);
