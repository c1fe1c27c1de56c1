import * as vscode from 'vscode';
import { refuseInRestrictedMode } from '../trust';
import { refreshViews, registerCommand, type CommandContext } from './context';
import { CommandIds } from './ids';

const OPEN_MANIFEST = 'Open Manifest';
const CREATE_MANIFEST = 'Create Manifest';

/** Create Manifest and Open Manifest. */
export function registerManifestCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerCommand(CommandIds.createManifest, ctx.log, (arg: unknown) => createManifest(ctx, arg)),
    registerCommand(CommandIds.openManifest, ctx.log, () => openManifest(ctx)),
  ];
}

/** Writes a starter manifest from what the folder holds; never overwrites one. */
async function createManifest(ctx: CommandContext, arg: unknown): Promise<unknown> {
  if (refuseInRestrictedMode('create a manifest')) return undefined;
  const folder = await pickFolder(arg);
  if (!folder) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Looking through ${folder.name} for prompts, evals, tools and help copy…` },
    () => ctx.api.createManifest({ folderUri: folder.uri.toString() }),
  );
  if (result.ok) {
    await vscode.window.showTextDocument(vscode.Uri.parse(result.uri), { preview: false });
    void vscode.window.showInformationMessage(result.summary);
    refreshViews(ctx);
    return result;
  }
  const existing = result.uri;
  if (existing) {
    void vscode.window.showInformationMessage(result.problem, OPEN_MANIFEST).then((choice) => {
      if (choice === OPEN_MANIFEST) void vscode.window.showTextDocument(vscode.Uri.parse(existing));
    });
  } else {
    void vscode.window.showWarningMessage(result.problem);
  }
  return result;
}

/** The folder a command is for: the one given (a folder Uri), the only one, or the one the user picks. */
async function pickFolder(arg: unknown): Promise<vscode.WorkspaceFolder | undefined> {
  if (arg instanceof vscode.Uri) {
    const given = vscode.workspace.getWorkspaceFolder(arg);
    if (given) return given;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Open a folder first: the manifest is written at the root of a workspace folder.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which folder should the manifest describe?' });
}

interface ManifestItem extends vscode.QuickPickItem {
  readonly uri: vscode.Uri;
}

/** Opens the manifest: of the only folder that has one, or of the folder the user picks. */
async function openManifest(ctx: CommandContext): Promise<unknown> {
  const result = await ctx.api.artifacts();
  const items = result.folders.flatMap((folder): ManifestItem[] => {
    if (!folder.manifestUri) return [];
    const uri = vscode.Uri.parse(folder.manifestUri);
    return [{ label: folder.folderName, description: vscode.workspace.asRelativePath(uri, false), detail: folder.problem, uri }];
  });
  if (items.length === 0) {
    void vscode.window.showInformationMessage('This workspace has no Counterpart manifest yet.', CREATE_MANIFEST).then((choice) => {
      if (choice === CREATE_MANIFEST) void vscode.commands.executeCommand(CommandIds.createManifest);
    });
    return undefined;
  }
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: 'Which folder\u2019s manifest?' });
  if (!picked) return undefined;
  await vscode.window.showTextDocument(picked.uri, { preview: false });
  return picked.uri;
}
