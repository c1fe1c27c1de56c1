import { minimatch } from 'minimatch';
import type { Host } from '../host';
import { IndexBuilder } from './builder';
import type { Marker } from './scan';
import { buildIndex, type IndexCache, type IndexOptions, type WorkspaceIndex } from './workspaceIndex';

/** Past this many changed files at once, reading everything again is as quick as patching. */
const MAX_PATCHED_FILES = 50;

/** What an update did: `patched` names what changed when the last index was patched in place. */
export interface IndexUpdate {
  readonly index: WorkspaceIndex | undefined;
  readonly patched?: IndexPatch;
}

/** The UI files patched and the intents whose marker lists were replaced. */
export interface IndexPatch {
  readonly files: ReadonlySet<string>;
  readonly intents: ReadonlySet<string>;
}

/**
 * A folder's index, kept up to date edit by edit. A change to UI files only
 * (the commonest keystroke) patches the last index in place: the file's old
 * markers are taken out of every list they are in and its new ones put where
 * a fresh build would put them, and every intent whose markers changed gets a
 * new list, so the findings engine recomputes that intent and nothing else.
 * Any other change (the manifest, the ledger, an artifact's file, an eval
 * file, a file created or deleted) builds the index again from the warm
 * cache. Either way the index is the one a fresh build gives; the unit tests
 * check that against random edit sequences.
 */
export class IndexUpdater {
  private current: WorkspaceIndex | undefined;
  /** Each UI file's place in the order a build reads them, for putting markers back in that order. */
  private order: Map<string, number> | undefined;
  private patcher: { readonly index: WorkspaceIndex; readonly builder: IndexBuilder } | undefined;

  constructor(
    readonly root: string,
    private readonly options: IndexOptions,
    private readonly cache: IndexCache,
  ) {}

  get index(): WorkspaceIndex | undefined {
    return this.current;
  }

  /**
   * Brings the index up to date. `changed` names the files (relative to the
   * folder) whose text changed since the last update, when nothing else
   * did (no file created or deleted, no setting changed); leave it out when
   * that is not known.
   */
  update(host: Host, changed?: ReadonlySet<string>): IndexUpdate {
    const index = this.current;
    if (index && changed && this.canPatch(index, changed)) {
      const intents = new Set<string>();
      for (const file of changed) this.patchUiFile(index, host, file, intents);
      return { index, patched: { files: changed, intents } };
    }
    this.order = undefined;
    this.current = buildIndex(this.root, host, this.options, this.cache);
    return { index: this.current };
  }

  private canPatch(index: WorkspaceIndex, changed: ReadonlySet<string>): boolean {
    if (changed.size === 0 || changed.size > MAX_PATCHED_FILES) return false;
    if (index.staleManifest !== undefined || index.pendingGrammars.size) return false;
    for (const file of changed) {
      const uiOnly = index.fileSurfaces.has(file) && !index.artifactFiles.has(file) && !index.referencedEvalFiles.has(file)
        && !index.ledgerFiles.has(file) && file !== index.manifestFile;
      if (!uiOnly) return false;
    }
    return true;
  }

  private patchUiFile(index: WorkspaceIndex, host: Host, file: string, touched: Set<string>): void {
    // What reading the file reported goes; reading it again reports anew.
    index.problems = index.problems.filter((p) => p.file !== file);
    const builder = new IndexBuilder(index, host, this.options, this.cache);
    // The markers compiled and the intent names worked out for the last patch of this index serve this one.
    if (this.patcher?.index === index) builder.adopt(this.patcher.builder);
    this.patcher = { index, builder };
    const found = builder.surfaceMarkers(file, index.fileSurfaces.get(file) ?? []);
    const old = index.fileMarkers.get(file) ?? [];
    if (!old.length && !found.length) return;
    const order = this.orderOf(index);
    const rank = order.get(file) ?? 0;
    const at = runOf(index.markers, file, rank, order);
    index.markers.splice(at.start, at.end - at.start, ...found);
    if (found.length) index.fileMarkers.set(file, found);
    else index.fileMarkers.delete(file);
    const intents = new Set([...old, ...found].map((m) => m.intent));
    for (const intent of intents) {
      touched.add(intent);
      const list = index.intentMarkers.get(intent) ?? [];
      const run = runOf(list, file, rank, order);
      const next = [...list.slice(0, run.start), ...found.filter((m) => m.intent === intent), ...list.slice(run.end)];
      if (next.length) index.intentMarkers.set(intent, next);
      else index.intentMarkers.delete(intent);
    }
  }

  private orderOf(index: WorkspaceIndex): Map<string, number> {
    if (!this.order) {
      this.order = new Map();
      let i = 0;
      for (const file of index.fileSurfaces.keys()) this.order.set(file, i++);
    }
    return this.order;
  }
}

/** Where a file's markers are in a list kept in reading order: where they would go when it has none. */
function runOf(list: readonly Marker[], file: string, rank: number, order: ReadonlyMap<string, number>): { start: number; end: number } {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((order.get(list[mid].file) ?? 0) < rank) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && list[end].file === file) end++;
  return { start: lo, end };
}


/**
 * Whether a file created or deleted at `rel` can change what the index says:
 * one it read or that a manifest glob names, anything under a folder it read
 * from, or a data file (an eval config may reach case files by globs of its
 * own). Any other file (build output, a new component no surface names) is
 * left alone: a fresh build would give the same index.
 */
export function listingChangeMatters(index: WorkspaceIndex | undefined, rel: string, isFolder: boolean | undefined): boolean {
  if (!index || isFolder !== false) return true;
  if (rel === index.manifestFile || index.watched.has(rel) || index.ledgerFiles.has(rel)) return true;
  if (/\.(ya?ml|jsonl?|json5?|csv)$/i.test(rel)) return true;
  const patterns = [...index.manifest.artifacts.flatMap((a) => a.files), ...index.manifest.surfaces.flatMap((s) => s.files)];
  return patterns.some((p) => minimatch(rel, p.value.replace(/^\.\//, ''), { dot: true }));
}
