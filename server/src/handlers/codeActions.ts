import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import { pathToUri, type DiagnosticData } from '../convert';
import { addIntentToArtifactEdit, declareIntentEdit, starterEvalCaseEdit, type FileEdit } from '../present/quickFixes';
import { Commands } from '../protocol';
import type { Folder } from '../workspace/folder';
import { safe, type ServerContext } from './context';

/** Quick fixes for mechanical gaps; each is a workspace edit the user can undo. */
export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction(safe(ctx, 'code actions', (params: CodeActionParams): CodeAction[] => {
    const at = ctx.workspaces.resolve(params.textDocument.uri);
    if (!at?.folder.index) return [];
    const actions: CodeAction[] = [];
    const seen = new Set<string>();
    for (const d of params.context.diagnostics) {
      if (d.source !== 'Counterpart') continue;
      for (const action of fixesFor(ctx, at.folder, at.file, d)) {
        if (seen.has(action.title)) continue;
        seen.add(action.title);
        actions.push(action);
      }
    }
    return actions;
  }));
}

function fixesFor(ctx: ServerContext, folder: Folder, file: string, d: Diagnostic): CodeAction[] {
  const index = folder.index!;
  const data = (d.data ?? {}) as DiagnosticData;
  const read = (rel: string): string | undefined => ctx.workspaces.host.readText(`${index.root}/${rel}`);
  const edit = (title: string, e: FileEdit | undefined, preferred = false): CodeAction[] => {
    if (!e) return [];
    const change: TextEdit = { range: e.range, newText: e.newText };
    return [{ title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: preferred, edit: { changes: { [pathToUri(`${index.root}/${e.file}`)]: [change] } } }];
  };
  const intent = data.intent;
  switch (d.code) {
    case 'undeclared-intent':
    case 'unknown-intent': {
      if (!intent) return [];
      const marker = index.fileMarkers.get(file)?.find((m) => m.intent === intent);
      const owner = marker ? index.manifest.surfaces[marker.surfaceIndex]?.owner.value : [...index.manifest.intents.values()].find((i) => i.owner)?.owner?.value;
      const title = `Declare intent '${intent}' in ${index.manifestFile}${owner ? ` (owned by ${index.owner(owner)?.title ?? owner})` : ''}`;
      return edit(title, declareIntentEdit(index, read, intent, owner), true);
    }
    case 'uncovered-intent': {
      if (!intent) return [];
      const starter = starterEvalCaseEdit(index, read, intent);
      return starter ? edit(`Add a starter eval case for '${intent}' to ${starter.edit.file}`, starter.edit) : [];
    }
    case 'unhandled-intent': {
      if (!intent) return [];
      return index.artifactsOfKind('system-prompt').flatMap((prompt) => edit(`Tune '${prompt.id}' for '${intent}': add it to the prompt's intents`, addIntentToArtifactEdit(index, read, prompt, intent)));
    }
    case 'never-reviewed':
    case 'changed-since-review':
    case 'tool-contract-change': {
      if (!data.artifact) return [];
      const args = [{ artifactId: data.artifact, folderUri: folder.uri }];
      return [
        { title: `Mark '${data.artifact}' reviewed (records the counterpart's sign-off)`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Mark Reviewed', command: Commands.markReviewed, arguments: args } },
        { title: `Request a counterpart review of '${data.artifact}'`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Request Counterpart Review', command: Commands.requestReview, arguments: args } },
      ];
    }
    default:
      return [];
  }
}
