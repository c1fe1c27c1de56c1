import * as vscode from 'vscode';
import type { CounterpartApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'counterpart.counterpart';

/** Activates Counterpart (installed or under development) and waits for its server. */
export async function counterpart(): Promise<CounterpartApi> {
  const ext = vscode.extensions.getExtension<CounterpartApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = await ext.activate();
  await api.ready;
  return api;
}

export function folder(index = 0): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[index];
  if (!f) throw new Error('no workspace folder open');
  return f.uri;
}

export function file(rel: string, index = 0): vscode.Uri {
  return vscode.Uri.joinPath(folder(index), rel);
}

/** Polls `probe` until it returns something, or fails after `ms` with `what`. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 10000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function counterpartDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Counterpart');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export function rangeText(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}
