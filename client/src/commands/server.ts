import * as vscode from 'vscode';
import { refreshViews, registerCommand, type CommandContext } from './context';
import { CommandIds } from './ids';

/** Restart Server and Show Output. */
export function registerServerCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerCommand(CommandIds.restartServer, ctx.log, async () => {
      ctx.log.info('Restarting the language server (asked by the user).');
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Restarting Counterpart…' }, () => ctx.client.restart());
      refreshViews(ctx);
    }),
    registerCommand(CommandIds.showOutput, ctx.log, () => ctx.log.show()),
  ];
}
