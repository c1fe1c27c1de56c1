import * as path from 'node:path';
import type { Finding } from '../core/findings';
import { buildIndex, IndexCache, type WorkspaceIndex } from '../core/index/workspaceIndex';
import { computeFindings } from '../core/rules/rules';
import type { CodeLanguage } from '../core/locate/code/grammars';
import type { Artifact } from '../core/manifest/model';
import { Git } from '../node/git';
import { reviewedTextFromGit } from '../node/previous';
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
  findings: Finding[] = [];
  byFile = new Map<string, Finding[]>();
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

  /** The manifest's folder: every manifest path is relative to it. */
  get root(): string {
    const dir = path.posix.dirname(path.posix.join(this.fsPath, this.settings.manifest));
    return dir;
  }

  get manifestName(): string {
    return path.posix.basename(this.settings.manifest);
  }

  /** Re-reads what changed and recomputes findings. */
  rebuild(host: OverlayHost, trusted: boolean): void {
    const next = buildIndex(this.root, host, { manifestPath: this.manifestName }, this.cache);
    this.pendingGrammars = next?.pendingGrammars ?? new Set();
    this.identity = this.settings.identity || (trusted ? this.email() : undefined);
    if (!next) {
      this.index = undefined;
      this.findings = [];
    } else {
      // Restricted workspaces run no git: the rules then say what they cannot tell.
      const reviewedText = trusted ? reviewedTextFromGit(next, new Git(this.root), this.reviewedFromGit) : undefined;
      const rules = { identity: this.identity, severity: this.settings.severity, reviewedText };
      this.index = next;
      this.findings = computeFindings(next, rules);
    }
    this.byFile = new Map();
    for (const f of this.findings) {
      const list = this.byFile.get(f.file);
      if (list) list.push(f);
      else this.byFile.set(f.file, [f]);
    }
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
