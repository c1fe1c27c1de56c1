import { parseTree, findNodeAtLocation, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Located } from '../manifest/model';
import type { EvalFormat } from '../manifest/model';
import { findExcessiveJsonNesting, parseYamlSafely } from '../safeYaml';
import { LineIndex, type Range } from '../text';

/** One eval case, where it is and which intents it exercises. */
export interface EvalCase {
  readonly file: string;
  readonly range: Range;
  readonly label: string;
  readonly intents: readonly Located<string>[];
}

export interface EvalProblem {
  readonly range: Range;
  readonly message: string;
}

export interface ParsedEvals {
  readonly cases: EvalCase[];
  readonly problems: EvalProblem[];
}

const LABEL_MAX = 80;

export function defaultEvalFormat(file: string): EvalFormat {
  if (file.endsWith('.jsonl') || file.endsWith('.ndjson')) return 'jsonl';
  if (file.endsWith('.json')) return 'json';
  return 'promptfoo';
}

export function defaultIntentField(format: EvalFormat): string {
  return format === 'promptfoo' ? 'metadata.intent' : 'intent';
}

/** Reads the eval cases of one file. Bad content becomes problems, never an exception. */
export function parseEvals(text: string, file: string, format: EvalFormat, intentField: string, lines = new LineIndex(text)): ParsedEvals {
  const path = intentField.split('.').filter(Boolean);
  switch (format) {
    case 'jsonl':
      return parseJsonl(file, path, lines);
    case 'json':
      return parseJsonArray(text, file, path, lines);
    case 'promptfoo':
      return file.endsWith('.json') ? parseJsonArray(text, file, path, lines) : parsePromptfoo(text, file, path, lines);
  }
}

// ---- promptfoo (YAML) ------------------------------------------------------

function parsePromptfoo(text: string, file: string, path: string[], lines: LineIndex): ParsedEvals {
  const parsed = parseYamlSafely(text);
  const problems: EvalProblem[] = parsed.problems.map((p) => ({ range: lines.range(p.start, p.end), message: p.message }));
  if (!parsed.ok) return { cases: [], problems };
  const doc = parsed.doc;
  const root = doc.contents;
  let list: Node | null | undefined = null;
  if (isSeq(root)) list = root;
  else if (isMap(root)) list = root.get('tests', true) as Node | undefined;
  const cases: EvalCase[] = [];
  if (!isSeq(list)) return { cases, problems };
  for (const item of list.items) {
    if (!isMap(item) || !item.range) continue;
    cases.push({
      file,
      range: lines.range(item.range[0], item.range[0]),
      label: yamlLabel(item, doc),
      intents: yamlIntents(item, path, lines),
    });
  }
  return { cases, problems };
}

function yamlIntents(item: Node, path: string[], lines: LineIndex): Located<string>[] {
  let node: unknown = item;
  for (const key of path) {
    if (!isMap(node)) return [];
    node = node.get(key, true);
  }
  const out: Located<string>[] = [];
  const add = (n: unknown): void => {
    if (isScalar(n) && typeof n.value === 'string' && n.range) out.push({ value: n.value, range: lines.range(n.range[0], n.range[1]) });
  };
  if (isSeq(node)) node.items.forEach(add);
  else add(node);
  return out;
}

function yamlLabel(item: Node, doc: Document.Parsed): string {
  if (!isMap(item)) return 'case';
  const description = item.get('description');
  if (typeof description === 'string' && description.trim()) return clip(description);
  const vars = item.get('vars', true);
  if (isMap(vars) && vars.items.length) {
    const first = vars.items[0];
    const key = isScalar(first.key) ? String(first.key.value) : '';
    const value = isScalar(first.value) ? String(first.value.value) : String((first.value as Node | null)?.toJSON?.(doc) ?? '');
    return clip(`${key}: ${value}`);
  }
  return 'case';
}

// ---- JSON and JSONL ----------------------------------------------------------

function parseJsonl(file: string, path: string[], lines: LineIndex): ParsedEvals {
  const cases: EvalCase[] = [];
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
    const intents: Located<string>[] = [];
    let searchFrom = 0;
    for (const intent of intentsOf(value, path)) {
      // Columns from the raw line: the quoted value's first appearance after the last one.
      const quoted = JSON.stringify(intent);
      const at = raw.indexOf(quoted, searchFrom);
      const col = at >= 0 ? at : 0;
      searchFrom = at >= 0 ? at + quoted.length : searchFrom;
      intents.push({ value: intent, range: lines.range(start + col, start + col + (at >= 0 ? quoted.length : raw.length)) });
    }
    cases.push({ file, range: lines.range(start, start), label: objectLabel(value, line), intents });
  }
  return { cases, problems };
}

function parseJsonArray(text: string, file: string, path: string[], lines: LineIndex): ParsedEvals {
  const deep = findExcessiveJsonNesting(text);
  if (deep !== undefined) return { cases: [], problems: [{ range: lines.range(deep, deep + 1), message: 'This file nests too deeply to be read.' }] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: EvalProblem[] = errors.slice(0, 20).map((e) => ({ range: lines.range(e.offset, e.offset + Math.max(1, e.length)), message: 'This file is not valid JSON here, so some eval cases may be missing.' }));
  let list: JsonNode | undefined = root;
  if (root?.type === 'object') list = findNodeAtLocation(root, ['tests']);
  const cases: EvalCase[] = [];
  if (list?.type !== 'array' || !list.children) {
    if (root && errors.length === 0) problems.push({ range: lines.range(root.offset, root.offset + 1), message: 'An eval file in JSON should be a list of cases, or an object with a "tests" list.' });
    return { cases, problems };
  }
  for (const item of list.children) {
    if (item.type !== 'object') continue;
    const node = path.length ? findNodeAtLocation(item, path) : undefined;
    const intents: Located<string>[] = [];
    const values = node?.type === 'array' ? node.children ?? [] : node ? [node] : [];
    for (const v of values) {
      if (v.type === 'string') intents.push({ value: v.value as string, range: lines.range(v.offset, v.offset + v.length) });
    }
    const obj = jsonValue(item);
    cases.push({ file, range: lines.range(item.offset, item.offset), label: objectLabel(isObject(obj) ? obj : {}, lines.position(item.offset).line), intents });
  }
  return { cases, problems };
}

function jsonValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) out[String(k.value)] = jsonValue(v);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value;
  }
}

function intentsOf(obj: Record<string, unknown>, path: string[]): string[] {
  let v: unknown = obj;
  for (const key of path) {
    if (!isObject(v)) return [];
    v = v[key];
  }
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function objectLabel(obj: Record<string, unknown>, line: number): string {
  if (typeof obj.description === 'string' && obj.description.trim()) return clip(obj.description);
  if (isObject(obj.vars)) {
    const [first] = Object.entries(obj.vars);
    if (first) return clip(`${first[0]}: ${typeof first[1] === 'string' ? first[1] : JSON.stringify(first[1])}`);
  }
  for (const key of ['input', 'prompt', 'question', 'query']) {
    if (typeof obj[key] === 'string') return clip(obj[key] as string);
  }
  return `case on line ${line + 1}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > LABEL_MAX ? one.slice(0, LABEL_MAX - 1) + '…' : one;
}
