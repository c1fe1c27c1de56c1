import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import type { CodeLanguage } from './grammars';
import { cleanDocstring, unescapeString } from './strings';

/**
 * What a code file holds that a locator can ask for, read once per file
 * content from its syntax tree and kept as plain data (the tree is freed).
 * Offsets are UTF-16 offsets into the file's text.
 */
export type CodeValue =
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number }
  /** An object literal, a dict, a call's first object argument or keyword arguments, a class body. */
  | { readonly kind: 'object'; readonly props: ReadonlyMap<string, CodeValue>; readonly callee?: string; readonly doc?: CodeValue; readonly start: number; readonly end: number }
  /** A bare name: another binding of the module, followed when a path ends on it. */
  | { readonly kind: 'name'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'other'; readonly what: string; readonly start: number; readonly end: number };

export interface CodeOutline {
  /** Module- and class-level names and what they are bound to. */
  readonly bindings: ReadonlyMap<string, CodeValue>;
  /** Tools declared in the file, by the name the model calls them by: their description. */
  readonly tools: ReadonlyMap<string, CodeValue>;
  /** Comments, docstrings and string literals, in file order: the prose of the file. */
  readonly prose: string;
  /** The first syntax error, when the file does not parse cleanly. */
  readonly syntaxError?: { readonly offset: number; readonly problem: string };
}

/** Deeper than any prompt or tool definition; keeps pathological nesting bounded. */
const MAX_DEPTH = 24;

/** Call names whose first object argument (or keyword arguments) define a tool. */
const TOOL_FACTORIES = new Set(['tool', 'createTool', 'dynamicTool', 'function_tool', 'DynamicStructuredTool', 'DynamicTool', 'StructuredTool', 'FunctionTool', 'Tool']);
/** Keys that, beside name and description, say an object literal is a tool definition. */
const TOOL_SHAPE_KEYS = ['parameters', 'input_schema', 'inputSchema', 'schema', 'args_schema'];
/** Calls that only reshape a text: `.trim()`, `dedent(…)`, `textwrap.dedent(…)`. */
const TEXT_METHODS = new Set(['trim', 'trimStart', 'trimEnd', 'strip', 'lstrip', 'rstrip', 'toString']);
const TEXT_FUNCTIONS = new Set(['dedent', 'cleandoc', 'stripIndent', 'stripIndents', 'outdent', 'trim']);

/** Reads a file's outline from its syntax tree. */
export function outlineOf(tree: Tree, language: CodeLanguage): CodeOutline {
  const reader = language === 'python' ? new PythonReader() : new ScriptReader();
  const root = tree.rootNode;
  const bindings = reader.bindings(root);
  const tools = new Map<string, CodeValue>();
  const prose: string[] = [];
  let syntaxError: CodeOutline['syntaxError'];
  const cursor = tree.walk();
  try {
    // One pass over every node: tools wherever they are declared, prose, the first error.
    for (;;) {
      const type = cursor.nodeType;
      let descend = true;
      if (!syntaxError && (type === 'ERROR' || cursor.nodeIsMissing)) {
        syntaxError = { offset: cursor.startIndex, problem: type === 'ERROR' ? 'it has a syntax error' : `a '${type}' is missing` };
      }
      if (reader.isComment(type)) {
        prose.push(reader.commentText(cursor.nodeText));
        descend = false;
      } else if (reader.isString(type)) {
        const value = reader.value(cursor.currentNode, 0);
        if (value.kind === 'text') prose.push(value.text);
        descend = false;
      } else if (reader.mayDeclareTool(type)) {
        reader.collectTools(cursor.currentNode, tools);
      }
      if (descend && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return { bindings, tools, prose: prose.join('\n'), syntaxError };
      }
    }
  } finally {
    cursor.delete();
  }
}

/** What differs between TS/JS and Python trees; the walk and the outline are shared. */
abstract class Reader {
  abstract bindings(root: Node): Map<string, CodeValue>;
  abstract isComment(type: string): boolean;
  abstract isString(type: string): boolean;
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

class ScriptReader extends Reader {
  /** The module's bindings, for following names in tool registrations. */
  private known: ReadonlyMap<string, CodeValue> = new Map();

