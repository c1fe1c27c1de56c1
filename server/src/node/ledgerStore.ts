import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { EMPTY_LEDGER, LEDGER_MAX_SIZE, parseLedger, serializeLedger, type Ledger } from '../core/ledger/ledger';
import { ledgerPathProblem } from '../core/ledger/target';
import { withFileLock, removeLeftovers, type LockOptions } from './fileLock';
import { realTarget } from './folderPaths';
import { describeFsError } from './fsErrors';
import { writeFileAtomic } from './nodeHost';

/** What a change to the ledger decides, from the ledger as it is on disk now. */
export type LedgerChange<T> = ({ readonly ok: true; readonly ledger: Ledger } & T) | { readonly ok: false; readonly problem: string; readonly canForce?: boolean };

export type LedgerWritten<T> = ({ readonly ok: true; readonly ledger: Ledger; /** Where it was written, every link resolved. */ readonly ledgerPath: string } & T) | { readonly ok: false; readonly problem: string; readonly canForce?: boolean };

/**
 * Changes the review ledger of `index`'s folder without losing anyone else's
 * sign-off: under a lock file next to the ledger, it reads the ledger again as
 * it is on disk now, lets `change` (pure, e.g. `signReview`) decide, and writes
 * the result atomically. The CLI and the language server both write through
 * here, so a terminal and the editor can sign at once.
 *
 * Refused before anything is written: a ledger path that leads out of the
 * folder through a link, that is not a .json file, that names a file the
 * manifest gives another job, or a file that is there but is not a ledger.
 */
export function updateLedger<T>(index: WorkspaceIndex, change: (current: Ledger) => LedgerChange<T>, options: LockOptions = {}): LedgerWritten<T> {
  const file = index.ledgerFile;
  const target = realTarget(index.root, file, 'The review ledger');
  if (!target.ok) return target;
  const problem = ledgerPathProblem(index, [file, target.rel], true);
  if (problem) return { ok: false, problem };
  let locked;
  try {
    // The ledger's folder (every link on its path resolved above) holds the lock too.
    fs.mkdirSync(path.dirname(target.path), { recursive: true });
    locked = withFileLock(`${target.path}.lock`, (): LedgerWritten<T> => {
      removeLeftovers(target.path);
      const text = readIfThere(target.path);
      if (typeof text === 'object') return text;
      const current = text === undefined ? EMPTY_LEDGER : parseLedger(text, file).ledger;
      const result = change(current);
      if (!result.ok) return result;
      writeFileAtomic(target.path, serializeLedger(result.ledger));
      return { ...result, ledgerPath: target.path };
    }, options);
  } catch (err) {
    return { ok: false, problem: `Counterpart could not write ${file} (${describeFsError(err)}), so nothing was recorded.` };
  }
  if (!locked.ok) {
    return { ok: false, problem: `Someone else is recording a review in ${file} right now, so this one was not recorded. Try again in a moment; if it keeps happening, delete ${file}.lock.` };
  }
  return locked.value;
}

/** The ledger's text; `undefined` when there is none yet; a problem when it cannot be read. */
function readIfThere(file: string): string | undefined | { ok: false; problem: string } {
  try {
    if (fs.statSync(file).size > LEDGER_MAX_SIZE) {
      return { ok: false, problem: `The review ledger is over ${LEDGER_MAX_SIZE / 1024 / 1024} MB, more than Counterpart reads, so nothing was recorded. Restore it from version control.` };
    }
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { ok: false, problem: `Counterpart could not read the review ledger (${describeFsError(err)}), so nothing was recorded.` };
  }
}
