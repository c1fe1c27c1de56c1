import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import type { CodeLanguage } from './grammars';
import { PythonReader } from './pythonReader';
import type { Reader } from './reader';
import { ScriptReader } from './scriptReader';

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
  /** The first syntax error, when the file does not parse cleanly. */
  readonly syntaxError?: { readonly offset: number; readonly problem: string };
}

/** How far up from a hint a tool declaration may sit: `tool(` → call → arrow → pair. */
const CLIMB = 4;

function readerFor(language: CodeLanguage): Reader {
  return language === 'python' ? new PythonReader() : new ScriptReader();
}

/**
 * Reads a file's outline from its syntax tree. Walking every node from
 * JavaScript costs as much as parsing, so only the top level is read whole;
 * tools are found from places the text hints at (`tool(`, `@function_tool`,
 * `name:`), climbing to the declaration that holds them.
 */
export function outlineOf(tree: Tree, language: CodeLanguage, text: string, wanted?: ReadonlySet<string>): CodeOutline {
  const reader = readerFor(language);
  const root = tree.rootNode;
  const bindings = reader.bindings(root, wanted, text);
  const tools = new Map<string, CodeValue>();
  const seen = new Set<number>();
  for (const hint of text.matchAll(reader.toolHints)) {
    let node: Node | null = root.descendantForIndex(hint.index);
    for (let i = 0; node && i < CLIMB; i++, node = node.parent) {
      if (!reader.mayDeclareTool(node.type) || seen.has(node.id)) continue;
      seen.add(node.id);
      reader.collectTools(node, tools);
    }
  }
  // A description written as a constant's name is followed now, while the tree is here.
  reader.followAll(tools.values());
  return { bindings, tools, syntaxError: root.hasError ? firstError(tree) : undefined };
}

/** The first error or missing token, in file order. */
function firstError(tree: Tree): CodeOutline['syntaxError'] {
  const cursor = tree.walk();
  try {
    for (;;) {
      const type = cursor.nodeType;
      if (type === 'ERROR' || cursor.nodeIsMissing) return { offset: cursor.startIndex, problem: type === 'ERROR' ? 'it has a syntax error' : `a '${type}' is missing` };
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return undefined;
      }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * The prose of a code file: its comments, docstrings and string literals in
 * file order. Only a tool kept as a whole code file needs it, so it is read
 * on its own, when asked.
 */
export function proseOf(tree: Tree, language: CodeLanguage): string {
  const reader = readerFor(language);
  const prose: string[] = [];
  const cursor = tree.walk();
  try {
    for (;;) {
      const type = cursor.nodeType;
      let descend = true;
      if (reader.isComment(type)) {
        prose.push(reader.commentText(cursor.nodeText));
        descend = false;
      } else if (reader.isString(type)) {
        const value = reader.value(cursor.currentNode, 0);
        if (value.kind === 'text') prose.push(value.text);
        descend = false;
      }
      if (descend && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return prose.join('\n');
      }
    }
  } finally {
    cursor.delete();
  }
}
