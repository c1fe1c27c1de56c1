import type { ArtifactKind } from '../manifest/model';

/** A place in the workspace: a file relative to the manifest's folder ('/'), and a 0-based line. */
export interface ReportPlace {
  readonly file: string;
  readonly line: number;
}

/** Who made a commit, and which side their email or name puts them on. */
export interface CommitAuthor {
  readonly name: string;
  readonly email: string;
  /** The owner id whose `members` (or lead) lists the author; undefined when nobody does. */
  readonly side?: string;
}

/** A commit as the calendar shows it. */
export interface CalendarCommit {
  /** The full commit id. */
  readonly id: string;
  readonly short: string;
  /** When it was committed (ISO). */
  readonly at: string;
  readonly author: CommitAuthor;
  /** The first line of its message. */
  readonly subject: string;
}

/** A counterpart sign-off found in the ledger's history. */
export interface CalendarSignOff {
  readonly by: string;
  readonly side: string;
  readonly at: string;
  /** The commit that first carried the sign-off in the ledger (short id); undefined when it is not committed yet. */
  readonly commit?: string;
}

/** A change to a boundary artifact's located text in one commit. */
export interface ArtifactChangeEvent {
  readonly type: 'artifact-changed';
  readonly commit: CalendarCommit;
  readonly artifact: string;
  readonly kind: ArtifactKind;
  /** The owner id of the artifact, and the side that reviews it. */
  readonly owner: string;
  readonly counterpart?: string;
  /** The file changed (as named in that commit), and where the text starts in it. */
  readonly place: ReportPlace;
  /** When the file was renamed in the same commit: its old name. */
  readonly renamedFrom?: string;
  /** added: the artifact's text appeared; removed: it disappeared; changed: it differs. */
  readonly change: 'added' | 'changed' | 'removed';
  /** The sign-off by the other side of this very text, when there is one. */
  readonly signedBy?: CalendarSignOff;
  /**
   * The change crossed the boundary and nobody on the other side from its
   * author (the counterpart, or the owner when the counterpart wrote it)
   * signed that text: nobody on the other side saw it.
   */
  readonly unreviewed: boolean;
}

/** An intent that appeared in or disappeared from a UI file in one commit. */
export interface IntentUiEvent {
  readonly type: 'intent-added' | 'intent-removed';
  readonly commit: CalendarCommit;
  readonly intent: string;
  /** Whether the manifest declares it today. */
  readonly declared: boolean;
  readonly place: ReportPlace;
  /** The side owning the surface. */
  readonly owner?: string;
}

/** A counterpart sign-off committed to the review ledger. */
export interface SignOffEvent {
  readonly type: 'signed-off';
  readonly commit: CalendarCommit;
  readonly artifact: string;
  /** The artifact's kind and owner, when the manifest still names it. */
  readonly kind?: ArtifactKind;
  readonly owner?: string;
  /** Who signed, and for which side (as the ledger says). */
  readonly by: string;
  readonly side: string;
  /** The ledger file. */
  readonly place: ReportPlace;
}

export type CalendarEvent = ArtifactChangeEvent | IntentUiEvent | SignOffEvent;

/** One week of the calendar, Monday 00:00 UTC to the next Monday. */
export interface CalendarWeek {
  /** Monday, ISO date (YYYY-MM-DD). */
  readonly start: string;
  readonly events: readonly CalendarEvent[];
}

/** How much history the calendar could read. */
export type HistoryState =
  | 'complete'
  /** A shallow clone: history starts at `startsAt`. */
  | 'shallow'
  /** The folder is not in a git repository. */
  | 'no-repository'
  /** git is not installed or did not answer. */
  | 'no-git';

/** The release calendar: every boundary change, week by week, from git. */
export interface Calendar {
  /** The first day shown (ISO), and the moment it was read. */
  readonly since: string;
  readonly until: string;
  readonly weeks: readonly CalendarWeek[];
  readonly history: HistoryState;
  /** A plain sentence on what history was read ("history starts at 3 Nov 2026: this is a shallow clone"). */
  readonly note: string;
  /** The oldest commit that could be read, when history is shallow or starts inside the window (ISO). */
  readonly startsAt?: string;
  /** How many commits in the window were read. */
  readonly commits: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** The Monday (UTC) of the week holding `date`, as YYYY-MM-DD. */
export function weekStart(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const back = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - back * DAY).toISOString().slice(0, 10);
}

/** The Mondays from the week of `since` to the week of `until`, oldest first. */
export function weekStarts(since: Date, until: Date): string[] {
  const out: string[] = [];
  let t = Date.parse(weekStart(since));
  const end = Date.parse(weekStart(until));
  for (; t <= end && out.length < 10_000; t += 7 * DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The default start of a calendar: the Monday `weeks - 1` weeks before the week of `now`. */
export function defaultSince(now: Date, weeks = 8): Date {
  return new Date(Date.parse(weekStart(now)) - (Math.max(1, weeks) - 1) * 7 * DAY);
}

/** Events put in their weeks (newest week first, newest event first within a week). */
export function groupByWeek(events: readonly CalendarEvent[], since: Date, until: Date): CalendarWeek[] {
  const byWeek = new Map<string, CalendarEvent[]>(weekStarts(since, until).map((w) => [w, []]));
  for (const e of events) {
    const w = weekStart(new Date(e.commit.at));
    const list = byWeek.get(w);
    if (list) list.push(e);
  }
  return [...byWeek.entries()]
    .reverse()
    .map(([start, list]) => ({ start, events: list.sort((a, b) => (a.commit.at < b.commit.at ? 1 : a.commit.at > b.commit.at ? -1 : 0)) }));
}
