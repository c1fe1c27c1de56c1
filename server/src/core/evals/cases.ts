import { detach, type Range } from '../text';

/** An intent an eval case tests, where it is written: in the case, or in the defaults it inherits. */
export interface EvalIntent {
  readonly value: string;
  readonly file: string;
  readonly range: Range;
}

/** One eval case, where it is, which eval set it belongs to and which intents it exercises. */
export interface EvalCase {
  readonly file: string;
  readonly range: Range;
  readonly label: string;
  readonly intents: readonly EvalIntent[];
  /** The eval-set artifact it belongs to (through its files or a `file://` reference). */
  readonly evalSet: string;
}

/**
 * A case as one file states it, before it inherits defaults and is named
 * among its set. Of the intents it writes itself it keeps only those at the
 * first intent path where it writes any: a later path never counts, since an
 * earlier one wins over it (see `assembleCases`).
 */
export interface RawCase {
  readonly range: Range;
  /** Its description, else its name, else its first var ("message: where is my refund"), else its input. */
  readonly label: string | undefined;
  /** The first intent path (dotted) the case writes intents at; undefined when it writes none. */
  readonly path: string | undefined;
  /** The intents written there. */
  readonly intents: readonly EvalIntent[];
}

/** A raw case from the intents it writes at each path, in the order of the paths. */
export function rawCase(range: Range, label: string | undefined, own: readonly OwnIntents[]): RawCase {
  const first = own.find((o) => o.values.length);
  return { range, label, path: first?.path, intents: first?.values ?? NO_INTENTS };
}

const NO_INTENTS: readonly EvalIntent[] = Object.freeze([]);

/** The intents a case writes at one path. */
export interface OwnIntents {
  readonly path: string;
  /** Each with the file it is written in, so a case that writes it holds the same object. */
  readonly values: readonly EvalIntent[];
}

/** The label of a case from what it says, first found first. */
export function pickLabel(parts: { description?: string; name?: string; firstVar?: () => string | undefined; input?: string }): string | undefined {
  const label = parts.description ?? parts.name ?? parts.firstVar?.() ?? parts.input;
  return label === undefined ? undefined : clip(label);
}

/** What `defaultTest` gives every case that does not say it itself. */
export interface CaseDefaults {
  readonly file: string;
  readonly own: readonly OwnIntents[];
}

export interface EvalProblem {
  readonly range: Range;
  readonly message: string;
}

const LABEL_MAX = 80;

/** Cases of one file with their intents: each path in order, the case's own value first, then the defaults'. */
export function assembleCases(file: string, raws: readonly RawCase[], paths: readonly string[], evalSet: string, defaults?: CaseDefaults): EvalCase[] {
  return raws.map((raw) => {
    // The lists read from the file themselves, shared (they are never changed): fifty thousand cases copy nothing.
    let intents: readonly EvalIntent[] = NO_INTENTS;
    for (const path of paths) {
      if (path === raw.path) {
        intents = raw.intents;
        break;
      }
      const inherited = defaults?.own.find((o) => o.path === path)?.values;
      if (inherited?.length) {
        intents = inherited;
        break;
      }
    }
    return { file, range: raw.range, label: raw.label ?? `case on line ${raw.range.start.line + 1}`, intents, evalSet };
  });
}

/**
 * Labels that repeat within a set (real suites often start every case with
 * the same boilerplate var) get their file and line, so a list tells them apart.
 */
export function tellApart(cases: readonly EvalCase[]): EvalCase[] {
  const seen = new Map<string, number>();
  for (const c of cases) seen.set(c.label, (seen.get(c.label) ?? 0) + 1);
  return cases.map((c) => ((seen.get(c.label) ?? 0) > 1 ? { ...c, label: `${c.label} · ${c.file.split('/').pop()}:${c.range.start.line + 1}` } : c));
}

/** A label: one line, short, and its own string (never a slice that keeps a whole file's text alive). */
export function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return detach(one.length > LABEL_MAX ? one.slice(0, LABEL_MAX - 1) + '…' : one);
}

/** "message: hello" from a var's key and value. */
export function varLabel(key: string, value: unknown): string {
  return `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;
}
