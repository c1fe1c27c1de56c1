import * as fs from 'node:fs';
import { Minimatch } from 'minimatch';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import type { Artifact, Located, Surface } from '../core/manifest/model';
import { writeFileAtomic } from './nodeHost';

/**
 * What the release calendar keeps between runs and how it decides what a
 * path is: the blob-fact cache, the manifest's claims on paths, the author's side.
 */

/** A file's text, or nothing when it cannot be read. */
export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** What was read from blobs: located text's hash and line, marker intents, ledger sign-offs. */
export interface CalendarCache {
  version: 1;
  /** `blob|locator key` → [hash, line], or 0 when the locator finds nothing. */
  texts: Record<string, [string, number] | 0>;
  /** `blob|marker key` → each intent named, with the line it is first named on. */
  markers: Record<string, [string, number][]>;
  /** `blob` → sign-offs: [artifact, hash, by, side, at]. */
  ledgers: Record<string, [string, string, string, string, string][]>;
  dirty?: boolean;
}

export function readCache(file: string): CalendarCache {
  try {
    if (fs.statSync(file).size < 64 * 1024 * 1024) {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as CalendarCache;
      if (data && data.version === 1 && data.texts && data.markers && data.ledgers) return data;
    }
  } catch {
    // No cache yet, or one that cannot be read: start again.
  }
  return { version: 1, texts: {}, markers: {}, ledgers: {} };
}

export function writeCache(file: string, cache: CalendarCache): void {
  try {
    const { dirty: _dirty, ...data } = cache;
    writeFileAtomic(file, JSON.stringify(data));
  } catch {
    // A cache that cannot be written costs the next run time, nothing else.
  }
}

/** Which artifacts and surfaces claim a path, by the manifest's patterns (also for paths gone today). */
export class Claims {
  private readonly artifacts: { artifact: Artifact; match: (p: string) => boolean }[];
  private readonly surfaces: { surface: Surface; match: (p: string) => boolean }[];
  private readonly memo = new Map<string, { artifacts: Artifact[]; surfaces: Surface[] }>();

  constructor(index: WorkspaceIndex) {
    this.artifacts = index.manifest.artifacts.map((artifact) => ({ artifact, match: matcher(artifact.files) }));
    this.surfaces = index.manifest.surfaces.map((surface) => ({ surface, match: matcher(surface.files) }));
  }

  of(file: string): { artifacts: Artifact[]; surfaces: Surface[] } {
    let hit = this.memo.get(file);
    if (!hit) {
      hit = { artifacts: this.artifacts.filter((a) => a.match(file)).map((a) => a.artifact), surfaces: this.surfaces.filter((s) => s.match(file)).map((s) => s.surface) };
      this.memo.set(file, hit);
    }
    return hit;
  }
}

function matcher(patterns: readonly Located<string>[]): (p: string) => boolean {
  const literal = new Set<string>();
  const globs: Minimatch[] = [];
  for (const { value } of patterns) {
    const glob = value.replace(/^\.\//, '');
    const mm = new Minimatch(glob, { dot: true });
    if (mm.hasMagic()) globs.push(mm);
    else literal.add(glob);
  }
  return (p) => literal.has(p) || globs.some((g) => g.match(p));
}

/** The side a commit's author is on: their email, their name as a handle, or a GitHub noreply login. */
export function authorSide(index: WorkspaceIndex, name: string, email: string): string | undefined {
  const noreply = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i.exec(email);
  return (index.sideOf(email) ?? (noreply ? index.sideOf(`@${noreply[1]}`) : undefined) ?? (name ? index.sideOf(`@${name}`) ?? index.sideOf(name) : undefined))?.id;
}
