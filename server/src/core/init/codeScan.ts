// Prompts and tools in code: a light scan, never a parse. Every regular
// expression below is anchored or bounded so it cannot backtrack
// catastrophically, and the hand-written scanners walk each character at most
// a bounded number of times. A guess that is wrong surfaces as
// `symbol-not-found` on `counterpart check`.

import { type Budget, entries, forgetCommentEnds, keywordArgs, type Lang, literal, objectKeys, readText, skipSpace, skipString, valueAt, wordsOf } from './codeText';

/** What one code file holds: symbols bound to prompt text, and tool names. */
export interface InCode {
  prompts: string[];
  tools: string[];
}

/** How many calls one file may ask about. */
const MAX_CALLS = 200;

/** Property or keyword of an agent that holds its prompt, most usual first. */
const JS_AGENT_KEYS = ['instructions', 'system'];
const PY_AGENT_KEYS = ['instructions', 'instruction', 'system_prompt', 'system_message'];

const JS_BINDING = /^(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]{0,200})?=(?![=>])/gm;
const JS_CALLEE = /[ \t]*(?:new[ \t]+)?([A-Za-z_$][\w$.]{0,100})[ \t]*(?:<[^>\n]{0,200}>)?[ \t]*\(/y;
const JS_TOOL_PROP = /(?:^|[\s,{])(?:([A-Za-z_$][\w$]*)|'([^'\n]{1,100})'|"([^"\n]{1,100})")[ \t]*:[ \t]*tool[ \t]*\(/g;
/** `const createDocument = ({ session }: Props) => tool({`: a factory the tools object calls; the model sees its key, the binding's name. */
const JS_TOOL_FACTORY = /(?:^|[\s;])(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]{0,200})?=[ \t]*(?:async[ \t]+)?(?:\([^;]{0,300}?\)|[A-Za-z_$][\w$]*)[^=;{]{0,100}=>[\s(]{0,20}tool[ \t]*\(/g;
/** MCP TypeScript SDK: `server.registerTool("read_file", { description, … })`, `server.tool("echo", "Echoes…", …)`. */
const JS_MCP_TOOL = /\.(?:registerTool|tool)[ \t]*\(\s{0,20}(['"])([^'"\n]{1,100})\1\s{0,20},\s{0,20}(?=['"`{])/g;
const JS_TOOL_CONST = /(?:^|[\s;])(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]{0,200})?=[ \t]*tool[ \t]*\(/g;
const PY_BINDING = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]{0,200})?=(?!=)/gm;
const PY_CALLEE = /[ \t]*([A-Za-z_][\w.]{0,100})[ \t]*(?:\[[^\]\n]{0,200}\])?[ \t]*\(/y;
const PY_DECORATOR = /^[ \t]*@(?:[A-Za-z_]\w{0,50}\.){0,3}(function_tool|tool)(?![\w.])[ \t]*(\()?/gm;
const PY_DEF = /^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/;

/**
 * The prompts (as symbols: `systemPrompt`, `supportAgent.instructions`) and
 * the tools (by name) that one TypeScript/JavaScript or Python file holds.
 */
export function scanCode(text: string, lang: Lang): InCode {
  try {
    return lang === 'py' ? scanPython(text) : scanJs(text);
  } finally {
    forgetCommentEnds();
  }
}

function scanJs(text: string): InCode {
  const budget = { calls: MAX_CALLS };
  const texts = new Set<string>();
  const agents: { name: string; open: number }[] = [];
  for (const m of text.matchAll(JS_BINDING)) {
    const at = m.index + m[0].length;
    if (readText(text, at, 'js', true) !== undefined) {
      texts.add(m[1]);
      continue;
    }
    JS_CALLEE.lastIndex = at;
    const callee = JS_CALLEE.exec(text);
    if (callee && /(^|\.)[\w$]*Agent$/.test(callee[1])) agents.push({ name: m[1], open: JS_CALLEE.lastIndex - 1 });
  }
  const prompts = [...texts].filter(promptLike);
  for (const agent of agents) {
    const keys = objectKeys(text, agent.open, budget);
    const key = JS_AGENT_KEYS.find((k) => keys?.has(k));
    if (!keys || !key) continue;
    const value = valueAt(text, keys.get(key) ?? 0, 'js');
    if (value === 'text') prompts.push(`${agent.name}.${key}`);
    else if (value && texts.has(value.ref) && !prompts.includes(value.ref)) prompts.push(value.ref);
  }
  const tools: string[] = [];
  const addTool = (binding: string, open: number): void => {
    const keys = objectKeys(text, open, budget);
    if (!keys?.has('description')) return;
    // `tool({ name: 'issue_refund', … })` (OpenAI Agents JS) names the tool itself; the binding is the fallback.
    const name = explicitName(text, keys, 'js') ?? binding;
    if (!tools.includes(name)) tools.push(name);
  };
  for (const m of text.matchAll(JS_TOOL_PROP)) addTool(m[1] ?? m[2] ?? m[3], m.index + m[0].length - 1);
  for (const m of text.matchAll(JS_TOOL_CONST)) addTool(m[1], m.index + m[0].length - 1);
  for (const m of text.matchAll(JS_TOOL_FACTORY)) addTool(m[1], m.index + m[0].length - 1);
  for (const m of text.matchAll(JS_MCP_TOOL)) if (!tools.includes(m[2])) tools.push(m[2]);
  return { prompts, tools };
}

function scanPython(text: string): InCode {
  const budget = { calls: MAX_CALLS };
  const texts = new Set<string>();
  const agents: { name: string; open: number }[] = [];
  for (const m of text.matchAll(PY_BINDING)) {
    const at = m.index + m[0].length;
    if (readText(text, at, 'py', false) !== undefined) {
      texts.add(m[1]);
      continue;
    }
    PY_CALLEE.lastIndex = at;
    const callee = PY_CALLEE.exec(text);
    if (callee && /(^|\.)\w*Agent$/.test(callee[1])) agents.push({ name: m[1], open: PY_CALLEE.lastIndex - 1 });
  }
  const prompts = [...texts].filter(promptLike);
  for (const agent of agents) {
    const keys = keywordArgs(text, agent.open, budget);
    const key = PY_AGENT_KEYS.find((k) => keys?.has(k));
    if (!keys || !key) continue;
    const value = valueAt(text, keys.get(key) ?? 0, 'py');
    if (value === 'text') prompts.push(`${agent.name}.${key}`);
    else if (value && texts.has(value.ref) && !prompts.includes(value.ref)) prompts.push(value.ref);
  }
  const tools: string[] = [];
  for (const m of text.matchAll(PY_DECORATOR)) {
    let after = m.index + m[0].length;
    let name: string | undefined;
    let described = false;
    if (m[2]) {
      const open = after - 1;
      const args = entries(text, open, 'py', budget);
      if (!args) continue;
      after = args.end;
      const keys = keywordArgs(text, open, budget);
      described = !!keys && (keys.has('description') || keys.has('description_override'));
      // `@tool("lookup-order")` names the tool, as does `name_override=`; otherwise it is the function's name.
      name = (keys && explicitName(text, keys, 'py')) ?? (m[1] === 'tool' ? literal(text, open + 1, 'py') : undefined);
    }
    const def = defAfter(text, after);
    if (!def) continue;
    if (!described && !hasDocstring(text, def.open, budget)) continue;
    name = name || def.name;
    if (!tools.includes(name)) tools.push(name);
  }
  return { prompts, tools };
}

/** Whether a constant's name says it holds a prompt: `systemPrompt`, `SYSTEM_PROMPT`, `supportInstructions`, `PROMPT_TEMPLATE`… but not `PROMPT_FILE`. */
function promptLike(name: string): boolean {
  const words = wordsOf(name);
  const last = words[words.length - 1] ?? '';
  if (['prompt', 'prompts', 'instruction', 'instructions', 'preamble', 'persona'].includes(last)) return true;
  if (last === 'message' || last === 'msg') return words.includes('system');
  if (last === 'template' || last === 'tmpl') return words.includes('prompt') || words.includes('system');
  return false;
}

/** The `def` a decorator at `from` decorates: its name and the index of its `(`. Blank lines, comments and other decorators may come between. */
function defAfter(text: string, from: number): { name: string; open: number } | undefined {
  let lineStart = text.indexOf('\n', from);
  for (let n = 0; lineStart >= 0 && n < 20; n++) {
    const start = lineStart + 1;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    const def = PY_DEF.exec(line);
    if (def) return { name: def[1], open: start + def[0].length - 1 };
    if (!/^[ \t]*(#.*|@.*)?\r?$/.test(line)) return undefined;
    lineStart = end;
  }
  return undefined;
}

/** Whether the function whose parameters open at `open` starts its body with a docstring. */
function hasDocstring(text: string, open: number, budget: Budget): boolean {
  const params = entries(text, open, 'py', budget);
  if (!params) return false;
  const colon = text.indexOf(':', params.end);
  if (colon < 0 || colon - params.end > 300) return false;
  const at = skipSpace(text, colon + 1, 'py');
  return skipString(text, at, 'py') !== undefined;
}

/** The tool's own name when its object or decorator gives one as plain text (`name`, `name_override`, `id`). */
function explicitName(text: string, keys: Map<string, number>, lang: Lang): string | undefined {
  for (const key of ['name', 'name_override', 'id']) {
    const at = keys.get(key);
    const name = at === undefined ? undefined : literal(text, at, lang);
    if (name) return name;
  }
  return undefined;
}