  bindings(root: Node): Map<string, CodeValue> {
    const out = new Map<string, CodeValue>();
    this.known = out;
    for (const statement of root.namedChildren) {
      if (!statement) continue;
      const decl = statement.type === 'export_statement' ? statement.childForFieldName('declaration') ?? statement.namedChildren[0] : statement;
      if (!decl) continue;
      if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
        for (const d of decl.namedChildren) {
          const name = d?.type === 'variable_declarator' ? d.childForFieldName('name') : null;
          const value = d?.childForFieldName('value');
          if (d && name?.type === 'identifier' && value && !out.has(name.text)) out.set(name.text, this.value(value, 0));
        }
      } else if (decl.type === 'function_declaration') {
        // export function buildPrompt(user) { return `…`; }: the text it returns.
        const name = decl.childForFieldName('name');
        if (name && !out.has(name.text)) out.set(name.text, this.returned(decl, 0));
      } else if (decl.type === 'class_declaration' || decl.type === 'abstract_class_declaration') {
        const name = decl.childForFieldName('name');
        const body = decl.childForFieldName('body');
        if (!name || !body) continue;
        const props = new Map<string, CodeValue>();
        for (const member of body.namedChildren) {
          if (member?.type !== 'public_field_definition' && member?.type !== 'field_definition') continue;
          const key = member.childForFieldName('name') ?? member.childForFieldName('property');
          const value = member.childForFieldName('value');
          if (key && value) props.set(keyText(key), this.value(value, 0));
        }
        if (!out.has(name.text)) out.set(name.text, { kind: 'object', props, start: decl.startIndex, end: decl.endIndex });
        for (const [k, v] of props) if (!out.has(k)) out.set(k, v);
      }
    }
    return out;
  }

  isComment(type: string): boolean {
    return type === 'comment';
  }

  isString(type: string): boolean {
    return type === 'string' || type === 'template_string';
  }

  mayDeclareTool(type: string): boolean {
    return type === 'pair' || type === 'variable_declarator' || type === 'object' || type === 'call_expression';
  }

  collectTools(node: Node, into: Map<string, CodeValue>): void {
    if (node.type === 'call_expression') {
      this.registeredTool(node, into);
      return;
    }
    if (node.type === 'object') {
      this.toolFrom(this.value(node, 0), undefined, into);
      return;
    }
    const key = node.type === 'pair' ? node.childForFieldName('key') : node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (!key || !value || (key.type !== 'property_identifier' && key.type !== 'identifier' && key.type !== 'string')) return;
    const v = this.value(value, 0);
    if (v.kind === 'object' && v.callee !== undefined) this.toolFrom(v, keyText(key), into);
  }

  /**
   * The MCP TypeScript SDK: `server.registerTool('name', { description, … }, handler)`
   * and `server.tool('name', 'description', schema, handler)`; name and config may be constants.
   */
  private registeredTool(node: Node, into: Map<string, CodeValue>): void {
    const callee = node.childForFieldName('function')?.text ?? '';
    const method = lastSegment(callee);
    if (method !== 'registerTool' && method !== 'tool') return;
    const args = node.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment') ?? [];
    if (args.length < 2) return;
    const follow = (v: CodeValue): CodeValue => (v.kind === 'name' ? this.known.get(v.name) ?? v : v);
    const name = follow(this.value(args[0], 0));
    const second = follow(this.value(args[1], 0));
    const description = second.kind === 'text' ? second : second.kind === 'object' ? second.props.get('description') : undefined;
    if (name.kind === 'text' && description && !into.has(name.text)) into.set(name.text, description);
  }

