import { spawn } from 'node:child_process';
import { forEachBatchObject } from './git';

/** What a git call gave back: its output, or why there is none. */
export type GitResult = { readonly ok: true; readonly out: Buffer } | { readonly ok: false; readonly missing: boolean; readonly error: string };

/**
 * Runs git in `cwd` with `input` on stdin, bounded in time and output. Never
 * throws: a missing git (`missing`) or a failing command is a result.
 */
export function runGit(cwd: string, args: readonly string[], input?: Buffer | string, timeoutMs = 30_000): Promise<GitResult> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('git', ['-c', 'core.quotePath=false', ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } });
    } catch (err) {
      resolve({ ok: false, missing: true, error: (err as Error).message });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let settled = false;
    const done = (r: GitResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill();
      done({ ok: false, missing: false, error: `git ${args[0]} took longer than ${timeoutMs / 1000} s` });
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_OUTPUT) {
        child.kill();
        done({ ok: false, missing: false, error: `git ${args[0]} printed more than ${MAX_OUTPUT / 1024 / 1024} MB` });
        return;
      }
      chunks.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 2000) stderr += b.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, missing: err.code === 'ENOENT', error: err.message }));
    child.on('close', (code) => done(code === 0 ? { ok: true, out: Buffer.concat(chunks) } : { ok: false, missing: false, error: stderr.trim() || `git exited with ${code}` }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

const MAX_OUTPUT = 512 * 1024 * 1024;

export const NO_BLOB = '0000000000000000000000000000000000000000';

/** One file's change in a commit, from `git log --raw`. */
export interface RawChange {
  /** A added, M modified, D deleted, R renamed, C copied, T type changed. */
  readonly status: string;
  readonly oldBlob: string;
  readonly newBlob: string;
  /** Paths relative to the folder git ran in ('/'). For A the old path is the new one; for D the new path is the old one. */
  readonly oldPath: string;
  readonly newPath: string;
}

export interface LoggedCommit {
  readonly id: string;
  readonly short: string;
  /** Committer date, ISO. */
  readonly at: string;
  readonly authorName: string;
  readonly authorEmail: string;
  readonly subject: string;
  readonly changes: readonly RawChange[];
}

/** The `--format` that `parseLog` reads (with `-z --raw`). */
export const LOG_FORMAT = '%x1e%H%x1f%x1f%cI%x1f%an%x1f%ae%x1f%s';

/** Parses `git log -z --raw --no-abbrev --format=LOG_FORMAT`: newest commit first, as git prints. */
export function parseLog(text: string): LoggedCommit[] {
  const out: LoggedCommit[] = [];
  for (const chunk of text.split('\x1e')) {
    if (!chunk) continue;
    const headEnd = chunk.indexOf('\0');
    const head = headEnd < 0 ? chunk : chunk.slice(0, headEnd);
    const [id, , at, authorName, authorEmail, subject] = head.split('\x1f');
    if (!id || !at) continue;
    const changes: RawChange[] = [];
    const tokens = headEnd < 0 ? [] : chunk.slice(headEnd + 1).replace(/^\n/, '').split('\0');
    for (let i = 0; i < tokens.length; i++) {
      const meta = tokens[i];
      if (!meta.startsWith(':')) continue;
      const fields = meta.slice(1).split(' ');
      const status = fields[4]?.charAt(0) ?? 'M';
      const first = tokens[++i] ?? '';
      const second = status === 'R' || status === 'C' ? tokens[++i] ?? first : first;
      changes.push({ status, oldBlob: fields[2] ?? NO_BLOB, newBlob: fields[3] ?? NO_BLOB, oldPath: first, newPath: second });
    }
    out.push({ id, short: id.slice(0, 7), at, authorName: authorName ?? '', authorEmail: authorEmail ?? '', subject: subject ?? '', changes });
  }
  return out;
}

/** Reads many blobs in one `git cat-file --batch`; a blob git does not have is left out. */
export async function readBlobs(cwd: string, ids: readonly string[]): Promise<Map<string, Buffer> | undefined> {
  const blobs = new Map<string, Buffer>();
  if (!ids.length) return blobs;
  const result = await runGit(cwd, ['cat-file', '--batch'], ids.join('\n') + '\n', 120_000);
  if (!result.ok) return undefined;
  forEachBatchObject(result.out, (id, type, body) => {
    if (type === 'blob') blobs.set(id, body);
  });
  return blobs;
}
