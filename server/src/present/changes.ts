import { capital, formatDay, kindNoun, locatorPhrase, plural, sideName } from '../core/describe';
import type { ArtifactChange, ChangedPart, ChangeSet } from '../core/changes/changeSet';
import type { Clearance } from '../core/changes/gate';
import { boundedDiff } from '../core/review/compose';

/** Lines of diff shown per artifact; the rest is counted, not shown. */
const DIFF_LINES = 80;
/** A GitHub comment holds 65,536 characters: the report stays well under, whatever the change. */
export const MARKDOWN_MAX = 60_000;
/** Eval cases and UI surfaces listed per artifact. */
const LIST_MAX = 10;

export interface ChangesView {
  /** How each artifact stands with the counterpart beyond the ledger (the pull request's approvals). */
  readonly clearance?: ReadonlyMap<string, Clearance>;
}

/** "changed", "added", "removed": what happened to an artifact, in a word. */
function verb(c: ArtifactChange): string {
  return c.change === 'modified' ? 'changed' : c.change;
}

/** Who must review and where to reach them. */
function reviewChannel(c: ArtifactChange): string {
  const r = c.counterpart?.review;
  return [r?.github, r?.url].filter(Boolean).join(' · ');
}

/** One sentence on where the artifact stands with its counterpart. */
export function standing(c: ArtifactChange, clearance?: Clearance): string {
  const reviewer = sideName(c.counterpart, 'the counterpart');
  if (clearance?.by === 'approval') return `Approved on this pull request by ${clearance.who} (${c.counterpart?.title ?? 'counterpart'}).`;
  if (c.change === 'removed') return `Removed: ${reviewer} should confirm on the pull request that it may go.`;
  const s = c.signOff;
  if (s.state === 'signed') return `Signed off by ${s.review.by} on ${formatDay(s.review.at)} in the review ledger${s.recordedInChange ? ' (recorded by this change)' : ''}.`;
  if (s.state === 'stale') return `Not signed off: ${s.review.by}'s review of ${formatDay(s.review.at)} was of an earlier text. Waiting for ${reviewer}.`;
  return `Never signed off. Waiting for ${reviewer}.`;
}

function cleared(c: ArtifactChange, clearance?: Clearance): boolean {
  return clearance ? clearance.by !== 'none' : c.signOff.state === 'signed' && c.change !== 'removed';
}

/** The diff of one part, capped to DIFF_LINES lines. */
function partDiff(p: ChangedPart): { lines: string[]; note?: string } {
  if (p.after === undefined) return { lines: [], note: `${p.baseFile ? `\`${p.baseFile}\`` : 'Its text'} is gone.` };
  let lines: string[];
  if (p.before === undefined) {
    // New text: every line is added, no hunk to locate.
    lines = p.after.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n').map((l) => `+${l}`);
  } else {
    const diff = boundedDiff(p.before, p.after);
    if (diff.kind === 'rewritten') return { lines: [], note: `Rewritten: ${plural(diff.now, 'line')} now, ${plural(diff.reviewed, 'line')} before; too much to show line by line.` };
    lines = diff.text.split('\n');
  }
  if (lines.length <= DIFF_LINES) return { lines };
  return { lines: lines.slice(0, DIFF_LINES), note: `${plural(lines.length - DIFF_LINES, 'more line')} of diff not shown.` };
}

function fence(lines: readonly string[]): string {
  // A fence longer than any run of backticks inside, so a prompt holding ``` cannot close it early.
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  return '`'.repeat(longest + 1);
}

