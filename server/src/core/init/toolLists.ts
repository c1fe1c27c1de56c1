// Tool lists kept as data: OpenAI, Anthropic and MCP tools in JSON or YAML files.

import { parseYamlSafely } from '../safeYaml';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasSchema = (o: Obj): boolean => 'parameters' in o || 'input_schema' in o || 'inputSchema' in o;

/**
 * The tools a JSON or YAML file describes, in OpenAI, Anthropic and MCP shapes.
 * A file that is one tool keeps its JSON pointer; a list (bare or under
 * `tools`) is named tool by tool, so reordering it never moves a sign-off.
 */
export function toolsInData(text: string, json: boolean): { pointer?: string; tool?: string }[] {
  // Cheap test first: every shape has a description and a schema or a function wrapper.
  if (!/description/.test(text) || !/parameters|input_schema|inputSchema|function/.test(text)) return [];
  const value = json ? parseJson(text) : parseYaml(text);
  if (isObj(value)) {
    if (typeof value.description === 'string' && hasSchema(value)) return [{ pointer: '/description' }];
    if (isObj(value.function) && typeof value.function.description === 'string' && hasSchema(value.function)) return [{ pointer: '/function/description' }];
  }
  const list = Array.isArray(value) ? value : isObj(value) && Array.isArray(value.tools) ? value.tools : [];
  const names = new Set<string>();
  for (const entry of list) {
    const name = toolName(entry);
    if (name !== undefined) names.add(name);
  }
  return [...names].map((tool) => ({ tool }));
}

function toolName(entry: unknown): string | undefined {
  if (!isObj(entry)) return undefined;
  const fn = entry.function;
  if (isObj(fn) && (entry.type === 'function' || hasSchema(fn)) && typeof fn.name === 'string' && typeof fn.description === 'string') return fn.name || undefined;
  if (typeof entry.name === 'string' && typeof entry.description === 'string' && hasSchema(entry)) return entry.name || undefined;
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseYaml(text: string): unknown {
  const parsed = parseYamlSafely(text);
  if (!parsed.ok || parsed.problems.length) return undefined;
  try {
    return parsed.doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}
