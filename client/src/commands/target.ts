import * as vscode from 'vscode';
import type { ArtifactSummary, ArtifactTarget } from '../../../server/src/protocol';
import type { ServerApi } from '../serverApi';
import { longReviewState } from '../words';
import { CommandIds } from './ids';

/**
 * What a review command was invoked on: an artifact (a lens, a code action,
 * the Boundary view pass `{ artifactId, folderUri }`), a file (the editor and
 * Explorer menus pass its Uri), or nothing (the palette: the active editor).
 * Undefined when none of these names a file on disk.
 */
export function targetFromArgument(arg: unknown): ArtifactTarget | undefined {
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? fileTarget(arg) : undefined;
  if (typeof arg === 'object' && arg !== null) {
    const { artifactId, folderUri, uri, position } = arg as Record<string, unknown>;
    if (typeof artifactId === 'string') return { artifactId, folderUri: typeof folderUri === 'string' ? folderUri : undefined };
    if (typeof uri === 'string') return { uri, position: isPosition(position) ? { line: position.line, character: position.character } : undefined };
  }
  const editor = vscode.window.activeTextEditor;
  return editor && editor.document.uri.scheme === 'file' ? fileTarget(editor.document.uri) : undefined;
}

/** A file, with the cursor when the file is the active editor's (in the manifest, the cursor picks the artifact). */
function fileTarget(uri: vscode.Uri): ArtifactTarget {
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.uri.toString() === uri.toString()) {
    const { line, character } = editor.selection.active;
    return { uri: uri.toString(), position: { line, character } };
  }
  return { uri: uri.toString() };
}

function isPosition(value: unknown): value is { line: number; character: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as Record<string, unknown>;
  return typeof line === 'number' && typeof character === 'number';
}

/**
 * Sends a request about `target`; when the server cannot tell which artifact
 * is meant and offers choices, lets the user pick one and sends it again.
 * Undefined when the pick is cancelled.
 */
export async function sendWithChoices<R extends { readonly ok: boolean }>(
  target: ArtifactTarget,
  send: (target: ArtifactTarget) => Thenable<R>,
  placeHolder: string,
): Promise<{ target: ArtifactTarget; result: R } | undefined> {
  const result = await send(target);
  const choices = !result.ok && 'choices' in result ? (result.choices as readonly ArtifactSummary[] | undefined) : undefined;
  if (!choices || choices.length === 0) return { target, result };
  const picked = await pickArtifact(choices, placeHolder);
  if (!picked) return undefined;
  const chosen = artifactTarget(picked);
  return { target: chosen, result: await send(chosen) };
}

/** The target for one artifact picked from a list. */
export function artifactTarget(artifact: ArtifactSummary): ArtifactTarget {
  return { artifactId: artifact.id, folderUri: artifact.folderUri };
}

interface ArtifactItem extends vscode.QuickPickItem {
  readonly artifact: ArtifactSummary;
}

/** A quick pick of artifacts: id, what it is and who owns it, and its review state. */
export async function pickArtifact(choices: readonly ArtifactSummary[], placeHolder: string): Promise<ArtifactSummary | undefined> {
  const folders = new Set(choices.map((artifact) => artifact.folderUri));
  const items = choices.map((artifact): ArtifactItem => ({
    label: artifact.id,
    description: [artifact.kindLabel, artifact.ownerTitle, ...(folders.size > 1 ? [artifact.folderName] : [])].join(' · '),
    detail: longReviewState(artifact),
    artifact,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  return picked?.artifact;
}

/**
 * When a command has nothing to go on (no artifact, no file open), lets the
 * user pick one of all the artifacts. Undefined when cancelled or when there are none.
 */
export async function chooseAnyArtifact(api: ServerApi, placeHolder: string): Promise<ArtifactTarget | undefined> {
  const result = await api.artifacts();
  const all = result.folders.flatMap((folder) => folder.artifacts);
  if (all.length === 0) {
    const create = 'Create Manifest';
    void vscode.window.showInformationMessage('This workspace has no artifacts in a Counterpart manifest yet.', create).then((choice) => {
      if (choice === create) void vscode.commands.executeCommand(CommandIds.createManifest);
    });
    return undefined;
  }
  const picked = await pickArtifact(all, placeHolder);
  return picked ? artifactTarget(picked) : undefined;
}
