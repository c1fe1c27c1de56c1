// TEMPORARY: stands in for the boundary report (server/src/core/report/model.ts,
// server/src/node/calendar.ts, server/src/present/report/html.ts on branch issue13) until it is
// merged, with the same signatures. Delete after merging.
import type { Finding } from './core/findings';
import type { WorkspaceIndex } from './core/index/workspaceIndex';
import { Git } from './node/git';

export interface Calendar {
  readonly commits: number;
  readonly note?: string;
}

export interface BoundaryReport {
  readonly folder: string;
  readonly findings: readonly Finding[];
  readonly calendar?: Calendar;
  readonly artifacts: readonly { readonly id: string; readonly owner: string; readonly file?: string }[];
}

export function buildReport(index: WorkspaceIndex, findings: readonly Finding[], options?: { calendar?: Calendar; now?: Date }): BoundaryReport {
  return {
    folder: index.root.split('/').pop() ?? index.root,
    findings,
    calendar: options?.calendar,
    artifacts: index.manifest.artifacts.map((a) => ({ id: a.id, owner: a.owner.value, file: index.contents.get(a.id)?.files[0] })),
  };
}

export async function readCalendar(folder: string, _index: WorkspaceIndex, _options?: { since?: Date; weeks?: number; cacheDir?: string }): Promise<Calendar> {
  const head = new Git(folder).headCommit();
  return head ? { commits: 1 } : { commits: 0, note: 'This folder has no git history, so the calendar is empty.' };
}

export interface HtmlOptions {
  mode: 'file' | 'webview';
  nonce?: string;
  cspSource?: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderReportHtml(report: BoundaryReport, options: HtmlOptions): string {
  const csp = options.mode === 'webview' ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${options.cspSource ?? ''} 'unsafe-inline'; script-src 'nonce-${options.nonce ?? ''}';">` : '';
  const rows = report.findings
    .map((f) => `<tr><td>${esc(f.severity)}</td><td>${esc(f.code)}</td><td><a href="#" data-file="${esc(f.file)}" data-line="${f.range.start.line}">${esc(f.file)}:${f.range.start.line + 1}</a></td><td>${esc(f.message)}</td></tr>`)
    .join('');
  const calendar = report.calendar ? `<p>${esc(report.calendar.note ?? `${report.calendar.commits} commits read.`)}</p>` : '<p>No calendar: git does not run in Restricted Mode.</p>';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${csp}<title>Boundary Map</title>
<style>body{color:var(--vscode-foreground,#222);background:var(--vscode-editor-background,#fff);font-family:var(--vscode-font-family,sans-serif)} a{color:var(--vscode-textLink-foreground,#0645ad)}</style></head>
<body><main><h1>Boundary Map: ${esc(report.folder)}</h1><h2>Calendar</h2>${calendar}<h2>Drift</h2>
<table><caption>Findings</caption><thead><tr><th scope="col">Severity</th><th scope="col">Code</th><th scope="col">Place</th><th scope="col">Message</th></tr></thead><tbody>${rows}</tbody></table></main></body></html>`;
}
