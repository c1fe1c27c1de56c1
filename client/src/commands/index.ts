import type * as vscode from 'vscode';
import type { CommandContext } from './context';
import { registerManifestCommands } from './manifest';
import { registerMarkReviewed } from './markReviewed';
import { registerNavigationCommands } from './navigation';
import { registerRequestReview } from './requestReview';
import { registerServerCommands } from './server';

export type { CommandContext } from './context';

/** Registers every command; the refresh of the Boundary view is registered by the view itself. */
export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerRequestReview(ctx),
    registerMarkReviewed(ctx),
    ...registerManifestCommands(ctx),
    ...registerNavigationCommands(ctx),
    ...registerServerCommands(ctx),
  ];
}
