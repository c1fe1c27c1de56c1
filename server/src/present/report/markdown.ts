import { capital } from '../../core/describe';
import { CELL_KINDS, CELL_TITLES, type BoundaryReport, type ReportCell, type ReportPlace } from '../../core/report/model';
import { authorLabel, driftSentence, eventSentence, formatDay, intentLabel, plural, reviewSentence, sideLabel, STATE_SHORT, summarySentence, weekTitle } from './words';

/** Text from the workspace in a table cell or a line: no markup, no line breaks, no pipes. */
function md(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

function where(p: ReportPlace): string {
  return `\`${p.file.replace(/`/g, "'")}:${p.line + 1}\``;
}

function cellText(cell: ReportCell): string {
  const gap = cell.gap ? ` ⚠ **${STATE_SHORT[cell.gap]}**` : '';
  const per = cell.perPrompt?.length ? ` (${cell.perPrompt.map((p) => `${md(p.prompt)}: ${p.count}`).join(', ')})` : '';
  return `${cell.count}${gap}${per}`;
}

/**
 * The boundary report in GitHub-flavoured Markdown, for a CI job summary or
 * a wiki page: the same sections as the HTML page, places as `file:line`.
 */
export function renderReportMarkdown(report: BoundaryReport): string {
  const out: string[] = [];
  out.push(`# Boundary report: ${md(report.workspace)}`, '');
  out.push(`Built ${formatDay(report.generatedAt)} at ${report.generatedAt.slice(11, 16)} UTC from \`${report.manifestFile}\`. ${summarySentence(report)}`, '');
  if (report.sides.length) {
    for (const s of report.sides) out.push(`- **${md(s.name)}**${s.members.length ? `: ${md(s.members.join(', '))}` : ''}`);
    out.push('');
  }

  out.push('## Coverage map', '');
  if (!report.intents.length) {
    out.push('The manifest declares no intents, and no UI or eval case names one.', '');
  } else {
    const groups = new Map<string | undefined, typeof report.intents[number][]>();
    for (const row of report.intents) groups.set(row.owner, [...(groups.get(row.owner) ?? []), row]);
    for (const [owner, rows] of groups) {
      out.push(`### ${md(sideLabel(report, owner))}: ${plural(rows.length, 'intent')}`, '');
      out.push(`| Intent | State | ${CELL_KINDS.map((k) => CELL_TITLES[k]).join(' | ')} |`);
      out.push(`|---|---|${CELL_KINDS.map(() => '---:').join('|')}|`);
      for (const row of rows) {
        const states = row.states.map((s) => (s === 'in-step' ? '✓ In step' : `⚠ ${STATE_SHORT[s]}`)).join(', ');
        out.push(`| ${md(intentLabel(row))} | ${states} | ${CELL_KINDS.map((k) => cellText(row.cells[k])).join(' | ')} |`);
      }
      out.push('');
    }
  }

  out.push('## Release calendar', '');
  const cal = report.calendar;
  if (!cal) {
    out.push('No calendar: git history was not read for this report.', '');
  } else {
    out.push(`${md(cal.note)}`, '');
    for (const week of cal.weeks) {
      out.push(`### ${weekTitle(week.start)}`, '');
      if (!week.events.length) {
        out.push('No boundary change.', '');
        continue;
      }
      out.push('| Date | Change | Where | Commit | Author (side) | Counterpart review |', '|---|---|---|---|---|---|');
      for (const ev of week.events) {
        const unreviewed = ev.type === 'artifact-changed' && ev.unreviewed;
        const review = ev.type !== 'artifact-changed' ? '—' : unreviewed ? `⚠ **${reviewSentence(report, ev)}**` : `✓ ${md(reviewSentence(report, ev))}`;
        out.push(`| ${formatDay(ev.commit.at)} | ${md(eventSentence(ev))} | ${where(ev.place)} | \`${ev.commit.short}\` ${md(ev.commit.subject)} | ${md(authorLabel(report, ev))} | ${review} |`);
      }
      out.push('');
    }
  }

  out.push('## Drift: changed since the counterpart review', '');
  if (!report.drift.length) out.push('Every reviewed artifact is as its counterpart signed it off.', '');
  for (const item of report.drift) {
    out.push(`### ${capital(item.kindNoun)} '${md(item.artifact)}'`, '');
    out.push(`Owned by ${md(sideLabel(report, item.owner))}${item.place ? `, at ${where(item.place)}` : ''}. ${md(driftSentence(item))}`, '');
    if (item.contractChange) out.push(`⚠ **${md(item.contractChange)}**`, '');
    if (item.diff.kind === 'patch') {
      const fence = '`'.repeat(Math.max(3, longestRun(item.diff.text, '`') + 1));
      out.push(`${fence}diff`, item.diff.text, fence, '');
    } else if (item.diff.kind === 'rewritten') {
      out.push(`The text was rewritten: ${plural(item.diff.now, 'line')} now, ${plural(item.diff.reviewed, 'line')} as reviewed. Review it as a whole.`, '');
    } else {
      out.push(md(item.diff.why), '');
    }
  }

  out.push('## Artifacts waiting for review', '');
  const waiting = report.artifacts.filter((a) => a.state !== 'in-step');
  if (!report.artifacts.length) out.push('The manifest names no artifacts.', '');
  else if (!waiting.length) out.push('None: the counterpart has signed off every artifact as it is now.', '');
  else {
    out.push('| Artifact | Owner | Kind | Reviewed by | Review |', '|---|---|---|---|---|');
    const label: Record<string, string> = { changed: '⚠ Changed since review', 'never-reviewed': '• Never reviewed', unknown: '• Not read' };
    for (const a of waiting) out.push(`| ${md(a.id)} | ${md(sideLabel(report, a.owner))} | ${a.kindNoun} | ${md(sideLabel(report, a.counterpart))} | ${label[a.state]} |`);
    out.push('');
  }
  const inStep = report.artifacts.filter((a) => a.state === 'in-step');
  if (inStep.length) out.push(`Reviewed and in step (${inStep.length.toLocaleString('en-US')}): ${md(inStep.map((a) => a.id).join(', '))}.`, '');

  out.push('## Manifest problems', '');
  if (!report.problems.length) out.push('None: the manifest and the files it names read cleanly.', '');
  else {
    for (const p of report.problems) out.push(`- **${p.severity === 'information' ? 'Note' : p.severity}** \`${p.code}\` ${where(p.place)}: ${md(p.message)}`);
    out.push('');
  }
  return out.join('\n');
}

function longestRun(text: string, c: string): number {
  let best = 0;
  let run = 0;
  for (const ch of text) {
    run = ch === c ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}
