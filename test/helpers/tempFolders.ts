import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Makes fresh temporary folders (real paths, so links in the temp path do
 * not look like escapes) for the suite it is called in, all removed after it.
 * Call it in a `describe` body; a folder may be given a prefix of its own.
 */
export function tempFolders(prefix: string): (own?: string) => string {
  const made: string[] = [];
  after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  return (own = prefix) => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), own)));
    made.push(dir);
    return dir;
  };
}
