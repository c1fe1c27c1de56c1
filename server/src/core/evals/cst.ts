import { CST, Parser, Scalar, Schema, type ScalarTag } from 'yaml';
import type { DocNode } from './doc';

/**
 * A fast read of a YAML eval file: the parser's concrete syntax tree, seen
 * through the same `DocNode` questions as a composed Document, without
 * building one (composing Documents was a third of a cold index's time).
 *
 * It answers only for plain files, where a Document would report nothing
 * and mean the same: one document of maps, lists and scalars, with no
 * anchors, aliases, tags, explicit keys, tabs, repeated keys or anything the
 * parser marks as an error. For anything else it answers `undefined`, and
 * the caller composes the Document as before, which says what is wrong.
 * Scalars are resolved by the library's own functions and schema, so a
 * value and its place are the Document's to the character (a unit test
 * compares both readers on thousands of mutated files).
 */
export function readYamlCst(text: string): { readonly root: DocNode | undefined } | undefined {
  // Tabs are where YAML's indentation rules get subtle; a byte order mark is a token of its own.
  if (text.includes('\t') || text.startsWith('\uFEFF')) return undefined;
  let doc: CST.Document | undefined;
  for (const token of new Parser().parse(text)) {
    // Comments and blank lines before the document come as tokens of their own.
    if (token.type === 'comment' || token.type === 'newline' || token.type === 'space') continue;
    if (token.type !== 'document' || doc) return undefined;
    doc = token;
  }
  if (!doc) return { root: undefined };
  if (!onlyTrivia(text, doc.start) || !onlyTrivia(text, doc.end ?? [])) return undefined;
  if (!doc.value) return { root: undefined };
  const reader = new CstReader(text);
  return reader.check(doc.value) ? { root: reader.view(doc.value, doc.value.offset) } : undefined;
}

/** The schema a Document uses by default (YAML 1.2 core): the same tags decide what `true`, `12` or `~` are. */
const SCHEMA = new Schema({});
const DEFAULT_TAGS = (SCHEMA.tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test);

type FlowScalar = CST.FlowScalar | CST.BlockScalar;
type Resolved = { readonly value: unknown; readonly start: number; readonly end: number };

function isTrivia(token: CST.SourceToken): boolean {
  return token.type === 'space' || token.type === 'newline' || token.type === 'comment';
}

/** Spaces, line breaks and comments only, each comment after white space (a Document insists on it). */
function onlyTrivia(text: string, tokens: readonly CST.SourceToken[]): boolean {
  return tokens.every((t) => isTrivia(t) && (t.type !== 'comment' || t.offset === 0 || /[ \n\r]/.test(text[t.offset - 1])));
}

class CstReader {
  private readonly scalars = new Map<FlowScalar, Resolved>();

  constructor(private readonly text: string) {}