  value(node: Node, depth: number): CodeValue {
    if (depth > MAX_DEPTH) return this.other(node);
    switch (node.type) {
      case 'string': {
        const raw = node.text;
        return { kind: 'text', text: unescapeString(raw.slice(1, -1)), start: node.startIndex, end: node.endIndex };
      }
      case 'template_string':
        // Placeholders stay as written: `${name}` is part of the prompt's text.
        return { kind: 'text', text: node.text.slice(1, -1), start: node.startIndex, end: node.endIndex };
      case 'parenthesized_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression':
      case 'type_assertion': {
        const inner = node.namedChildren.find((c) => c && !c.type.endsWith('type') && c.type !== 'type_arguments') ?? null;
        return inner ? this.value(inner, depth + 1) : this.other(node);
      }
      case 'binary_expression':
        return node.childForFieldName('operator')?.text === '+' ? this.concat(node, [node.childForFieldName('left'), node.childForFieldName('right')], depth) : this.other(node);
      case 'identifier':
        return { kind: 'name', name: node.text, start: node.startIndex, end: node.endIndex };
      case 'object':
        return this.object(node, depth, undefined);
      case 'array':
        return this.other(node);
      case 'call_expression':
      case 'new_expression':
        return this.call(node, depth);
      case 'arrow_function':
        // const createDocument = ({ session }) => tool({ … }); const prompt = (name) => `Hi ${name}`
        return this.returned(node, depth);
      default:
        return this.other(node);
    }
  }

  /** What a function returns, when that is one expression: an arrow's body, or a block's only `return`. */
  private returned(fn: Node, depth: number): CodeValue {
    const body = fn.childForFieldName('body');
    if (!body) return this.other(fn);
    if (body.type !== 'statement_block') return this.value(body, depth + 1);
    // Only a function with one way out reads as one text; `if (x) return a; return b;` is not.
    const returns = body.descendantsOfType('return_statement');
    const only = returns.length === 1 ? returns[0] : undefined;
    const expr = only?.parent?.id === body.id ? only.namedChildren[0] : undefined;
    return expr ? this.value(expr, depth + 1) : this.other(fn);
  }

  private object(node: Node, depth: number, callee: string | undefined): CodeValue {
    const props = new Map<string, CodeValue>();
    for (const child of node.namedChildren) {
      if (child?.type === 'pair') {
        const key = child.childForFieldName('key');
        const value = child.childForFieldName('value');
        if (key && value && key.type !== 'computed_property_name') props.set(keyText(key), this.value(value, depth + 1));
      } else if (child?.type === 'shorthand_property_identifier') {
        props.set(child.text, { kind: 'name', name: child.text, start: child.startIndex, end: child.endIndex });
      } else if (child?.type === 'method_definition') {
        const key = child.childForFieldName('name');
        if (key) props.set(keyText(key), this.other(child));
      }
    }
    return { kind: 'object', props, callee, start: node.startIndex, end: node.endIndex };
  }

  private call(node: Node, depth: number): CodeValue {
    const fn = node.childForFieldName('function') ?? node.childForFieldName('constructor');
    const args = node.childForFieldName('arguments');
    if (!fn || !args) return this.other(node);
    // dedent`…` and `…`.trim(): the text itself.
    if (args.type === 'template_string') return this.value(args, depth + 1);
    const argList = args.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment');
    if (fn.type === 'member_expression') {
      const method = fn.childForFieldName('property')?.text ?? '';
      const object = fn.childForFieldName('object');
      if (object && TEXT_METHODS.has(method)) {
        const v = this.value(object, depth + 1);
        if (v.kind === 'text') return { ...v, start: node.startIndex, end: node.endIndex };
      }
      if (object?.type === 'array' && method === 'join') return this.joined(node, object, argList[0], depth);
    }
    const callee = fn.text;
    if (TEXT_FUNCTIONS.has(lastSegment(callee)) && argList.length === 1) {
      const v = this.value(argList[0], depth + 1);
      if (v.kind === 'text') return { ...v, start: node.startIndex, end: node.endIndex };
    }
    const first = argList.find((a) => a.type === 'object');
    if (first) return this.object(first, depth + 1, callee);
    return { kind: 'object', props: new Map(), callee, start: node.startIndex, end: node.endIndex };
  }

  /** `['line one', 'line two'].join('\n')`: a prompt written as a list of lines. */
  private joined(node: Node, array: Node, separator: Node | undefined, depth: number): CodeValue {
    const sep = separator ? this.value(separator, depth + 1) : undefined;
    const parts: string[] = [];
    for (const item of array.namedChildren) {
      if (!item || item.type === 'comment') continue;
      const v = this.value(item, depth + 1);
      if (v.kind !== 'text') return this.other(node);
      parts.push(v.text);
    }
    return { kind: 'text', text: parts.join(sep?.kind === 'text' ? sep.text : ','), start: node.startIndex, end: node.endIndex };
  }
}

