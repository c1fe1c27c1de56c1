import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Connection, Disposable, WorkspaceFolder } from 'vscode-languageserver/node';
import { BulkRegistration, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, DidSaveTextDocumentNotification, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { Finding } from '../core/findings';
import { pathToUri, toDiagnostic, uriToPath } from '../convert';
import { StatusNotification, type StatusParams } from '../protocol';
import { listingChangeMatters } from '../core/index/incremental';
import { sharedGrammars } from '../core/locate/code/grammars';
import { HeapCompactor } from '../node/memory';
import { Folder } from './folder';
import { OverlayHost } from './overlayHost';
import { readSettings } from './settings';

const DEBOUNCE_MS = 120;

/** What a client shows of a finding: equal keys, nothing to send again. */
function findingKey(f: Finding): string {
  const r = f.range;
  return `${f.code}|${f.severity}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${f.message}|${f.subject?.artifact ?? ''}|${f.subject?.intent ?? ''}|${(f.related ?? []).map((p) => `${p.file}:${p.range.start.line}:${p.range.start.character}:${p.message}`).join(';')}`;
}

export interface WorkspacesOptions {
  readonly trusted: boolean;
  /** The client pulls settings per folder (workspace/configuration). */
  readonly canPullSettings: boolean;
  /** The client lets the server register which documents it syncs. */
  readonly dynamicSync: boolean;
  /** The client re-asks for semantic tokens when told (intent states changed). */
  readonly semanticRefresh?: boolean;
  /** The client reports every file change (watched files), so unchanged files need not be read again. */
  readonly watchesFiles?: boolean;
}

/**
 * Every workspace folder the server serves: one index each, rebuilt after
 * edits (debounced), with diagnostics published for every file that has
 * findings and cleared for files whose findings are gone.
 */
export class Workspaces {
  readonly host: OverlayHost;
  readonly folders = new Map<string, Folder>();
  private readonly timers = new Map<Folder, NodeJS.Timeout>();
  /** Gives back what a full build's garbage held, once the server is quiet. */
  private readonly compactor = new HeapCompactor();
  /** Folders whose grammars are loading, so a burst of builds starts one load. */
  private readonly loading = new Map<Folder, Promise<void>>();
  private syncRegistration: Disposable | undefined;
  private syncKey = '';
  private markReady!: () => void;
  /** Settles once the folders given at start are indexed; requests wait for it. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    private readonly connection: Connection,
    readonly options: WorkspacesOptions,
  ) {
    this.host = new OverlayHost(options.watchesFiles === true);
  }

  get trusted(): boolean {
    return this.options.trusted;
  }

  /** Adds the folders given at start, then lets waiting requests through. */
  async start(folders: readonly WorkspaceFolder[]): Promise<void> {
    try {
      await this.addFolders(folders);
    } finally {
      this.markReady();
    }
  }

  async addFolders(folders: readonly WorkspaceFolder[]): Promise<void> {
    for (const wf of folders) {
      const fsPath = uriToPath(wf.uri);
      if (!fsPath || this.folders.has(wf.uri)) continue;
      const folder = new Folder(wf.uri, wf.name, fsPath);
      this.folders.set(wf.uri, folder);
      await this.loadSettings(folder);
      // The first build's eval files are parsed in child processes first (big workspaces only).
      await folder.prefetch(this.host);
      this.rebuildNow(folder);
      // The first build asks for the code grammars its manifest needs; wait for them so the first diagnostics are whole.
      await this.loading.get(folder);
    }
    await this.updateSync();
  }

  /** Loads the grammars a folder's last build waited for, then builds it again. */
  private async loadGrammars(folder: Folder): Promise<void> {
    const wanted = [...folder.pendingGrammars];
    await sharedGrammars().load(wanted);
    folder.everythingChanged();
    if (this.folders.get(folder.uri) === folder) this.rebuildNow(folder);
  }

  async removeFolders(folders: readonly WorkspaceFolder[]): Promise<void> {
    for (const wf of folders) {
      const folder = this.folders.get(wf.uri);
      if (!folder) continue;
      this.folders.delete(wf.uri);
      const timer = this.timers.get(folder);
      if (timer) clearTimeout(timer);
      this.timers.delete(folder);
      for (const file of folder.published.keys()) void this.connection.sendDiagnostics({ uri: pathToUri(`${folder.root}/${file}`), diagnostics: [] });
    }
    await this.updateSync();
    this.sendStatus();
  }

  /** The folder whose manifest folder holds the file (the deepest, for nested folders). */
  folderOf(uriOrPath: string): Folder | undefined {
    const fsPath = uriOrPath.includes('://') ? uriToPath(uriOrPath) : uriOrPath;
    if (!fsPath) return undefined;
    let best: Folder | undefined;
    for (const f of this.folders.values()) {
      if (f.contains(fsPath) && (!best || f.root.length > best.root.length)) best = f;
    }
    return best;
  }

  /** Folder and relative path of a document URI, with the folder's index up to date. */
  resolve(uri: string): { folder: Folder; file: string } | undefined {
    const fsPath = uriToPath(uri);
    const folder = fsPath ? this.folderOf(fsPath) : undefined;
    const file = folder && fsPath ? folder.relative(fsPath) : undefined;
    if (!folder || file === undefined) return undefined;
    this.flush(folder);
    return { folder, file };
  }

  /** Runs a pending rebuild now, so a request never answers from a stale index. */
  flush(folder: Folder): void {
    const timer = this.timers.get(folder);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(folder);
      this.rebuildNow(folder);
      if (!folder.lastPatched) void this.updateSync();
    }
  }

  flushAll(): void {
    for (const f of this.folders.values()) this.flush(f);
  }

  /** A document was opened or edited: its text now overrides the disk. */
  documentChanged(uri: string, text: string): void {
    const fsPath = uriToPath(uri);
    if (!fsPath) return;
    this.host.setOpen(fsPath, text);
    this.touched(fsPath);
  }

  documentClosed(uri: string): void {
    const fsPath = uriToPath(uri);
    if (!fsPath) return;
    this.host.closeOpen(fsPath);
    this.touched(fsPath);
  }

  /** Tells the folders that care that a file's text changed, and schedules their rebuild. */
  private touched(fsPath: string): void {
    for (const folder of this.folders.values()) {
      if (!folder.cares(fsPath)) continue;
      const rel = folder.relative(fsPath);
      if (rel !== undefined) folder.textChanged(rel);
      else folder.everythingChanged();
      this.schedule(folder);
    }
  }

  /** A file or folder was created, changed or deleted on disk. */
  fileEvent(uri: string, kind: 'created' | 'changed' | 'deleted'): void {
    const fsPath = uriToPath(uri);
    if (!fsPath) return;
    if (kind !== 'changed') this.host.fileCreatedOrDeleted(fsPath, kind);
    else this.host.forgetFile(fsPath);
    for (const folder of this.folders.values()) {
      if (kind !== 'changed' ? folder.contains(fsPath) || fsPath === folder.fsPath || folder.root.startsWith(`${fsPath}/`) : !this.host.isOpen(fsPath) && folder.cares(fsPath)) {
        const rel = folder.relative(fsPath);
        if (kind === 'changed') {
          if (rel !== undefined) folder.textChanged(rel);
          else folder.everythingChanged();
        } else if (rel === undefined || listingChangeMatters(folder.index, rel, this.isFolder(fsPath, rel, kind, folder))) {
          folder.everythingChanged();
        } else {
          continue; // a file no glob names: the index would come out the same
        }
        this.schedule(folder);
      }
    }
  }

  /** Whether a created or deleted path is a folder; undefined when that cannot be told. */
  private isFolder(fsPath: string, rel: string, kind: 'created' | 'deleted', folder: Folder): boolean | undefined {
    if (kind === 'created') {
      const info = this.host.stat(fsPath);
      return info ? !info.isFile : undefined;
    }
    // Gone: a folder only matters if the index read something inside it.
    const inside = `${rel}/`;
    for (const file of folder.index?.watched ?? []) if (file.startsWith(inside)) return true;
    return false;
  }

  async configurationChanged(): Promise<void> {
    for (const folder of this.folders.values()) {
      folder.forgetIdentity();
      folder.everythingChanged();
      await this.loadSettings(folder);
      this.host.invalidateListing(folder.fsPath);
      this.rebuildNow(folder);
    }
    await this.updateSync();
  }

  schedule(folder: Folder): void {
    const old = this.timers.get(folder);
    if (old) clearTimeout(old);
    this.timers.set(folder, setTimeout(() => {
      this.timers.delete(folder);
      this.rebuildNow(folder);
      // A patch changes no file the manifest names: the synced documents stay as they are.
      if (!folder.lastPatched) void this.updateSync();
    }, DEBOUNCE_MS));
  }

  rebuildNow(folder: Folder): void {
    let changed: ReadonlySet<string> | undefined;
    try {
      changed = folder.rebuild(this.host, this.trusted);
    } catch (err) {
      // Whatever the last build left is unknown now: the next one reads everything again.
      folder.everythingChanged();
      this.connection.console.error(`Counterpart could not index ${folder.name}: ${(err as Error).stack ?? err}`);
    }
    this.publish(folder, changed);
    if (!folder.lastPatched) this.compactor.afterFullBuild();
    else this.compactor.afterPatch();
    this.sendStatus();
    if (this.options.semanticRefresh) void this.connection.languages.semanticTokens.refresh();
    if (folder.pendingGrammars.size && !this.loading.has(folder)) {
      this.loading.set(folder, this.loadGrammars(folder).finally(() => this.loading.delete(folder)));
    }
  }

  /**
   * Sends the diagnostics of the files whose findings changed since last
   * sent, and clears those left with none. `changed` narrows the files to
   * look at (what the last build touched); without it, every file is.
   */
  private publish(folder: Folder, changed?: ReadonlySet<string>): void {
    const files = changed ?? new Set([...folder.byFile.keys(), ...folder.published.keys()]);
    for (const file of files) {
      const findings = folder.byFile.get(file);
      // A digest of what was sent, not the text: thousands of files' findings would be megabytes kept to compare.
      const key = findings && createHash('sha256').update(findings.map(findingKey).join('\u0001')).digest('base64');
      if (folder.published.get(file) === key) continue;
      if (key === undefined) folder.published.delete(file);
      else folder.published.set(file, key);
      void this.connection.sendDiagnostics({ uri: pathToUri(`${folder.root}/${file}`), diagnostics: (findings ?? []).map((f) => toDiagnostic(f, folder.root)) });
    }
  }

  private sendStatus(): void {
    const folders = [...this.folders.values()];
    const status: StatusParams = {
      state: folders.some((f) => f.index) ? 'ready' : 'no-manifest',
      trusted: this.trusted,
      folders: folders.length,
      findings: folders.reduce((n, f) => n + f.findingCount, 0),
      identity: folders.find((f) => f.identity)?.identity,
      lastGoodManifest: folders.some((f) => f.index?.staleManifest !== undefined),
    };
    void this.connection.sendNotification(StatusNotification, status);
  }

  private async loadSettings(folder: Folder): Promise<void> {
    if (!this.options.canPullSettings) return;
    try {
      folder.settings = readSettings(await this.connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'counterpart' }));
    } catch (err) {
      this.connection.console.warn(`Counterpart could not read settings for ${folder.name}: ${(err as Error).message}`);
    }
  }

  /**
   * Syncs only the documents the manifests cover (their files and globs, the
   * manifest and the ledger), re-registered when a manifest changes.
   */
  private async updateSync(): Promise<void> {
    if (!this.options.dynamicSync) return;
    const patterns = new Set<string>();
    for (const folder of this.folders.values()) {
      patterns.add(path.posix.join(folder.root, folder.manifestName));
      const index = folder.index;
      if (!index) continue;
      patterns.add(path.posix.join(folder.root, index.ledgerFile));
      for (const a of index.manifest.artifacts) for (const f of a.files) patterns.add(path.posix.join(folder.root, f.value));
      for (const s of index.manifest.surfaces) for (const f of s.files) patterns.add(path.posix.join(folder.root, f.value));
      // Case files reached through a promptfoo config's file://: editing them changes coverage too.
      for (const f of index.referencedEvalFiles) patterns.add(path.posix.join(folder.root, f));
    }
    const sorted = [...patterns].sort();
    const key = sorted.join('\n');
    if (key === this.syncKey) return;
    this.syncKey = key;
    const documentSelector = sorted.map((pattern) => ({ scheme: 'file', pattern }));
    const old = this.syncRegistration;
    this.syncRegistration = undefined;
    old?.dispose();
    try {
      const bulk = BulkRegistration.create();
      bulk.add(DidOpenTextDocumentNotification.type, { documentSelector });
      bulk.add(DidChangeTextDocumentNotification.type, { documentSelector, syncKind: TextDocumentSyncKind.Incremental });
      bulk.add(DidCloseTextDocumentNotification.type, { documentSelector });
      bulk.add(DidSaveTextDocumentNotification.type, { documentSelector, includeText: false });
      this.syncRegistration = await this.connection.client.register(bulk);
    } catch (err) {
      this.connection.console.error(`Counterpart could not register its documents: ${(err as Error).message}`);
    }
  }
}
