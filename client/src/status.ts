import * as vscode from 'vscode';
import { Commands, type FileStatusResult, type StatusParams } from '../../server/src/protocol';
import { debounce } from './debounce';
import type { ServerApi } from './serverApi';
import { plural, sideName } from './words';

const RESTRICTED_NOTE = 'Restricted Mode: Counterpart reads files but runs no git and writes nothing.';
const LAST_GOOD_NOTE = 'The manifest does not read right now: findings use its last good version until it does.';

/**
 * The status bar item for the active editor: who owns the file and how many
 * errors and warnings it has. Hidden when no artifact or surface covers the file.
 */
export class FileStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private trusted = vscode.workspace.isTrusted;
  private lastGoodManifest = false;
  private generation = 0;

  constructor(private readonly api: ServerApi) {
    this.item = vscode.window.createStatusBarItem('counterpart.fileStatus', vscode.StatusBarAlignment.Left, -100);
    this.item.name = 'Counterpart Owner';
    this.item.command = { title: 'Show Boundary', command: Commands.showBoundary };
    const updateSoon = debounce(() => void this.update(), 300);
    this.disposables.push(
      this.item,
      updateSoon,
      vscode.window.onDidChangeActiveTextEditor(() => void this.update()),
      // One file may hold several artifacts (a prompt and its tools): the item follows the cursor.
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === vscode.window.activeTextEditor) updateSoon();
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((uri) => uri.toString() === active)) updateSoon();
      }),
    );
  }

  /** What the item shows now, for tests: its text and tooltip. */
  snapshot(): { text: string; tooltip: string } {
    const tooltip = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '' };
  }

  /** Takes the server's state (trust) into account and shows the active file again. */
  setServerStatus(status: StatusParams): void {
    this.trusted = status.trusted;
    this.lastGoodManifest = status.lastGoodManifest === true;
    void this.update();
  }

  /** Asks the server about the active file; on any failure the item is hidden (the error is logged). */
  async update(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    if (!document || document.uri.scheme !== 'file') {
      this.item.hide();
      return;
    }
    let status: FileStatusResult | undefined;
    try {
      const { line, character } = editor!.selection.active;
      status = await this.api.fileStatus({ uri: document.uri.toString(), position: { line, character } });
    } catch {
      status = undefined;
    }
    if (generation !== this.generation) return; // the user moved on to another editor
    if (!status?.ownerTitle) {
      this.item.hide();
      return;
    }
    this.render(status, status.ownerTitle);
    this.item.show();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private render(status: FileStatusResult, ownerTitle: string): void {
    const open = status.errors + status.warnings;
    let text = `$(organization) ${noIcons(ownerTitle)}`;
    if (open > 0) text += ` · $(warning) ${open}`;
    if (!this.trusted) text += ' $(lock)';
    if (this.lastGoodManifest) text += ' $(history)';
    this.item.text = text;
    const tip = tooltip(status, ownerTitle, open, this.trusted, this.lastGoodManifest);
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: tip };
  }
}

/** "Owned by ML Platform (@sam); counterpart Product (@dana). 2 open findings. You are on Product." */
function tooltip(status: FileStatusResult, ownerTitle: string, open: number, trusted: boolean, lastGoodManifest: boolean): string {
  const owner = `Owned by ${sideName(ownerTitle, status.ownerLead)}`;
  const counterpart = status.counterpartTitle ? `; counterpart ${sideName(status.counterpartTitle, status.counterpartLead)}` : '';
  const findings = open > 0 ? `${plural(open, 'open finding')}.` : 'No open findings.';
  const notes = status.infos > 0 ? ` Plus ${plural(status.infos, 'note')}.` : '';
  const you = status.yourSide ? ` You are on ${status.yourSide}.` : '';
  const lines = [`${owner}${counterpart}. ${findings}${notes}${you}`];
  if (!trusted) lines.push(RESTRICTED_NOTE);
  if (lastGoodManifest) lines.push(LAST_GOOD_NOTE);
  lines.push('Click to show the Counterpart Boundary.');
  return lines.join('\n');
}

// A title from the manifest must not turn into an icon: "$(" starts one in the status bar.
function noIcons(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}

/**
 * The status bar's way to the Boundary Map: shown while some folder has a
 * manifest, whatever file is active.
 */
export class MapStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(command: string) {
    this.item = vscode.window.createStatusBarItem('counterpart.boundaryMap', vscode.StatusBarAlignment.Left, -101);
    this.item.name = 'Counterpart Boundary Map';
    this.item.text = '$(graph) Boundary Map';
    this.item.tooltip = 'Open the Counterpart Boundary Map: who owns what, what is due for review, and what has drifted.';
    this.item.accessibilityInformation = { label: 'Open the Counterpart Boundary Map' };
    this.item.command = { title: 'Open Boundary Map', command };
  }

  setServerStatus(status: StatusParams): void {
    if (status.state === 'no-manifest') this.item.hide();
    else this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
