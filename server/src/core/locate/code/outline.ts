import type { Tree } from '@vscode/tree-sitter-wasm';
import type { CodeLanguage } from './grammars';
import { PythonReader } from './pythonReader';
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
  /** Comments, docstrings and string literals, in file order: the prose of the file. */
  readonly prose: string;
  /** The first syntax error, when the file does not parse cleanly. */
  readonly syntaxError?: { readonly offset: number; readonly problem: string };
}

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