  /** Whether the tree holds only what this reader reads exactly as a Document would. */
  check(token: CST.Token): boolean {
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        return this.resolve(token) !== undefined;
      case 'block-map':
        return this.checkBlockMap(token);
      case 'block-seq':
        return this.checkBlockSeq(token);
      case 'flow-collection':
        return this.checkFlow(token);
      default:
        return false;
    }
  }

  private checkBlockMap(map: CST.BlockMap): boolean {
    const keys: unknown[] = [];
    const column = this.column(map.offset);
    for (const item of map.items) {
      if (item.explicitKey || !item.key || !item.sep || !this.trivia(item.start)) return false;
      if (!this.key(item.key, keys) || this.column(item.key.offset) !== column) return false;
      if (!this.separator(item.sep)) return false;
      // A block collection as a value starts on a line of its own (`a: b: c` is the Document's error).
      const block = item.value?.type === 'block-map' || item.value?.type === 'block-seq';
      if (block && !item.sep.some((t) => t.type === 'newline')) return false;
      if (item.value && !this.check(item.value)) return false;
    }
    return map.items.length > 0;
  }

  private checkBlockSeq(seq: CST.BlockSequence): boolean {
    let column: number | undefined;
    for (const item of seq.items) {
      const indicators = item.start.filter((t) => t.type === 'seq-item-ind');
      if (indicators.length !== 1 || !this.trivia(item.start.filter((t) => t.type !== 'seq-item-ind'))) return false;
      const at = this.column(indicators[0].offset);
      if ((column ??= at) !== at) return false;
      if (item.value && !this.check(item.value)) return false;
    }
    return seq.items.length > 0;
  }

  /** A flow collection on one line (`{ message: "hi" }`, `[a, b]`): the indentation rules of longer ones are left to the Document. */
  private checkFlow(flow: CST.FlowCollection): boolean {
    const isMap = flow.start.source === '{';
    if (!isMap && flow.start.source !== '[') return false;
    const close = flow.end.filter((t) => t.type === 'flow-map-end' || t.type === 'flow-seq-end');
    if (close.length !== 1 || close[0].source !== (isMap ? '}' : ']') || !this.trivia(flow.end.filter((t) => t !== close[0]))) return false;
    if (this.text.slice(flow.offset, close[0].offset).includes('\n')) return false;
    const keys: unknown[] = [];
    for (const [i, item] of flow.items.entries()) {
      const commas = item.start.filter((t) => t.type === 'comma').length;
      if (commas !== (i === 0 ? 0 : 1) || !this.trivia(item.start.filter((t) => t.type !== 'comma'))) return false;
      if (isMap) {
        if (!item.key || !item.sep || !this.key(item.key, keys) || !this.separator(item.sep)) return false;
      } else if (item.key || item.sep) {
        return false;
      }
      // Inside a flow collection only flow values: a block one is the Document's error to report.
      const inner = item.value?.type;
      if (inner !== 'scalar' && inner !== 'single-quoted-scalar' && inner !== 'double-quoted-scalar' && inner !== 'flow-collection') return false;
      if (item.value && !this.check(item.value)) return false;
      // A value must be there, else `{ a: }` or a trailing `[a, ]` would need the Document's rules.
      if (!item.value) return false;
    }
    // A comma after the last item is the Document's to judge.
    return !flow.end.some((t) => t.type === 'comma');
  }

  /** A key: a one-line scalar, not given before in the same map (a Document reports that). */
  private key(token: CST.Token, seen: unknown[]): boolean {
    if (token.type !== 'scalar' && token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar') return false;
    if (token.source.includes('\n') || token.source.includes('\r') || token.source.length > 1000) return false;
    const resolved = this.resolve(token);
    // Keys that are not text (`1:`, `~:`) are named differently by a Document's entries and its plain data.
    if (!resolved || typeof resolved.value !== 'string' || seen.includes(resolved.value)) return false;
    seen.push(resolved.value);
    return true;
  }

  /** `:` and what may stand around it. */
  private separator(sep: readonly CST.SourceToken[]): boolean {
    return sep.filter((t) => t.type === 'map-value-ind').length === 1 && this.trivia(sep.filter((t) => t.type !== 'map-value-ind'));
  }

  private trivia(tokens: readonly CST.SourceToken[]): boolean {
    return onlyTrivia(this.text, tokens);
  }

  private column(offset: number): number {
    let i = offset;
    while (i > 0 && this.text.charCodeAt(i - 1) !== 10 && this.text.charCodeAt(i - 1) !== 13) i--;
    return offset - i;
  }

  /** A scalar's value and place, by the library's own rules; undefined when it reports anything. */
  private resolve(token: FlowScalar): Resolved | undefined {
    const known = this.scalars.get(token);
    if (known) return known;
    if (token.type === 'block-scalar') {
      const props = token.props as CST.SourceToken[];
      if (props[0]?.type !== 'block-scalar-header' || !this.trivia(props.slice(1))) return undefined;
    } else if (!this.trivia(token.end ?? [])) {
      return undefined;
    }
    let failed = false;
    const scalar = CST.resolveAsScalar(token, true, () => { failed = true; });
    if (failed || !scalar) return undefined;
    let value: unknown = scalar.value;
    if (token.type === 'scalar') {
      const tag = DEFAULT_TAGS.find((t) => t.test!.test(scalar.value));
      if (tag) {
        try {
          const res: unknown = tag.resolve(scalar.value, () => { failed = true; }, SCHEMA as never);
          value = res instanceof Scalar ? res.value : res;
        } catch {
          return undefined;
        }
        if (failed) return undefined;
      }
    }
    const resolved = { value, start: scalar.range[0], end: scalar.range[1] };
    this.scalars.set(token, resolved);
    return resolved;
  }

  /** The view of a checked token; an absent value is an empty scalar, as in a Document. */
  view(token: CST.Token | undefined, at: number): DocNode {
    if (!token) return scalarView(null, at, at);
    switch (token.type) {
      case 'block-map':
        return this.mapView(token.offset, token.items);
      case 'block-seq':
        return this.seqView(token.offset, token.items);
      case 'flow-collection':
        return token.start.source === '{' ? this.mapView(token.offset, token.items) : this.seqView(token.offset, token.items);
      default: {
        const r = this.resolve(token as FlowScalar)!;
        return scalarView(r.value, r.start, r.end);
      }
    }
  }

  private mapView(start: number, items: readonly CST.CollectionItem[]): DocNode {
    const keyOf = (item: CST.CollectionItem): unknown => this.resolve(item.key as FlowScalar)!.value;
    const valueOf = (item: CST.CollectionItem): DocNode => this.view(item.value, afterSeparator(item.sep ?? []));
    const entries = (): [string, DocNode][] => items.map((item) => [String(keyOf(item)), valueOf(item)]);
    return {
      kind: 'map', start, end: start,
      get: (key) => {
        const item = items.find((i) => keyOf(i) === key);
        return item ? valueOf(item) : undefined;
      },
      items: () => [],
      entries,
      scalar: () => undefined,
      plain: () => Object.fromEntries(entries().map(([k, v]) => [k, v.plain()])),
    };
  }

  private seqView(start: number, items: readonly CST.CollectionItem[]): DocNode {
    const all = (): DocNode[] => items.map((item) => this.view(item.value, afterSeparator(item.start)));
    return { kind: 'seq', start, end: start, get: () => undefined, items: all, entries: () => [], scalar: () => undefined, plain: () => all().map((i) => i.plain()) };
  }
}

function afterSeparator(tokens: readonly CST.SourceToken[]): number {
  const last = tokens[tokens.length - 1];
  return last ? last.offset + last.source.length : 0;
}

function scalarView(v: unknown, start: number, end: number): DocNode {
  const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
  return { kind: 'scalar', start, end, get: () => undefined, items: () => [], entries: () => [], scalar: () => value, plain: () => value };
}
