import type { Node } from '@vscode/tree-sitter-wasm';
import type { CodeValue } from './outline';
import { escapeName, keyText, lastSegment, looksLikeToolDefinition, MAX_DEPTH, once, Reader, TOOL_FACTORIES } from './reader';
import { unescapeString } from './strings';

/** TypeScript, TSX and JavaScript trees. */
export class ScriptReader extends Reader {
  protected declarationPattern(name: string): RegExp {
    return new RegExp(`^(?:export[ \\t]+(?:default[ \\t]+)?)?(?:declare[ \\t]+)?(?:const|let|var|(?:async[ \\t]+)?function\\*?|(?:abstract[ \\t]+)?class)[ \\t]+${escapeName(name)}(?![\\w$])`, 'm');
  }

  protected declareStatement(statement: Node, out: Map<string, () => CodeValue>): void {
    const decl = statement.type === 'export_statement' ? statement.childForFieldName('declaration') ?? statement.namedChildren[0] : statement;
    if (!decl) return;
    if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
      for (const d of decl.namedChildren) {
        const name = d?.type === 'variable_declarator' ? d.childForFieldName('name') : null;
        if (d && name?.type === 'identifier') this.declare(out, name.text, () => this.declaredValue(d));
      }
    } else if (decl.type === 'function_declaration') {
      // export function buildPrompt(user) { return `…`; }: the text it returns.
      const name = decl.childForFieldName('name');
      if (name) this.declare(out, name.text, () => this.returned(decl, 0));
    } else if (decl.type === 'class_declaration' || decl.type === 'abstract_class_declaration') {
      const name = decl.childForFieldName('name');
      if (name) this.declareClass(out, name.text, decl);
    }
  }

  private declaredValue(declarator: Node): CodeValue {
    const value = declarator.childForFieldName('value');
    return value ? this.value(value, 0) : this.other(declarator);
  }

  /** A class is an object of its fields; its fields are top-level names too, looked at only when asked. */
  private declareClass(out: Map<string, () => CodeValue>, name: string, decl: Node): void {
    const members = once(() => {
      const fields = new Map<string, Node>();
      for (const member of decl.childForFieldName('body')?.namedChildren ?? []) {
        if (member?.type !== 'public_field_definition' && member?.type !== 'field_definition') continue;
        const key = member.childForFieldName('name') ?? member.childForFieldName('property');
        const value = member.childForFieldName('value');
        if (key && value) fields.set(keyText(key), value);
      }
      return fields;
    });
    const props = once(() => new Map([...members()].map(([k, v]) => [k, this.value(v, 0)])));
    this.declare(out, name, () => ({ kind: 'object', props: props(), start: decl.startIndex, end: decl.endIndex }));
    this.later.push(() => {
      for (const k of members().keys()) this.declare(out, k, () => props().get(k)!);
    });
  }

  isComment(type: string): boolean {
    return type === 'comment';
  }

  isString(type: string): boolean {
    return type === 'string' || type === 'template_string';
  }

  readonly toolHints = /\b(?:tool|createTool|dynamicTool|DynamicStructuredTool|DynamicTool|StructuredTool|FunctionTool|Tool|registerTool)\s*[(<]|(?:\bname|["']name["'])\s*:\s*["'`]/g;

  mayDeclareTool(type: string): boolean {
    return type === 'pair' || type === 'variable_declarator' || type === 'object' || type === 'call_expression';
  }

  /** Each kind of declaration is checked cheaply first; only a likely tool is read whole. */
  collectTools(node: Node, into: Map<string, CodeValue>): void {
    if (node.type === 'call_expression') {
      this.registeredTool(node, into);
      return;
    }
    if (node.type === 'object') {
      if (looksLikeToolDefinition(objectKeys(node))) this.toolFrom(this.readTool(node), undefined, into);
      return;
    }
    const key = node.type === 'pair' ? node.childForFieldName('key') : node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (!key || !value || (key.type !== 'property_identifier' && key.type !== 'identifier' && key.type !== 'string')) return;
    if (!isFactoryCall(value)) return;
    const v = this.readTool(value);
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
    const follow = (v: CodeValue): CodeValue => (v.kind === 'name' ? this.binding(v.name) ?? v : v);
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
    const last = body.lastNamedChild;
    const expr = last?.type === 'return_statement' ? last.firstNamedChild : null;
    const value = expr ? this.value(expr, depth + 1) : undefined;
    // Only text or a tool is worth the check below, which reads the whole body.
    const useful = value?.kind === 'text' || (value?.kind === 'object' && value.callee !== undefined && TOOL_FACTORIES.has(lastSegment(value.callee)));
    // Only a function with one way out reads as one value; `if (x) return a; return b;` does not.
    return value && useful && body.descendantsOfType('return_statement').length === 1 ? value : this.other(fn);
  }

  private object(node: Node, depth: number, callee: string | undefined): CodeValue {
    const props = new Map<string, CodeValue>();
    for (const child of node.namedChildren) {
      if (child?.type === 'pair') {
        const key = child.childForFieldName('key');
        const value = child.childForFieldName('value');
        if (!key || !value || key.type === 'computed_property_name') continue;
        const name = keyText(key);
        props.set(name, this.reads(name) ? this.value(value, depth + 1) : this.other(value));
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
    const method = fn.type === 'member_expression' ? fn.childForFieldName('property')?.text ?? '' : '';
    const object = fn.type === 'member_expression' ? fn.childForFieldName('object') : null;
    if (object?.type === 'array' && method === 'join') return this.joined(node, object, argList[0], depth);
    const callee = fn.text;
    const reshaped = this.reshaped(node, object, method, callee, argList, depth);
    if (reshaped) return reshaped;
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


/** The keys an object literal spells out, without reading its values. */
function objectKeys(node: Node): Set<string> {
  const keys = new Set<string>();
  for (const child of node.namedChildren) {
    const key = child?.type === 'pair' ? child.childForFieldName('key') : child?.type === 'shorthand_property_identifier' ? child : null;
    if (key) keys.add(keyText(key));
  }
  return keys;
}

/** `tool({…})`, `new DynamicTool({…})`, `(props) => tool({…})`: a value that makes a tool. */
function isFactoryCall(value: Node): boolean {
  let node: Node | null = value;
  for (let i = 0; node && i < 4; i++) {
    if (node.type === 'call_expression' || node.type === 'new_expression') {
      const callee = (node.childForFieldName('function') ?? node.childForFieldName('constructor'))?.text ?? '';
      return TOOL_FACTORIES.has(lastSegment(callee));
    }
    if (node.type === 'arrow_function') {
      const body: Node | null = node.childForFieldName('body');
      if (body?.type === 'statement_block') return true; // read whole: its one return may make a tool
      node = body;
    } else if (node.type === 'parenthesized_expression' || node.type === 'as_expression' || node.type === 'satisfies_expression' || node.type === 'await_expression') {
      node = node.namedChildren[0] ?? null;
    } else {
      return false;
    }
  }
  return false;
}
