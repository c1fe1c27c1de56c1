// Reading code text without parsing it: strings, comments, brackets and the
// arguments of a call. Every scanner here walks each character a bounded
// number of times, so hostile text is read in linear time (see codeScan.ts).

/** The two languages the code scan reads. */
export type Lang = 'js' | 'py';

/** How many bracketed spans one file's scan may still follow; each `entries` call spends one. */
export interface Budget {
  calls: number;
}

/** How far a call's arguments are followed. */
const MAX_CALL_CHARS = 64 * 1024;

/** The words of an identifier, lower case: `systemPrompt`, `SYSTEM_PROMPT` and `system-prompt` → system, prompt. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The content of the one plain string literal at `at` (after spaces): no placeholders, escapes or concatenation. */
export function literal(text: string, at: number, lang: Lang): string | undefined {
  const start = skipSpace(text, at, lang);
  const end = readText(text, start, lang, true);
  if (end === undefined || skipString(text, start, lang) !== end) return undefined;
  const raw = text.slice(start, end);
  const m = /^[rRuU]?(["'`])([^"'`\\\n$]{1,200})\1$/.exec(raw);
  return m?.[2];
}

/** `text` when a string (or a concatenation of strings) starts at `at`, `{ ref }` for a bare name, else undefined. */
export function valueAt(text: string, at: number, lang: Lang): 'text' | { ref: string } | undefined {
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
export function readText(text: string, at: number, lang: Lang, inBrackets: boolean): number | undefined {
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
export function skipSpace(text: string, k: number, lang: Lang): number {
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

/** Drops the remembered comment end, so a scanned file's text is not held after its scan. */
export function forgetCommentEnds(): void {
  lastCommentEnd = undefined;
}

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
export function skipString(text: string, k: number, lang: Lang, depth = 0): number | undefined {
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
export function entries(text: string, open: number, lang: Lang, budget: Budget): { starts: number[]; end: number } | undefined {
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
export function objectKeys(text: string, open: number, budget: Budget): Map<string, number> | undefined {
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
export function keywordArgs(text: string, open: number, budget: Budget): Map<string, number> | undefined {
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
