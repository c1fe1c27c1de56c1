import { execFileSync } from 'node:child_process';

/**
 * The few git questions Counterpart asks. Every call is bounded in time and
 * answers `undefined` when git is missing, the folder is not a repository, or
 * the caller is not allowed to run it (restricted workspaces never call these).
 */
export class Git {
  constructor(private readonly cwd: string) {}

  private run(args: string[], timeout = 5000): string | undefined {
    try {
      return execFileSync('git', args, { cwd: this.cwd, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') this.missing = true;
      return undefined;
    }
  }

  /** Set once a call found no git program to run. */
  missing = false;

  /** Whether git runs and the folder is in a work tree. */
  inWorkTree(): boolean {
    return this.run(['rev-parse', '--is-inside-work-tree'])?.trim() === 'true';
  }

  /** Whether this clone was made with --depth (GitHub's checkout does so by default). */
  isShallow(): boolean {
    return this.run(['rev-parse', '--is-shallow-repository'])?.trim() === 'true';
  }

  /** The full commit a name stands for, when this clone holds it. Never fetches. */
  commitOf(rev: string): string | undefined {
    if (rev.startsWith('-')) return undefined;
    return this.run(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])?.trim() || undefined;
  }

  /** The remote's default branch (origin/HEAD), else the first of origin/main, origin/master, main, master that exists. */
  defaultBranch(): string | undefined {
    const remote = this.run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])?.trim();
    if (remote && this.commitOf(remote)) return remote;
    return ['origin/main', 'origin/master', 'main', 'master'].find((b) => this.commitOf(b) !== undefined);
  }

  mergeBase(a: string, b: string): string | undefined {
    return this.run(['merge-base', a, b], 30000)?.trim() || undefined;
  }

  /** The files under this folder at a commit, paths relative to it: blobs only (links and submodules left out). */
  listTree(commit: string): { path: string; oid: string; size: number }[] | undefined {
    const out = this.run(['ls-tree', '-r', '-l', '-z', commit, '--', '.'], 30000);
    if (out === undefined) return undefined;
    const files: { path: string; oid: string; size: number }[] = [];
    for (const entry of out.split('\0')) {
      const m = /^(\d+) blob ([0-9a-f]+)\s+(\d+)\t(.*)$/s.exec(entry);
      if (m && m[1] !== '120000') files.push({ path: m[4], oid: m[2], size: Number(m[3]) });
    }
    return files;
  }

  /** Many blobs' texts in one git call (`cat-file --batch`), by object id; those git cannot give are left out. */
  blobs(oids: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    const wanted = oids.filter((o) => /^[0-9a-f]{4,64}$/.test(o));
    if (!wanted.length) return out;
    let buf: Buffer;
    try {
      buf = execFileSync('git', ['cat-file', '--batch'], { cwd: this.cwd, input: wanted.join('\n') + '\n', timeout: 60000, stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 1024 * 1024 * 1024 });
    } catch {
      return out;
    }
    forEachBatchObject(buf, (id, _type, body) => out.set(id, body.toString('utf8')));
    return out;
  }

  /** A blob's text. */
  blob(oid: string): string | undefined {
    if (!/^[0-9a-f]{4,64}$/.test(oid)) return undefined;
    return this.run(['cat-file', 'blob', oid]);
  }

  /**
   * What differs between a commit and the working tree under this folder:
   * changed paths (now, relative to the folder; deleted ones at base) and
   * renames (path now → path at base). Untracked files count as added.
   */
  changesSince(commit: string): { changed: Set<string>; renamed: Map<string, string> } | undefined {
    const out = this.run(['diff', '--name-status', '-M', '-z', '--relative', '--no-ext-diff', commit, '--', '.'], 30000);
    if (out === undefined) return undefined;
    const changed = new Set<string>();
    const renamed = new Map<string, string>();
    const fields = out.split('\0');
    for (let i = 0; i < fields.length - 1;) {
      const status = fields[i++];
      if (status.startsWith('R') || status.startsWith('C')) {
        const from = fields[i++];
        const to = fields[i++];
        if (status.startsWith('R')) renamed.set(to, from);
        changed.add(to);
      } else {
        changed.add(fields[i++]);
      }
    }
    for (const file of this.run(['ls-files', '--others', '--exclude-standard', '-z', '--', '.'], 30000)?.split('\0') ?? []) if (file) changed.add(file);
    return { changed, renamed };
  }

  userEmail(): string | undefined {
    return this.run(['config', 'user.email'])?.trim() || undefined;
  }

  /** The repository's top folder, absolute, with forward slashes (as git prints it). */
  topLevel(): string | undefined {
    return this.run(['rev-parse', '--show-toplevel'])?.trim() || undefined;
  }

  headCommit(): string | undefined {
    return this.run(['rev-parse', '--short', 'HEAD'])?.trim() || undefined;
  }

  /** A file as it was at `commit`; `path` relative to the repository folder given. */
  show(commit: string, path: string): string | undefined {
    if (!/^[0-9a-fA-F]{4,40}$/.test(commit)) return undefined;
    return this.run(['show', `${commit}:./${path}`]);
  }

  /** The origin remote's URL as configured. */
  originUrl(): string | undefined {
    return this.run(['remote', 'get-url', 'origin'])?.trim() || undefined;
  }

  /** The branch checked out; `undefined` when detached. */
  currentBranch(): string | undefined {
    const branch = this.run(['symbolic-ref', '--quiet', '--short', 'HEAD'])?.trim();
    return branch || undefined;
  }

  /** The GitHub "owner/repo" of the origin remote, when it is on GitHub. */
  githubRepository(): string | undefined {
    const url = this.run(['remote', 'get-url', 'origin'])?.trim();
    const m = url && /github\.com[:/]([^/]+\/[^/]+?)(?:\.git)?$/.exec(url);
    return m ? m[1] : undefined;
  }
}

/**
 * Walks the output of `git cat-file --batch`: a header line per object
 * ("<id> <type> <size>", or "<id> missing") followed by its bytes.
 */
export function forEachBatchObject(buf: Buffer, each: (id: string, type: string, body: Buffer) => void): void {
  let at = 0;
  while (at < buf.length) {
    const eol = buf.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = buf.toString('utf8', at, eol).split(' ');
    at = eol + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    each(header[0], header[1], buf.subarray(at, at + size));
    at += size + 1;
  }
}
