import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildReport } from '../core/report/model';
import { computeFindings } from '../core/rules/rules';
import { readCalendar } from '../node/calendar';
import { Git } from '../node/git';
import { toPosix, writeFileAtomic } from '../node/nodeHost';
import { reviewedTextFromGit } from '../node/previous';
import { renderReportHtml } from '../present/report/html';
import { renderReportMarkdown } from '../present/report/markdown';
import { displayPath } from './formats';
import { open, type Io } from './commands';

export const REPORT_FORMATS = ['markdown', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportCommand {
  readonly folder: string;
  readonly manifest?: string;
  /** Write the HTML page here (absolute). */
  readonly html?: string;
  /** Print the report in this format; by default markdown, or nothing when `html` is given. */
  readonly format?: ReportFormat;
  readonly since?: Date;
  readonly weeks?: number;
  /** Read git (history, reviewed text); off with --no-git. */
  readonly git: boolean;
}

/** `counterpart report`: the coverage map, the release calendar and the drift list, in one of three formats. */
export async function runReport(io: Io, o: ReportCommand): Promise<number> {
  const index = await open(o.folder, o.manifest);
  const git = o.git ? new Git(index.root) : undefined;
  // One reader for the rules and the drift list: git is asked once per artifact.
  const reviewedText = git ? reviewedTextFromGit(index, git) : undefined;
  const findings = computeFindings(index, { reviewedText });
  const now = io.now();
  const calendar = o.git ? await readCalendar(index.root, index, { since: o.since, weeks: o.weeks, now }) : undefined;
  const report = buildReport(index, findings, { calendar, now, reviewedText });
  if (o.html) {
    const base = toPosix(path.relative(path.dirname(o.html), index.root));
    const html = renderReportHtml(report, { mode: 'file', nonce: randomBytes(18).toString('base64'), linkBase: base ? `${base}/` : '' });
    writeFileAtomic(o.html, html);
    io.err(`Wrote ${displayPath(path.dirname(o.html), path.basename(o.html), io.cwd)} (${Math.ceil(Buffer.byteLength(html) / 1024).toLocaleString('en-US')} KB).\n`);
  }
  const format = o.format ?? (o.html ? undefined : 'markdown');
  if (format === 'markdown') io.out(renderReportMarkdown(report));
  else if (format === 'json') io.out(JSON.stringify(report, null, 2) + '\n');
  else if (format === 'html') io.out(renderReportHtml(report, { mode: 'file', nonce: randomBytes(18).toString('base64'), linkBase: `${toPosix(path.relative(io.cwd, index.root)) || '.'}/` }));
  return 0;
}
