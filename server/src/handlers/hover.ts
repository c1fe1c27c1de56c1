import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import { targetAt } from '../core/lookup';
import { lineLink } from '../convert';
import { hoverMarkdown } from '../present/hover';
import { safe, type ServerContext } from './context';

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover(safe(ctx, 'hover', (params: HoverParams): Hover | null => {
    const at = ctx.workspaces.resolve(params.textDocument.uri);
    const index = at?.folder.index;
    if (!at || !index) return null;
    const target = targetAt(index, at.file, params.position);
    if (!target) return null;
    const value = hoverMarkdown(index, target, (file, range) => lineLink(index.root, file, range));
    return { contents: { kind: MarkupKind.Markdown, value }, range: target.range };
  }));
}
