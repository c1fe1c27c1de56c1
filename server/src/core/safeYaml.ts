import { parseDocument, type Document } from 'yaml';

/** Deeper than any real manifest or promptfoo file; far below what overflows the parser. */
export const MAX_NESTING = 100;

export interface YamlProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly duplicateKey?: boolean;
}

export type SafeYaml =
  | { readonly ok: true; readonly doc: Document.Parsed; readonly problems: YamlProblem[] }
  | { readonly ok: false; readonly problems: YamlProblem[] };

/**
 * Parses YAML without ever taking the process down. Very deep nesting is
 * refused before the parser sees it: on some Node versions the parser's
 * recursion on such input aborts the process instead of throwing.
 * `nestingChecked` says the caller has already found the nesting fine.
 */
export function parseYamlSafely(text: string, nestingChecked = false): SafeYaml {
  const deep = nestingChecked ? undefined : findExcessiveNesting(text);
  if (deep !== undefined) {
    return {
      ok: false,
      problems: [{ message: `This file nests more than ${MAX_NESTING} levels deep, so it was not read.`, start: deep, end: deep + 1 }],
    };
  }
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
    const problems: YamlProblem[] = doc.errors.map((e) => {
      const duplicateKey = e.code === 'DUPLICATE_KEY';
      // The parser points at the key's first character; underline the whole key.
      const keyLength = duplicateKey ? (/^[^\s:]+/.exec(text.slice(e.pos[0]))?.[0].length ?? 1) : 1;
      return {
        message: duplicateKey ? 'This key is given twice in the same block; only the first one counts.' : plainYamlMessage(e.message),
        start: e.pos[0],
        end: Math.max(e.pos[1], e.pos[0] + keyLength),
        duplicateKey,
      };
    });
    return { ok: true, doc, problems };
  } catch (err) {
    return { ok: false, problems: [{ message: `This file could not be read as YAML (${(err as Error).message}).`, start: 0, end: 1 }] };
  }
}

function plainYamlMessage(message: string): string {
  // The parser appends a source excerpt after the first line; keep the sentence.
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  // It may quote a whole token, which can be huge: a short prefix says enough.
  return `YAML syntax: ${first.replace(/"([^"]{60})[^"]{20,}"/, '"$1…"')}`;
}

/**
 * Offset of the first place nesting goes past MAX_NESTING, counting flow
 * brackets and block indentation (each compact `- ` counts as a level).
 */
export function findExcessiveNesting(text: string): number | undefined {
  let flow = 0;
  let quote: string | undefined;
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      lineStart = true;
      indent = 0;
      dashes = 0;
      if (quote === "'" || quote === '"') continue; // multi-line quoted scalars are legal
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        indent++;
        if (indent / 2 > MAX_NESTING * 2) return i;
        continue;
      }
      if ((c === '-' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        dashes++;
        if (indent / 2 + dashes > MAX_NESTING * 2) return i;
        i++;
        continue;
      }
      lineStart = false;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const prev = text[i - 1];
      if (flow > 0 || prev === undefined || /[\s:,[{]/.test(prev)) quote = c;
      continue;
    }
    if (c === '[' || c === '{') {
      flow++;
      if (flow > MAX_NESTING) return i;
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
    }
  }
  return undefined;
}

/** Same guard for JSON: bracket depth outside strings. */
export function findExcessiveJsonNesting(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return i;
    } else if (c === 93 || c === 125) {
      depth--;
    }
  }
  return undefined;
}
