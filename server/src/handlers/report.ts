import { pathToUri } from '../convert';
import { ReportRequest, type ReportParams, type ReportResult } from '../protocol';
import { buildReport, renderReportHtml } from '../reportStub';
import { safe, type ServerContext } from './context';

/**
 * counterpart/report: the Boundary Map of a folder as a webview page, from the
 * index and findings as they are now. The calendar needs git: it is read (and
 * cached per folder) only in a trusted workspace; otherwise the page says why it is missing.
 */
export function registerReport(ctx: ServerContext): void {
  const { connection, workspaces } = ctx;
  connection.onRequest(ReportRequest, safe(ctx, 'report', async (params: ReportParams): Promise<ReportResult> => {
    workspaces.flushAll();
    const folders = [...workspaces.folders.values()];
    const folder = params.folderUri ? workspaces.folders.get(params.folderUri) : folders.find((f) => f.index) ?? folders[0];
    if (!folder) return { ok: false, problem: params.folderUri ? 'That folder is no longer open.' : 'No folder is open.' };
    const { index, findings } = folder;
    if (!index) return { ok: false, problem: `No ${folder.settings.manifest} in ${folder.name}, so there is no boundary to map. Run "Counterpart: Create Manifest" to start one.` };
    const calendar = workspaces.trusted ? await folder.calendars.read(index.root, index) : undefined;
    const report = buildReport(index, findings, { calendar });
    return { ok: true, folderUri: folder.uri, folderName: folder.name, rootUri: pathToUri(index.root), html: renderReportHtml(report, { mode: 'webview', nonce: params.nonce, cspSource: params.cspSource }) };
  }));
}
