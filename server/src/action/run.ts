import * as fs from 'node:fs';
import * as path from 'node:path';
import { reviewGate, type Gate } from '../core/changes/gate';
import type { Finding } from '../core/findings';
import { computeFindings } from '../core/rules/rules';
import { count, displayPath, formatSarif, summary, type Counts } from '../cli/formats';
import { sarifRoot } from '../cli/commands';
import { readChange, type ReadChange } from '../node/changes';
import { Git } from '../node/git';
import { reviewedTextFromGit } from '../node/previous';
import { loadIndex, realFolder } from '../node/workspace';
import { changesMarkdown } from '../present/changes';
import { explainFailure, listReviews, requestReviewers, reviewersFrom, setStatus, upsertComment, type PullRequestRef, type Rest } from './pullRequest';

/** What the action reads of its inputs and of GitHub's event, already typed. */
export interface ActionInput {
  readonly folder: string;
  readonly manifest?: string;
  readonly maxWarnings: number;
  readonly sarifFile?: string;
  readonly requestReviews: boolean;
  readonly comment: boolean;
  readonly eventName: string;
  readonly pullRequest?: PullRequestRef & { readonly baseSha?: string };
  /** Where the API is, for sentences about it (never the token). */
  readonly apiHost: string;
  readonly runUrl?: string;
  /** The REST client; undefined when there is no token. */
  readonly rest?: Rest;
  readonly version: string;
}

/** What the action does to the outside world, given so a test could watch it (the action passes @actions/core). */
export interface ActionOutput {
  info(s: string): void;
  warning(s: string): void;
  annotate(kind: 'error' | 'warning' | 'notice', message: string, place: { file: string; startLine: number; startColumn: number; endLine: number; endColumn: number; title: string }): void;
  summary(markdown: string): Promise<void>;
  output(name: string, value: string): void;
  fail(message: string): void;
}

const EVENTS_WITH_REQUESTS = new Set(['pull_request', 'pull_request_target']);

/**
 * The action: findings as annotations and SARIF, the change as a job summary
 * and one comment, review requests to the counterpart, and the "Counterpart
 * review" status. Every problem is one sentence in the log and the summary;
 * the findings are written whatever else fails.
 */