/** The change in Markdown, for a product manager reading a pull request comment or a job summary. */
export function changesMarkdown(set: ChangeSet, view: ChangesView = {}): string {
  const md: string[] = [];
  const n = set.artifacts.length;
  const open = set.artifacts.filter((c) => !cleared(c, view.clearance?.get(c.id)));
  md.push(`## Counterpart: ${n ? `${plural(n, 'artifact')} changed${open.length ? `, ${open.length} waiting for review` : ', all reviewed'}` : 'no artifact changed'}`, '');
  md.push(`Compared with \`${set.baseLabel}\`.`, '');
  for (const note of set.notes) md.push(`> ${note}`, '');
  if (!n) md.push('This change edits no system prompt, eval set, tool description or help copy that `counterpart.yaml` names.', '');
  for (const c of set.artifacts) {
    const clearance = view.clearance?.get(c.id);
    md.push(`### ${cleared(c, clearance) ? '✅' : '⏳'} ${capital(kindNoun(c.artifact.kind))} \`${c.id}\` ${verb(c)}`, '');
    md.push(standing(c, clearance), '');
    md.push('| | |', '|---|---|');
    md.push(`| Owner | ${cell(sideName(c.owner, '—'))} |`);
    md.push(`| Must be reviewed by | ${cell(sideName(c.counterpart, 'no counterpart declared'))} |`);
    const channel = reviewChannel(c);
    if (channel) md.push(`| Review channel | ${cell(channel)} |`);
    const files = [...new Set(c.parts.map((p) => p.file ?? p.baseFile).filter((f): f is string => !!f))];
    if (files.length) md.push(`| Files | ${files.slice(0, LIST_MAX).map(code).join(', ')}${files.length > LIST_MAX ? `, and ${files.length - LIST_MAX} more` : ''}${c.artifact.locator ? `, ${cell(locatorPhrase(c.artifact.locator))}` : ''} |`);
    for (const note of c.notes) md.push(`| Also | ${cell(capital(note))} |`);
    md.push('');
    if (c.facts?.intents.length) {
      md.push('**Intents it touches**', '');
      for (const i of c.facts.intents) {
        const facts = [plural(i.evalCases.length, 'eval case'), plural(i.markers.length, 'UI surface')];
        if (!i.evalCases.length) facts[0] = '**no eval case**';
        if (!i.prompts.length) facts.push('**no system prompt tuned for it**');
        md.push(`- ${i.declared?.title ? `${cell(i.declared.title)} (${code(i.id)})` : code(i.id)}: ${facts.join(', ')}`);
      }
      md.push('');
    }
    if (c.facts?.evalCases.length) {
      md.push(`<details><summary>${plural(c.facts.evalCases.length, 'eval case')}</summary>`, '');
      for (const e of c.facts.evalCases.slice(0, LIST_MAX)) md.push(`- ${code(`${e.file}:${e.range.start.line + 1}`)} ${cell(e.label)}`);
      if (c.facts.evalCases.length > LIST_MAX) md.push(`- and ${c.facts.evalCases.length - LIST_MAX} more`);
      md.push('', '</details>', '');
    }
    if (c.facts?.markers.length && c.artifact.kind !== 'eval-set') {
      md.push(`<details><summary>${plural(c.facts.markers.length, 'UI surface')}</summary>`, '');
      for (const m of c.facts.markers.slice(0, LIST_MAX)) md.push(`- ${code(`${m.file}:${m.range.start.line + 1}`)} shows ${code(m.intent)}`);
      if (c.facts.markers.length > LIST_MAX) md.push(`- and ${c.facts.markers.length - LIST_MAX} more`);
      md.push('', '</details>', '');
    }
    if (c.textChanged) {
      for (const p of c.parts) {
        const { lines, note } = partDiff(p);
        if (c.parts.length > 1 && (p.file ?? p.baseFile)) md.push(`${code((p.file ?? p.baseFile)!)}${p.file && p.baseFile && p.file !== p.baseFile ? ` (was ${code(p.baseFile)})` : ''}`, '');
        if (lines.length) {
          const f = fence(lines);
          md.push(`${f}diff`, ...lines, f, '');
        }
        if (note) md.push(`_${note}_`, '');
      }
    }
  }
  const others = otherChanges(set);
  if (others.length) md.push('### Other changes at the boundary', '', ...others.map((o) => `- ${o}`), '');
  md.push(`_Lines starting with - are as they were at the base; lines starting with + are what the change makes them. Counterpart compares the located text of each artifact, so edits elsewhere in a file do not show._`);
  let text = md.join('\n') + '\n';
  if (text.length > MARKDOWN_MAX) {
    const cut = text.lastIndexOf('\n', MARKDOWN_MAX - 300);
    text = `${text.slice(0, cut)}\n\n_This report is longer than a comment holds: the rest is cut. Run \`counterpart changes ${set.baseLabel.split(' ')[0]}\` for all of it._\n`;
  }
  return text;
}

/** UI markers, eval cases and copy the change adds or removes, one line each (capped). */
function otherChanges(set: ChangeSet): string[] {
  const out: string[] = [];
  const list = <T>(items: readonly T[], say: (t: T) => string): void => {
    for (const t of items.slice(0, LIST_MAX)) out.push(say(t));
    if (items.length > LIST_MAX) out.push(`and ${items.length - LIST_MAX} more like it`);
  };
  list(set.markers.added, (m) => `UI surface added: ${code(`${m.file}:${m.range.start.line + 1}`)} shows ${code(m.intent)}`);
  list(set.markers.removed, (m) => `UI surface removed: ${code(m.file)} no longer shows ${code(m.intent)}`);
  list(set.evalCases.added, (c) => `Eval case added or edited: ${code(`${c.file}:${c.range.start.line + 1}`)} ${cell(c.label)}${c.intents.length ? ` (${c.intents.map((i) => code(i.value)).join(', ')})` : ''}`);
  list(set.evalCases.removed, (c) => `Eval case removed or edited: ${cell(c.label)} in ${code(c.file)}`);
  list(set.copy.added, (c) => `Help copy now promises "${cell(c.phrase)}" (${code(c.intent)}) at ${code(`${c.file}:${c.range.start.line + 1}`)}`);
  list(set.copy.removed, (c) => `Help copy no longer says "${cell(c.phrase)}" (${code(c.intent)}) in ${code(c.file)}`);
  return out;
}

