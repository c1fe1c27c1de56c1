import type { EvalFormat } from '../manifest/model';
import { LineIndex } from '../text';
import { assembleCases, type EvalCase, type EvalProblem } from './cases';
import { readerFor, readEvalFile } from './readers';

export type { EvalCase, EvalIntent, EvalProblem } from './cases';

export interface ParsedEvals {
  readonly cases: EvalCase[];
  readonly problems: EvalProblem[];
}

export function defaultEvalFormat(file: string): EvalFormat {
  if (file.endsWith('.jsonl') || file.endsWith('.ndjson')) return 'jsonl';
  if (file.endsWith('.json')) return 'json';
  return 'promptfoo';
}

/** Where a case's intent is written unless the manifest says otherwise. */
export function defaultIntentField(format: EvalFormat): string {
  return format === 'promptfoo' ? 'metadata.intent' : 'intent';
}

/**
 * The eval cases one file holds by itself (no `file://` followed, no
 * defaults inherited), with their intents at the first of `intentFields`
 * each case sets. Bad content becomes problems, never an exception.
 */
export function parseEvals(text: string, file: string, format: EvalFormat, intentFields: string | readonly string[], lines = new LineIndex(text)): ParsedEvals {
  const paths = typeof intentFields === 'string' ? [intentFields] : intentFields;
  const facts = readEvalFile(text, file, readerFor(file, format), paths, lines);
  return { cases: assembleCases(file, facts.raws, paths, ''), problems: [...facts.problems] };
}
