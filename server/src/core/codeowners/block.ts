import { Minimatch } from 'minimatch';
import { FileMatcher } from '../index/fileMatcher';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Artifact, Owner } from '../manifest/model';
import { parseCodeowners, ownersOf } from './parse';
import { compilePattern, literalPattern } from './pattern';
import { githubNames } from './sides';

/**
 * The files of an artifact kept whole (no pointer, symbol, tool or region):
 * what its `files` match now, and for an eval set the case files its config
 * reaches through `file://`, since a change to those is a change to the set.
 */
export function wholeFiles(index: WorkspaceIndex, artifact: Artifact, matcher: FileMatcher): string[] {
  const files = new Set<string>();
  for (const pattern of artifact.files) for (const file of matcher.match(pattern.value)) files.add(file);
  if (artifact.kind === 'eval-set') {
    for (const [file, cases] of index.fileEvalCases) if (cases.some((c) => c.evalSet === artifact.id)) files.add(file);
  }
  return [...files].sort();
}

/** The sides GitHub should ask about an artifact: its owner and its counterpart. */
export function sidesOf(index: WorkspaceIndex, artifact: Artifact): { owner?: Owner; counterpart?: Owner } {
  return { owner: index.owner(artifact.owner.value), counterpart: index.counterpartOf(artifact) };
}

export interface CounterpartBlock {
  /** The folder of the manifest inside the repository ('' at its top); it names the block, so each manifest has its own. */
  readonly key: string;
  /** The block's lines, BEGIN and END included. */
  readonly lines: readonly string[];
  /** Who the block makes GitHub ask, for every file of a whole-file artifact (paths from the repository's top). */
  readonly owners: ReadonlyMap<string, readonly string[]>;
  /** Artifacts that are part of a file (a locator) and so get no rule. */
  readonly located: readonly Artifact[];
  /** Whole-file artifacts that get no rule, and why. */
  readonly skipped: readonly { readonly artifact: Artifact; readonly why: string }[];
}

/** Only the glob features CODEOWNERS and the manifest read alike are copied as globs; anything else is listed file by file. */
const PLAIN_GLOB = /^[A-Za-z0-9._\-/*]+$/;

/**
 * The CODEOWNERS block for a manifest: one rule per whole-file artifact path
 * or glob, naming the owner's and the counterpart's GitHub team or people, so
 * GitHub asks both. `prefix` is the manifest's folder from the repository's
 * top ('' or 'examples/bot/'); `files` the folder's listing (for globs).
 *
 * A manifest glob is written as a CODEOWNERS pattern only when it matches the
 * same files of the folder both ways; a file claimed by several artifacts
 * gets its own rule naming every side. The block is checked against itself:
 * each file's owners, read back with GitHub's rules, are the ones intended.
 */
export function counterpartBlock(index: WorkspaceIndex, prefix: string, files: readonly string[]): CounterpartBlock {
  const matcher = new FileMatcher(files);
  const key = prefix.replace(/\/$/, '');
  const located: Artifact[] = [];
  const skipped: { artifact: Artifact; why: string }[] = [];
  const wanted = new Map<string, string[]>();
  const globRules: string[] = [];
  const fileRules = new Set<string>();
  for (const artifact of index.manifest.artifacts) {
    if (artifact.locator) {
      located.push(artifact);
      continue;
    }
    const { owner, counterpart } = sidesOf(index, artifact);
    if (!owner || !counterpart) {
      skipped.push({ artifact, why: counterpart ? 'its owner is not declared' : 'it has no counterpart' });
      continue;
    }
    const names = unique([...githubNames(owner), ...githubNames(counterpart)]);
    if (!githubNames(counterpart).length) {
      skipped.push({ artifact, why: `${counterpart.title} has no GitHub team or @handle (review.github, lead or members)` });
      continue;
    }
    const mine = wholeFiles(index, artifact, matcher);
    if (!mine.length) continue;
    for (const file of mine) wanted.set(prefix + file, unique([...(wanted.get(prefix + file) ?? []), ...names]));
    const inGlob = new Set<string>();
    for (const written of artifact.files) {
      const glob = written.value.replace(/^\.\//, '');
      const pattern = asCodeownersGlob(glob, prefix, files);
      if (pattern) {
        globRules.push(`${pattern} ${names.join(' ')}`);
        for (const file of matcher.match(glob)) inGlob.add(file);
      }
    }
    for (const file of mine) if (!inGlob.has(file)) fileRules.add(prefix + file);
  }
  const lines = [...unique(globRules)];
  for (const file of [...fileRules].sort()) lines.push(`${literalPattern(file)} ${wanted.get(file)!.join(' ')}`);
  // Globs come first and files after, so a file shared by artifacts (or sides) gets every name; any file the globs
  // still give the wrong names gets a rule of its own at the end.
  const read = parseCodeowners(lines.join('\n'));
  for (const [file, names] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!sameNames(ownersOf(read, file), names)) lines.push(`${literalPattern(file)} ${names.join(' ')}`);
  }
  return { key, lines: [beginLine(key, index.manifestFile, prefix), ...lines, ...locatedNote(index, located, prefix), endLine(key)], owners: wanted, located, skipped };
}

function asCodeownersGlob(glob: string, prefix: string, files: readonly string[]): string | undefined {
  const mm = new Minimatch(glob, { dot: true });
  if (!mm.hasMagic() || !PLAIN_GLOB.test(glob)) return undefined;
  const pattern = `/${prefix}${glob}`;
  const compiled = compilePattern(pattern);
  if (!compiled.ok) return undefined;
  return files.every((file) => mm.match(file) === compiled.test(prefix + file)) ? pattern : undefined;
}

function locatedNote(index: WorkspaceIndex, located: readonly Artifact[], prefix: string): string[] {
  const byFile = new Map<string, string[]>();
  for (const artifact of located) {
    for (const file of index.contents.get(artifact.id)?.files ?? artifact.files.map((f) => f.value)) {
      byFile.set(file, [...(byFile.get(file) ?? []), artifact.id]);
    }
  }
  if (!byFile.size) return [];
  const out = ['# Not here: each of these is a part of its file (a symbol, tool, region or pointer) and CODEOWNERS names whole files; see README, "CODEOWNERS".'];
  for (const [file, ids] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) out.push(`#   ${prefix}${file}: ${ids.join(', ')}`);
  return out;
}

const BEGIN = '# BEGIN counterpart';
const END = '# END counterpart';

function beginLine(key: string, manifestFile: string, prefix: string): string {
  return `${BEGIN}${key ? ` ${key}` : ''} (generated by 'counterpart codeowners --write'; edit ${prefix}${manifestFile} instead)`;
}

function endLine(key: string): string {
  return `${END}${key ? ` ${key}` : ''}`;
}

/** The block's key when `line` begins or ends a Counterpart block. */
function markerKey(line: string, marker: string): string | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith(marker)) return undefined;
  const rest = trimmed.slice(marker.length);
  if (rest !== '' && !/^\s/.test(rest)) return undefined;
  const m = /^\s*([^\s(]*)/.exec(rest);
  return m ? m[1] : '';
}

