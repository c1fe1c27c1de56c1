import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { LocatorSpec } from '../manifest/model';
import { findExcessiveJsonNesting, parseYamlSafely } from '../safeYaml';
import { CODE_LANGUAGES_SAID, codeLanguageOf } from './code/grammars';
import { describeValue, followName, readOutline, syntaxNote } from './code/read';
import { locatedAt, type LocateContext, type LocateResult, type Locator, type SourceFile } from './locator';

const DATA_FILE = /\.(json|jsonc|ya?ml)$/i;
const MAX_DEPTH = 20;

/**
 * `tool: name`: a tool's description, found by the tool's name so that
 * reordering a tool list never moves a sign-off. JSON/YAML tool lists
 * (OpenAI, Anthropic, MCP shapes) and tools declared in code (AI SDK
 * `tool({…})`, `@function_tool`, `@tool`, tool-shaped object literals).
 */
export class ToolLocator implements Locator {
  readonly notFound = 'symbol-not-found' as const;

  constructor(
    readonly spec: LocatorSpec,
    private readonly ctx: LocateContext,
  ) {}

  unsupported(file: string): string | undefined {
    if (DATA_FILE.test(file) || codeLanguageOf(file)) return undefined;
    return `tool reads JSON and YAML tool lists and ${CODE_LANGUAGES_SAID} files, and ${file} is none of those. Mark the description with comments and use 'region' instead.`;
  }

  locate(source: SourceFile): LocateResult {
    return DATA_FILE.test(source.file) ? this.inData(source) : this.inCode(source);
  }

  private inCode(source: SourceFile): LocateResult {
    const read = readOutline(this.ctx, source);
    if ('pending' in read) return read;
    if ('problem' in read) return { missing: read.problem };
    const found = read.outline.tools.get(this.spec.value);
    if (!found) return { missing: `no tool named '${this.spec.value}' is declared${syntaxNote(read.outline, source)}` };
    const value = followName(read.outline, found);
    if (value.kind !== 'text') return { missing: `the description of tool '${this.spec.value}' is ${describeValue(value)}, not text` };
    return { found: locatedAt(value.text, value.start, value.end, source.lines) };
  }

  private inData(source: SourceFile): LocateResult {
    const result = this.ctx.cache.get(`tool:${this.spec.value}`, source.file, source.key ?? source.text, () => /\.ya?ml$/i.test(source.file) ? this.inYaml(source) : this.inJson(source));
    return result;
  }

  private inJson(source: SourceFile): LocateResult {
    if (findExcessiveJsonNesting(source.text) !== undefined) return { missing: 'the file nests too deeply to be read' };
    const root = parseTree(source.text, [], { allowTrailingComma: true });
    if (!root) return { missing: 'the file is not valid JSON' };
    const name = this.spec.value;
    const visit = (node: JsonNode, depth: number): JsonNode | undefined => {
      if (depth > MAX_DEPTH) return undefined;
      if (node.type === 'object') {
        const props = new Map((node.children ?? []).map((p) => [String(p.children?.[0]?.value), p.children?.[1]]));
        const description = props.get('description');
        if (props.get('name')?.value === name && description?.type === 'string') return description;
      }
      for (const child of node.children ?? []) {
        const hit = visit(node.type === 'object' ? child.children?.[1] ?? child : child, depth + 1);
        if (hit) return hit;
      }
      return undefined;
    };
    const hit = visit(root, 0);
    if (!hit) return { missing: `no tool named '${name}' with a description is in this file` };
    return { found: locatedAt(String(hit.value), hit.offset, hit.offset + hit.length, source.lines) };
  }

  private inYaml(source: SourceFile): LocateResult {
    const parsed = parseYamlSafely(source.text);
    if (!parsed.ok) return { missing: parsed.problems[0]?.message ?? 'the file could not be read' };
    const name = this.spec.value;
    const visit = (node: unknown, depth: number): YamlNode | undefined => {
      if (depth > MAX_DEPTH) return undefined;
      if (isMap(node)) {
        const description = node.get('description', true);
        if (node.get('name') === name && isScalar(description) && typeof description.value === 'string') return description;
        for (const pair of node.items) {
          const hit = visit(pair.value, depth + 1);
          if (hit) return hit;
        }
      } else if (isSeq(node)) {
        for (const item of node.items) {
          const hit = visit(item, depth + 1);
          if (hit) return hit;
        }
      }
      return undefined;
    };
    const hit = visit(parsed.doc.contents, 0);
    if (!hit?.range || !isScalar(hit)) return { missing: `no tool named '${name}' with a description is in this file` };
    return { found: locatedAt(String(hit.value), hit.range[0], hit.range[1], source.lines) };
  }
}
