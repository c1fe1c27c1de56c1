import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorText, type Log } from '../log';
import { ServerRequestError, type ServerApi } from '../serverApi';
import type { FileStatusBar } from '../status';
import type { BoundaryMap } from '../views/boundaryMap';
import type { BoundaryTree } from '../views/boundaryTree';

/** What the commands work with. */
export interface CommandContext {
  readonly client: LanguageClient;
  readonly api: ServerApi;
  readonly log: Log;
  readonly boundary: BoundaryTree;
  readonly map: BoundaryMap;
  readonly status: FileStatusBar;
}

const SHOW_OUTPUT = 'Show Output';

/**
 * Registers a command whose failures are logged and shown as one sentence
 * (with a way to the log), never as a silent rejection.
 */
export function registerCommand(id: string, log: Log, run: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (error) {
      if (!(error instanceof ServerRequestError)) log.error(`Command ${id} failed`, error);
      const message = error instanceof ServerRequestError ? error.userMessage : `Counterpart ran into a problem: ${errorText(error)}`;
      void vscode.window.showErrorMessage(message, SHOW_OUTPUT).then((choice) => {
        if (choice === SHOW_OUTPUT) log.show();
      });
      return undefined;
    }
  });
}

/** Refreshes what shows the boundary after a command changed it (a review, a manifest). */
export function refreshViews(ctx: CommandContext): void {
  void ctx.boundary.refresh();
  void ctx.status.update();
}
