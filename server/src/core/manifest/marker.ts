/**
 * A group holding a quantifier, itself quantified: the shape of patterns whose
 * backtracking explodes (JS has no regex time limit, and markers come from the
 * workspace).
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

export type CompiledMarker = { readonly ok: true; readonly regex: RegExp } | { readonly ok: false; readonly problem: string };

/**
 * Compiles a surface marker. It must be a valid regular expression with a
 * named group `intent`; the `d` flag gives the group's exact range.
 */
export function compileMarker(source: string): CompiledMarker {
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'gd');
  } catch (err) {
    return { ok: false, problem: `This marker is not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}.` };
  }
  if (NESTED_QUANTIFIER.test(source)) {
    return { ok: false, problem: 'This marker repeats a group that itself repeats, like (a+)+; on some files such a pattern takes practically forever, so Counterpart does not run it. Simplify it, e.g. data-intent="(?<intent>[a-z0-9-]+)".' };
  }
  // Matching the empty alternative lists every named group, matched or not.
  const groups = new RegExp(`(?:${source})|`).exec('')?.groups;
  if (!groups || !('intent' in groups)) {
    return { ok: false, problem: 'This marker has no named group (?<intent>…), so Counterpart cannot tell which part names the intent. Example: data-intent="(?<intent>[a-z0-9-]+)".' };
  }
  return { ok: true, regex };
}
