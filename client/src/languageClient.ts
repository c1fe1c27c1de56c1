import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/protocol';
import { SECTION } from './config';
import { SERVER_EXEC_ARGV, serverEnv } from './serverFlags';
import type { Log } from './log';

/**
 * Creates (does not start) the client for the bundled server. The client id
 * is the settings section, so `counterpart.trace.server` drives tracing.
 */
export function createLanguageClient(context: vscode.ExtensionContext, log: Log, traceOutputChannel: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  if (!fs.existsSync(module)) {
    throw new Error(`the language server is missing from the extension (${module}). Reinstall Counterpart, or build it with "npm run build".`);
  }
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV], env: serverEnv(process.env) } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'], env: serverEnv(process.env) } },
  };
  const clientOptions: LanguageClientOptions = {
    // Only real files: untitled buffers and git diff views are left alone. The
    // server registers, dynamically, which of them are synced (those its manifest covers).
    documentSelector: [{ scheme: 'file' }],
    // A function, so a restart after trust is granted sends the new value.
    initializationOptions: (): InitializationOptions => ({ trusted: vscode.workspace.isTrusted }),
    synchronize: { configurationSection: SECTION },
    outputChannel: log.channel,
    traceOutputChannel,
  };
  return new LanguageClient(SECTION, 'Counterpart', serverOptions, clientOptions);
}