class PythonReader extends Reader {
  bindings(root: Node): Map<string, CodeValue> {
    const out = new Map<string, CodeValue>();
    this.block(root, out, true);
    return out;
  }

  /** Assignments, defs and classes of a module or class body. */
  private block(body: Node, out: Map<string, CodeValue>, module: boolean): void {
    for (const statement of body.namedChildren) {
      if (!statement) continue;
      const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (def?.type === 'function_definition') {
        const name = def.childForFieldName('name');
        if (name && !out.has(name.text)) out.set(name.text, this.docstring(def) ?? this.other(def));
      } else if (def?.type === 'class_definition') {
        const name = def.childForFieldName('name');
        const classBody = def.childForFieldName('body');
        if (!name || !classBody) continue;
        const members = new Map<string, CodeValue>();
        this.block(classBody, members, false);
        if (!out.has(name.text)) out.set(name.text, { kind: 'object', props: members, doc: this.docstring(def), start: def.startIndex, end: def.endIndex });
        // Class-level names are bindings too, when the module does not bind them itself.
        if (module) for (const [k, v] of members) if (!out.has(k)) out.set(k, v);
      } else if (statement.type === 'expression_statement') {
        const assignment = statement.namedChildren[0];
        if (assignment?.type !== 'assignment') continue;
        const left = assignment.childForFieldName('left');
        const right = assignment.childForFieldName('right');
        if (left?.type === 'identifier' && right && !out.has(left.text)) out.set(left.text, this.value(right, 0));
      }
    }
  }

  /** The docstring of a def or class: its body's first statement when that is a string. */
  private docstring(def: Node): CodeValue | undefined {
    const first = def.childForFieldName('body')?.namedChildren[0];
    const expr = first?.type === 'expression_statement' ? first.namedChildren[0] : undefined;
    if (!expr || (expr.type !== 'string' && expr.type !== 'concatenated_string')) return undefined;
    const v = this.value(expr, 0);
    return v.kind === 'text' ? { ...v, text: cleanDocstring(v.text) } : undefined;
  }

  isComment(type: string): boolean {
    return type === 'comment';
  }

  isString(type: string): boolean {
    return type === 'string' || type === 'concatenated_string';
  }

  mayDeclareTool(type: string): boolean {
    return type === 'decorated_definition' || type === 'dictionary' || type === 'call';
  }

  collectTools(node: Node, into: Map<string, CodeValue>): void {
    if (node.type === 'dictionary' || node.type === 'call') {
      this.toolFrom(this.value(node, 0), undefined, into);
      return;
    }
    const def = node.childForFieldName('definition');
    if (def?.type !== 'function_definition') return;
    const fnName = def.childForFieldName('name')?.text;
    for (const decorator of node.namedChildren) {
      if (decorator?.type !== 'decorator') continue;
      const expr = decorator.namedChildren[0];
      if (!expr) continue;
      const isCall = expr.type === 'call';
      const callee = isCall ? expr.childForFieldName('function')?.text ?? '' : expr.text;
      const last = lastSegment(callee);
      if (last !== 'tool' && last !== 'function_tool') continue;
      const args = isCall ? this.value(expr, 0) : undefined;
      const props = new Map(args?.kind === 'object' ? args.props : []);
      // @tool("lookup_order"): the first positional text names the tool.
      const positional = isCall ? expr.childForFieldName('arguments')?.namedChildren.find((a) => a?.type === 'string') : undefined;
      if (positional && !props.has('name')) props.set('name', this.value(positional, 0));
      const value: CodeValue = { kind: 'object', props, callee: last, doc: this.docstring(def), start: node.startIndex, end: node.endIndex };
      this.toolFrom(value, fnName, into);
    }
  }