export type BlockEdit = { readonly ok: true; readonly text: string; readonly replaced: boolean } | { readonly ok: false; readonly problem: string };

/**
 * `text` with its Counterpart block for `key` replaced by `lines`, or the
 * block added at the end (where last-match-wins gives it the final word).
 * Everything outside the block is kept byte for byte, line endings included.
 * Refused, changing nothing, when the markers are unclear.
 */
export function replaceBlock(text: string, key: string, lines: readonly string[], fileName = 'CODEOWNERS'): BlockEdit {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const parts = text.split(/(\r\n|\r|\n)/);
  // parts alternates line, separator, line, …
  let begin = -1;
  let end = -1;
  for (let i = 0; i < parts.length; i += 2) {
    if (markerKey(parts[i], BEGIN) === key) {
      if (begin >= 0 && end < 0) return { ok: false, problem: `${fileName} has two '${BEGIN}${key ? ` ${key}` : ''}' lines (${i / 2 + 1} and ${begin / 2 + 1}) without an end between them, so Counterpart cannot tell where its block is and wrote nothing. Remove one of them.` };
      if (begin >= 0) return { ok: false, problem: `${fileName} has the Counterpart block twice (lines ${begin / 2 + 1} and ${i / 2 + 1}), so Counterpart cannot tell which to update and wrote nothing. Remove one of them.` };
      begin = i;
    } else if (markerKey(parts[i], END) === key) {
      if (begin < 0) return { ok: false, problem: `${fileName} has '${END}${key ? ` ${key}` : ''}' on line ${i / 2 + 1} with no BEGIN line before it, so Counterpart wrote nothing. Remove that line or add the BEGIN line above the block.` };
      if (end < 0) end = i;
    }
  }
  if (begin >= 0 && end < 0) return { ok: false, problem: `${fileName} has '${BEGIN}${key ? ` ${key}` : ''}' on line ${begin / 2 + 1} but no '${END}' after it, so Counterpart cannot tell where its block ends and wrote nothing. Add the END line or remove the BEGIN line.` };
  if (begin >= 0) {
    const before = parts.slice(0, begin).join('');
    const after = parts.slice(end + 1).join('');
    return { ok: true, text: before + lines.join(eol) + after, replaced: true };
  }
  const body = text.replace(/^\uFEFF/, '');
  const lead = body === '' ? text : /(\r\n|\r|\n)$/.test(text) ? `${text}${eol}` : `${text}${eol}${eol}`;
  return { ok: true, text: `${lead}${lines.join(eol)}${eol}`, replaced: false };
}

/** The block for `key` as it is in `text` (its lines), if there is one. */
export function existingBlock(text: string, key: string): string[] | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const begin = lines.findIndex((l) => markerKey(l, BEGIN) === key);
  if (begin < 0) return undefined;
  const end = lines.findIndex((l, i) => i > begin && markerKey(l, END) === key);
  return end < 0 ? undefined : lines.slice(begin, end + 1);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((n) => n.toLowerCase()));
  return x.size === new Set(b.map((n) => n.toLowerCase())).size && b.every((n) => x.has(n.toLowerCase()));
}

function unique(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => (seen.has(n.toLowerCase()) ? false : (seen.add(n.toLowerCase()), true)));
}
