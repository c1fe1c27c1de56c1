import { pathToUri } from '../convert';
import { buildReport } from '../core/report/model';
import { renderReportHtml } from '../present/report/html';
import { ReportRequest, type ReportParams, type ReportResult } from '../protocol';
import { restrictedCalendar } from '../workspace/calendars';
import type { Folder } from '../workspace/folder';
import { safe, type ServerContext } from './context';

/**
 * counterpart/report: the Boundary Map of a folder as a webview page, from the
 * index and findings as they are now. The calendar and the reviewed texts need
 * git: they are read (the calendar cached per folder) only in a trusted
 * workspace; otherwise the page says why the calendar is missing.
 */
export function registerReport(ctx: ServerContext): void {
  const { connection, workspaces } = ctx;
  const lastPages = new WeakMap<Folder, { readonly key: string; readonly html: string }>();
  connection.onRequest(ReportRequest, safe(ctx, 'report', async (params: ReportParams): Promise<ReportResult> => {
    workspaces.flushAll();
    const folders = [...workspaces.folders.values()];
    const folder = params.folderUri ? workspaces.folders.get(params.folderUri) : folders.find((f) => f.index) ?? folders[0];
    if (!folder) return { ok: false, problem: params.folderUri ? 'That folder is no longer open.' : 'No folder is open.' };
    const { index, findings } = folder;
    if (!index) return { ok: false, problem: `No ${folder.settings.manifest} in ${folder.name}, so there is no boundary to map. Run "Counterpart: Create Manifest" to start one.` };
    const now = new Date();
    const trusted = workspaces.trusted;
    const calendar = trusted ? await folder.calendars.read(index.root, index, now) : restrictedCalendar(now);
    const report = buildReport(index, findings, { calendar, now, reviewedText: trusted ? folder.reviewedTextFromGit(index) : undefined });
    // The same facts give the same page (not a new "built at"), so the webview is not redrawn for nothing.
    const key = JSON.stringify([params.nonce, params.cspSource, { ...report, generatedAt: undefined, calendar: report.calendar && { ...report.calendar, until: undefined } }]);
    const last = lastPages.get(folder);
    const html = last?.key === key ? last.html : renderReportHtml(report, { mode: 'webview', nonce: params.nonce, cspSource: params.cspSource });
    lastPages.set(folder, { key, html });
    return { ok: true, folderUri: folder.uri, folderName: folder.name, rootUri: pathToUri(index.root), html };
  }));
}
