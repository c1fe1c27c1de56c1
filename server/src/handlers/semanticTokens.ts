import type { SemanticTokens, SemanticTokensParams } from 'vscode-languageserver/node';
import { LineIndex } from '../core/text';
import { boundaryTokens, encodeTokens } from '../present/semanticTokens';
import { safe, type ServerContext } from './context';

export function registerSemanticTokens(ctx: ServerContext): void {
  ctx.connection.languages.semanticTokens.on(safe(ctx, 'semantic tokens', (params: SemanticTokensParams): SemanticTokens => {
    const at = ctx.workspaces.resolve(params.textDocument.uri);
    const index = at?.folder.index;
    if (!at || !index) return { data: [] };
    let lines: LineIndex | undefined;
    const lineLength = (line: number): number => {
      lines ??= new LineIndex(ctx.workspaces.host.readText(`${index.root}/${at.file}`) ?? '');
      return lines.lineText(line).length;
    };
    return { data: encodeTokens(boundaryTokens(index, at.file, lineLength)) };
  }));
}
