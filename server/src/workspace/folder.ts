import * as path from 'node:path';
import type { Finding } from '../core/findings';
import { IndexUpdater } from '../core/index/incremental';
import { IndexCache, type WorkspaceIndex } from '../core/index/workspaceIndex';
import { FindingsEngine } from '../core/rules/engine';
import type { CodeLanguage } from '../core/locate/code/grammars';
import type { Artifact } from '../core/manifest/model';
import { Git } from '../node/git';
import { reviewedTextFromGit } from '../node/previous';
import { prefetchEvals } from '../node/prefetch';
import { CalendarCache } from './calendars';
import type { OverlayHost } from './overlayHost';
import { DEFAULT_SETTINGS, type FolderSettings } from './settings';

/**
 * One workspace folder: its settings, its index (kept across builds so
 * unchanged files are not parsed again) and its findings by file.
 */
export class Folder {
  settings: FolderSettings = DEFAULT_SETTINGS;
  /** The index features answer from; the last good one while the manifest is broken. */
  index: WorkspaceIndex | undefined;
  /** Findings kept between builds, recomputed only where an edit changed their inputs. */
  private engine = new FindingsEngine();
  /** The index, kept up to date edit by edit; made again when the manifest setting changes. */
  private updater: { readonly manifest: string; readonly updater: IndexUpdater } | undefined;
  /** Files whose text changed since the last build, or 'all' when more than text changed (or nobody said). */
  private pending: Set<string> | 'all' = 'all';
  /** Whether the last build patched the index in place (then the files the manifest names did not change). */
  lastPatched = false;
  /** Files whose diagnostics were last published, relative to `root`, with a key of what was sent. */
  published = new Map<string, string>();
  identity: string | undefined;
  /** Grammars the last build waited for; the server loads them and builds again. */
  pendingGrammars: ReadonlySet<CodeLanguage> = new Set();
  private readonly cache = new IndexCache();
  /** Reviewed texts read from git, kept across builds: a keystroke never runs git twice for the same review. */
  private readonly reviewedFromGit = new Map<string, string | undefined>();
  private gitEmail: string | undefined | null = null;
  /** The Boundary Map's calendar (git history), kept across builds; trusted workspaces only. */
  readonly calendars = new CalendarCache();

  constructor(
    readonly uri: string,
    readonly name: string,
    /** The workspace folder on disk, forward slashes. */
    readonly fsPath: string,
  ) {}

  private rootOf: { readonly manifest: string; readonly root: string } | undefined;

  /** The manifest's folder: every manifest path is relative to it. */
  get root(): string {
    if (this.rootOf?.manifest !== this.settings.manifest) {
      this.rootOf = { manifest: this.settings.manifest, root: path.posix.dirname(path.posix.join(this.fsPath, this.settings.manifest)) };
    }
    return this.rootOf.root;
  }

  get manifestName(): string {
    return path.posix.basename(this.settings.manifest);
  }

  /** The findings of each file that has any, sorted. */
  get byFile(): ReadonlyMap<string, readonly Finding[]> {
    return this.engine.byFile;
  }

  /** Every finding, sorted. */
  get findings(): Finding[] {
    return this.engine.all();
  }

  get findingCount(): number {
    return this.engine.count;
  }

  /** A file's text changed (an edit, a save, a change on disk); `file` relative to `root`. */
  textChanged(file: string): void {
    if (this.pending !== 'all') this.pending.add(file);
  }

  /** Parses the eval files the next build needs in child processes, into this folder's cache. */
  async prefetch(host: OverlayHost): Promise<void> {
    await prefetchEvals(this.root, host, { manifestPath: this.manifestName }, this.cache);
  }

  /** More than a file's text changed: files came or went, settings changed, a grammar loaded. */
  everythingChanged(): void {
    this.pending = 'all';
  }

  /**
   * Re-reads what changed and recomputes the findings it touched. Answers
   * the files whose findings may have changed, to publish.
   */
  rebuild(host: OverlayHost, trusted: boolean): ReadonlySet<string> {
    const changed = this.pending === 'all' ? undefined : this.pending;
    this.pending = new Set();
    const root = this.root;
    if (this.updater?.manifest !== this.settings.manifest) {
      this.updater = { manifest: this.settings.manifest, updater: new IndexUpdater(root, { manifestPath: this.manifestName }, this.cache) };
    }
    const { index: next, patched } = this.updater.updater.update(host, changed?.size ? changed : undefined);
    this.lastPatched = patched !== undefined;
    this.pendingGrammars = next?.pendingGrammars ?? new Set();
    this.identity = this.settings.identity || (trusted ? this.email() : undefined);
    this.index = next;
    // Restricted workspaces run no git: the rules then say what they cannot tell.
    const reviewedText = next && trusted ? reviewedTextFromGit(next, new Git(root), this.reviewedFromGit) : undefined;
    return this.engine.update(next, { identity: this.identity, severity: this.settings.severity, reviewedText }, patched);
  }

  /** Relative path of an absolute one inside the manifest's folder, or undefined. */
  relative(fsPath: string): string | undefined {
    const root = this.root.endsWith('/') ? this.root : `${this.root}/`;
    return fsPath.startsWith(root) ? fsPath.slice(root.length) : undefined;
  }

  contains(fsPath: string): boolean {
    return this.relative(fsPath) !== undefined || fsPath === this.root;
  }

  /** Whether a change to this file can change what the folder shows. */
  cares(fsPath: string): boolean {
    const rel = this.relative(fsPath);
    if (rel === undefined) return false;
    return rel === this.manifestName || !this.index || this.index.watched.has(rel);
  }

  /** The artifacts' texts as last reviewed, from git (asked once per review, as the rules ask): trusted workspaces only. */
  reviewedTextFromGit(index: WorkspaceIndex): (artifact: Artifact) => string | undefined {
    return reviewedTextFromGit(index, new Git(this.root), this.reviewedFromGit);
  }

  forgetIdentity(): void {
    this.gitEmail = null;
  }

  private email(): string | undefined {
    if (this.gitEmail === null) this.gitEmail = new Git(this.fsPath).userEmail();
    return this.gitEmail;
  }
}
