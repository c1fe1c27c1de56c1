/**
 * The language server as an editor meets it: the built server over stdio,
 * timed from the client's side. Keystrokes are flushed by a request right
 * after each change (a request never answers from a stale index), so the
 * figure is the server's work plus the pipe, without the 120 ms debounce.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CodeLens, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { LspClient } from '../helpers/lspClient';

export interface ServerFigures {
  readonly startMs: number;
  readonly cliMs: number;
  readonly keystroke: Percentiles;
  /** The server's own time for a keystroke: the request that flushes it, rebuild and publish included. */
  readonly keystrokeServer: Percentiles;
  readonly bytesPerKeystroke: Percentiles;
  readonly filesPerKeystroke: Percentiles;
  readonly hover: Percentiles;
  readonly hoverServer: Percentiles;
  /** The first hover on a marker after start, server-side: it compiles the hover code. */
  readonly firstHoverMs: number;
  readonly lensResolve: Percentiles;
  readonly lensResolveServer: Percentiles;
  readonly largestLens: number;
  /** Right after the first diagnostics, and once idle (see settledRss). */
  readonly rssAfterIndex: number;
  readonly rssSettledAfterIndex: number;
  readonly rssAfterEdits: number;
  readonly rssSettledAfterEdits: number;
  /** The highest resident memory sampled while the keystrokes ran. */
  readonly peakDuringEdits: number;
  /** The process's high-water mark, cold build included. */
  readonly peakRss: number;
  readonly edits: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? 0 };
}

/** Resident and peak memory of a process, from /proc (Linux); 0 where there is none. */
function memoryOf(pid: number | undefined): { rss: number; peak: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** How long an idle server is watched before its memory counts as settled. */
const SETTLE_MS = 25_000;

/**
 * Resident memory once the process has sat idle: V8 gives back the pages a
 * build's garbage left behind only after several idle seconds (its memory
 * reducer), which is the memory a server holds while someone reads code.
 * The lowest of one reading a second over SETTLE_MS.
 */
async function settledRss(pid: number | undefined): Promise<number> {
  let low = memoryOf(pid).rss;
  for (let waited = 0; waited < SETTLE_MS; waited += 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    low = Math.min(low, memoryOf(pid).rss);
  }
  return low;
}

/** The CLI's cold check of the same folder, as a whole process. */
function timeCli(root: string): Promise<number> {
  const cli = path.resolve(__dirname, '../../../dist/cli.js');
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'check', root, '--format', 'json', '--max-warnings=-1'], { stdio: 'ignore' });
  return new Promise<number>((resolve, reject) => {
    child.on('exit', () => resolve(performance.now() - t0));
    child.on('error', reject);
  });
}

