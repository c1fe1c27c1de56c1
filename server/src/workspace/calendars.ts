import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import type { Calendar } from '../core/report/model';
import { readCalendar } from '../node/calendar';
import { Git } from '../node/git';

/**
 * A folder's release calendar for the Boundary Map, read from git once and
 * kept while nothing it depends on moves: the commit checked out, the
 * artifacts and surfaces the manifest names, the ledger's reviews and the day.
 * A keystroke redraws the map without reading history again. Only ever asked
 * in a trusted workspace.
 */
export class CalendarCache {
  private key: string | undefined;
  private value: Promise<Calendar> | undefined;

  read(root: string, index: WorkspaceIndex, now = new Date()): Promise<Calendar> {
    const key = [
      new Git(root).headCommit() ?? '',
      now.toISOString().slice(0, 10),
      ...index.manifest.artifacts.map((a) => `${a.id}:${a.owner.value}:${a.locator?.kind ?? ''}:${a.locator?.value ?? ''}:${(index.contents.get(a.id)?.files ?? []).join(',')}`),
      ...index.manifest.surfaces.map((s) => `${s.marker.value}:${s.owner.value}:${s.files.map((f) => f.value).join(',')}`),
      ...[...index.ledger.reviews].map(([id, r]) => `${id}@${JSON.stringify(r)}`),
    ].join('\u0001');
    if (key !== this.key || !this.value) {
      this.key = key;
      const reading = readCalendar(root, index, { now });
      this.value = reading;
      // A failed read is not kept: the next request tries again.
      reading.catch(() => {
        if (this.value === reading) this.value = undefined;
      });
    }
    return this.value;
  }
}

/**
 * The calendar's place in Restricted Mode: no history, and why. Counterpart
 * runs nothing from an untrusted workspace, git included.
 */
export function restrictedCalendar(now = new Date()): Calendar {
  return {
    since: now.toISOString(),
    until: now.toISOString(),
    weeks: [],
    history: 'no-git',
    note: 'No calendar in Restricted Mode: Counterpart runs nothing from an untrusted workspace, git included, so it reads no history. Trust this folder to see the calendar. The coverage map and the drift list do not need git.',
    commits: 0,
  };
}
