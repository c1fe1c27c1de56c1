import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileInfo, Host } from '../core/host';

/** Folders a listing never enters. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules', '.vscode-test']);

/** Forward slashes everywhere, so core paths look the same on every platform. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The real file system, read synchronously (the core is synchronous). */
export class NodeHost implements Host {
  /**
   * Every file under `root`, in code-unit order of the whole path. Each folder's
   * entries are sorted with a folder's name read as `name/`, so walking them
   * depth first gives that order: sorting a handful of names per folder is far
   * cheaper than sorting a monorepo's paths at the end (the bench shows both).
   */
  listFiles(root: string): string[] {
    const out: string[] = [];
    const walk = (dir: string, rel: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      const keyed = entries.map((e) => ({ e, key: e.isDirectory() ? `${e.name}/` : e.name }));
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const { e } of keyed) {
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name), childRel);
        } else if (e.isFile() || e.isSymbolicLink()) {
          // Links are listed, never followed into folders: the index decides whether to read them.
          out.push(childRel);
        }
      }
    };
    walk(root, '');
    return out;
  }

  stat(p: string): FileInfo | undefined {
    try {
      const l = fs.lstatSync(p);
      if (l.isSymbolicLink()) {
        const real = fs.realpathSync(p);
        const s = fs.statSync(real);
        return { size: s.size, isFile: s.isFile(), realPath: toPosix(real) };
      }
      return { size: l.size, isFile: l.isFile() };
    } catch {
      return undefined;
    }
  }

  readText(p: string): string | undefined {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  }
}

/**
 * Writes a file so that a crash never leaves it half written: the text goes to
 * a temporary file in the same folder, is flushed, then renamed over the target.
 * A failed write removes its temporary file; one left by a killed process is
 * named `.<name>.<pid>.<time>.tmp`, for the next writer to clean up.
 */
export function writeFileAtomic(target: string, text: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'w');
  try {
    try {
      fs.writeFileSync(fd, text, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}
