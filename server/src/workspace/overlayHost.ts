import type { FileInfo, Host } from '../core/host';
import { NodeHost } from '../node/nodeHost';

/**
 * The disk, with open editor buffers on top (open buffers override disk) and
 * the folder listing cached until a file is created or deleted.
 */
export class OverlayHost implements Host {
  private readonly disk = new NodeHost();
  private readonly open = new Map<string, string>();
  private readonly listings = new Map<string, string[]>();

  setOpen(path: string, text: string): void {
    this.open.set(path, text);
  }

  closeOpen(path: string): void {
    this.open.delete(path);
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  /** Forget cached listings that hold `path` (a created, deleted or renamed file or folder). */
  invalidateListing(path?: string): void {
    if (path === undefined) {
      this.listings.clear();
      return;
    }
    for (const root of [...this.listings.keys()]) if (path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`) || root.startsWith(`${path}/`)) this.listings.delete(root);
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
    const info = this.disk.stat(path);
    if (text === undefined) return info;
    return { size: Buffer.byteLength(text), isFile: true, realPath: info?.realPath };
  }

  readText(path: string): string | undefined {
    return this.open.get(path) ?? this.disk.readText(path);
  }
}
