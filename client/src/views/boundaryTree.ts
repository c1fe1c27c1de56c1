import * as vscode from 'vscode';
import type { ArtifactSummary, ArtifactsResult, StatusParams } from '../../../server/src/protocol';
import { debounce } from '../debounce';
import type { Log } from '../log';
import type { ServerApi } from '../serverApi';
import { lastReview, longReviewState, plural, shortReviewState, sideName } from '../words';

export const BOUNDARY_VIEW = 'counterpart.boundary';
export const REFRESH_BOUNDARY = 'counterpart.refreshBoundary';
/** Context key: true when some workspace folder has a manifest (shows the view). */
const HAS_MANIFEST = 'counterpart.hasManifest';

type Folder = ArtifactsResult['folders'][number];

interface FolderNode {
  readonly kind: 'folder';
  readonly id: string;
  readonly folder: Folder;
  readonly children: readonly BoundaryNode[];
}

interface ProblemNode {
  readonly kind: 'problem';
  readonly id: string;
  readonly parent?: FolderNode;
  readonly problem: string;
  readonly manifestUri?: string;
}

interface OwnerNode {
  readonly kind: 'owner';
  readonly id: string;
  readonly parent?: FolderNode;
  readonly title: string;
  readonly lead?: string;
  readonly children: readonly ArtifactNode[];
}

/** Also the argument of the view's context-menu commands: it carries `artifactId` and `folderUri`. */
export interface ArtifactNode {
  readonly kind: 'artifact';
  readonly id: string;
  readonly parent: OwnerNode;
  readonly artifactId: string;
  readonly folderUri: string;
  readonly summary: ArtifactSummary;
}

export type BoundaryNode = FolderNode | ProblemNode | OwnerNode | ArtifactNode;

/**
 * The "Counterpart Boundary" view in the Explorer: owners and their artifacts
 * with their review state, from `counterpart/artifacts`. Also keeps the
 * `counterpart.hasManifest` context key, which shows or hides the view.
 */
