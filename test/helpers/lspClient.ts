import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams, Registration } from 'vscode-languageserver-protocol';
import { SERVER_EXEC_ARGV, serverEnv } from '../../client/src/serverFlags';

const SERVER = path.resolve(__dirname, '../../../dist/server.js');

export interface StartOptions {
  readonly folders: readonly { uri: string; name: string }[];
  readonly trusted?: boolean;
  /** Whether this client lets the server register document sync dynamically (VS Code does). */
  readonly dynamicSync?: boolean;
  readonly settings?: Record<string, unknown>;
}

/**
 * A minimal LSP client speaking to the built server over stdio, as an editor
 * would: it answers configuration and registration requests and records every
 * published diagnostic.
 */
export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** The URI of every publishDiagnostics received, in order. */
  readonly published: string[] = [];
  readonly registrations: Registration[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly logs: string[] = [];
  settings: Record<string, unknown>;
  /** The server's answer to initialize: its capabilities. */
  initializeResult: { capabilities: Record<string, unknown> } | undefined;
  private version = new Map<string, number>();

  private constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions): Promise<LspClient> {
    const child = spawn(process.execPath, [...SERVER_EXEC_ARGV, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...serverEnv(process.env) } });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, options.settings ?? {});
    child.stderr!.on('data', (d: Buffer) => client.logs.push(d.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.published.push(p.uri);
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => client.logs.push(p.message));
    connection.onNotification((method, params) => client.notifications.push({ method, params }));
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => client.settings));
    connection.onRequest('client/registerCapability', (p: { registrations: Registration[] }) => {
      client.registrations.push(...p.registrations);
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
    client.initializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.folders[0]?.uri ?? null,
      workspaceFolders: options.folders,
      initializationOptions: { trusted: options.trusted ?? true },
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          synchronization: { dynamicRegistration: options.dynamicSync ?? true },
          hover: { contentFormat: ['markdown'] },
          codeLens: {},
          completion: {},
          publishDiagnostics: { relatedInformation: true },
        },
      },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  open(uri: string, text: string, languageId = 'plaintext'): Promise<void> {
    this.version.set(uri, 1);
    return this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a full-document change event). */
  change(uri: string, text: string): Promise<void> {
    const v = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, v);
    return this.notify('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
  }

  close(uri: string): Promise<void> {
    return this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** Polls until the diagnostics of `uri` satisfy `ok`, or fails after `ms`. */
  async waitForDiagnostics(uri: string, ok: (d: Diagnostic[]) => boolean, ms = 5000): Promise<Diagnostic[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const d = this.diagnostics.get(uri);
      if (d && ok(d)) return d;
      if (Date.now() > deadline) throw new Error(`diagnostics of ${uri} never matched; last: ${JSON.stringify(d?.map((x) => x.code))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, ms = 5000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** shutdown + exit, then waits for the process to end; resolves with its exit code. */
  async stop(): Promise<number | null> {
    if (this.process.exitCode !== null) return this.process.exitCode;
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
    try {
      await this.request('shutdown', null);
      await this.notify('exit', null);
    } catch {
      this.process.kill();
    }
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
    if (this.process.exitCode === null) this.process.kill();
    this.connection.dispose();
    return code;
  }
}
