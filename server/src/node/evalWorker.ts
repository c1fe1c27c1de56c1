/**
 * A child process that reads and parses eval files for a build (see
 * prefetch.ts). A process, not a thread: the parsing, its garbage and the
 * memory the allocator keeps afterwards all go when it exits.
 */
import * as fs from 'node:fs';
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
  /** The facts as JSON: what JSON.parse makes is the most compact form V8 has for them. */
  readonly facts: string;
  readonly text?: string;
}

/** Facts are sent in batches of about this size: few messages, none so big that the allocator keeps it. */
const BATCH_BYTES = 256 * 1024;

/** Reads each file and sends its facts in batches as they are read, then a last, empty batch. */
async function work(input: EvalWorkerInput): Promise<void> {
  let batch: EvalWorkerResult[] = [];
  let size = 0;
  for (const [index, read] of input.reads.entries()) {
    let text: string;
    try {
      text = fs.readFileSync(read.abs, 'utf8');
    } catch {
      continue; // Gone or unreadable: the build says so.
    }
    if (text.includes('\u0000')) continue; // Binary: the build skips it, with a finding.
    const facts = JSON.stringify(readEvalFile(text, read.file, read.reader, read.paths, new LineIndex(text)) satisfies EvalFileFacts);
    batch.push({ index, facts, text: input.withText ? text : undefined });
    size += facts.length + (input.withText ? text.length : 0);
    if (size >= BATCH_BYTES) {
      await send(batch);
      batch = [];
      size = 0;
    }
  }
  if (batch.length) await send(batch);
  await send([]);
  process.exit(0);
}

function send(batch: readonly EvalWorkerResult[]): Promise<void> {
  return new Promise((resolve) => process.send!(batch, () => resolve()));
}

process.once('message', (input: EvalWorkerInput) => void work(input));
