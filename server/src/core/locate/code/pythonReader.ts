import type { Node } from '@vscode/tree-sitter-wasm';
import type { CodeValue } from './outline';
import { escapeName, lastSegment, looksLikeToolDefinition, MAX_DEPTH, once, Reader } from './reader';
import { cleanDocstring, unescapeString } from './strings';

/** Python trees. */
export class PythonReader extends Reader {
  protected declarationPattern(name: string): RegExp {
    const n = escapeName(name);
    return new RegExp(`^(?:${n}(?=[ \\t]*(?::[^=\\n]*)?=(?!=))|(?:async[ \\t]+)?def[ \\t]+${n}(?!\\w)|class[ \\t]+${n}(?!\\w))`, 'm');
  }

  protected declareStatement(statement: Node, out: Map<string, () => CodeValue>, module = true): void {
    const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (def?.type === 'function_definition') {
      const name = def.childForFieldName('name');
      if (name) this.declare(out, name.text, () => this.docstring(def) ?? this.other(def));
    } else if (def?.type === 'class_definition') {
      const name = def.childForFieldName('name');
      if (name) this.declareClass(out, name.text, def, module);
    } else if (statement.type === 'expression_statement') {
      const assignment = statement.namedChildren[0];
      if (assignment?.type !== 'assignment') return;
      const left = assignment.childForFieldName('left');
      if (left?.type === 'identifier') this.declare(out, left.text, () => this.assigned(assignment));
    }
  }

  private assigned(assignment: Node): CodeValue {
    const right = assignment.childForFieldName('right');
    return right ? this.value(right, 0) : this.other(assignment);
  }

  /** A class is an object of its members; at module level its members are top-level names too, looked at only when asked. */
  private declareClass(out: Map<string, () => CodeValue>, name: string, def: Node, module: boolean): void {
    const declared = once(() => {
      const inner = new Map<string, () => CodeValue>();
      for (const statement of def.childForFieldName('body')?.namedChildren ?? []) if (statement) this.declareStatement(statement, inner, false);
      return inner;
    });
    const members = once(() => new Map([...declared()].map(([k, read]) => [k, read()])));
    this.declare(out, name, () => ({ kind: 'object', props: members(), doc: this.docstring(def), start: def.startIndex, end: def.endIndex }));
    if (module) {
      this.later.push(() => {
        for (const k of declared().keys()) this.declare(out, k, () => members().get(k)!);
      });
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

  readonly toolHints = /@[\w.]*tool\b|(?:\b(?:name|name_override)\s*=|["']name["']\s*:)\s*[rRuUbBfF]{0,2}["']/g;

  mayDeclareTool(type: string): boolean {
    return type === 'decorated_definition' || type === 'dictionary' || type === 'call';
  }

  /** Each kind of declaration is checked cheaply first; only a likely tool is read whole. */
  collectTools(node: Node, into: Map<string, CodeValue>): void {
    if (node.type === 'dictionary' || node.type === 'call') {
      if (looksLikeToolDefinition(this.keysOf(node), node.type === 'call' ? node.childForFieldName('function')?.text : undefined)) this.toolFrom(this.readTool(node), undefined, into);
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

  /** A dict's text keys or a call's keyword names, without reading their values. */
  private keysOf(node: Node): Set<string> {
    const keys = new Set<string>();
    const items = node.type === 'call' ? node.childForFieldName('arguments')?.namedChildren ?? [] : node.namedChildren;
    for (const item of items) {
      const key = item?.type === 'keyword_argument' ? item.childForFieldName('name') : item?.type === 'pair' ? item.childForFieldName('key') : null;
      if (!key) continue;
      const k = key.type === 'string' ? this.value(key, 0) : undefined;
      keys.add(k?.kind === 'text' ? k.text : key.text);
    }
    return keys;
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
          if (k?.kind === 'text' && value) props.set(k.text, this.reads(k.text) ? this.value(value, depth + 1) : this.other(value));
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
    const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : '';
    const object = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (object && method === 'join' && argList[0]?.type === 'list') return this.joined(node, object, argList[0], depth);
    const callee = fn.text;
    const reshaped = this.reshaped(node, object, method, callee, argList, depth);
    if (reshaped) return reshaped;
    const props = new Map<string, CodeValue>();
    for (const arg of argList) {
      if (arg.type !== 'keyword_argument') continue;
      const name = arg.childForFieldName('name');
      const value = arg.childForFieldName('value');
      if (name && value) props.set(name.text, this.reads(name.text) ? this.value(value, depth + 1) : this.other(value));
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

