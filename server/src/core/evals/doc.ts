import type { Node as JsonNode } from 'jsonc-parser';
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';

/**
 * One node of a YAML or JSON document, as the eval readers see it: the same
 * questions of either, so promptfoo's rules are written once. Views are made
 * on demand; nothing is converted up front.
 */
export interface DocNode {
  readonly kind: 'map' | 'seq' | 'scalar' | 'other';
  /** Offsets of the node in its file. */
  readonly start: number;
  readonly end: number;
  get(key: string): DocNode | undefined;
  items(): DocNode[];
  entries(): [string, DocNode][];
  /** A scalar's value; undefined for maps and lists. */
  scalar(): string | number | boolean | null | undefined;
  /** The value as plain data, for labels. */
  plain(): unknown;
}

export function yamlView(node: unknown): DocNode | undefined {
  const n = node as YamlNode | null | undefined;
  if (!n || !n.range) return undefined;
  const [start, end] = n.range;
  if (isMap(n)) {
    return {
      kind: 'map', start, end,
      get: (key) => yamlView(n.get(key, true)),
      items: () => [],
      entries: () => n.items.flatMap((p) => {
        const k = isScalar(p.key) ? String(p.key.value) : undefined;
        const v = yamlView(p.value);
        return k !== undefined && v ? [[k, v] as [string, DocNode]] : [];
      }),
      scalar: () => undefined,
      plain: () => n.toJSON(),
    };
  }
  if (isSeq(n)) {
    return {
      kind: 'seq', start, end,
      get: () => undefined,
      items: () => n.items.flatMap((i) => yamlView(i) ?? []),
      entries: () => [],
      scalar: () => undefined,
      plain: () => n.toJSON(),
    };
  }
  if (isScalar(n)) {
    const v = n.value;
    const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
    return { kind: 'scalar', start, end, get: () => undefined, items: () => [], entries: () => [], scalar: () => value, plain: () => value };
  }
  return { kind: 'other', start, end, get: () => undefined, items: () => [], entries: () => [], scalar: () => undefined, plain: () => undefined };
}

export function jsonView(node: JsonNode | undefined): DocNode | undefined {
  if (!node) return undefined;
  const start = node.offset;
  const end = node.offset + node.length;
  if (node.type === 'object') {
    const entries = (): [string, DocNode][] => (node.children ?? []).flatMap((p) => {
      const [k, v] = p.children ?? [];
      const view = jsonView(v);
      return k && view ? [[String(k.value), view] as [string, DocNode]] : [];
    });
    return {
      kind: 'map', start, end,
      get: (key) => {
        // The last of a duplicated key wins, as JSON.parse has it.
        let found: JsonNode | undefined;
        for (const p of node.children ?? []) if (p.children?.[0]?.value === key) found = p.children[1];
        return jsonView(found);
      },
      items: () => [],
      entries,
      scalar: () => undefined,
      plain: () => Object.fromEntries(entries().map(([k, v]) => [k, v.plain()])),
    };
  }
  if (node.type === 'array') {
    const items = (): DocNode[] => (node.children ?? []).flatMap((c) => jsonView(c) ?? []);
    return { kind: 'seq', start, end, get: () => undefined, items, entries: () => [], scalar: () => undefined, plain: () => items().map((i) => i.plain()) };
  }
  const value = node.value as string | number | boolean | null;
  return { kind: 'scalar', start, end, get: () => undefined, items: () => [], entries: () => [], scalar: () => value, plain: () => value };
}

/** The node at a dotted path, stepping through maps. */
export function at(node: DocNode | undefined, path: readonly string[]): DocNode | undefined {
  let n = node;
  for (const key of path) {
    if (n?.kind !== 'map') return undefined;
    n = n.get(key);
  }
  return n;
}
