import { parse as parseCsv } from 'csv-parse/sync';
import { parseTree, type ParseError } from 'jsonc-parser';
import { findExcessiveJsonNesting, findExcessiveNesting, parseYamlSafely } from '../safeYaml';
import { detach, intern, type LineIndex, type Range } from '../text';
import { pickLabel, rawCase, varLabel, type EvalIntent, type EvalProblem, type OwnIntents, type RawCase } from './cases';
import { readYamlCst } from './cst';
import { at, jsonView, yamlView, type DocNode } from './doc';

/** What one eval file says: its cases, and for a promptfoo config what it points at. */
export interface EvalFileFacts {
  readonly raws: readonly RawCase[];
  readonly problems: readonly EvalProblem[];
  /** `file://` entries of `tests:`: more cases, in other files. */
  readonly references: readonly Reference[];
  /** `defaultTest`: the intents every case inherits unless it says its own. */
  readonly defaults?: readonly OwnIntents[];
  /** `file://` entries of `prompts:`: the prompts this suite runs. */
  readonly prompts: readonly Reference[];
}

/** A `file://` path as written (without the scheme), and where. */
export interface Reference {
  readonly target: string;
  readonly range: Range;
}

export type EvalReader = 'doc' | 'jsonl' | 'csv';

/** The reader for a file by its name: CSV and JSONL by extension, else a YAML or JSON document. */
export function readerFor(file: string, format: 'promptfoo' | 'jsonl' | 'json'): EvalReader {
  if (/\.csv$/i.test(file)) return 'csv';
  if (format === 'jsonl' || /\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  return 'doc';
}

/**
 * Reads one eval file's cases, with the intents at each of `paths` (dotted). Never throws on content.
 * YAML is read from its syntax tree when it is plain (see readYamlCst); `compose` forces the composed Document, for tests.
 */
export function readEvalFile(text: string, file: string, reader: EvalReader, paths: readonly string[], lines: LineIndex, compose = false): EvalFileFacts {
  switch (reader) {
    case 'csv': return readCsv(text, file, paths, lines);
    case 'jsonl': return readJsonl(file, paths, lines);
    case 'doc': return /\.json$/i.test(file) ? readJsonDoc(text, file, paths, lines) : readYamlDoc(text, file, paths, lines, compose);
  }
}

const NONE: EvalFileFacts = { raws: [], problems: [], references: [], prompts: [] };

function readYamlDoc(text: string, file: string, paths: readonly string[], lines: LineIndex, compose: boolean): EvalFileFacts {
  // Deep nesting is refused before any parser sees it (parseYamlSafely says so), and looked for once.
  const deep = findExcessiveNesting(text);
  const fast = compose || deep !== undefined ? undefined : readYamlCst(text);
  if (fast) return readDoc(fast.root, file, paths, lines);
  const parsed = parseYamlSafely(text, deep === undefined);
  const problems = parsed.problems.map((p) => ({ range: lines.range(p.start, p.end), message: p.message }));
  if (!parsed.ok) return { ...NONE, problems };
  const facts = readDoc(yamlView(parsed.doc.contents), file, paths, lines);
  return { ...facts, problems: [...problems, ...facts.problems] };
}

function readJsonDoc(text: string, file: string, paths: readonly string[], lines: LineIndex): EvalFileFacts {
  const deep = findExcessiveJsonNesting(text);
  if (deep !== undefined) return { ...NONE, problems: [{ range: lines.range(deep, deep + 1), message: 'This file nests too deeply to be read.' }] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: EvalProblem[] = errors.slice(0, 20).map((e) => ({ range: lines.range(e.offset, e.offset + Math.max(1, e.length)), message: 'This file is not valid JSON here, so some eval cases may be missing.' }));
  const view = jsonView(root);
  const facts = readDoc(view, file, paths, lines);
  if (view && errors.length === 0 && view.kind !== 'seq' && view.get('tests') === undefined) {
    problems.push({ range: lines.range(view.start, view.start + 1), message: 'An eval file in JSON should be a list of cases, or an object with a "tests" list.' });
  }
  return { ...facts, problems: [...problems, ...facts.problems] };
}

/** A promptfoo config (`tests`, `defaultTest`, `prompts`) or a bare list of cases, in YAML or JSON. */
function readDoc(root: DocNode | undefined, file: string, paths: readonly string[], lines: LineIndex): EvalFileFacts {
  if (!root) return NONE;
  const raws: RawCase[] = [];
  const references: Reference[] = [];
  const take = (list: DocNode | undefined): void => {
    if (list?.kind === 'scalar') {
      const ref = fileReference(list, lines);
      if (ref) references.push(ref);
    }
    for (const item of list?.kind === 'seq' ? list.items() : []) {
      if (item.kind === 'map') raws.push(docCase(item, file, paths, lines));
      else {
        const ref = fileReference(item, lines);
        if (ref) references.push(ref);
      }
    }
  };
  if (root.kind === 'seq') {
    take(root);
    return { raws, problems: [], references, prompts: [] };
  }
  if (root.kind !== 'map') return NONE;
  take(root.get('tests'));
  const defaultTest = root.get('defaultTest');
  const defaults = defaultTest?.kind === 'map' ? intentsAt(defaultTest, file, paths, lines) : undefined;
  const prompts: Reference[] = [];
  const promptList = root.get('prompts');
  for (const p of promptList?.kind === 'seq' ? promptList.items() : promptList ? [promptList] : []) {
    const ref = fileReference(p.kind === 'map' ? p.get('id') ?? p.get('file') ?? p : p, lines);
    if (ref) prompts.push(ref);
  }
  return { raws, problems: [], references, defaults, prompts };
}

function fileReference(node: DocNode | undefined, lines: LineIndex): Reference | undefined {
  const v = node?.scalar();
  if (typeof v !== 'string' || !v.startsWith('file://')) return undefined;
  return { target: detach(v.slice('file://'.length)), range: lines.range(node!.start, node!.end) };
}

function docCase(item: DocNode, file: string, paths: readonly string[], lines: LineIndex): RawCase {
  const text = (key: string): string | undefined => {
    const v = item.get(key)?.scalar();
    return typeof v === 'string' && v.trim() ? v : undefined;
  };
  const vars = item.get('vars');
  const first = vars?.kind === 'map' ? vars.entries()[0] : undefined;
  return rawCase(
    lines.range(item.start, item.start),
    pickLabel({ description: text('description'), name: text('name'), firstVar: () => (first ? varLabel(first[0], first[1].plain()) : undefined), input: text('input') ?? text('prompt') ?? text('question') ?? text('query') }),
    intentsAt(item, file, paths, lines),
  );
}

/** The intents written at each path of a case (or of `defaultTest`): text, or a list of text. */
function intentsAt(node: DocNode, file: string, paths: readonly string[], lines: LineIndex): readonly OwnIntents[] {
  const out: OwnIntents[] = [];
  for (const path of paths) {
    const v = at(node, path.split('.').filter(Boolean));
    const values = (v?.kind === 'seq' ? v.items() : v ? [v] : []).flatMap((n) => {
      const s = n.scalar();
      return typeof s === 'string' ? [{ value: intern(s), file, range: lines.range(n.start, n.end) }] : [];
    });
    if (values.length) out.push({ path, values: exact(values) });
  }
  return exact(out);
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * A list of exactly its length: a list grown by push keeps room for 16 more,
 * which across fifty thousand cases is megabytes of nothing.
 */
function exact<T>(list: T[]): readonly T[] {
  return list.length === 0 ? EMPTY : list.slice();
}

// ---- JSONL ---------------------------------------------------------------------

function readJsonl(file: string, paths: readonly string[], lines: LineIndex): EvalFileFacts {
  const raws: RawCase[] = [];
  const problems: EvalProblem[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const raw = lines.lineText(line);
    if (!raw.trim()) continue;
    const start = lines.offset({ line, character: 0 });
    let value: unknown;
    try {
      if (findExcessiveJsonNesting(raw) !== undefined) throw new Error('it nests too deeply');
      value = JSON.parse(raw);
    } catch (err) {
      problems.push({ range: lines.range(start, start + raw.length), message: `Line ${line + 1} is not valid JSON (${(err as Error).message}), so its eval case was not read.` });
      continue;
    }
    if (!isObject(value)) {
      problems.push({ range: lines.range(start, start + raw.length), message: `Line ${line + 1} should be one JSON object, one eval case.` });
      continue;
    }
    const own: OwnIntents[] = [];
    for (const path of paths) {
      let searchFrom = 0;
      const values: EvalIntent[] = [];
      for (const intent of textsAt(value, path.split('.').filter(Boolean))) {
        // Columns from the raw line: the quoted value's first appearance after the last one.
        const quoted = JSON.stringify(intent);
        const found = raw.indexOf(quoted, searchFrom);
        const col = found >= 0 ? found : 0;
        searchFrom = found >= 0 ? found + quoted.length : searchFrom;
        values.push({ value: intern(intent), file, range: lines.range(start + col, start + col + (found >= 0 ? quoted.length : raw.length)) });
      }
      if (values.length) own.push({ path, values: exact(values) });
    }
    raws.push(rawCase(lines.range(start, start), objectLabel(value), own));
  }
  return { ...NONE, raws, problems };
}

function objectLabel(obj: Record<string, unknown>): string | undefined {
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
  const first = isObject(obj.vars) ? Object.entries(obj.vars)[0] : undefined;
  return pickLabel({
    description: text(obj.description),
    name: text(obj.name),
    firstVar: () => (first ? varLabel(first[0], first[1]) : undefined),
    input: text(obj.input) ?? text(obj.prompt) ?? text(obj.question) ?? text(obj.query),
  });
}

function textsAt(obj: Record<string, unknown>, path: readonly string[]): string[] {
  let v: unknown = obj;
  for (const key of path) {
    if (!isObject(v)) return [];
    v = v[key];
  }
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- CSV -----------------------------------------------------------------------

interface CsvRow {
  readonly record: string[];
  readonly raw: string;
  readonly info: { readonly lines: number; readonly invalid_field_length: number };
}

/**
 * promptfoo's CSV: one case a row, columns are vars except `__expected…`,
 * `__description` and `__metadata:<key>` (which sets `metadata.<key>`).
 * Read with a real CSV parser: quoted fields, embedded line breaks, CRLF, a BOM.
 */
function readCsv(text: string, file: string, paths: readonly string[], lines: LineIndex): EvalFileFacts {
  let rows: CsvRow[];
  try {
    rows = parseCsv(text, { bom: true, info: true, raw: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as unknown as CsvRow[];
  } catch (err) {
    const e = err as Error & { lines?: number };
    const line = Math.max(0, (e.lines ?? 1) - 1);
    return { ...NONE, problems: [{ range: lines.range(lines.offset({ line, character: 0 }), lines.lineEnd(line)), message: `This CSV could not be read here (${e.message.split('\n')[0]}), so its eval cases are missing.` }] };
  }
  const [header, ...body] = rows;
  if (!header) return NONE;
  const columns = header.record.map((c) => c.trim());
  const raws: RawCase[] = [];
  const problems: EvalProblem[] = [];
  for (const row of body) {
    // `lines` is where the row ends; a quoted field may span lines.
    const line = Math.max(0, row.info.lines - 1 - (row.raw.match(/\r\n|\r|\n/g)?.length ?? 0) + (/[\r\n]$/.test(row.raw) ? 1 : 0));
    const rowStart = lines.offset({ line, character: 0 });
    if (row.record.length !== columns.length) {
      problems.push({ range: lines.range(rowStart, lines.lineEnd(line)), message: `Row ${line + 1} has ${row.record.length} fields, but the header has ${columns.length}; its missing columns count as empty.` });
    }
    const cell = (name: string): string | undefined => {
      const i = columns.indexOf(name);
      const v = i >= 0 ? row.record[i] : undefined;
      return v !== undefined && v.trim() ? v : undefined;
    };
    const own: OwnIntents[] = [];
    for (const path of paths) {
      const column = csvColumn(path);
      const value = column ? cell(column) : undefined;
      if (value === undefined) continue;
      const found = row.raw.indexOf(value);
      const from = rowStart + Math.max(0, found);
      own.push({ path, values: [{ value: intern(value.trim()), file, range: lines.range(from, found >= 0 ? from + value.length : lines.lineEnd(line)) }] });
    }
    const firstVar = columns.findIndex((c) => c && !c.startsWith('__'));
    raws.push(rawCase(
      lines.range(rowStart, rowStart),
      pickLabel({ description: cell('__description'), firstVar: () => (firstVar >= 0 && row.record[firstVar]?.trim() ? varLabel(columns[firstVar], row.record[firstVar]) : undefined) }),
      own,
    ));
  }
  return { ...NONE, raws, problems };
}

/** The CSV column an intent path reads: `metadata.intent` is `__metadata:intent`, `vars.x` and `x` are the var column. */
function csvColumn(path: string): string | undefined {
  const [first, ...rest] = path.split('.');
  if (first === 'metadata' && rest.length === 1) return `__metadata:${rest[0]}`;
  if (first === 'vars' && rest.length === 1) return rest[0];
  return rest.length === 0 ? first : undefined;
}
