import { DidChangeWatchedFilesNotification, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerCodeActions } from './handlers/codeActions';
import { registerCodeLens } from './handlers/codeLens';
import { registerCompletion } from './handlers/completion';
import type { ServerContext } from './handlers/context';
import { registerCustomRequests } from './handlers/custom';
import { registerHover } from './handlers/hover';
import { registerNavigation } from './handlers/navigation';
import { registerReport } from './handlers/report';
import { registerSemanticTokens } from './handlers/semanticTokens';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from './present/semanticTokens';
import type { InitializationOptions } from './protocol';
import { Workspaces } from './workspace/workspaces';

declare const COUNTERPART_VERSION: string | undefined;

/** Wires the Counterpart language server onto a connection (stdio, ipc or streams). */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let workspaces: Workspaces | undefined;
  let initialFolders: { uri: string; name: string }[] = [];
  let watchFiles = false;
  let folderEvents = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
    const caps = params.capabilities;
    const dynamicSync = caps.textDocument?.synchronization?.dynamicRegistration === true;
    workspaces = new Workspaces(connection, {
      // Other editors never sent trust: they run the server on purpose, so it is trusted unless told otherwise.
      trusted: options.trusted !== false,
      canPullSettings: caps.workspace?.configuration === true,
      dynamicSync,
      semanticRefresh: caps.workspace?.semanticTokens?.refreshSupport === true,
      watchesFiles: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    });
    watchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    folderEvents = caps.workspace?.workspaceFolders === true;
    initialFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    const ctx: ServerContext = { connection, workspaces };
    registerHover(ctx);
    registerCodeLens(ctx);
    registerCompletion(ctx);
    registerNavigation(ctx);
    registerCodeActions(ctx);
    registerCustomRequests(ctx);
    registerReport(ctx);
    registerSemanticTokens(ctx);
    return {
      serverInfo: { name: 'counterpart-language-server', version: typeof COUNTERPART_VERSION === 'string' ? COUNTERPART_VERSION : 'dev' },
      capabilities: {
        // With dynamic registration the server syncs only what its manifests cover. Say "none" here
        // rather than nothing: left undefined, the library fills in full sync of every document, and
        // an editor that honours both then sends each edit twice.
        textDocumentSync: dynamicSync ? { openClose: false, change: TextDocumentSyncKind.None } : TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeLensProvider: { resolveProvider: true },
        completionProvider: { triggerCharacters: [' ', '[', ',', '/'] },
        definitionProvider: true,
        referencesProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentLinkProvider: { resolveProvider: false },
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
    };
  });

  connection.onInitialized(async () => {
    const ws = workspaces!;
    if (folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders(async (e) => {
        await ws.removeFolders(e.removed);
        await ws.addFolders(e.added);
      });
    }
    if (watchFiles) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
    }
    await ws.start(initialFolders);
  });

  // Fires on open too: an opened buffer overrides the disk from then on.
  documents.onDidChangeContent((e) => workspaces?.documentChanged(e.document.uri, e.document.getText()));
  documents.onDidClose((e) => workspaces?.documentClosed(e.document.uri));

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) workspaces?.fileEvent(change.uri, change.type === 1 ? 'created' : change.type === 3 ? 'deleted' : 'changed');
  });
  connection.onDidChangeConfiguration(() => void workspaces?.configurationChanged());

  documents.listen(connection);
  connection.listen();
}
