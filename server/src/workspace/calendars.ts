import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { Git } from '../node/git';
import { readCalendar, type Calendar } from '../reportStub';

/**
 * A folder's calendar for the Boundary Map, read from git once and kept while
 * nothing it depends on moves: the commit checked out, the artifacts' files,
 * the ledger's reviews and the day. A keystroke re-renders the map without
 * running git again. Only ever asked in a trusted workspace.
 */
export class CalendarCache {
  private key: string | undefined;
  private value: Promise<Calendar> | undefined;

  read(root: string, index: WorkspaceIndex, now = new Date()): Promise<Calendar> {
    const key = [
      new Git(root).headCommit() ?? '',
      now.toISOString().slice(0, 10),
      ...index.manifest.artifacts.map((a) => `${a.id}:${(index.contents.get(a.id)?.files ?? []).join(',')}`),
      ...[...index.ledger.reviews].map(([id, r]) => `${id}@${JSON.stringify(r)}`),
    ].join('\u0001');
    if (key !== this.key || !this.value) {
      this.key = key;
      this.value = readCalendar(root, index);
      // A failed read is not kept: the next request tries again.
      this.value.catch(() => {
        if (this.key === key) this.value = undefined;
      });
    }
    return this.value;
  }
}
