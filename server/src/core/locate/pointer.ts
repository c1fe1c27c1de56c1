import { findNodeAtLocation, parseTree, type ParseError } from 'jsonc-parser';
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { findExcessiveJsonNesting, parseYamlSafely } from '../safeYaml';
import type { LocatorSpec } from '../manifest/model';
import type { LineIndex } from '../text';
import { locatedAt, type FileCache, type LocatedText, type LocateResult, type Locator, type SourceFile } from './locator';

export type PointerResult = { readonly ok: true; readonly value: LocatedText } | { readonly ok: false; readonly problem: string };

/** `pointer: /json/pointer` into a JSON or YAML file. */
export class PointerLocator implements Locator {
  readonly notFound = 'pointer-not-found' as const;

  constructor(
    readonly spec: LocatorSpec,
    private readonly cache: FileCache,
  ) {}

  unsupported(): undefined {
    return undefined;
  }

  locate(source: SourceFile): LocateResult {
    const { file } = source;
    // Text and lines only on a miss: a cached answer needs neither read.
    const result = this.cache.get(`pointer:${this.spec.value}`, file, source.key ?? source.text, () => resolvePointer(source.text, file, this.spec.value, source.lines));
    return result.ok ? { found: result.value } : { missing: result.problem };
  }
}

/** Splits '/a/b~1c' into ['a', 'b/c'] (RFC 6901). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Resolves a pointer in a JSON or YAML file. Strings are their text; other values their JSON. */
export function resolvePointer(text: string, file: string, pointer: string, lines: LineIndex): PointerResult {
  const segments = pointerSegments(pointer);
  return /\.ya?ml$/i.test(file) ? inYaml(text, segments, lines, pointer) : inJson(text, segments, lines, pointer);
}

function inJson(text: string, segments: string[], lines: LineIndex, pointer: string): PointerResult {
  if (findExcessiveJsonNesting(text) !== undefined) return { ok: false, problem: 'The file nests too deeply to be read.' };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  if (!root) return { ok: false, problem: 'The file is not valid JSON.' };
  const path = segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const node = path.length ? findNodeAtLocation(root, path) : root;
  if (!node) return { ok: false, problem: `Nothing is at ${pointer || '/'} in this file.` };
  const raw = text.slice(node.offset, node.offset + node.length);
  const value = node.type === 'string' ? String(node.value) : canonicalJson(raw);
  return { ok: true, value: locatedAt(value, node.offset, node.offset + node.length, lines) };
}

function inYaml(text: string, segments: string[], lines: LineIndex, pointer: string): PointerResult {
  const parsed = parseYamlSafely(text);
  if (!parsed.ok) return { ok: false, problem: parsed.problems[0]?.message ?? 'The file could not be read.' };
  const doc = parsed.doc;
  // An alias (`model: *default`) stands for its anchor's value: that value is the artifact, so a
  // change to the anchor is a change to it. Aliases are followed a bounded number of times.
  const resolve = (n: unknown): unknown => {
    for (let i = 0; i < 8 && isAlias(n); i++) n = n.resolve(doc);
    return isAlias(n) ? undefined : n;
  };
  let node: unknown = doc.contents;
  let written: unknown = node;
  for (const s of segments) {
    node = resolve(node);
    if (isMap(node)) written = node.get(s, true);
    else if (isSeq(node) && /^\d+$/.test(s)) written = node.items[Number(s)];
    else written = undefined;
    node = written;
    if (node === undefined) break;
  }
  const at = written as Node | undefined;
  const n = resolve(node) as Node | undefined;
  if (!n || !at?.range) return { ok: false, problem: `Nothing is at ${pointer || '/'} in this file.` };
  let value: string;
  try {
    value = isScalar(n) ? String(n.value) : JSON.stringify(n.toJS(doc, { maxAliasCount: 1000 }));
  } catch {
    return { ok: false, problem: `The value at ${pointer || '/'} repeats its aliases too many times to be read.` };
  }
  return { ok: true, value: locatedAt(value, at.range[0], at.range[1], lines) };
}

function canonicalJson(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw));
  } catch {
    return raw;
  }
}