export class BoundaryTree implements vscode.TreeDataProvider<BoundaryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BoundaryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<BoundaryNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private roots: readonly BoundaryNode[] = [];
  private loaded = false;
  private stale = false;
  private generation = 0;
  private manifestFound = false;
  private lastState: StatusParams['state'] | undefined;
  private readonly refreshSoon = debounce(() => this.refreshIfVisible(), 750);

  constructor(
    private readonly api: ServerApi,
    private readonly log: Log,
  ) {
    this.view = vscode.window.createTreeView(BOUNDARY_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      this.refreshSoon,
      vscode.commands.registerCommand(REFRESH_BOUNDARY, () => this.refresh()),
      vscode.languages.onDidChangeDiagnostics(() => this.refreshSoon()),
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && this.stale) void this.refresh();
      }),
    );
  }

  /** Whether the last answer had a manifest in some folder. */
  get hasManifest(): boolean {
    return this.manifestFound;
  }

  /**
   * Follows the server's `counterpart/status`: at once when a manifest appeared
   * or went away (that shows or hides the view), else soon and only if visible.
   */
  setServerStatus(status: StatusParams): void {
    this.view.message = status.state === 'indexing' ? 'Counterpart is reading the workspace…' : undefined;
    const changed = status.state !== this.lastState;
    this.lastState = status.state;
    if (changed || !this.loaded) void this.refresh();
    else this.refreshSoon();
  }

  /** Asks the server again; errors are logged and leave the last data in place. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.stale = false;
    let result: ArtifactsResult;
    try {
      result = await this.api.artifacts();
    } catch {
      if (generation === this.generation) this.view.message = 'Counterpart could not load the boundary. See the Counterpart output for details.';
      return;
    }
    if (generation !== this.generation) return; // a newer refresh is on its way
    this.roots = buildRoots(result);
    this.loaded = true;
    this.manifestFound = result.folders.some((folder) => folder.manifestUri !== undefined);
    this.view.message = undefined;
    this.view.badge = badgeFor(result);
    await vscode.commands.executeCommand('setContext', HAS_MANIFEST, this.manifestFound);
    this.changed.fire(undefined);
  }

  /** Reveals and selects an artifact's node; false when there is no such artifact. */
  async revealArtifact(artifactId: string, folderUri?: string): Promise<boolean> {
    if (!this.loaded) await this.refresh();
    const node = findArtifact(this.roots, artifactId, folderUri);
    if (!node) return false;
    await this.view.reveal(node, { select: true, focus: true, expand: true });
    return true;
  }

  getChildren(element?: BoundaryNode): BoundaryNode[] {
    if (!element) return [...this.roots];
    return element.kind === 'folder' || element.kind === 'owner' ? [...element.children] : [];
  }

  getParent(element: BoundaryNode): BoundaryNode | undefined {
    return element.kind === 'folder' ? undefined : element.parent;
  }

  getTreeItem(element: BoundaryNode): vscode.TreeItem {
    switch (element.kind) {
      case 'folder':
        return folderItem(element);
      case 'problem':
        return problemItem(element);
      case 'owner':
        return ownerItem(element);
      case 'artifact':
        return artifactItem(element.summary, element.id);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  // Diagnostics change on every keystroke: refresh only what the user can see.
  private refreshIfVisible(): void {
    if (this.view.visible) void this.refresh().catch((error: unknown) => this.log.error('Refreshing the Boundary view failed', error));
    else this.stale = true;
  }
}

function buildRoots(result: ArtifactsResult): readonly BoundaryNode[] {
  const ids = new Set<string>();
  // Tree item ids must be unique; a manifest with a duplicate id (a finding of its own) must still show.
  const uniqueId = (id: string): string => {
    let candidate = id;
    for (let n = 2; ids.has(candidate); n++) candidate = `${id}#${n}`;
    ids.add(candidate);
    return candidate;
  };
  const several = result.folders.length > 1;
  return result.folders.flatMap((folder): BoundaryNode[] => {
    if (!several) return folderChildren(folder, undefined, uniqueId);
    const children: BoundaryNode[] = [];
    const node: FolderNode = { kind: 'folder', id: uniqueId(`folder:${folder.folderUri}`), folder, children };
    children.push(...folderChildren(folder, node, uniqueId));
    return [node];
  });
}

function folderChildren(folder: Folder, parent: FolderNode | undefined, uniqueId: (id: string) => string): BoundaryNode[] {
  const nodes: BoundaryNode[] = [];
  if (folder.problem) {
    nodes.push({ kind: 'problem', id: uniqueId(`problem:${folder.folderUri}`), parent, problem: folder.problem, manifestUri: folder.manifestUri });
  }
  // Declared owners first, in manifest order; then any owner only an artifact names.
  const owners = new Map<string, { title: string; lead?: string; artifacts: ArtifactSummary[] }>();
  for (const owner of folder.owners) owners.set(owner.id, { title: owner.title, lead: owner.lead, artifacts: [] });
  for (const artifact of folder.artifacts) {
    let owner = owners.get(artifact.ownerId);
    if (!owner) {
      owner = { title: artifact.ownerTitle, lead: artifact.ownerLead, artifacts: [] };
      owners.set(artifact.ownerId, owner);
    }
    owner.artifacts.push(artifact);
  }
  for (const [ownerId, owner] of owners) {
    const children: ArtifactNode[] = [];
    const node: OwnerNode = { kind: 'owner', id: uniqueId(`owner:${folder.folderUri}#${ownerId}`), parent, title: owner.title, lead: owner.lead, children };
    for (const summary of owner.artifacts) {
      children.push({ kind: 'artifact', id: uniqueId(`artifact:${folder.folderUri}#${summary.id}`), parent: node, artifactId: summary.id, folderUri: summary.folderUri, summary });
    }
    nodes.push(node);
  }
  return nodes;
}

function findArtifact(nodes: readonly BoundaryNode[], artifactId: string, folderUri?: string): ArtifactNode | undefined {
  for (const node of nodes) {
    if (node.kind === 'artifact' && node.artifactId === artifactId && (folderUri === undefined || node.folderUri === folderUri)) return node;
    if (node.kind === 'folder' || node.kind === 'owner') {
      const found = findArtifact(node.children, artifactId, folderUri);
      if (found) return found;
    }
  }
  return undefined;
}

function badgeFor(result: ArtifactsResult): vscode.ViewBadge | undefined {
  const waiting = result.folders.flatMap((f) => f.artifacts).filter((a) => a.review === 'changed' || a.review === 'never-reviewed').length;
  return waiting > 0 ? { value: waiting, tooltip: `${plural(waiting, 'artifact')} waiting for a counterpart review` } : undefined;
}

function folderItem(node: FolderNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.folder.folderName, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon('root-folder');
  item.description = node.folder.manifestUri ? plural(node.folder.artifacts.length, 'artifact') : 'no manifest';
  item.contextValue = 'folder';
  return item;
}

function problemItem(node: ProblemNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.problem, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  item.tooltip = node.problem;
  item.contextValue = 'problem';
  if (node.manifestUri) {
    item.command = { title: 'Open Manifest', command: 'vscode.open', arguments: [vscode.Uri.parse(node.manifestUri)] };
  }
  return item;
}

function ownerItem(node: OwnerNode): vscode.TreeItem {
  const label = node.lead ? `${node.title} — lead ${node.lead}` : node.title;
  const state = node.children.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(label, state);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon('organization');
  item.description = plural(node.children.length, 'artifact');
  item.tooltip = `${node.title} owns ${plural(node.children.length, 'artifact')}.${node.lead ? ` Lead: ${node.lead}.` : ''}`;
  item.contextValue = 'owner';
  return item;
}

function artifactItem(artifact: ArtifactSummary, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(artifact.id, vscode.TreeItemCollapsibleState.None);
  item.id = id;
  const uncovered = artifact.uncoveredIntents > 0 ? ` · ${plural(artifact.uncoveredIntents, 'uncovered intent')}` : '';
  item.description = `${artifact.kindLabel} · ${shortReviewState(artifact)}${uncovered}`;
  item.iconPath = reviewIcon(artifact.review);
  item.tooltip = artifactTooltip(artifact);
  item.contextValue = 'artifact';
  if (artifact.location) {
    const { uri, line, character } = artifact.location;
    const at = new vscode.Range(line, character, line, character);
    item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(uri), { selection: at } satisfies vscode.TextDocumentShowOptions] };
  }
  return item;
}

