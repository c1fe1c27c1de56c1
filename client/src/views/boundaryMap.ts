import * as vscode from 'vscode';
import type { Log } from '../log';
import { ServerRequestError, type ServerApi } from '../serverApi';
import { debounce } from '../debounce';
import { folderOfState, makeNonce, placeMessage, webviewPage } from './boundaryMapPage';

/** The webview panel type; also in package.json's `onWebviewPanel:` activation event. */
export const BOUNDARY_MAP_VIEW = 'counterpart.boundaryMap';
/** How long after the last change (an edit, a rebuild) the map is drawn again. */
const REDRAW_MS = 300;

/**
 * The Boundary Map: one webview panel with the server's report (map, calendar,
 * drift list) for one folder, drawn again while files change, every place a
 * link to the file at its line. Survives a window reload through its serializer.
 */
export class BoundaryMap implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private folderUri: string | undefined;
  /** The manifest's folder of the page shown: its places are relative to it. */
  private rootUri: string | undefined;
  /** One nonce per panel, so an unchanged report gives the same page and is not set again. */
  private nonce = makeNonce();
  private html = '';
  private generation = 0;
  private stale = false;
  private readonly redrawSoon = debounce(() => void this.redrawIfVisible(), REDRAW_MS);

  constructor(
    private readonly api: ServerApi,
    private readonly log: Log,
  ) {
    this.disposables.push(
      this.redrawSoon,
      vscode.window.registerWebviewPanelSerializer(BOUNDARY_MAP_VIEW, {
        deserializeWebviewPanel: async (panel, state) => {
          this.adopt(panel, folderOfState(state));
          await this.draw();
        },
      }),
    );
  }

  /**
   * Opens the map (or brings it forward) for a folder: the given one, the
   * active editor's, the one already shown, or, in a multi-root workspace, the
   * one the user picks.
   */
  async open(folderUri?: string): Promise<void> {
    const folder = folderUri ?? activeFolder() ?? (this.panel ? undefined : await pickFolder());
    if (folder === null) return; // the user closed the picker
    if (this.panel) {
      if (folder) this.folderUri = folder;
      this.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(BOUNDARY_MAP_VIEW, 'Boundary Map', vscode.ViewColumn.Active, {
        enableScripts: true,
        enableFindWidget: true,
        localResourceRoots: [],
        retainContextWhenHidden: false,
      });
      this.adopt(panel, folder);
    }
    await this.draw();
  }

  /** Something the map shows may have changed (the server rebuilt a folder, settings changed): draw again soon. */
  changed(): void {
    if (this.panel) this.redrawSoon();
  }

  /** What the panel shows now, for tests. */
  snapshot(): { readonly open: boolean; readonly title: string; readonly folderUri?: string; readonly html: string } {
    return { open: this.panel !== undefined, title: this.panel?.title ?? '', folderUri: this.folderUri, html: this.html };
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, folderUri: string | undefined): void {
    this.panel = panel;
    this.folderUri = folderUri;
    this.nonce = makeNonce();
    // A revived panel keeps the options it was made with, except these: set them again.
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    // Reading the history of a large repository takes a moment the first time: say so meanwhile.
    this.html = this.messagePage('Counterpart is drawing the Boundary Map…', panel.webview.cspSource);
    panel.webview.html = this.html;
    this.panelDisposables = [
      panel.onDidDispose(() => {
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
        if (this.panel === panel) this.panel = undefined;
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => void this.openPlace(message)),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible && this.stale) void this.draw();
      }),
    ];
  }

  private async redrawIfVisible(): Promise<void> {
    if (!this.panel) return;
    if (this.panel.visible) await this.draw();
    else this.stale = true;
  }

  /** Asks the server for the page and shows it; a failure shows a sentence instead (and is logged). */
  private async draw(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const generation = ++this.generation;
    this.stale = false;
    const cspSource = panel.webview.cspSource;
    let page: string;
    try {
      const result = await this.api.report({ folderUri: this.folderUri, nonce: this.nonce, cspSource });
      if (result.ok) {
        this.folderUri = result.folderUri;
        this.rootUri = result.rootUri;
        if (generation === this.generation && this.panel === panel) panel.title = `Boundary Map: ${result.folderName}`;
        page = webviewPage(result.html, { nonce: this.nonce, cspSource, folderUri: result.folderUri });
      } else {
        page = this.messagePage(result.problem, cspSource);
      }
    } catch (error) {
      page = this.messagePage(error instanceof ServerRequestError ? error.userMessage : 'Counterpart could not draw the Boundary Map.', cspSource);
    }
    // A newer draw is on its way, or the panel was closed meanwhile.
    if (generation !== this.generation || this.panel !== panel) return;
    if (page === this.html) return;
    this.html = page;
    panel.webview.html = page;
  }

  /** A plain page with one sentence, under the same policy, still remembering its folder. */
  private messagePage(text: string, cspSource: string): string {
    const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Boundary Map</title></head><body><main><h1>Boundary Map</h1><p role="status">${escaped}</p></main></body></html>`;
    return webviewPage(body, { nonce: this.nonce, cspSource, folderUri: this.folderUri ?? '' });
  }

  /** The page asked to open a place: the file at its line, beside the map unless an editor is already showing elsewhere. */
  private async openPlace(message: unknown): Promise<void> {
    const place = placeMessage(message);
    const root = this.rootUri;
    if (!place || !root) return;
    const uri = vscode.Uri.joinPath(vscode.Uri.parse(root), ...place.file.split('/'));
    const mapColumn = this.panel?.viewColumn;
    const other = vscode.window.visibleTextEditors.find((e) => e.viewColumn !== undefined && e.viewColumn !== mapColumn)?.viewColumn;
    const at = new vscode.Range(place.line, 0, place.line, 0);
    try {
      const editor = await vscode.window.showTextDocument(uri, { selection: at, viewColumn: other ?? vscode.ViewColumn.Beside, preview: true });
      editor.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error) {
      this.log.error(`The Boundary Map could not open ${place.file}`, error);
      void vscode.window.showWarningMessage(`Counterpart could not open ${place.file}: it may have been moved or deleted.`);
    }
  }
}

/** With several workspace folders, the one to map (null when the user cancels); with one, undefined: the server's choice. */
async function pickFolder(): Promise<string | undefined | null> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length < 2) return undefined;
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: f.name, description: f.uri.fsPath, uri: f.uri.toString() })),
    { title: 'Open Boundary Map', placeHolder: 'Which folder\'s boundary?' },
  );
  return picked ? picked.uri : null;
}

/** The workspace folder of the active editor, as the server names folders. */
function activeFolder(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri ? vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() : undefined;
}
