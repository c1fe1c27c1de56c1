import { minimatch } from 'minimatch';
import type { Host } from '../host';
import type { Artifact } from '../manifest/model';
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

/** The files patched, the intents whose marker lists were replaced and the artifacts read again. */
export interface IndexPatch {
  readonly files: ReadonlySet<string>;
  readonly intents: ReadonlySet<string>;
  readonly artifacts: ReadonlySet<string>;
}

/**
 * A folder's index, kept up to date edit by edit. Three kinds of change patch
 * the last index in place. A UI file's: its old markers are taken out of
 * every list they are in and its new ones put where a fresh build would put
 * them, and every intent whose markers changed gets a new list. A prompt's or
 * tool's file that only its own side's artifacts read: those artifacts are
 * read again. An eval set's or help copy's files that nothing else reads:
 * its cases or mentions are read again and put back in their place. The
 * findings engine then recomputes what the patch touched and nothing else.
 * Any other change (the manifest, the ledger, a file created or deleted, an
 * eval config that reaches other files) builds the index again from the
 * warm cache. Either way the index is the one a fresh build gives; the unit tests
 * check that against random edit sequences.
 */
export class IndexUpdater {
  private current: WorkspaceIndex | undefined;
  /** Each UI file's place in the order a build reads them, for putting markers back in that order. */
  private order: Map<string, number> | undefined;
  private patcher: { readonly index: WorkspaceIndex; readonly builder: IndexBuilder } | undefined;

  constructor(
    private readonly root: string,
    private readonly options: IndexOptions,
    private readonly cache: IndexCache,
  ) {}

  /**
   * Brings the index up to date. `changed` names the files (relative to the
   * folder) whose text changed since the last update, when nothing else
   * did (no file created or deleted, no setting changed); leave it out when
   * that is not known.
   */
  update(host: Host, changed?: ReadonlySet<string>): IndexUpdate {
    const index = this.current;
    const plan = index && changed ? this.planPatch(index, changed) : undefined;
    if (index && changed && plan?.listed) {
      const { listed } = plan;
      const files = new Set([...changed, ...(index.matched.get(listed) ?? [])]);
      const builder = this.builderFor(index, host);
      const intents = listed.kind === 'eval-set' ? builder.rereadEvalSet(listed) : builder.rereadHelpCopy(listed);
      if (intents) return { index, patched: { files, intents, artifacts: new Set([listed.id]) } };
    } else if (index && changed && plan) {
      const intents = new Set<string>();
      for (const file of plan.uiFiles) this.patchUiFile(index, host, file, intents);
      if (plan.artifacts.size) this.builderFor(index, host).rereadArtifacts(plan.artifacts);
      return { index, patched: { files: changed, intents, artifacts: new Set([...plan.artifacts].map((a) => a.id)) } };
    }
    this.order = undefined;
    this.current = buildIndex(this.root, host, this.options, this.cache);
    return { index: this.current };
  }

  /**
   * Whether the change can be patched in, and how: UI files (markers only),
   * and artifacts read again whole (a prompt's or a tool's text). An
   * artifact is read again only when nothing else reads its files: no other
   * side's artifact (claims could conflict), no eval set or help copy (cases
   * and phrases feed every intent), no UI surface, no eval config.
   */
  private planPatch(index: WorkspaceIndex, changed: ReadonlySet<string>): { uiFiles: string[]; artifacts: Set<Artifact>; listed?: Artifact } | undefined {
    if (changed.size === 0 || changed.size > MAX_PATCHED_FILES) return undefined;
    if (index.staleManifest !== undefined || index.pendingGrammars.size) return undefined;
    const uiFiles: string[] = [];
    const artifacts = new Set<Artifact>();
    const special = (file: string): boolean => index.referencedEvalFiles.has(file) || index.ledgerFiles.has(file) || file === index.manifestFile;
    for (const file of changed) {
      if (special(file)) return undefined;
      const matchedBy = index.matchedBy.get(file);
      if (!matchedBy) {
        if (!index.fileSurfaces.has(file)) return undefined;
        uiFiles.push(file);
        continue;
      }
      if (index.fileSurfaces.has(file)) return undefined;
      for (const a of matchedBy) artifacts.add(a);
    }
    if (!artifacts.size) return { uiFiles, artifacts };
    const listed = this.listedPatch(index, uiFiles, artifacts);
    if (listed) return { uiFiles, artifacts, listed };
    // Everything the artifacts read must be theirs alone, and of one owner.
    const owner = [...artifacts][0].owner.value;
    for (const a of artifacts) {
      if (a.kind === 'eval-set' || a.kind === 'help-copy' || a.owner.value !== owner) return undefined;
      for (const file of index.matched.get(a) ?? []) {
        if (special(file) || index.fileSurfaces.has(file)) return undefined;
        if ((index.matchedBy.get(file) ?? []).some((other) => !artifacts.has(other))) return undefined;
      }
    }
    return { uiFiles, artifacts };
  }

  /**
   * The eval set or help copy whose files alone changed, when it can be read
   * again in place: no other artifact reads its files, none is UI code, and
   * an eval set's configs reach no other file or prompt through `file://`
   * (those reach into other sets' cases and the prompts every intent is
   * counted for).
   */
  private listedPatch(index: WorkspaceIndex, uiFiles: readonly string[], artifacts: ReadonlySet<Artifact>): Artifact | undefined {
    const [set] = artifacts;
    if (uiFiles.length || artifacts.size !== 1) return undefined;
    if (set.kind === 'eval-set' ? set.locator || index.evalSetsReaching.has(set.id) : set.kind !== 'help-copy') return undefined;
    for (const file of index.matched.get(set) ?? []) {
      if (index.referencedEvalFiles.has(file) || index.fileSurfaces.has(file) || index.ledgerFiles.has(file)) return undefined;
      if ((index.matchedBy.get(file) ?? []).length !== 1) return undefined;
    }
    return set;
  }

  private patchUiFile(index: WorkspaceIndex, host: Host, file: string, touched: Set<string>): void {
    // What reading the file reported goes; reading it again reports anew.
    index.problems = index.problems.filter((p) => p.file !== file);
    const builder = this.builderFor(index, host);
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

  /** A builder for one patch; the markers compiled and intent names worked out for the last patch of this index serve it. */
  private builderFor(index: WorkspaceIndex, host: Host): IndexBuilder {
    const builder = new IndexBuilder(index, host, this.options, this.cache);
    if (this.patcher?.index === index) builder.adopt(this.patcher.builder);
    this.patcher = { index, builder };
    return builder;
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