export async function runAction(input: ActionInput, out: ActionOutput): Promise<void> {
  const problems: string[] = [];
  const say = (sentence: string): void => {
    problems.push(sentence);
    out.warning(sentence);
  };
  const root = realFolder(input.folder);
  const index = root ? await loadIndex(root, { manifestPath: input.manifest }) : undefined;
  if (!index) {
    const sentence = root ? `There is no ${input.manifest ?? 'counterpart.yaml'} in ${input.folder}: set the action's folder or manifest input.` : `${input.folder} is not a folder: set the action's folder input.`;
    await out.summary(`## Counterpart\n\n${sentence}\n`);
    out.fail(sentence);
    return;
  }
  const git = new Git(index.root);
  const findings = computeFindings(index, { reviewedText: reviewedTextFromGit(index, git) });
  const pr = input.pullRequest;
  let change: ReadChange | undefined;
  if (!pr) out.info(`This is a ${input.eventName} event, not a pull request: every finding is shown, and no review is requested.`);
  else if (!pr.baseSha) say("The event names no base commit, so Counterpart cannot tell what the pull request changed; every finding is shown.");
  else {
    const read = await readChange(index, baseOf(git, pr.baseSha, pr.headSha), { manifestPath: input.manifest });
    if ('problem' in read) say(`${read.problem} Every finding is shown.`);
    else change = read;
  }
  const shown = change ? change.filter(findings) : findings;

  // Findings first: they are written whatever the API does.
  const top = sarifRoot(index.root, git);
  for (const f of shown) out.annotate(annotationKind(f), f.message, place(f, displayPath(index.root, f.file, top)));
  if (input.sarifFile) {
    try {
      const sarif = formatSarif(findings.map((finding) => ({ finding, path: displayPath(index.root, finding.file, top) })), input.version, top);
      fs.mkdirSync(path.dirname(input.sarifFile), { recursive: true });
      fs.writeFileSync(input.sarifFile, sarif);
      out.output('sarif-file', input.sarifFile);
    } catch (err) {
      say(`Counterpart could not write the SARIF file ${input.sarifFile} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  }
  const counts = count(shown);

  let gate: Gate | undefined;
  let comment = '';
  if (pr && change) {
    let reviews;
    let unread = false;
    if (input.rest) {
      try {
        reviews = await listReviews(input.rest, pr);
      } catch (err) {
        unread = true;
        say(`${explainFailure("read the pull request's reviews", err, input.apiHost)} Only sign-offs in the review ledger count.`);
      }
    }
    gate = reviewGate(change.changes, reviews);
    // The status says what it could not check: approvals it could not read may exist.
    if (unread && gate.state === 'pending') gate = { ...gate, description: `${gate.description.replace(/\.$/, '')} (approvals could not be read).` };
    comment = changesMarkdown(change.changes, { clearance: gate.clearance });
  }

  if (pr && input.rest) {
    const rest = input.rest;
    if (gate && input.requestReviews && EVENTS_WITH_REQUESTS.has(input.eventName)) {
      // The side's review channel on GitHub, else its lead when the lead is a GitHub @handle.
      const channels = gate.waiting.flatMap((w) => [w.counterpart?.review.github ?? w.counterpart?.lead ?? '']);
      const who = reviewersFrom(channels, pr.author);
      if (who.reviewers.length || who.team_reviewers.length) {
        try {
          await requestReviewers(rest, pr, who);
          out.info(`Asked ${[...who.reviewers.map((r) => `@${r}`), ...who.team_reviewers.map((t) => `team ${t}`)].join(', ')} to review.`);
        } catch (err) {
          say(explainFailure('request reviews from the counterpart', err, input.apiHost));
        }
      }
    }
    if (gate && input.comment) {
      try {
        const done = await upsertComment(rest, pr, comment, gate.clearance.size > 0);
        if (done !== 'none') out.info(done === 'created' ? 'Commented on the pull request.' : 'Updated the comment on the pull request.');
      } catch (err) {
        say(explainFailure('comment on the pull request', err, input.apiHost));
      }
    }
    const status = gate
      ? { state: gate.state, description: gate.description }
      : { state: 'error' as const, description: problems[0] ? `Could not check: ${problems[0]}` : 'Could not tell what the pull request changed.' };
    try {
      await setStatus(rest, pr, { ...status, targetUrl: input.runUrl });
      out.info(`Set the status "Counterpart review" to ${status.state}: ${status.description}`);
    } catch (err) {
      say(explainFailure('set the "Counterpart review" status', err, input.apiHost));
    }
    out.output('status', status.state);
  } else if (pr) {
    say('No token was given, so Counterpart neither requested reviews, nor commented, nor set the "Counterpart review" status.');
  }

  out.output('changed', String(change?.changes.artifacts.length ?? 0));
  out.output('waiting', String(gate?.waiting.length ?? 0));
  await out.summary(summaryMarkdown(comment, problems, counts, !!change, shown.map((f) => ({ finding: f, path: displayPath(index.root, f.file, top) }))));
  const over = counts.errors > 0 || (input.maxWarnings >= 0 && counts.warnings > input.maxWarnings);
  if (over) out.fail(`Counterpart: ${summary(counts)}`);
}

/**
 * The base to compare with: the event's, else, when the clone does not hold it
 * but HEAD is GitHub's merge commit of the pull request (its second parent the
 * head), that commit's first parent: what a checkout with fetch-depth 2 holds.
 */
function baseOf(git: Git, baseSha: string, headSha: string): string {
  if (git.commitOf(baseSha)) return baseSha;
  const second = git.commitOf('HEAD^2');
  return second === headSha && git.commitOf('HEAD^1') ? git.commitOf('HEAD^1')! : baseSha;
}

function annotationKind(f: Finding): 'error' | 'warning' | 'notice' {
  return f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
}

function place(f: Finding, file: string): { file: string; startLine: number; startColumn: number; endLine: number; endColumn: number; title: string } {
  return { file, startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1, title: `Counterpart: ${f.code}` };
}

/** Findings listed in the job summary; the rest are in the annotations and the SARIF file. */
const SUMMARY_FINDINGS = 50;

function summaryMarkdown(changes: string, problems: readonly string[], counts: Counts, ofChange: boolean, findings: readonly { finding: Finding; path: string }[]): string {
  const md: string[] = [];
  if (problems.length) md.push('> [!WARNING]', ...problems.map((p) => `> ${p}`), '');
  md.push(changes || '## Counterpart\n');
  md.push(`**Findings${ofChange ? ' of this change' : ''}:** ${summary(counts)}`, '');
  for (const { finding: f, path: p } of findings.slice(0, SUMMARY_FINDINGS)) {
    md.push(`- ${f.severity === 'error' ? '❌' : f.severity === 'warning' ? '⚠️' : 'ℹ️'} \`${p.replace(/`/g, "'")}:${f.range.start.line + 1}\` ${f.message.replace(/\s+/g, ' ').replace(/</g, '&lt;')}`);
  }
  if (findings.length > SUMMARY_FINDINGS) md.push(`- and ${findings.length - SUMMARY_FINDINGS} more, in the annotations and the SARIF file`);
  md.push('');
  return md.join('\n');
}
