import { createTwoFilesPatch } from 'diff';
import { formatDay, kindNoun, locatorPhrase, plural, sideName } from '../describe';
import { comparePlaces } from '../text';
import { artifactFacts } from '../explain';
import type { WorkspaceIndex } from '../index/workspaceIndex';

export interface ReviewRequestInput {
  /** The text as last reviewed, from the ledger or from git at the review's commit. */
  readonly previousText?: string;
  /** Where `previousText` came from, said in the request ("the ledger", "git 3f2a9c1"). */
  readonly previousSource?: string;
  /** Why git was not asked ("git does not run in this workspace (Restricted Mode)"), said when the change cannot be shown. */
  readonly withoutGit?: string;
}

export interface ReviewRequest {
  readonly artifactId: string;
  readonly title: string;
  readonly markdown: string;
  /** Who should be asked: the counterpart's GitHub team or lead, for an issue body. */
  readonly mention?: string;
  readonly url?: string;
}

/**
 * Composes the markdown a person sends the counterpart: what the artifact is,
 * who owns and reviews it, what changed, what depends on it, what to check.
 * Pure: the caller supplies the previous text (ledger or git).
 */
export function composeReviewRequest(index: WorkspaceIndex, artifactId: string, input: ReviewRequestInput = {}): ReviewRequest | undefined {
  const artifact = index.artifactsById.get(artifactId);
  if (!artifact) return undefined;
  const facts = artifactFacts(index, artifact);
  const content = index.contents.get(artifactId);
  const noun = kindNoun(artifact.kind);
  const reviewer = facts.counterpart;
  const mention = reviewer?.review.github ?? reviewer?.lead;
  const title = `Counterpart review: ${noun} '${artifactId}'`;
  const md: string[] = [];

  md.push(`# ${title}`, '');
  md.push(`${mention ? `${mention}: ` : ''}${sideName(facts.owner)} asks ${sideName(reviewer)} to review a change to the ${noun} **${artifactId}**.`, '');
  md.push(`| | |`, `|---|---|`);
  md.push(`| Owner | ${sideName(facts.owner)} |`);
  md.push(`| Counterpart (reviewer) | ${sideName(reviewer)} |`);
  if (reviewer?.review.github || reviewer?.review.url) {
    md.push(`| Review channel | ${[reviewer.review.github, reviewer.review.url].filter(Boolean).join(' · ')} |`);
  }
  md.push(`| Files | ${facts.files.length ? facts.files.map((f) => `\`${f}\``).join(', ') : '_none found_'}${artifact.locator ? `, ${locatorPhrase(artifact.locator)}` : ''} |`);
  md.push('');

  md.push('## What changed since the last review', '');
  const review = facts.review;
  if (review.state === 'never-reviewed') {
    md.push(`${sideName(reviewer)} has never reviewed this ${noun}: please review it as a whole.`, '');
    if (content?.text !== undefined && content.text.length < 2000) md.push('```', content.text.trimEnd(), '```', '');
  } else if (review.state === 'in-step') {
    md.push(`Nothing: it is exactly as ${review.review.by} reviewed it on ${formatDay(review.review.at)}.`, '');
  } else if (review.state === 'changed') {
    md.push(`Last reviewed by ${review.review.by} (${index.owner(review.review.side)?.title ?? review.review.side}) on ${formatDay(review.review.at)}${review.review.commit ? ` at commit ${review.review.commit}` : ''}.`, '');
    const before = input.previousText ?? review.review.text;
    const source = input.previousText !== undefined ? input.previousSource ?? 'git' : 'the review ledger';
    const diff = before !== undefined && content?.text !== undefined ? boundedDiff(before, content.text) : undefined;
    if (diff?.kind === 'patch') {
      md.push(`Lines starting with - are as reviewed (from ${source}); lines starting with + are what it says now.`, '');
      md.push('```diff', diff.text, '```', '');
    } else if (diff?.kind === 'rewritten') {
      md.push(`The text was rewritten: ${plural(diff.now, 'line')} now, ${plural(diff.reviewed, 'line')} as reviewed (from ${source}). That is too much change to show line by line here; review it as a whole.`, '');
    } else if (input.withoutGit) {
      md.push(`The ledger does not keep the reviewed text, and ${input.withoutGit}, so the change cannot be shown here.${review.review.commit ? ` It was reviewed at commit ${review.review.commit}.` : ''}`, '');
    } else {
      md.push(`The reviewed text is not stored${review.review.commit ? `; compare with commit ${review.review.commit}` : ''}.`, '');
    }
  } else {
    md.push('Its files could not be read, so the change cannot be shown.', '');
  }

  md.push('## Intents it touches', '');
  if (facts.intents.length) {
    md.push('| Intent | Owner | Eval cases | UI surfaces | Prompt tuned for it |', '|---|---|---|---|---|');
    for (const i of facts.intents) {
      const cases = i.evalCases.length ? String(i.evalCases.length) : '**none: uncovered**';
      const prompt = i.prompts.length ? i.prompts.map((p) => p.id).join(', ') : '**no**';
      md.push(`| ${i.declared?.title ? `${i.declared.title} (\`${i.id}\`)` : `\`${i.id}\`${i.declared ? '' : ' (not declared)'}`} | ${i.owner?.title ?? '—'} | ${cases} | ${i.markers.length} | ${prompt} |`);
    }
  } else {
    md.push('_This artifact lists no intents._');
  }
  md.push('');

  md.push('## Linked eval cases', '');
  if (facts.evalCases.length) {
    for (const c of facts.evalCases.slice(0, 50)) md.push(`- \`${c.file}:${c.range.start.line + 1}\` ${c.label}`);
    if (facts.evalCases.length > 50) md.push(`- … and ${facts.evalCases.length - 50} more`);
  } else {
    md.push('_No eval case covers these intents._');
  }
  md.push('');

  md.push('## UI surfaces', '');
  if (facts.markers.length) {
    for (const m of [...facts.markers].sort(comparePlaces).slice(0, 50)) md.push(`- \`${m.file}:${m.range.start.line + 1}\` surfaces \`${m.intent}\``);
    if (facts.markers.length > 50) md.push(`- … and ${facts.markers.length - 50} more`);
  } else {
    md.push('_No UI marker surfaces these intents._');
  }
  md.push('');

  const uncovered = facts.intents.filter((i) => i.evalCases.length === 0).length;
  md.push('## Checklist for the reviewer', '');
  md.push(`- [ ] The change still does what ${facts.owner?.title ?? 'the owner'} and ${reviewer?.title ?? 'the counterpart'} agreed for each intent above.`);
  md.push(`- [ ] ${uncovered ? `${plural(uncovered, 'intent')} has no eval case: add cases before shipping.` : 'The eval cases above exercise the change.'}`);
  if (artifact.kind === 'tool-description') md.push('- [ ] The conditions for calling the tool (only, must, confirm, never…) match what the UI and help copy promise.');
  if (artifact.kind === 'system-prompt' || artifact.kind === 'model-config') md.push('- [ ] The tone and the promises users rely on are kept.');
  if (artifact.kind === 'help-copy') md.push('- [ ] Every capability the copy promises is handled by the system prompt and covered by evals.');
  md.push(`- [ ] When satisfied, record the sign-off: \`counterpart sign ${artifactId} --by <your handle>\` or "Counterpart: Mark Reviewed" in VS Code.`);
  md.push('');
  return { artifactId, title, markdown: md.join('\n'), mention, url: reviewer?.review.url };
}

/** How many lines may differ before a diff gives way to a summary: a review request is read by a person. */
const MAX_EDITS = 1000;
/** Texts this size are summarised without trying: diffing them could take long. */
const MAX_DIFF_CHARS = 2_000_000;

/** The patch of the change, bounded in time: a rewrite too large to read is summarised instead. */
export function boundedDiff(before: string, after: string): { kind: 'patch'; text: string } | { kind: 'rewritten'; now: number; reviewed: number } {
  const lineCount = (s: string): number => s.split(/\r\n|\r|\n/).length;
  const rewritten = { kind: 'rewritten', now: lineCount(after), reviewed: lineCount(before) } as const;
  if (before.length + after.length > MAX_DIFF_CHARS) return rewritten;
  const patch = createTwoFilesPatch('reviewed', 'now', withNewline(before), withNewline(after), '', '', { context: 3, maxEditLength: MAX_EDITS });
  if (patch === undefined) return rewritten;
  const hunks = patch.split('\n');
  const first = hunks.findIndex((l) => l.startsWith('@@'));
  return { kind: 'patch', text: hunks.slice(first).join('\n').trimEnd() };
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}
