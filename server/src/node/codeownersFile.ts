import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODEOWNERS_LOCATIONS, CODEOWNERS_MAX_SIZE } from '../core/codeowners/parse';
import { realTarget } from './folderPaths';
import { describeFsError } from './fsErrors';
import type { Git } from './git';
import { toPosix, writeFileAtomic } from './nodeHost';

/** The repository a manifest's folder is in, and the folder's path from its top ('' or 'sub/dir/'). */
export interface Repository {
  readonly top: string;
  readonly prefix: string;
}

/** The git repository holding `root` (real paths); `root` itself when it is in none or git is missing. */
export function repositoryOf(root: string, git: Git): Repository {
  const top = git.topLevel();
  if (!top) return { top: root, prefix: '' };
  let real: string;
  try {
    real = toPosix(fs.realpathSync(top));
  } catch {
    return { top: root, prefix: '' };
  }
  const rel = toPosix(path.relative(real, root));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { top: root, prefix: '' };
  return { top: real, prefix: rel ? `${rel}/` : '' };
}

/** The CODEOWNERS file GitHub uses (relative to the repository's top), if there is one. */
export function findCodeowners(top: string): string | undefined {
  return CODEOWNERS_LOCATIONS.find((rel) => {
    try {
      return fs.statSync(path.join(top, rel)).isFile();
    } catch {
      return false;
    }
  });
}

/** CODEOWNERS files GitHub does not read because `used` comes first. */
export function ignoredCodeowners(top: string, used: string): string[] {
  return CODEOWNERS_LOCATIONS.filter((rel) => rel !== used).filter((rel) => {
    try {
      return fs.statSync(path.join(top, rel)).isFile();
    } catch {
      return false;
    }
  });
}

export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string };

/** A CODEOWNERS file's text, or one sentence saying why it cannot be used. */
export function readCodeowners(top: string, rel: string): ReadResult {
  const file = path.join(top, rel);
  try {
    if (fs.statSync(file).size > CODEOWNERS_MAX_SIZE) return { ok: false, problem: `${rel} is over 3 MB, which GitHub ignores, so Counterpart did not read it.` };
    const bytes = fs.readFileSync(file);
    if (bytes.includes(0)) return { ok: false, problem: `${rel} is not a text file, so Counterpart did not read it.` };
    return { ok: true, text: bytes.toString('utf8') };
  } catch (err) {
    return { ok: false, problem: `Counterpart could not read ${rel} (${describeFsError(err)}).` };
  }
}

/** Writes CODEOWNERS atomically, never through a link that leads out of the repository. */
export function writeCodeowners(top: string, rel: string, text: string): { ok: true } | { ok: false; problem: string } {
  const target = realTarget(top, rel, 'The CODEOWNERS file');
  if (!target.ok) return target;
  try {
    writeFileAtomic(target.path, text);
    return { ok: true };
  } catch (err) {
    return { ok: false, problem: `Counterpart could not write ${rel} (${describeFsError(err)}), so it is unchanged.` };
  }
}
