import { globBase } from '../paths';
import { parseYamlSafely } from '../safeYaml';

export interface Proposal {
  readonly text: string;
  readonly summary: string;
}

/** A system prompt: a whole file, or the text bound to `symbol` inside code. */
interface PromptFound {
  readonly file: string;
  readonly symbol?: string;
}

/** A tool description: by JSON pointer in a one-tool file, or by the tool's name. */
interface ToolFound {
  readonly file: string;
  readonly pointer?: string;
  readonly tool?: string;
  readonly inCode?: boolean;
}

interface Found {
  prompts: PromptFound[];
  evals: { glob: string; format: string; id?: string }[];
  tools: ToolFound[];
  help: string[];
  models: { file: string; pointer: string }[];
  surfaces: { glob: string; attribute: string }[];
  intents: Set<string>;
}

const MAX_READ = 256 * 1024;
const UI_FILE = /\.(tsx|jsx|vue|svelte|html|astro)$/;
const MARKER_ATTRS = ['data-intent', 'data-ai-intent', 'data-feature'];

/** Code Counterpart can locate a `symbol` or `tool` in (the manifest's list). */
const JS_FILE = /\.(ts|tsx|js|mjs|cjs)$/;
const PY_FILE = /\.py$/;
/** Folders of generated, vendored or installed code: nothing in them is proposed. */
const SKIP_DIRS = new Set([
  'node_modules', 'bower_components', 'jspm_packages', 'vendor', 'third_party', 'dist', 'build', 'out', 'target', 'coverage',
  '__pycache__', 'site-packages', 'venv', 'htmlcov',
]);
/** Test code: its prompt-like strings are fixtures, not the product's prompts. */
const TEST_CODE = /(^|\/)(__tests__|__mocks__|tests?|spec|fixtures?)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$|\.d\.ts$|\.min\.js$/;
/** JSON and YAML files that are never tool lists, even when they mention parameters. */
const NOT_TOOLS = /^(package(-lock)?\.json|npm-shrinkwrap\.json|pnpm-lock\.ya?ml|composer\.(json|lock)|[jt]sconfig.*\.json|(docker-)?compose.*\.ya?ml|pubspec\.ya?ml|mkdocs\.ya?ml|\.?pre-commit-config\.ya?ml)$/;

/**
 * A starter manifest from what a folder holds: prompt files and prompts kept
 * in code, promptfoo configs and JSONL evals, tool lists in JSON, YAML and
 * code, help docs, model config and `data-intent`-style markers. It only
 * reads text, never runs anything. Everything it guesses is marked for a person.
 */
