import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';

export interface LockOptions {
  /** How long to wait for another writer before giving up (ms). */
  readonly waitMs?: number;
  /** A lock older than this is left over from a writer that died (ms); writers hold it for milliseconds. */
  readonly staleMs?: number;
}

const DEFAULT_WAIT_MS = 10_000;
const DEFAULT_STALE_MS = 5_000;
/**
 * A lock file still empty after this long belongs to a writer killed between
 * creating it and writing its name into it (a few microseconds apart).
 */
const EMPTY_STALE_MS = 1_000;

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

export type Locked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly busy: true };

/**
 * Runs `work` while holding `lockPath`, a file created exclusively
 * (`open(…, 'wx')`): one writer at a time, across processes. A lock whose
 * writer is gone (its process is not alive, or the lock is older than
 * `staleMs`) is taken over. Waits at most `waitMs`, sleeping briefly between
 * tries; then answers busy. Synchronous, like the rest of the writes.
 */
export function withFileLock<T>(lockPath: string, work: () => T, options: LockOptions = {}): Locked<T> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const me: Holder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + waitMs;
  for (let pause = 2; !tryCreate(lockPath, me); pause = Math.min(pause * 2, 100)) {
    if (Date.now() >= deadline) return { ok: false, busy: true };
    if (!breakIfStale(lockPath, staleMs)) sleep(pause + Math.random() * pause);
  }
  try {
    return { ok: true, value: work() };
  } finally {
    release(lockPath, me);
  }
}

function tryCreate(lockPath: string, me: Holder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.writeSync(fd, JSON.stringify(me));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** Removes the lock only if it is still this writer's: a lock taken over as stale belongs to someone else now. */
function release(lockPath: string, me: Holder): void {
  if (readHolder(lockPath)?.holder?.token === me.token) fs.rmSync(lockPath, { force: true });
}

function readHolder(lockPath: string): { holder?: Holder; stat: fs.Stats } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    const text = fs.readFileSync(fd, 'utf8');
    try {
      const h = JSON.parse(text) as Partial<Holder>;
      const holder = typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.token === 'string' ? (h as Holder) : undefined;
      return { holder, stat };
    } catch {
      return { stat };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** True when the lock is gone or was stale and has been removed: try again at once. */
function breakIfStale(lockPath: string, staleMs: number): boolean {
  const seen = readHolder(lockPath);
  if (!seen) return true;
  const age = Date.now() - seen.stat.mtimeMs;
  const dead = seen.holder !== undefined && seen.holder.host === hostname() && !isAlive(seen.holder.pid);
  if (!dead && age <= staleMs && (seen.holder || age <= EMPTY_STALE_MS)) return false;
  // Move it aside before deleting, so a lock another writer took meanwhile is never deleted by mistake.
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return true;
  }
  try {
    const moved = fs.statSync(aside);
    if (moved.ino !== seen.stat.ino || moved.mtimeMs !== seen.stat.mtimeMs) {
      // Not the stale lock: put the live one back, unless a new one is already there.
      try {
        fs.linkSync(aside, lockPath);
      } catch {
        // A writer holds a newer lock; the old holder finds its lock gone and does not delete the new one.
      }
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
  return true;
}

/** Whether a process of this machine is running (EPERM: it runs, as another user). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Removes what writers killed mid-write left next to `target`: temporary
 * files of `writeFileAtomic` (`.<name>.<pid>.<time>.tmp`) and locks moved
 * aside (`<name>.lock.<pid>.<random>.stale`) whose process is gone, or that
 * are older than `staleMs`. Call it while holding the target's lock.
 */
export function removeLeftovers(target: string, staleMs = DEFAULT_STALE_MS): void {
  const dir = path.dirname(target);
  const name = path.basename(target);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const temp = new RegExp(`^\\.${escaped}\\.(\\d+)\\.\\d+\\.tmp$`);
  const aside = new RegExp(`^${escaped}\\.lock\\.(\\d+)\\.[0-9a-f]+\\.stale$`);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = temp.exec(entry) ?? aside.exec(entry);
    if (!m) continue;
    const file = path.join(dir, entry);
    const pid = Number(m[1]);
    let old = false;
    try {
      old = Date.now() - fs.lstatSync(file).mtimeMs > staleMs;
    } catch {
      continue;
    }
    // This process writes one file at a time, so its own leftovers are from a failed write too.
    if (pid === process.pid || !isAlive(pid) || old) fs.rmSync(file, { force: true });
  }
}
