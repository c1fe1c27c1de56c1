import * as path from 'node:path';
import { leavesFolder } from '../paths';
import type { LineIndex, Range } from '../text';
import { assembleCases, type CaseDefaults, type EvalCase } from './cases';
import { readerFor, readEvalFile, type EvalFileFacts, type EvalReader, type Reference } from './readers';

/** What following a suite needs from the folder: listing, reading (with its limits) and a cache. */
export interface EvalSource {
  /** Files of the folder a path or glob (relative to the folder) names. */
  match(pattern: string): string[];
  /** A file's text and lines (read only when asked), the key its cache entries go by, and its first line; undefined when it cannot be read (the source says why). */
  load(file: string): EvalFile | undefined;
  cached<T>(purpose: string, file: string, key: string, compute: () => T): T;
}

export interface EvalFile {
  readonly key: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly head: Range;
}

export type SuiteProblemCode = 'eval-syntax' | 'eval-in-code' | 'untagged-cases';

export interface SuiteProblem {
  readonly code: SuiteProblemCode;
  readonly file: string;
  readonly range: Range;
  readonly message: string;
}

export interface Suite {
  readonly cases: EvalCase[];
  readonly problems: SuiteProblem[];
  /** Every file whose cases count, the suite's own and those reached by `file://`. */
  readonly files: string[];
  /** Files named by `prompts: file://…`: the prompts this suite runs. */
  readonly promptFiles: string[];
}

/** Files that hold code: never run, never read as YAML. */
const CODE_FILE = /\.(js|cjs|mjs|ts|cts|mts|py)$/i;
/** How deep `file://` may lead from the config (a case list pointing at another). */
export const MAX_DEPTH = 4;

/**
 * Reads an eval set's file the way promptfoo does: its inline cases, the
 * cases of every file its `tests:` points at with `file://` (globs; YAML,
 * JSON, JSONL, CSV; relative to the file that names them), `defaultTest`
 * intents inherited, and the prompt files `prompts:` names. Nothing is run.
 */
export function readSuite(file: string, format: 'promptfoo' | 'jsonl' | 'json', paths: readonly string[], evalSet: string, source: EvalSource): Suite {
  const suite: Suite = { cases: [], problems: [], files: [], promptFiles: [] };
  if (CODE_FILE.test(file)) {
    suite.problems.push({
      code: 'eval-in-code', file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: 'This eval config is code, and Counterpart never runs code, so its cases are not counted. Keep the cases in YAML, JSON, JSONL or CSV files (tests: file://cases/*.yaml) to have them counted.',
    });
    return suite;
  }
  const loaded = source.load(file);
  if (!loaded) return suite;
  const facts = read(file, loaded, format, paths, source);
  const defaults = facts.defaults ? { file, own: facts.defaults } : undefined;
  add(suite, file, loaded, facts, paths, evalSet, defaults);
  const seen = new Set([file]);
  const follow = (from: string, refs: readonly Reference[], depth: number): void => {
    for (const ref of refs) {
      for (const target of resolve(from, ref, suite, source)) {
        if (seen.has(target)) {
          suite.problems.push({ code: 'eval-syntax', file: from, range: ref.range, message: `${target} is already part of this eval set, so this file:// leads in a loop; it was read once.` });
          continue;
        }
        seen.add(target);
        const text = source.load(target);
        if (!text) continue;
        const referenced = read(target, text, format, paths, source);
        add(suite, target, text, referenced, paths, evalSet, defaults);
        if (referenced.references.length && depth < MAX_DEPTH) follow(target, referenced.references, depth + 1);
      }
    }
  };
  follow(file, facts.references, 1);
  // A prompt may well be code (`file://route.ts:systemPrompt`): it is named, never run.
  for (const ref of facts.prompts) suite.promptFiles.push(...resolve(file, { ...ref, target: ref.target.replace(/:[\w$.]+$/, '') }, undefined, source, true));
  return suite;
}

function read(file: string, loaded: EvalFile, format: 'promptfoo' | 'jsonl' | 'json', paths: readonly string[], source: EvalSource): EvalFileFacts {
  const reader = readerFor(file, format);
  return source.cached(evalsPurpose(reader, paths), file, loaded.key, () => readEvalFile(loaded.text, file, reader, paths, loaded.lines));
}

