/**
 * GitHub's CODEOWNERS path patterns: gitignore-like, as GitHub documents them.
 *
 * - A pattern with a `/` at its start or in its middle is anchored at the top
 *   of the repository; one without (`*.md`, `docs/`) matches at any depth.
 * - `*` matches within one folder name, `?` one character of it, `**` any
 *   number of folders (`**\/x`, `a/**\/b`, `a/**`).
 * - A trailing `/` means "everything inside that folder"; a pattern that names
 *   a file or folder (`/apps/github`) also matches everything inside it; a
 *   pattern ending in `/*` matches only the folder's own files, not deeper ones.
 * - No `!` (excluding) and no `[…]` character ranges: GitHub does not support them.
 *
 * Paths are relative to the repository's top, with forward slashes and no
 * leading slash. Matching is case-sensitive, as on GitHub.
 */

/** A compiled pattern, or why GitHub skips the line that holds it. */
export type CompiledPattern = { readonly ok: true; readonly test: (path: string) => boolean } | { readonly ok: false; readonly problem: string };

export function compilePattern(pattern: string): CompiledPattern {
  if (pattern === '') return { ok: false, problem: 'the line has no path pattern' };
  if (pattern.startsWith('!')) return { ok: false, problem: "GitHub does not support '!' to exclude files in CODEOWNERS" };
  if (/(^|[^\\])\[/.test(pattern)) return { ok: false, problem: "GitHub does not support character ranges ('[…]') in CODEOWNERS" };
  if (pattern.includes('***')) return { ok: false, problem: "'***' is not a valid pattern" };
  if (pattern === '/') return { ok: true, test: () => false };
  const regex = new RegExp(patternSource(pattern));
  return { ok: true, test: (path) => regex.test(path) };
}

function patternSource(pattern: string): string {
  const segments = pattern.split('/');
  if (segments[0] === '') {
    segments.shift();
  } else if ((segments.length === 1 || (segments.length === 2 && segments[1] === '')) && segments[0] !== '**') {
    // One name, no slash before it: it may sit at any depth.
    segments.unshift('**');
  }
  if (segments.length > 1 && segments[segments.length - 1] === '') segments[segments.length - 1] = '**';
  const last = segments.length - 1;
  let out = '^';
  let slash = false;
  segments.forEach((segment, i) => {
    if (segment === '**') {
      if (i === 0 && i === last) out += '.+';
      else if (i === 0) {
        out += '(?:.+/)?';
        slash = false;
      } else if (i === last) out += '/.*';
      else {
        out += '(?:/.+)?';
        slash = true;
      }
      return;
    }
    if (slash) out += '/';
    slash = true;
    if (segment === '*') {
      out += '[^/]+';
      return;
    }
    out += segmentSource(segment);
    // A name (not a lone `*`) also owns everything inside it when it is a folder.
    if (i === last) out += '(?:/.*)?';
  });
  return `${out}$`;
}

function segmentSource(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\' && i + 1 < segment.length) out += escapeRegex(segment[++i]);
    else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += escapeRegex(c);
  }
  return out;
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** A repository path written as a CODEOWNERS pattern that matches exactly it (and what is inside it, were it a folder). */
export function literalPattern(path: string): string {
  // After the leading slash only the wildcards, the escape and a space need a backslash ('#' and '!' count only first).
  return `/${path.replace(/[\\*?[\] ]/g, (c) => `\\${c}`)}`;
}
