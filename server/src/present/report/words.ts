import { capital, formatDay, kindNoun, plural } from '../../core/describe';
import type { BoundaryReport, CalendarEvent, DriftItem, IntentRow, IntentState, ReportSide } from '../../core/report/model';
import { STATE_TITLES } from '../../core/report/model';

/**
 * The sentences of the boundary report, shared by the HTML and Markdown
 * renderers (and the VS Code webview), so every place says the same thing.
 */

/** The side's name ("ML Platform (@sam)"), or the id as written when the manifest does not declare it. */
export function sideLabel(report: BoundaryReport, id: string | undefined): string {
  if (id === undefined) return 'No owner';
  return report.sides.find((s) => s.id === id)?.name ?? id;
}

export function sideTitle(side: ReportSide | undefined, id: string | undefined): string {
  return side?.title ?? id ?? 'No owner';
}

/** "Express refund (express-refund)" or the id alone. */
export function intentLabel(row: IntentRow): string {
  return row.title ? `${row.title} (${row.id})` : row.id;
}

/** Short state names for badges and filters. */
export const STATE_SHORT: Readonly<Record<IntentState, string>> = {
  uncovered: 'Uncovered',
  unhandled: 'Unhandled',
  'promised-unhandled': 'Promised, not handled',
  undeclared: 'Undeclared',
  'in-step': 'In step',
};

export function stateTitle(state: IntentState): string {
  return STATE_TITLES[state];
}

/** The one-line summary under the title. */
export function summarySentence(report: BoundaryReport): string {
  const t = report.totals;
  const parts = [
    `${plural(t.intents, 'intent')}, ${t.intentsWithGaps} with gaps`,
    `${plural(t.artifacts, 'artifact')}, ${t.drifted} changed since review, ${t.neverReviewed} never reviewed`,
  ];
  if (report.calendar?.weeks.length) parts.push(`${plural(t.unreviewedCrossings, 'change')} nobody on the other side reviewed`);
  if (t.errors) parts.push(`${plural(t.errors, 'manifest error')}`);
  return `${parts.join('; ')}.`;
}

/** "Week of 30 Nov 2026". */
export function weekTitle(start: string): string {
  return `Week of ${formatDay(`${start}T00:00:00Z`)}`;
}

/** What happened, in a sentence without the author or commit: "System prompt 'support-prompt' changed". */
export function eventSentence(event: CalendarEvent): string {
  if (event.type === 'artifact-changed') {
    const what = `${capital(kindNoun(event.kind))} '${event.artifact}'`;
    const how = event.change === 'added' ? 'appeared' : event.change === 'removed' ? 'was removed' : 'changed';
    return `${what} ${how}${event.renamedFrom ? ` (file renamed from ${event.renamedFrom})` : ''}`;
  }
  if (event.type === 'signed-off') {
    const what = event.kind ? `${kindNoun(event.kind)} '${event.artifact}'` : `'${event.artifact}'`;
    return `${event.by} signed off ${what}`;
  }
  const where = event.declared ? '' : ' (not declared in the manifest)';
  return event.type === 'intent-added' ? `Intent '${event.intent}' added to the UI${where}` : `Intent '${event.intent}' removed from the UI${where}`;
}

/** Whether the other side saw it: "Signed by @dana (Product)", "Not reviewed by the other side". */
export function reviewSentence(report: BoundaryReport, event: CalendarEvent): string {
  if (event.type !== 'artifact-changed') return '';
  if (event.signedBy) return `Signed by ${event.signedBy.by} (${sideTitle(report.sides.find((s) => s.id === event.signedBy?.side), event.signedBy.side)}), ${formatDay(event.signedBy.at)}`;
  return event.unreviewed ? 'Not reviewed by the other side' : 'No review needed';
}

/** "Dana Lee (Product)", or "(no side)" when the author is in no side's members. */
export function authorLabel(report: BoundaryReport, event: CalendarEvent): string {
  const a = event.commit.author;
  const side = a.side ? sideTitle(report.sides.find((s) => s.id === a.side), a.side) : 'no side';
  return `${a.name || a.email} (${side})`;
}

/** Who must look at a drifted artifact, and since when. */
export function driftSentence(item: DriftItem): string {
  return `Changed since ${item.lastReview.by} reviewed it on ${formatDay(item.lastReview.at)}${item.lastReview.commit ? ` (commit ${item.lastReview.commit})` : ''}. ${item.reviewer} should review it again.`;
}

export { formatDay, plural };
