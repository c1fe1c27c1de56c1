import type { Node } from '@vscode/tree-sitter-wasm';
import type { CodeValue } from './outline';
import { unescapeString } from './strings';

/** Deeper than any prompt or tool definition; keeps pathological nesting bounded. */
export const MAX_DEPTH = 24;

/** Call names whose first object argument (or keyword arguments) define a tool. */
export const TOOL_FACTORIES = new Set(['tool', 'createTool', 'dynamicTool', 'function_tool', 'DynamicStructuredTool', 'DynamicTool', 'StructuredTool', 'FunctionTool', 'Tool']);
/** The keys of a tool definition whose values matter: what names and describes it. */
const TOOL_VALUE_KEYS = new Set(['name', 'name_override', 'id', 'description', 'description_override']);
/** Keys that, beside name and description, say an object literal is a tool definition. */
const TOOL_SHAPE_KEYS = ['parameters', 'input_schema', 'inputSchema', 'schema', 'args_schema'];
/** Calls that only reshape a text: `.trim()`, `dedent(…)`, `textwrap.dedent(…)`. */
const TEXT_METHODS = new Set(['trim', 'trimStart', 'trimEnd', 'strip', 'lstrip', 'rstrip', 'toString']);
const TEXT_FUNCTIONS = new Set(['dedent', 'cleandoc', 'stripIndent', 'stripIndents', 'outdent', 'trim']);
/** What differs between TS/JS and Python trees; the walk and the outline are shared. */

export abstract class Reader {
  /** How to read each top-level name's value, while the tree is alive. */
  private declared = new Map<string, () => CodeValue>();
  /** Scopes looked into only when a name is not found at the top (class bodies). */
  protected readonly later: (() => void)[] = [];
  /** The values read so far: the outline's bindings. */
  private readonly bound = new Map<string, CodeValue>();
  private root: Node | undefined;
  private text = '';
  /** Every top-level statement has been declared (the slow way, when a name could not be found directly). */
  private scanned = false;

  /** Declares the names one top-level statement binds (first of a name wins). */
  protected abstract declareStatement(statement: Node, into: Map<string, () => CodeValue>): void;
  /** Where a top-level declaration of `name` is written; the match ends at the name. */
  protected abstract declarationPattern(name: string): RegExp;

  /**
   * The module's bindings: every one, or only the `wanted` names and the names
   * their values refer to (what a `symbol` locator can reach). A wanted name
   * is found from the text (`export const systemPrompt =`) and only its
   * statement is read, so a file with fifty constants and one prompt reads one.
   */
  bindings(root: Node, wanted?: ReadonlySet<string>, text?: string): Map<string, CodeValue> {
    this.root = root;
    if (!wanted || text === undefined) {
      this.scanAll();
      for (const name of this.declared.keys()) this.binding(name);
      return this.bound;
    }
    this.text = text;
    this.follow([...wanted]);
    return this.bound;
  }

  /** Reads the names these values refer to (and theirs), so following a name later needs no tree. */
  followAll(values: Iterable<CodeValue>): void {
    const names: string[] = [];
    for (const v of values) namesIn(v, names);
    this.follow(names);
  }

  /** The value bound to a top-level name, read on first ask. */
  protected binding(name: string): CodeValue | undefined {
    const known = this.bound.get(name);
    if (known) return known;
    if (!this.declared.has(name)) this.find(name);
    const read = this.declared.get(name);
    if (!read) return undefined;
    const value = read();
    this.bound.set(name, value);
    return value;
  }

  /** Finds a name's top-level statement from the text; failing that, declares every statement once. */
  private find(name: string): void {
    if (this.scanned || !this.root) return;
    const m = this.declarationPattern(name).exec(this.text);
    if (m) {
      const statement = this.root.firstNamedChildForIndex(m.index + m[0].length - name.length);
      if (statement) this.declareStatement(statement, this.declared);
      if (this.declared.has(name)) return;
    }
    // Not where a plain declaration would be (a second declarator, a class member): read them all.
    this.scanAll();
  }

  private scanAll(): void {
    if (this.scanned || !this.root) return;
    this.scanned = true;
    for (const statement of this.root.namedChildren) if (statement) this.declareStatement(statement, this.declared);
    // Then what the deferred scopes hold: the module's own names keep precedence.
    for (let scope = this.later.shift(); scope; scope = this.later.shift()) scope();
  }

  /** Adds a declaration unless the name is already declared: the first one wins. */
  protected declare(into: Map<string, () => CodeValue>, name: string, read: () => CodeValue): void {
    if (!into.has(name)) into.set(name, read);
  }

