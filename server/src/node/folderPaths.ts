import * as fs from 'node:fs';
import * as path from 'node:path';
import { brokenLinkMessage, outsideFolderMessage } from '../core/ledger/target';
import { toPosix } from './nodeHost';

export type RealTarget =
  | { readonly ok: true; /** Absolute, every link resolved. */ readonly path: string; /** Relative to the real folder, forward slashes. */ readonly rel: string }
  | { readonly ok: false; readonly problem: string };

/** How many links one path may go through before Counterpart gives up (as the OS does, with ELOOP). */
const MAX_LINKS = 40;

/**
 * Where a write to `rel` under `root` really lands, with every link on the
 * way resolved (folders and the file itself), before anything is written.
 * Refused, with one sentence naming `what`, when that place is outside the
 * folder or behind a link that leads nowhere. Parts that do not exist yet are
 * created later as real folders, under the last real one.
 */
export function realTarget(root: string, rel: string, what: string): RealTarget {
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    return { ok: false, problem: `${root} is not a folder Counterpart can write in.` };
  }
  const shown = toPosix(rel);
  const pending = rel.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  let current = realRoot;
  let links = 0;
  while (pending.length) {
    const part = pending.shift()!;
    const next = part === '..' ? path.dirname(current) : path.join(current, part);
    let info: fs.Stats | undefined;
    try {
      info = fs.lstatSync(next);
    } catch {
      info = undefined;
    }
    if (info?.isSymbolicLink()) {
      if (++links > MAX_LINKS) return { ok: false, problem: brokenLinkMessage(what, shown, toPosix(path.relative(realRoot, next))) };
      const to = path.resolve(current, fs.readlinkSync(next));
      if (!isInside(to, realRoot)) return { ok: false, problem: outsideFolderMessage(what, shown, toPosix(path.join(to, ...pending))) };
      let exists = true;
      try {
        fs.statSync(to);
      } catch {
        exists = false;
      }
      if (!exists) return { ok: false, problem: brokenLinkMessage(what, shown, toPosix(path.relative(realRoot, next))) };
      // Follow the link one step at a time: its own target may go through further links.
      pending.unshift(...path.relative(current, to).split(path.sep).filter((p) => p !== '' && p !== '.'));
      continue;
    }
    current = next;
    if (!isInside(current, realRoot)) return { ok: false, problem: outsideFolderMessage(what, shown, toPosix(current)) };
  }
  return { ok: true, path: current, rel: toPosix(path.relative(realRoot, current)) };
}

function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
