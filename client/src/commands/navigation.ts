import * as vscode from 'vscode';
import { BOUNDARY_VIEW } from '../views/boundaryTree';
import { registerCommand, type CommandContext } from './context';
import { CommandIds } from './ids';

/** Show Boundary, Open Boundary Map, and the lenses' "show these places" (peek). */
export function registerNavigationCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerCommand(CommandIds.showBoundary, ctx.log, (arg: unknown) => showBoundary(ctx, arg)),
    registerCommand(CommandIds.openBoundaryMap, ctx.log, (arg: unknown) => ctx.map.open(folderArg(arg))),
    registerCommand(CommandIds.showLocations, ctx.log, (title: unknown, locations: unknown) => showLocations(ctx, title, locations)),
  ];
}

/** Focuses the Boundary view; given `{ artifactId, folderUri }`, selects that artifact in it. */
async function showBoundary(ctx: CommandContext, arg: unknown): Promise<void> {
  if (!ctx.boundary.hasManifest) await ctx.boundary.refresh();
  if (!ctx.boundary.hasManifest) {
    const create = 'Create Manifest';
    void vscode.window.showInformationMessage('This workspace has no Counterpart manifest yet, so there is no boundary to show.', create).then((choice) => {
      if (choice === create) void vscode.commands.executeCommand(CommandIds.createManifest);
    });
    return;
  }
  await vscode.commands.executeCommand(`${BOUNDARY_VIEW}.focus`);
  if (typeof arg === 'object' && arg !== null) {
    const { artifactId, folderUri } = arg as Record<string, unknown>;
    if (typeof artifactId === 'string') await ctx.boundary.revealArtifact(artifactId, typeof folderUri === 'string' ? folderUri : undefined);
  }
}

/** The folder a command was given: a folder Uri (Explorer), `{ folderUri }` (a Boundary view item), or none. */
function folderArg(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return vscode.workspace.getWorkspaceFolder(arg)?.uri.toString();
  const folderUri = typeof arg === 'object' && arg !== null ? (arg as { folderUri?: unknown }).folderUri : undefined;
  return typeof folderUri === 'string' ? folderUri : undefined;
}

/**
 * Peeks `locations` (LSP Locations) in the active editor, or at the first of
 * them. A lens passes `{ uri, stub }` instead: its places are asked of the
 * server now, when clicked.
 */
async function showLocations(ctx: CommandContext, title: unknown, locations: unknown): Promise<void> {
  let list = locations;
  if (!Array.isArray(list) && typeof list === 'object' && list !== null && typeof (list as { uri?: unknown }).uri === 'string') {
    const { uri, stub } = list as { uri: string; stub: unknown };
    list = (await ctx.api.lensPlaces({ uri, stub })).locations;
  }
  const places = Array.isArray(list) ? list.flatMap(toLocation) : [];
  if (places.length === 0) {
    void vscode.window.showInformationMessage(`${typeof title === 'string' && title !== '' ? title : 'Places'}: none found.`);
    return;
  }
  const editor = vscode.window.activeTextEditor;
  const uri = editor?.document.uri ?? places[0].uri;
  const position = editor?.selection.active ?? places[0].range.start;
  await vscode.commands.executeCommand('editor.action.peekLocations', uri, position, places, 'peek');
}

function toLocation(value: unknown): vscode.Location[] {
  if (typeof value !== 'object' || value === null) return [];
  const { uri, range } = value as { uri?: unknown; range?: { start?: unknown; end?: unknown } };
  if (typeof uri !== 'string' || typeof range !== 'object' || range === null) return [];
  const start = toPosition(range.start);
  const end = toPosition(range.end);
  return start && end ? [new vscode.Location(vscode.Uri.parse(uri), new vscode.Range(start, end))] : [];
}

function toPosition(value: unknown): vscode.Position | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { line, character } = value as Record<string, unknown>;
  return typeof line === 'number' && typeof character === 'number' && line >= 0 && character >= 0 ? new vscode.Position(line, character) : undefined;
}