  private follow(queue: string[]): void {
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      if (this.bound.has(name)) continue;
      const value = this.binding(name);
      if (value) namesIn(value, queue);
    }
  }
  /**
   * While reading a likely tool, only the keys a tool is known by are read
   * (its name and description); the rest (schemas, handlers) are skipped.
   */
  protected toolKeysOnly = false;

  /** Reads `node` as a tool candidate, skipping what a tool does not need. */
  protected readTool(node: Node): CodeValue {
    this.toolKeysOnly = true;
    try {
      return this.value(node, 0);
    } finally {
      this.toolKeysOnly = false;
    }
  }

  /** Whether a property's value is read: always, except the parts of a tool nobody asks for. */
  protected reads(key: string): boolean {
    return !this.toolKeysOnly || TOOL_VALUE_KEYS.has(key);
  }

  abstract isComment(type: string): boolean;
  abstract isString(type: string): boolean;
  /** Places in the text near which a tool may be declared; the outline climbs from each. */
  abstract readonly toolHints: RegExp;
  abstract mayDeclareTool(type: string): boolean;
  abstract collectTools(node: Node, into: Map<string, CodeValue>): void;
  abstract value(node: Node, depth: number): CodeValue;

  commentText(raw: string): string {
    return raw.replace(/^(\/\/+|\/\*+|#+)\s?/, '').replace(/\*+\/$/, '').replace(/^\s*\*\s?/gm, '').trim();
  }

  protected other(node: Node): CodeValue {
    return { kind: 'other', what: node.type, start: node.startIndex, end: node.endIndex };
  }

  /** `a + b` where at least one side is text: the text, other parts kept as written `${…}`. */
  protected concat(node: Node, parts: readonly (Node | null)[], depth: number): CodeValue {
    const texts: string[] = [];
    let anyText = false;
    for (const part of parts) {
      if (!part) continue;
      const v = this.value(part, depth + 1);
      if (v.kind === 'text') {
        anyText = true;
        texts.push(v.text);
      } else {
        texts.push(`\${${part.text}}`);
      }
    }
    return anyText ? { kind: 'text', text: texts.join(''), start: node.startIndex, end: node.endIndex } : this.other(node);
  }

  /** `x.trim()`, `dedent(x)`, `textwrap.dedent(x)`: calls that only reshape a text are that text. */
  protected reshaped(node: Node, receiver: Node | null, method: string, callee: string, args: readonly Node[], depth: number): CodeValue | undefined {
    const source = receiver && TEXT_METHODS.has(method) ? receiver : TEXT_FUNCTIONS.has(lastSegment(callee)) && args.length === 1 ? args[0] : undefined;
    const v = source ? this.value(source, depth + 1) : undefined;
    return v?.kind === 'text' ? { ...v, start: node.startIndex, end: node.endIndex } : undefined;
  }

  /** Records a tool when an object-like value has the shape of one (a name, a description and a schema, or a tool factory). */
  protected toolFrom(value: CodeValue, fallbackName: string | undefined, into: Map<string, CodeValue>): void {
    if (value.kind !== 'object') return;
    const description = value.props.get('description') ?? value.props.get('description_override');
    const named = value.props.get('name') ?? value.props.get('name_override') ?? value.props.get('id');
    const name = named?.kind === 'text' ? named.text : fallbackName;
    const factory = value.callee !== undefined && TOOL_FACTORIES.has(lastSegment(value.callee));
    const shaped = named?.kind === 'text' && TOOL_SHAPE_KEYS.some((k) => value.props.has(k));
    if (!name || !(factory || shaped)) return;
    const text = description ?? value.doc;
    if (text && !into.has(name)) into.set(name, text);
  }
}
/** `name` written for a regular expression (identifiers may hold `$`). */
export function escapeName(name: string): string {
  return name.replace(/[$]/g, '\\$&');
}

/** The bare names a value refers to, appended to `into`. */
function namesIn(value: CodeValue, into: string[]): void {
  if (value.kind === 'name') into.push(value.name);
  else if (value.kind === 'object') {
    for (const v of value.props.values()) namesIn(v, into);
    if (value.doc) namesIn(value.doc, into);
  }
}

/** A value read once, on first ask. */
export function once<T>(read: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: read() }).v;
}

/**
 * Whether keys (of an object, a dict or a call's keyword arguments) can make
 * a tool definition: a name and a description, with a schema or a tool
 * factory for a callee. The check `toolFrom` makes, before any value is read.
 */
export function looksLikeToolDefinition(keys: ReadonlySet<string>, callee?: string): boolean {
  const named = keys.has('name') || keys.has('name_override') || keys.has('id');
  const described = keys.has('description') || keys.has('description_override');
  const shaped = TOOL_SHAPE_KEYS.some((k) => keys.has(k)) || (callee !== undefined && TOOL_FACTORIES.has(lastSegment(callee)));
  return named && described && shaped;
}

export function keyText(key: Node): string {
  return key.type === 'string' ? unescapeString(key.text.slice(1, -1)) : key.text;
}

export function lastSegment(callee: string): string {
  const i = callee.lastIndexOf('.');
  return i < 0 ? callee : callee.slice(i + 1);
}
