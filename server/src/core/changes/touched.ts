import { structuredPatch } from 'diff';
import type { Finding } from '../findings';
import { normalizeEol } from '../text';
import type { ChangeSet } from './changeSet';

/** Lines of a file now (0-based) that a change added or edited; 'all' for a new file. */
export type ChangedLines = ReadonlySet<number> | 'all';

/** Past this size a file's lines are not compared one by one: the whole file counts as changed. */
const MAX_LINE_DIFF_CHARS = 2_000_000;

/** The lines of `after` that are not in `before`, as a line diff finds them. */
export function changedLines(before: string | undefined, after: string): ChangedLines {
  if (before === undefined || before.length + after.length > MAX_LINE_DIFF_CHARS) return 'all';
  const patch = structuredPatch('base', 'now', normalizeEol(before), normalizeEol(after), '', '', { context: 0 });
  const lines = new Set<number>();
  for (const hunk of patch.hunks) {
    for (let i = 0; i < hunk.newLines; i++) lines.add(hunk.newStart - 1 + i);
  }
  return lines;
}

export interface TouchInput {
  /** Findings now. */
  readonly now: readonly Finding[];
  /** Findings at base; undefined when the base has no manifest (every finding is then the change's). */
  readonly before: readonly Finding[] | undefined;
  readonly changes: ChangeSet;
  /** Files renamed by the change: path now → path at base. */
  readonly renamed: ReadonlyMap<string, string>;
  /** The lines a change touched in a file now; undefined for a file the change left alone. */
  readonly lines: (file: string) => ChangedLines | undefined;
}

/**
 * The findings a change causes or touches, so a pull request is judged on
 * itself, not on old debt: those about an artifact it changed, those on a
 * line it added or edited, and those that were not there at base (removing
 * an eval case leaves a button uncovered in a file nobody touched).
 */
export function findingsOfChange(input: TouchInput): Finding[] {
  const changed = new Set(input.changes.artifacts.map((a) => a.id));
  const key = (f: Finding, file: string): string => `${f.code}\u0000${file}\u0000${f.message}`;
  const atBase = new Map<string, number>();
  for (const f of input.before ?? []) atBase.set(key(f, f.file), (atBase.get(key(f, f.file)) ?? 0) + 1);
  const out: Finding[] = [];
  for (const f of input.now) {
    const k = key(f, input.renamed.get(f.file) ?? f.file);
    const old = atBase.get(k) ?? 0;
    if (old > 0) atBase.set(k, old - 1);
    const isNew = input.before === undefined || old === 0;
    const lines = input.lines(f.file);
    const onChangedLine = lines === 'all' || (lines !== undefined && rangeLines(f).some((l) => lines.has(l)));
    const aboutChanged = f.subject?.artifact !== undefined && changed.has(f.subject.artifact);
    if (isNew || onChangedLine || aboutChanged) out.push(f);
  }
  return out;
}

function rangeLines(f: Finding): number[] {
  const out: number[] = [];
  for (let l = f.range.start.line; l <= f.range.end.line && out.length < 1000; l++) out.push(l);
  return out;
}
