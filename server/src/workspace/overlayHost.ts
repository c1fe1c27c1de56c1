import type { FileInfo, Host } from '../core/host';
import { lowerBound, sortedPaths } from '../core/index/fileMatcher';
import { NodeHost, SKIP_DIRS } from '../node/nodeHost';

/** Revisions are unique in the process, so two hosts never hand out the same one. */
let lastRevision = 0;

/**
 * The disk, with open editor buffers on top (open buffers override disk).
 * The folder listing is cached until a file is created or deleted; with
 * `trustEvents` (the client reports every file change) stats are cached too,
 * and each file has a revision that changes when an event or an edit names
 * it, so a rebuild after a keystroke reads only what changed. File contents
 * are never kept: the index's cache goes by revision.
 */
export class OverlayHost implements Host {
  private readonly disk = new NodeHost();
  private readonly open = new Map<string, string>();
  private readonly listings = new Map<string, string[]>();
  private readonly stats = new Map<string, FileInfo | undefined>();
  private readonly revisions = new Map<string, string>();

  constructor(public trustEvents = false) {}

  setOpen(path: string, text: string): void {
    this.open.set(path, text);
    this.revisions.delete(path);
  }

  revision(path: string): string | undefined {
    if (!this.trustEvents) return undefined;
    let revision = this.revisions.get(path);
    if (revision === undefined) {
      revision = String(++lastRevision);
      this.revisions.set(path, revision);
    }
    return revision;
  }

  closeOpen(path: string): void {
    this.open.delete(path);
    this.forgetFile(path);
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  /** A file changed on disk: read it again next time. */
  forgetFile(path: string): void {
    this.stats.delete(path);
    this.revisions.delete(path);
  }

  /** Forget cached listings (and stats and revisions) under or holding `path`: a created, deleted or renamed file or folder. */
  invalidateListing(path?: string): void {
    if (path === undefined) {
      this.listings.clear();
      this.stats.clear();
      this.revisions.clear();
      return;
    }
    const under = (p: string, dir: string): boolean => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
    for (const root of [...this.listings.keys()]) if (under(path, root) || under(root, path)) this.listings.delete(root);
    for (const cache of [this.stats, this.revisions]) for (const p of [...cache.keys()]) if (under(p, path)) cache.delete(p);
  }

  /**
   * A file was created or deleted on disk. A listing that holds it is
   * patched in place (kept sorted), so one new file in a folder of thousands
   * costs no re-listing; a folder, or anything unclear, forgets the listing.
   */
  fileCreatedOrDeleted(path: string, kind: 'created' | 'deleted'): void {
    this.stats.delete(path);
    this.revisions.delete(path);
    const info = kind === 'created' ? this.disk.stat(path) : undefined;
    for (const [root, files] of [...this.listings]) {
      const prefix = root.endsWith('/') ? root : `${root}/`;
      if (!path.startsWith(prefix)) {
        if (root === path || root.startsWith(`${path}/`)) this.listings.delete(root);
        continue;
      }
      const rel = path.slice(prefix.length);
      const at = lowerBound(files, rel);
      const present = files[at] === rel;
      if (kind === 'created' && info?.isFile && !info.realPath && !rel.split('/').some((s) => SKIP_DIRS.has(s))) {
        if (!present) files.splice(at, 0, rel);
      } else if (kind === 'deleted' && present) {
        files.splice(at, 1);
      } else if (kind === 'deleted' && files[at]?.startsWith(`${rel}/`)) {
        // A folder went: everything under it goes.
        let end = at;
        while (end < files.length && files[end].startsWith(`${rel}/`)) end++;
        files.splice(at, end - at);
      } else if (!(kind === 'created' && info === undefined)) {
        this.listings.delete(root);
      }
    }
  }

  listFiles(root: string): string[] {
    let files = this.listings.get(root);
    if (!files) {
      // Sorted once here (the disk's listing usually is already), so patches keep it sorted and a build need not sort it again.
      files = sortedPaths(this.disk.listFiles(root));
      this.listings.set(root, files);
    }
    return files;
  }

  stat(path: string): FileInfo | undefined {
    const text = this.open.get(path);
    const info = this.diskStat(path);
    if (text === undefined) return info;
    return { size: Buffer.byteLength(text), isFile: true, realPath: info?.realPath };
  }

  readText(path: string): string | undefined {
    const open = this.open.get(path);
    if (open !== undefined) return open;
    return this.disk.readText(path);
  }

  private diskStat(path: string): FileInfo | undefined {
    if (!this.trustEvents) return this.disk.stat(path);
    if (this.stats.has(path)) return this.stats.get(path);
    const info = this.disk.stat(path);
    this.stats.set(path, info);
    return info;
  }
}
