import { RE2JS } from 're2js';

/** Longer markers are refused: no real surface needs one, and a huge one only costs time. */
export const MARKER_MAX = 1000;

export type CompiledMarker = { readonly ok: true; readonly pattern: RE2JS } | { readonly ok: false; readonly problem: string };

/**
 * Compiles a surface marker with RE2 (re2js): matching takes time linear in
 * the file, whatever the pattern, so a marker from the workspace can never
 * hang a check or a keystroke. It must have a named group `intent`.
 * JavaScript's look-around and back-references have no linear-time match,
 * so they are refused, saying which construct it is.
 */
export function compileMarker(source: string): CompiledMarker {
  if (source.length > MARKER_MAX) {
    return { ok: false, problem: `This marker is ${source.length.toLocaleString('en-US')} characters long; a marker may have at most ${MARKER_MAX.toLocaleString('en-US')}. It starts "${quote(source)}".` };
  }
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(source);
  } catch (err) {
    return { ok: false, problem: notLinear(source) ?? `This marker is not a pattern Counterpart can run: ${plainError(err)}.` };
  }
  if (!('intent' in pattern.namedGroups())) {
    return { ok: false, problem: 'This marker has no named group (?<intent>…), so Counterpart cannot tell which part names the intent. Example: data-intent="(?<intent>[a-z0-9-]+)".' };
  }
  return { ok: true, pattern };
}

/** The construct RE2 refuses because it has no linear-time match, said plainly. */
function notLinear(source: string): string | undefined {
  const SAMPLE = ' Markers are matched in linear time, so look-around and back-references are not allowed; match the surrounding text instead, e.g. data-intent="(?<intent>[a-z0-9-]+)".';
  if (/\(\?<[=!]/.test(source)) return `This marker uses a look-behind, (?<=…) or (?<!…).${SAMPLE}`;
  if (/\(\?[=!]/.test(source)) return `This marker uses a look-ahead, (?=…) or (?!…).${SAMPLE}`;
  if (/\\[1-9]|\\k</.test(source)) return `This marker uses a back-reference, like \\1.${SAMPLE}`;
  return undefined;
}

function plainError(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  // RE2 quotes the offending part; keep it short.
  return message.replace(/^error parsing regexp: /, '').replace(/`([^`]{60})[^`]+`/, '`$1…`');
}

function quote(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