function reviewIcon(review: ArtifactSummary['review']): vscode.ThemeIcon {
  switch (review) {
    case 'changed':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'never-reviewed':
      return new vscode.ThemeIcon('circle-outline');
    case 'in-step':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'unknown':
      return new vscode.ThemeIcon('question');
  }
}

function artifactTooltip(artifact: ArtifactSummary): vscode.MarkdownString {
  const tip = new vscode.MarkdownString();
  const line = (label: string, value: string): void => {
    tip.appendMarkdown(`**${label}:** `);
    tip.appendText(value);
    tip.appendMarkdown('  \n');
  };
  tip.appendMarkdown('**');
  tip.appendText(artifact.id);
  tip.appendMarkdown('** · ');
  tip.appendText(artifact.kindLabel);
  tip.appendMarkdown('\n\n');
  line('Owner', sideName(artifact.ownerTitle, artifact.ownerLead));
  if (artifact.counterpartTitle) line('Counterpart', sideName(artifact.counterpartTitle, artifact.counterpartLead));
  line('Last review', lastReview(artifact) ?? 'never');
  line('Review state', longReviewState(artifact));
  const uncovered = artifact.uncoveredIntents > 0 ? `, ${artifact.uncoveredIntents} not covered by any eval case` : '';
  line('Intents', `${artifact.intents}${uncovered}`);
  line('Eval cases', String(artifact.evalCases));
  line('Open findings', String(artifact.findings));
  return tip;
}
