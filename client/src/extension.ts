import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { CommandIds } from './commands/ids';
import { SECTION, describeSettings, readSettings } from './config';
import { debounce } from './debounce';
import { registerRoleFolding } from './folding';
import { createLanguageClient } from './languageClient';
import { Log, errorText } from './log';
import { ServerApi } from './serverApi';
import { FileStatusBar, MapStatusItem } from './status';
import { BoundaryMap } from './views/boundaryMap';
import { BoundaryTree } from './views/boundaryTree';

/** What `activate` returns, for the end-to-end tests. */
export interface CounterpartApi {
  readonly client: LanguageClient;
  /** Resolves once the server answered `initialize` and the Boundary view and status bar have loaded. */
  readonly ready: Promise<void>;
  /** The Boundary view's data, so tests read what a person sees there. */
  readonly boundary: BoundaryTree;
  /** The status bar item's current text and tooltip. */
  readonly status: FileStatusBar;
  /** The Boundary Map webview: whether it is open and the page it shows. */
  readonly map: BoundaryMap;
}

let activeClient: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): CounterpartApi {
  const log = new Log();
  context.subscriptions.push(log);
  try {
    return start(context, log);
  } catch (error) {
    // VS Code only logs a failed activation where nobody looks: say it.
    log.error('Counterpart could not start', error);
    void vscode.window.showErrorMessage(`Counterpart could not start: ${errorText(error)}`, 'Show Output').then((choice) => {
      if (choice) log.show();
    });
    throw error;
  }
}

function start(context: vscode.ExtensionContext, log: Log): CounterpartApi {
  log.info(`Counterpart ${String(context.extension.packageJSON.version)} starting; workspace ${vscode.workspace.isTrusted ? 'trusted' : 'in Restricted Mode'}; settings: ${describeSettings(readSettings())}.`);
  const traceChannel = vscode.window.createOutputChannel('Counterpart Trace');
  context.subscriptions.push(traceChannel);

  const client = createLanguageClient(context, log, traceChannel);
  activeClient = client;
  const api = new ServerApi(client, log);
  const boundary = new BoundaryTree(api, log);
  const status = new FileStatusBar(api);
  const map = new BoundaryMap(api, log);
  const mapItem = new MapStatusItem(CommandIds.openBoundaryMap);
  context.subscriptions.push(boundary, status, map, mapItem, registerRoleFolding(), ...registerCommands({ client, api, log, boundary, status, map }));

  const refreshAll = (): void => {
    void boundary.refresh();
    void status.update();
    map.changed();
  };
  const refreshSoon = debounce(refreshAll, 500);
  context.subscriptions.push(
    refreshSoon,
    // Kept by the client across restarts.
    client.onNotification(StatusNotification, (params: StatusParams) => {
      boundary.setServerStatus(params);
      status.setServerStatus(params);
      mapItem.setServerStatus(params);
      // Sent after every rebuild: the map follows the files while they change.
      map.changed();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      log.info(`Settings changed: ${describeSettings(readSettings())}.`);
      refreshSoon();
    }),
    // The server learns about trust only at start (it then may run git and write): restart it.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('Workspace trusted: restarting the language server.');
      client.restart().then(refreshAll, (error: unknown) => log.error('Restarting the language server after trust was granted failed', error));
    }),
  );

  const ready = client.start().then(async () => {
    log.info('Language server ready.');
    await Promise.all([boundary.refresh(), status.update()]);
  });
  // The language client already shows its own message when the server fails to start.
  ready.catch((error: unknown) => log.error('The language server did not start', error));
  return { client, ready, boundary, status, map };
}

export async function deactivate(): Promise<void> {
  const client = activeClient;
  activeClient = undefined;
  if (!client) return;
  try {
    await client.dispose();
  } catch {
    // Shutting down: a server that is already gone is fine.
  }
}