export async function measureServer(root: string, uiFiles: readonly string[], edits: number): Promise<ServerFigures> {
  const cliMs = await timeCli(root);
  const uri = (rel: string): string => URI.file(path.join(root, rel)).toString();
  const t0 = performance.now();
  const client = await LspClient.start({ folders: [{ uri: URI.file(root).toString(), name: 'bench' }], settings: {} });
  try {
    // Requests wait for the first build, whose diagnostics are published before the answer.
    const first = uiFiles[0];
    await client.request('textDocument/hover', { textDocument: { uri: uri(first) }, position: { line: 0, character: 0 } });
    const startMs = performance.now() - t0;
    const afterIndex = memoryOf(client.process.pid);
    const settledAfterIndex = await settledRss(client.process.pid);

    // Every publishDiagnostics, with its size and when it came.
    let bytes = 0;
    let files = 0;
    let lastFor = new Map<string, number>();
    client.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      bytes += Buffer.byteLength(JSON.stringify(p));
      files++;
      lastFor.set(p.uri, performance.now());
      client.diagnostics.set(p.uri, p.diagnostics);
    });

    const typed = uiFiles.slice(0, 20);
    const texts = new Map<string, string>();
    for (const rel of typed) {
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      texts.set(rel, text);
      await client.open(uri(rel), text, 'typescriptreact');
    }
    await client.request('textDocument/hover', { textDocument: { uri: uri(first) }, position: { line: 0, character: 0 } });
    await client.request('counterpart/timings', { reset: true });
    const keystroke: number[] = [];
    const sent: number[] = [];
    const count: number[] = [];
    let peakDuringEdits = 0;
    for (let i = 0; i < edits; i++) {
      if (i % 25 === 0) peakDuringEdits = Math.max(peakDuringEdits, memoryOf(client.process.pid).rss);
      const rel = typed[i % typed.length];
      const u = uri(rel);
      // A new undeclared intent each time, so the file's diagnostics change with every keystroke.
      const text = `${texts.get(rel)}\n<button data-intent="typed-${i}">x</button>\n`;
      bytes = 0;
      files = 0;
      lastFor = new Map();
      const start = performance.now();
      await client.change(u, text);
      await client.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 0 } });
      const at = lastFor.get(u);
      if (at === undefined) throw new Error(`The keystroke in ${rel} published no diagnostics for it.`);
      keystroke.push(at - start);
      sent.push(bytes);
      count.push(files);
    }
    const afterEdits = memoryOf(client.process.pid);
    peakDuringEdits = Math.max(peakDuringEdits, afterEdits.rss);
    const editTimes = await client.request<Record<string, number[]>>('counterpart/timings', { reset: true });

    // Hovers and lens resolves where people point: at markers.
    const markerIn = (rel: string): { line: number; character: number } => {
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      const at = text.indexOf('data-intent="');
      const before = text.slice(0, Math.max(0, at));
      return { line: before.split('\n').length - 1, character: at < 0 ? 0 : at - before.lastIndexOf('\n') - 1 + 14 };
    };
    // The server's first hover on a marker compiles the hover code (once per process): timed apart.
    const warm = uiFiles[uiFiles.length - 1];
    await client.request('textDocument/hover', { textDocument: { uri: uri(warm) }, position: markerIn(warm) });
    const firstHoverMs = (await client.request<Record<string, number[]>>('counterpart/timings', { reset: true })).hover?.[0] ?? 0;
    const hover: number[] = [];
    const lens: number[] = [];
    let largestLens = 0;
    for (let i = 0; i < 200; i++) {
      const rel = uiFiles[(i * 37) % uiFiles.length];
      const { line, character } = markerIn(rel);
      const h0 = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri: uri(rel) }, position: { line, character } });
      hover.push(performance.now() - h0);
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(rel) } });
      for (const l of lenses.slice(0, 3)) {
        const l0 = performance.now();
        const resolved = await client.request<CodeLens>('codeLens/resolve', l);
        lens.push(performance.now() - l0);
        largestLens = Math.max(largestLens, Buffer.byteLength(JSON.stringify(resolved)));
      }
    }
    const end = memoryOf(client.process.pid);
    const lookTimes = await client.request<Record<string, number[]>>('counterpart/timings', { reset: true });
    const settledAfterEdits = await settledRss(client.process.pid);
    return {
      startMs,
      cliMs,
      keystroke: percentiles(keystroke),
      keystrokeServer: percentiles(editTimes.hover ?? []),
      bytesPerKeystroke: percentiles(sent),
      filesPerKeystroke: percentiles(count),
      hover: percentiles(hover),
      firstHoverMs,
      hoverServer: percentiles(lookTimes.hover ?? []),
      lensResolve: percentiles(lens),
      lensResolveServer: percentiles(lookTimes['code lens'] ?? []),
      largestLens,
      rssAfterIndex: afterIndex.rss,
      rssSettledAfterIndex: settledAfterIndex,
      rssAfterEdits: afterEdits.rss,
      rssSettledAfterEdits: settledAfterEdits,
      peakDuringEdits,
      peakRss: Math.max(end.peak, afterEdits.peak),
      edits,
    };
  } finally {
    await client.stop();
  }
}
