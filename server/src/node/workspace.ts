import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildIndexLoaded, IndexCache, type IndexOptions, type WorkspaceIndex } from '../core/index/workspaceIndex';
import { DEFAULT_MANIFEST } from '../core/manifest/model';
import type { Host } from '../core/host';
import { NodeHost, toPosix } from './nodeHost';
import { prefetchEvals } from './prefetch';

/** Real path with forward slashes, so links in the folder's own path do not look like escapes. */
export function realFolder(folder: string): string | undefined {
  try {
    const real = fs.realpathSync(path.resolve(folder));
    return fs.statSync(real).isDirectory() ? toPosix(real) : undefined;
  } catch {
    return undefined;
  }
}

/** The nearest folder at or above `start` that holds a manifest. */
export function findManifestFolder(start: string, manifestPath = DEFAULT_MANIFEST): string | undefined {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    if (fs.existsSync(path.join(dir, manifestPath))) return realFolder(dir);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Builds a folder's index, its eval files parsed ahead in child processes when there are enough of them. */
export async function loadIndex(root: string, options: IndexOptions = {}, host: Host = new NodeHost(), cache = new IndexCache()): Promise<WorkspaceIndex | undefined> {
  await prefetchEvals(root, host, options, cache);
  return buildIndexLoaded(root, host, options, cache);
}
