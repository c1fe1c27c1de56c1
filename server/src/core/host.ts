/** What the core needs to know about one path, without following it blindly. */
export interface FileInfo {
  readonly size: number;
  readonly isFile: boolean;
  /** Set for symbolic links: where the link really points (absolute). */
  readonly realPath?: string;
}

/**
 * The core's only way to the disk. The CLI passes the real file system, the
 * language server overlays open buffers, tests pass memory.
 * Paths are absolute, with forward slashes.
 */
export interface Host {
  /** Every file under `root` (relative, forward slashes), without .git and node_modules. */
  listFiles(root: string): string[];
  stat(path: string): FileInfo | undefined;
  readText(path: string): string | undefined;
  /** True when the file is open in an editor (its text may be mid-edit). */
  isOpen?(path: string): boolean;
  /**
   * A short token that changes whenever the file's text may have changed
   * (a host told of every change can say so without reading the file).
   * Undefined when the host cannot tell: the text itself is compared then.
   */
  revision?(path: string): string | undefined;
}

/** Joins a folder and a relative posix path. */
export function joinPath(root: string, relative: string): string {
  return root.endsWith('/') ? root + relative : `${root}/${relative}`;
}