export function proposeManifest(files: readonly string[], read: (file: string) => string | undefined): Proposal {
  const found: Found = { prompts: [], evals: [], tools: [], help: [], models: [], surfaces: [], intents: new Set() };
  const evalDirs = new Map<string, Set<string>>();
  const helpDirs = new Set<string>();
  const uiGlobs = new Map<string, string>();
  for (const file of [...files].sort()) {
    const lower = file.toLowerCase();
    const name = lower.split('/').pop() ?? lower;
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    const segments = lower.split('/').slice(0, -1);
    if (segments.some((s) => SKIP_DIRS.has(s))) continue;
    // Hidden folders hold CI, editor and tool settings (.github/workflows, .vscode);
    // the one thing taken from them is a GitHub Models prompt file.
    if (segments.some((s) => s.startsWith('.'))) {
      if (/\.prompt\.ya?ml$/.test(name)) found.prompts.push({ file });
      continue;
    }
    const isCode = JS_FILE.test(name) || PY_FILE.test(name);
    if (!isCode && isPromptFile(lower, name)) {
      found.prompts.push({ file });
      continue;
    }
    const evalRoot = evalFolder(dir);
    if (evalRoot !== undefined || name.startsWith('promptfooconfig')) {
      const ext = /\.(ya?ml)$/.exec(name)?.[1];
      if (ext) {
        const text = small(read(file));
        if (text && /^tests:|^- (description|vars):/m.test(text)) {
          // A glob only ever starts at an eval folder; a config anywhere else is named alone,
          // so a root promptfooconfig.yaml never becomes `**/*.yaml` (CI files, lockfiles…).
          if (evalRoot !== undefined) addTo(evalDirs, evalRoot, ext);
          else found.evals.push({ glob: file, format: 'promptfoo', id: dir ? undefined : 'evals' });
        }
        if (text) collectIntents(text, /intent:\s*\[?\s*([a-z0-9-]+)/g, found.intents);
        continue;
      }
      if (/\.jsonl$/.test(name) && evalRoot !== undefined) {
        addTo(evalDirs, evalRoot, 'jsonl');
        const text = small(read(file));
        if (text) collectIntents(text, /"intent"\s*:\s*"([a-z0-9-]+)"/g, found.intents);
        continue;
      }
    }
    if (/\.(json|ya?ml)$/.test(name) && !NOT_TOOLS.test(name)) {
      const text = small(read(file));
      const tools = text ? toolsInData(text, name.endsWith('.json')) : [];
      if (tools.length) {
        for (const t of tools) found.tools.push({ file, ...t });
        continue;
      }
    }
    if (isCode && !TEST_CODE.test(lower)) {
      const text = small(read(file));
      const inCode = text ? (PY_FILE.test(name) ? scanPython(text) : scanJs(text)) : { prompts: [], tools: [] };
      for (const symbol of inCode.prompts) found.prompts.push({ file, symbol });
      for (const tool of inCode.tools) found.tools.push({ file, tool, inCode: true });
      // A file named like a system prompt with no prompt we can point at is proposed whole, as before.
      if (!inCode.prompts.length && !inCode.tools.length && /system[-_.]?prompt/.test(name)) found.prompts.push({ file });
      if (!UI_FILE.test(name)) continue;
    }
    if (/\.(md|mdx)$/.test(name) && /(^|\/)(help|help-center|faq|onboarding|docs\/help|support)\//.test(lower)) {
      helpDirs.add(dir);
      continue;
    }
    if (/(^|\/)(config\/)?(llm|model|models|ai)\.(ya?ml|json)$/.test(lower)) {
      const text = small(read(file)) ?? '';
      if (/^\s*"?model"?\s*:/m.test(text)) found.models.push({ file, pointer: '/model' });
      continue;
    }
    if (UI_FILE.test(name)) {
      const text = small(read(file));
      if (!text) continue;
      for (const attr of MARKER_ATTRS) {
        const re = new RegExp(`${attr}="([a-z0-9-]+)"`, 'g');
        const before = found.intents.size;
        let hit = false;
        for (const m of text.matchAll(re)) {
          found.intents.add(m[1]);
          hit = true;
        }
        if (hit || found.intents.size > before) {
          const ext = name.slice(name.lastIndexOf('.'));
          const top = file.split('/')[0];
          const glob = file.includes('/') ? `${top}/**/*${ext}` : `*${ext}`;
          if (!uiGlobs.has(glob)) uiGlobs.set(glob, attr);
        }
      }
    }
  }
  for (const [dir, formats] of evalDirs) {
    // Never empty: evalFolder only returns folders that end in an eval folder.
    for (const ext of ['yaml', 'yml']) if (formats.has(ext)) found.evals.push({ glob: `${dir}/**/*.${ext}`, format: 'promptfoo' });
    if (formats.has('jsonl')) found.evals.push({ glob: `${dir}/**/*.jsonl`, format: 'jsonl' });
  }
  for (const dir of helpDirs) found.help.push(dir ? `${dir}/*.md` : '*.md');
  for (const [glob, attribute] of uiGlobs) found.surfaces.push({ glob, attribute });
  lastCommentEnd = undefined;
  return { text: render(found), summary: describe(found) };
}

/** Prompt files kept whole: `*.prompt(.md|.txt|…)`, `.prompty`, GitHub Models `*.prompt.yml`, `prompts.txt`, files in a prompts folder. */
function isPromptFile(lower: string, name: string): boolean {
  return (
    /\.prompt(\.(md|txt|j2|jinja|ya?ml))?$/.test(name) ||
    name.endsWith('.prompty') ||
    name === 'prompts.txt' ||
    (/(^|\/)prompts?\//.test(lower) && /\.(md|txt|j2|jinja|prompt)$/.test(name)) ||
    /system[-_.]?prompt/.test(name)
  );
}

/** The eval folder a file's folder is in (`evals`, `tests/evals`, `src/eval`…), or undefined outside one. */
function evalFolder(dir: string): string | undefined {
  const segments = dir.split('/');
  const i = segments.findIndex((s) => /^(evals?|evaluations?)$/i.test(s));
  return i < 0 ? undefined : segments.slice(0, i + 1).join('/');
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  // Group eval files by their top eval folder, so one glob covers a suite.
  const set = map.get(key) ?? new Set();
  set.add(value);
  map.set(key, set);
}

function small(text: string | undefined): string | undefined {
  return text !== undefined && text.length <= MAX_READ && !text.includes('\u0000') ? text : undefined;
}

function collectIntents(text: string, re: RegExp, into: Set<string>): void {
  for (const m of text.matchAll(re)) into.add(m[1]);
}

// ---------------------------------------------------------------------------
// Tools in JSON and YAML

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasSchema = (o: Obj): boolean => 'parameters' in o || 'input_schema' in o || 'inputSchema' in o;

/**
 * The tools a JSON or YAML file describes, in OpenAI, Anthropic and MCP shapes.
 * A file that is one tool keeps its JSON pointer; a list (bare or under
 * `tools`) is named tool by tool, so reordering it never moves a sign-off.
 */
function toolsInData(text: string, json: boolean): { pointer?: string; tool?: string }[] {
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

// ---------------------------------------------------------------------------
// Prompts and tools in code: a light scan, never a parse. Every regular
// expression below is anchored or bounded so it cannot backtrack
// catastrophically, and the hand-written scanners walk each character at most
// a bounded number of times. A guess that is wrong surfaces as
// `symbol-not-found` on `counterpart check`.

type Lang = 'js' | 'py';

interface InCode {
  prompts: string[];
  tools: string[];
}

/** How far a call's arguments are followed, and how many calls one file may ask about. */
const MAX_CALL_CHARS = 64 * 1024;
const MAX_CALLS = 200;

/** Property or keyword of an agent that holds its prompt, most usual first. */
const JS_AGENT_KEYS = ['instructions', 'system'];
const PY_AGENT_KEYS = ['instructions', 'instruction', 'system_prompt', 'system_message'];

const JS_BINDING = /^(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]{0,200})?=(?![=>])/gm;
const JS_CALLEE = /[ \t]*(?:new[ \t]+)?([A-Za-z_$][\w$.]{0,100})[ \t]*(?:<[^>\n]{0,200}>)?[ \t]*\(/y;
const JS_TOOL_PROP = /(?:^|[\s,{])(?:([A-Za-z_$][\w$]*)|'([^'\n]{1,100})'|"([^"\n]{1,100})")[ \t]*:[ \t]*tool[ \t]*\(/g;
const JS_TOOL_CONST = /(?:^|[\s;])(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]{0,200})?=[ \t]*tool[ \t]*\(/g;
const PY_BINDING = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]{0,200})?=(?!=)/gm;
const PY_CALLEE = /[ \t]*([A-Za-z_][\w.]{0,100})[ \t]*(?:\[[^\]\n]{0,200}\])?[ \t]*\(/y;
const PY_DECORATOR = /^[ \t]*@(?:[A-Za-z_]\w{0,50}\.){0,3}(function_tool|tool)(?![\w.])[ \t]*(\()?/gm;
const PY_DEF = /^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/;

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

function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
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
function hasDocstring(text: string, open: number, budget: { calls: number }): boolean {
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

/** The content of the one plain string literal at `at` (after spaces): no placeholders, escapes or concatenation. */
function literal(text: string, at: number, lang: Lang): string | undefined {
  const start = skipSpace(text, at, lang);
  const end = readText(text, start, lang, true);
  if (end === undefined || skipString(text, start, lang) !== end) return undefined;
  const raw = text.slice(start, end);
  const m = /^[rRuU]?(["'`])([^"'`\\\n$]{1,200})\1$/.exec(raw);
  return m?.[2];
}

/** `text` when a string (or a concatenation of strings) starts at `at`, `{ ref }` for a bare name, else undefined. */
function valueAt(text: string, at: number, lang: Lang): 'text' | { ref: string } | undefined {
  if (readText(text, at, lang, true) !== undefined) return 'text';
  const start = skipSpace(text, at, lang);
  const m = (lang === 'js' ? /[A-Za-z_$][\w$]*/y : /[A-Za-z_]\w*/y);
  m.lastIndex = start;
  const id = m.exec(text);
  if (!id) return undefined;
  const next = skipSpace(text, m.lastIndex, lang);
  return next >= text.length || ',)}'.includes(text[next]) ? { ref: id[0] } : undefined;
}

/**
 * The end of the text value starting at `at` (after spaces): a string,
 * template literal or Python string of any quoting, joined by `+` or (in
 * Python parentheses, or inside brackets) by adjacency. Undefined when the
 * value is anything else, such as a call (`dedent(…)`) or a string with a
 * method called on it (`"…".trim()`), since those are not text a locator reads.
 */
function readText(text: string, at: number, lang: Lang, inBrackets: boolean): number | undefined {
  let k = lang === 'js' || inBrackets ? skipSpace(text, at, lang) : skipBlank(text, at);
  let paren = false;
  if (lang === 'py' && text[k] === '(') {
    paren = true;
    k = skipSpace(text, k + 1, lang);
  }
  const first = skipString(text, k, lang);
  if (first === undefined) return undefined;
  let end: number = first;
  for (;;) {
    const multiline = lang === 'js' || paren || inBrackets;
    const next: number = multiline ? skipSpace(text, end, lang) : skipBlank(text, end);
    if (paren && text[next] === ')') {
      end = next + 1;
      paren = false;
      break;
    }
    if (text[next] === '+' && text[next + 1] !== '+' && text[next + 1] !== '=') {
      const more = skipString(text, skipSpace(text, next + 1, lang), lang);
      if (more === undefined) return undefined;
      end = more;
      continue;
    }
    const adjacent: number | undefined = lang === 'py' ? skipString(text, next, lang) : undefined;
    if (adjacent !== undefined) {
      end = adjacent;
      continue;
    }
    break;
  }
  if (paren) return undefined;
  const after = skipBlank(text, end);
  const c = text[after];
  if (after >= text.length || c === '\n' || c === '\r' || c === ';' || c === ',' || c === ')' || c === '}' || c === ']') return end;
  if (lang === 'js' && (text.startsWith('//', after) || text.startsWith('/*', after))) return end;
  if (lang === 'py' && c === '#') return end;
  return undefined;
}

/** Spaces and tabs only. */
function skipBlank(text: string, k: number): number {
  while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k++;
  return k;
}

/** Whitespace, line breaks and comments. */
function skipSpace(text: string, k: number, lang: Lang): number {
  while (k < text.length) {
    const c = text[k];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') k++;
    else if (lang === 'py' && c === '#') k = lineEnd(text, k);
    else if (lang === 'py' && c === '\\' && (text[k + 1] === '\n' || text[k + 1] === '\r')) k += 2;
    else if (lang === 'js' && text.startsWith('//', k)) k = lineEnd(text, k);
    else if (lang === 'js' && text.startsWith('/*', k)) {
      const close = commentEnd(text, k + 2);
      k = close < 0 ? text.length : close + 2;
    } else break;
  }
  return k;
}

/** The last search for a comment's end, so that many `/*` before one far (or missing) end do not each search again. */
let lastCommentEnd: { text: string; from: number; at: number } | undefined;

function commentEnd(text: string, from: number): number {
  const last = lastCommentEnd;
  if (last && last.text === text && from >= last.from && (last.at < 0 || from <= last.at)) return last.at;
  const at = text.indexOf('*/', from);
  lastCommentEnd = { text, from, at };
  return at;
}

function lineEnd(text: string, k: number): number {
  const n = text.indexOf('\n', k);
  return n < 0 ? text.length : n;
}

/**
 * The index just past the string literal at `k`, or undefined when none
 * starts there or it is not closed. JavaScript: '…', "…" and `…` with `${…}`
 * followed to its closing brace; Python: any prefix and quoting.
 */
function skipString(text: string, k: number, lang: Lang, depth = 0): number | undefined {
  let i = k;
  if (lang === 'py') {
    while (i < k + 2 && /[rRbBuUfF]/.test(text[i] ?? '')) i++;
  }
  const quote = text[i];
  if (quote !== '"' && quote !== "'" && !(lang === 'js' && quote === '`')) return undefined;
  const triple = lang === 'py' && text.startsWith(quote.repeat(3), i);
  const close = triple ? quote.repeat(3) : quote;
  for (let j = i + close.length; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === quote && (!triple || text.startsWith(close, j))) return j + close.length;
    if ((c === '\n' || c === '\r') && !triple && quote !== '`') return undefined;
    if (quote === '`' && c === '$' && text[j + 1] === '{') {
      if (depth >= 8) return undefined;
      const end = skipPlaceholder(text, j + 2, depth + 1);
      if (end === undefined) return undefined;
      j = end - 1;
    }
  }
  return undefined;
}

/** Past the `}` that closes a template placeholder whose expression starts at `k`. */
function skipPlaceholder(text: string, k: number, depth: number): number | undefined {
  let braces = 0;
  for (let j = k; j < text.length; j++) {
    const c = text[j];
    if (c === '"' || c === "'" || c === '`') {
      const end = skipString(text, j, 'js', depth);
      if (end === undefined) return undefined;
      j = end - 1;
    } else if (c === '{') braces++;
    else if (c === '}') {
      if (braces === 0) return j + 1;
      braces--;
    }
  }
  return undefined;
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * The top-level entries of the bracket opened at `open`: where each starts,
 * and the index just past the closing bracket. Strings and comments are
 * stepped over; undefined when it does not close within MAX_CALL_CHARS.
 */
function entries(text: string, open: number, lang: Lang, budget: { calls: number }): { starts: number[]; end: number } | undefined {
  const close = CLOSING[text[open]];
  if (!close || budget.calls-- <= 0) return undefined;
  const starts = [open + 1];
  const limit = Math.min(text.length, open + MAX_CALL_CHARS);
  let depth = 0;
  for (let k = open + 1; k < limit; k++) {
    const c = text[k];
    if (c === '"' || c === "'" || c === '`') {
      const end = skipString(text, k, lang);
      if (end !== undefined) k = end - 1;
      else if (c === '`' || lang === 'py') return undefined;
      // An unclosed JavaScript quote is most likely inside a regular expression: read on.
    } else if (lang === 'py' && /[rRbBuUfF]/.test(c) && !/\w/.test(text[k - 1] ?? '')) {
      const end = skipString(text, k, lang);
      if (end !== undefined) k = end - 1;
      else while (k + 1 < limit && /\w/.test(text[k + 1])) k++;
    } else if (lang === 'py' && c === '#') k = lineEnd(text, k) - 1;
    else if (lang === 'js' && c === '/' && (text[k + 1] === '/' || text[k + 1] === '*')) k = skipSpace(text, k, lang) - 1;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return c === close ? { starts, end: k + 1 } : undefined;
      depth--;
    } else if (c === ',' && depth === 0) starts.push(k + 1);
  }
  return undefined;
}

/** The properties of the object literal that is the first argument of the call opened at `open` (`tool({…})`, `new Agent({…})`): name → where its value starts. */
function objectKeys(text: string, open: number, budget: { calls: number }): Map<string, number> | undefined {
  const brace = skipSpace(text, open + 1, 'js');
  if (text[brace] !== '{') return undefined;
  const object = entries(text, brace, 'js', budget);
  if (!object) return undefined;
  const keys = new Map<string, number>();
  const key = /(?:([A-Za-z_$][\w$]*)|'([^'\n]*)'|"([^"\n]*)")[ \t]*([:,}]|$)/my;
  for (const start of object.starts) {
    key.lastIndex = skipSpace(text, start, 'js');
    const m = key.exec(text);
    if (!m) continue;
    const name = m[1] ?? m[2] ?? m[3];
    // `instructions,` is shorthand for `instructions: instructions`.
    if (!keys.has(name)) keys.set(name, m[4] === ':' ? key.lastIndex : m.index);
  }
  return keys;
}

/** The keyword arguments of the Python call opened at `open`: name → where its value starts. */
function keywordArgs(text: string, open: number, budget: { calls: number }): Map<string, number> | undefined {
  const args = entries(text, open, 'py', budget);
  if (!args) return undefined;
  const keys = new Map<string, number>();
  const key = /([A-Za-z_]\w*)[ \t]*=(?!=)/y;
  for (const start of args.starts) {
    key.lastIndex = skipSpace(text, start, 'py');
    const m = key.exec(text);
    if (m && !keys.has(m[1])) keys.set(m[1], key.lastIndex);
  }
  return keys;
}

// ---------------------------------------------------------------------------
// The manifest text

function q(s: string): string {
  const plain =
    /^[A-Za-z0-9_./*@-]+$/.test(s) &&
    !s.startsWith('*') &&
    !s.startsWith('@') &&
    // Words and numbers YAML would read as something other than text.
    !/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(s) &&
    !/^[-+.]?[0-9]/.test(s) &&
    !/^[-.]/.test(s);
  return plain ? s : JSON.stringify(s);
}

function unique(raw: string, used: Set<string>): string {
  let id = raw.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'artifact';
  if (!/^[a-z0-9]/.test(id)) id = `a-${id}`;
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}

function idFrom(file: string, used: Set<string>): string {
  const base = (file.split('/').pop() ?? file).replace(/\.[^.]+$/, '').replace(/\.(prompt|system)$/, '');
  const parent = file.split('/').slice(-2, -1)[0] ?? '';
  return unique(base === 'system' || base === 'index' ? `${parent}-${base}` : base, used);
}

/** Words that say only "this is a prompt"; a prompt named with nothing else takes its file's name first. */
const GENERIC_WORDS = new Set(['system', 'prompt', 'prompts', 'instruction', 'instructions', 'message', 'msg', 'template', 'tmpl', 'default', 'main', 'base', 'preamble', 'persona']);
const GENERIC_FILES = new Set(['route', 'index', 'main', 'app', 'server', 'page', 'handler', 'handlers', 'agent', 'agents', 'prompt', 'prompts', '__init__', 'api', 'config', 'constants', 'lib', 'src', 'utils']);

/** `supportAgent.instructions` → support-agent-prompt; `systemPrompt` in app/api/chat/route.ts → chat-system-prompt. */
function promptId(file: string, symbol: string, used: Set<string>): string {
  const [first, ...rest] = symbol.split('.');
  let words = wordsOf(first);
  if (rest.length) {
    if (words[words.length - 1] !== 'prompt') words.push('prompt');
  } else if (words.every((w) => GENERIC_WORDS.has(w))) {
    const parts = file.split('/');
    const stem = (parts.pop() ?? '').replace(/\.[^.]+$/, '');
    const where = [stem, ...parts.reverse()].find((p) => p && !GENERIC_FILES.has(p.toLowerCase()));
    if (where) words = [...wordsOf(where), ...words];
  }
  return unique(words.join('-'), used);
}

/** `cancelOrder` → cancel-order-tool; `lookup_order` → lookup-order-tool. */
function toolId(name: string, used: Set<string>): string {
  const words = wordsOf(name);
  if (words[words.length - 1] !== 'tool') words.push('tool');
  return unique(words.join('-'), used);
}

function render(f: Found): string {
  const used = new Set<string>();
  const lines: string[] = [
    '# Counterpart manifest: who owns each AI artifact, and who reviews it.',
    '# Written by `counterpart init` from what this folder holds. Check every guess,',
    '# fill in the leads and members, then run `counterpart check`.',
    'version: 1',
    '',
    'owners:',
    '  product:',
    '    title: Product',
    '    lead: "@product-lead"        # TODO: who product questions go to',
    '    members: []                  # TODO: git emails or @handles of the product side',
    '  platform:',
    '    title: ML Platform',
    '    lead: "@platform-lead"       # TODO: who platform questions go to',
    '    members: []                  # TODO: git emails or @handles of the platform side',
    '',
    'artifacts:',
  ];
  const artifact = (id: string, kind: string, files: string, owner: string, extra: string[] = []): void => {
    lines.push(`  - id: ${id}`, `    kind: ${kind}`, `    files: ${q(files)}`, ...extra.map((e) => `    ${e}`), `    owner: ${owner}`);
  };
  const fileId = (files: string, fallback: string): string => idFrom(files.includes('*') ? globBase(files).replace(/\/$/, '') || fallback : files, used);
  const intents = [...f.intents].sort();
  const intentsTodo = `intents: []                 # TODO: the intents this prompt is tuned for${intents.length ? ` (seen: ${intents.join(', ')})` : ''}`;
  for (const p of f.prompts) {
    if (p.symbol) artifact(promptId(p.file, p.symbol, used), 'system-prompt', p.file, 'platform', [`symbol: ${q(p.symbol)}`, intentsTodo]);
    else artifact(fileId(p.file, 'system-prompt'), 'system-prompt', p.file, 'platform', [intentsTodo]);
  }
  for (const e of f.evals) artifact(e.id ? unique(e.id, used) : fileId(e.glob, 'eval-set'), 'eval-set', e.glob, 'platform', [`format: ${e.format}`]);
  for (const t of f.tools) {
    if (t.tool !== undefined) artifact(toolId(t.tool, used), 'tool-description', t.file, 'platform', [`tool: ${q(t.tool)}`]);
    else artifact(fileId(t.file, 'tool-description'), 'tool-description', t.file, 'platform', [`pointer: ${t.pointer}`]);
  }
  for (const m of f.models) artifact(fileId(m.file, 'model-config'), 'model-config', m.file, 'platform', [`pointer: ${m.pointer}`]);
  for (const h of f.help) artifact(fileId(h, 'help-copy'), 'help-copy', h, 'product');
  if (lines[lines.length - 1] === 'artifacts:') lines.push('  []                              # TODO: no prompt, eval, tool or help file was recognised');
  lines.push('');
  if (intents.length) {
    lines.push('intents:');
    for (const id of intents) lines.push(`  - id: ${id}`, `    title: ${q(id.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()))}`, '    owner: product', '    phrases: []                 # TODO: how help copy names it');
    lines.push('');
  }
  if (f.surfaces.length) {
    lines.push('surfaces:');
    for (const s of f.surfaces) lines.push(`  - files: ${q(s.glob)}`, `    marker: '${s.attribute}="(?<intent>[a-z0-9-]+)"'`, '    owner: product');
    lines.push('');
  }
  lines.push('reviews: .counterpart/reviews.json');
  return lines.join('\n') + '\n';
}

function describe(f: Found): string {
  const inCode = (n: number): string => (n ? ` (${n} in code)` : '');
  const parts = [
    [f.prompts.length, 'system prompt', inCode(f.prompts.filter((p) => p.symbol).length)],
    [f.evals.length, 'eval set', ''],
    [f.tools.length, 'tool description', inCode(f.tools.filter((t) => t.inCode).length)],
    [f.models.length, 'model setting', ''],
    [f.help.length, 'help-copy folder', ''],
    [f.intents.size, 'intent', ''],
    [f.surfaces.length, 'UI surface', ''],
  ] as const;
  const seen = parts.filter(([n]) => n > 0).map(([n, what, where]) => `${n} ${what}${n === 1 ? '' : 's'}${where}`);
  return seen.length ? `found ${seen.join(', ')}.` : 'found nothing recognisable; the manifest is a skeleton to fill in.';
}