/** Text from the workspace as inline code: one line, no backtick to end it early. */
function code(s: string): string {
  return `\`${s.replace(/\s+/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|').slice(0, 200)}\``;
}

/** Text from the workspace inside Markdown: no table breaks, no HTML, one line. */
function cell(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').slice(0, 200);
}

/** The change for a person at a terminal. */
export function changesText(set: ChangeSet, view: ChangesView = {}): string {
  const out: string[] = [`Compared with ${set.baseLabel}.`];
  for (const note of set.notes) out.push(note);
  if (!set.artifacts.length) out.push('No prompt, eval set, tool description or help copy changed.');
  for (const c of set.artifacts) {
    const clearance = view.clearance?.get(c.id);
    out.push('', `${capital(kindNoun(c.artifact.kind))} '${c.id}' ${verb(c)}`);
    out.push(`  Owner:        ${sideName(c.owner, 'none')}`);
    const channel = reviewChannel(c);
    out.push(`  Counterpart:  ${sideName(c.counterpart, 'none declared')}${channel ? ` — review requests go to ${channel}` : ''}`);
    out.push(`  Review:       ${standing(c, clearance)}`);
    for (const note of c.notes) out.push(`  Also:         ${capital(note)}`);
    if (c.facts?.intents.length) out.push(`  Intents:      ${c.facts.intents.map((i) => `${i.id} (${plural(i.evalCases.length, 'eval case')}, ${plural(i.markers.length, 'UI surface')})`).join(', ')}`);
    if (c.textChanged) {
      for (const p of c.parts) {
        const { lines, note } = partDiff(p);
        if (c.parts.length > 1) out.push(`  ${p.file ?? p.baseFile}:`);
        for (const l of lines) out.push(`    ${l}`);
        if (note) out.push(`    (${note})`);
      }
    }
  }
  const others = otherChanges(set);
  if (others.length) out.push('', 'Other changes at the boundary:', ...others.map((o) => `  ${o.replace(/`/g, '')}`));
  return out.join('\n') + '\n';
}

/** The change for scripts. */
export function changesJson(set: ChangeSet, view: ChangesView = {}): string {
  const place = (p: { file: string; range: { start: { line: number } } }): { file: string; line: number } => ({ file: p.file, line: p.range.start.line + 1 });
  return JSON.stringify({
    base: set.baseLabel,
    notes: set.notes,
    artifacts: set.artifacts.map((c) => ({
      id: c.id,
      kind: c.artifact.kind,
      change: c.change,
      notes: c.notes,
      owner: c.owner?.id ?? null,
      counterpart: c.counterpart?.id ?? null,
      reviewChannel: c.counterpart?.review ?? {},
      signedOff: c.signOff.state === 'signed' && c.change !== 'removed',
      review: c.signOff.state === 'none' ? null : { ...c.signOff.review, current: c.signOff.state === 'signed' },
      standing: standing(c, view.clearance?.get(c.id)),
      files: c.parts.map((p) => ({ file: p.file ?? null, baseFile: p.baseFile ?? null })),
      diff: c.textChanged ? c.parts.map((p) => boundedDiff(p.before ?? '', p.after ?? '')) : [],
      intents: c.facts?.intents.map((i) => ({ id: i.id, evalCases: i.evalCases.length, uiSurfaces: i.markers.length })) ?? [],
      evalCases: c.facts?.evalCases.map((e) => ({ ...place(e), label: e.label })) ?? [],
      uiSurfaces: c.artifact.kind === 'eval-set' ? [] : c.facts?.markers.map((m) => ({ ...place(m), intent: m.intent })) ?? [],
    })),
    markers: { added: set.markers.added.map((m) => ({ ...place(m), intent: m.intent })), removed: set.markers.removed.map((m) => ({ ...place(m), intent: m.intent })) },
    evalCases: { added: set.evalCases.added.map((e) => ({ ...place(e), label: e.label })), removed: set.evalCases.removed.map((e) => ({ ...place(e), label: e.label })) },
    copy: { added: set.copy.added.map((c) => ({ ...place(c), phrase: c.phrase, intent: c.intent })), removed: set.copy.removed.map((c) => ({ ...place(c), phrase: c.phrase, intent: c.intent })) },
  }, null, 2) + '\n';
}