  value(node: Node, depth: number): CodeValue {
    if (depth > MAX_DEPTH) return this.other(node);
    switch (node.type) {
      case 'string':
        return this.string(node);
      case 'concatenated_string': {
        const parts = node.namedChildren.filter((c): c is Node => c?.type === 'string').map((c) => this.string(c));
        const text = parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
        return { kind: 'text', text, start: node.startIndex, end: node.endIndex };
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
        return inner ? this.value(inner, depth + 1) : this.other(node);
      }
      case 'binary_operator':
        return node.childForFieldName('operator')?.text === '+' ? this.concat(node, [node.childForFieldName('left'), node.childForFieldName('right')], depth) : this.other(node);
      case 'identifier':
        return { kind: 'name', name: node.text, start: node.startIndex, end: node.endIndex };
      case 'dictionary': {
        const props = new Map<string, CodeValue>();
        for (const pair of node.namedChildren) {
          if (pair?.type !== 'pair') continue;
          const key = pair.childForFieldName('key');
          const value = pair.childForFieldName('value');
          const k = key ? this.value(key, depth + 1) : undefined;
          if (k?.kind === 'text' && value) props.set(k.text, this.value(value, depth + 1));
        }
        return { kind: 'object', props, start: node.startIndex, end: node.endIndex };
      }
      case 'call':
        return this.call(node, depth);
      default:
        return this.other(node);
    }
  }

  private call(node: Node, depth: number): CodeValue {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fn || !args) return this.other(node);
    const argList = args.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment');
    if (fn.type === 'attribute') {
      const method = fn.childForFieldName('attribute')?.text ?? '';
      const object = fn.childForFieldName('object');
      if (object && TEXT_METHODS.has(method)) {
        const v = this.value(object, depth + 1);
        if (v.kind === 'text') return { ...v, start: node.startIndex, end: node.endIndex };
      }
      if (object && method === 'join' && argList[0]?.type === 'list') return this.joined(node, object, argList[0], depth);
    }
    const callee = fn.text;
    if (TEXT_FUNCTIONS.has(lastSegment(callee)) && argList.length === 1) {
      const v = this.value(argList[0], depth + 1);
      if (v.kind === 'text') return { ...v, start: node.startIndex, end: node.endIndex };
    }
    const props = new Map<string, CodeValue>();
    for (const arg of argList) {
      if (arg.type !== 'keyword_argument') continue;
      const name = arg.childForFieldName('name');
      const value = arg.childForFieldName('value');
      if (name && value) props.set(name.text, this.value(value, depth + 1));
    }
    return { kind: 'object', props, callee, start: node.startIndex, end: node.endIndex };
  }

  /** `"\n".join(["line one", "line two"])`. */
  private joined(node: Node, separator: Node, list: Node, depth: number): CodeValue {
    const sep = this.value(separator, depth + 1);
    const parts: string[] = [];
    for (const item of list.namedChildren) {
      if (!item || item.type === 'comment') continue;
      const v = this.value(item, depth + 1);
      if (v.kind !== 'text' || sep.kind !== 'text') return this.other(node);
      parts.push(v.text);
    }
    return sep.kind === 'text' ? { kind: 'text', text: parts.join(sep.text), start: node.startIndex, end: node.endIndex } : this.other(node);
  }

  /** A Python string of any quoting and prefix; f-string placeholders stay as written. */
  private string(node: Node): CodeValue {
    const open = node.namedChildren.find((c) => c?.type === 'string_start') ?? node.children[0];
    const close = node.namedChildren.find((c) => c?.type === 'string_end') ?? node.children[node.children.length - 1];
    if (!open || !close || close.startIndex < open.endIndex) return this.other(node);
    const raw = node.text.slice(open.endIndex - node.startIndex, close.startIndex - node.startIndex);
    const prefix = open.text.replace(/['"]+$/, '');
    const text = /[rR]/.test(prefix) ? raw : unescapeString(raw);
    return { kind: 'text', text, start: node.startIndex, end: node.endIndex };
  }
}

function keyText(key: Node): string {
  return key.type === 'string' ? unescapeString(key.text.slice(1, -1)) : key.text;
}

function lastSegment(callee: string): string {
  const i = callee.lastIndexOf('.');
  return i < 0 ? callee : callee.slice(i + 1);
}
