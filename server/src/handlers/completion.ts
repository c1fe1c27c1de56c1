import { CompletionItemKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver/node';
import { manifestCompletions } from '../present/manifestCompletion';
import { safe, type ServerContext } from './context';

const KINDS = { owner: CompletionItemKind.Value, kind: CompletionItemKind.EnumMember, format: CompletionItemKind.EnumMember, intent: CompletionItemKind.Reference, path: CompletionItemKind.File } as const;

export function registerCompletion(ctx: ServerContext): void {
  ctx.connection.onCompletion(safe(ctx, 'completion', (params: CompletionParams): CompletionItem[] => {
    const at = ctx.workspaces.resolve(params.textDocument.uri);
    const index = at?.folder.index;
    if (!at || !index || at.file !== index.manifestFile) return [];
    const text = ctx.workspaces.host.readText(`${index.root}/${at.file}`) ?? '';
    const { line, character } = params.position;
    const { choices, replaceFrom } = manifestCompletions(index, text.split(/\r?\n/), line, character);
    return choices.map((c) => ({
      label: c.label,
      kind: KINDS[c.kind],
      detail: c.detail,
      textEdit: { range: { start: { line, character: replaceFrom }, end: { line, character } }, newText: c.label },
    }));
  }));
}
