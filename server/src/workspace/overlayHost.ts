import type { FileInfo, Host } from '../core/host';
import { NodeHost } from '../node/nodeHost';

/**
 * The disk, with open editor buffers on top (open buffers override disk).
 * The folder listing is cached until a file is created or deleted; with
 * `trustEvents` (the client reports every file change) file contents and
 * stats are cached too, until an event names the file, so a rebuild after a
 * keystroke reads only what changed.
 */
export class OverlayHost implements Host {
  private readonly disk = new NodeHost();
  private readonly open = new Map<string, string>();
  private readonly listings = new Map<string, string[]>();
  private readonly stats = new Map<string, FileInfo | undefined>();
  private readonly texts = new Map<string, string | undefined>();

  constructor(public trustEvents = false) {}

  setOpen(path: string, text: string): void {
    this.open.set(path, text);
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
    this.texts.delete(path);
  }

  /** Forget cached listings (and file contents) under or holding `path`: a created, deleted or renamed file or folder. */
  invalidateListing(path?: string): void {
    if (path === undefined) {
      this.listings.clear();
      this.stats.clear();
      this.texts.clear();
      return;
    }
    const under = (p: string, dir: string): boolean => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
    for (const root of [...this.listings.keys()]) if (under(path, root) || under(root, path)) this.listings.delete(root);
    for (const cache of [this.stats, this.texts]) for (const p of [...cache.keys()]) if (under(p, path)) cache.delete(p);
  }

  listFiles(root: string): string[] {
    let files = this.listings.get(root);
    if (!files) {
      files = this.disk.listFiles(root);
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
    if (!this.trustEvents) return this.disk.readText(path);
    if (this.texts.has(path)) return this.texts.get(path);
    const text = this.disk.readText(path);
    this.texts.set(path, text);
    return text;
  }

  private diskStat(path: string): FileInfo | undefined {
    if (!this.trustEvents) return this.disk.stat(path);
    if (this.stats.has(path)) return this.stats.get(path);
    const info = this.disk.stat(path);
    this.stats.set(path, info);
    return info;
  }
}