/** What an eval file's facts are cached under: how it was read and for which intent paths. */
export function evalsPurpose(reader: EvalReader, paths: readonly string[]): string {
  return `evals:${reader}:${paths.join('|')}`;
}

/** Whether an eval file is code (never run, never read as YAML). */
export function isCodeFile(file: string): boolean {
  return CODE_FILE.test(file);
}

function add(suite: Suite, file: string, loaded: EvalFile, facts: EvalFileFacts, paths: readonly string[], evalSet: string, defaults: CaseDefaults | undefined): void {
  suite.files.push(file);
  for (const p of facts.problems) suite.problems.push({ code: 'eval-syntax', file, range: p.range, message: p.message });
  const cases = assembled(file, facts, paths, evalSet, defaults);
  suite.cases.push(...cases);
  const untagged = cases.filter((c) => c.intents.length === 0).length;
  if (untagged) {
    const where = paths.length === 1 ? paths[0] : paths.join(' or ');
    suite.problems.push({
      code: 'untagged-cases', file, range: loaded.head,
      message: `${untagged === cases.length ? (untagged === 1 ? 'Its one case carries' : `All ${untagged} cases carry`) : `${untagged} of ${cases.length} cases carry`} no intent at ${where}, so ${untagged === 1 ? 'it counts' : 'they count'} toward no intent's coverage. Tag them so everyone can see what they test.`,
    });
  }
}

/**
 * A file's cases with their intents, the same objects as long as the file,
 * its defaults and the set are unchanged (facts are cached per content), so an
 * unchanged file costs nothing on a rebuild.
 */
const assembledCache = new WeakMap<EvalFileFacts, { key: string; defaults: unknown; cases: EvalCase[] }>();

function assembled(file: string, facts: EvalFileFacts, paths: readonly string[], evalSet: string, defaults: CaseDefaults | undefined): EvalCase[] {
  const key = `${file}\u0000${evalSet}\u0000${paths.join('|')}\u0000${defaults?.file ?? ''}`;
  const hit = assembledCache.get(facts);
  if (hit && hit.key === key && hit.defaults === defaults?.own) return hit.cases;
  const cases = assembleCases(file, facts.raws, paths, evalSet, defaults);
  assembledCache.set(facts, { key, defaults: defaults?.own, cases });
  return cases;
}

/**
 * The case files a `tests:` entry `file://<target>` in `from` leads to:
 * relative to `from`, inside the folder, not code. What the build follows,
 * and what a prefetch follows ahead of it.
 */
export function caseFilesOf(from: string, target: string, match: (pattern: string) => string[]): string[] {
  const joined = referencePath(from, target.trim());
  return joined === undefined || CODE_FILE.test(target.trim()) ? [] : match(joined).filter((f) => !CODE_FILE.test(f));
}

/** A `file://` target as a path of the folder, or undefined when it leads outside. */
function referencePath(from: string, target: string): string | undefined {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
  return !target || path.posix.isAbsolute(target) || leavesFolder(joined) ? undefined : joined;
}

/** The folder's files a `file://` names, relative to the file that names it; problems reported at the reference. */
function resolve(from: string, ref: Reference, suite: Suite | undefined, source: EvalSource, code = false): string[] {
  const report = (message: string): string[] => {
    suite?.problems.push({ code: 'eval-syntax', file: from, range: ref.range, message });
    return [];
  };
  const target = ref.target.trim();
  const joined = referencePath(from, target);
  if (joined === undefined) return report(`file://${target} points outside the folder, so its cases were not read.`);
  if (!code && CODE_FILE.test(target)) {
    suite?.problems.push({ code: 'eval-in-code', file: from, range: ref.range, message: `file://${target} is code that generates cases; Counterpart never runs code, so they are not counted.` });
    return [];
  }
  const files = source.match(joined);
  if (!files.length) return report(/[*?[\]{}]/.test(target) ? `No file matches file://${target}, so it adds no eval case.` : `file://${target} does not exist, so its eval cases are missing.`);
  return code ? files : files.filter((f) => !CODE_FILE.test(f));
}
