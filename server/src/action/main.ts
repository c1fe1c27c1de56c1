import * as path from 'node:path';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { runAction, type ActionOutput } from './run';
import type { Rest } from './pullRequest';

declare const COUNTERPART_VERSION: string | undefined;

/**
 * The GitHub Action's entry point: reads inputs and the event through
 * @actions/core and @actions/github, then runs the action. The token is masked
 * at once and goes only to Octokit, whose base URL is the workflow's API host
 * (GITHUB_API_URL).
 */
async function main(): Promise<void> {
  const token = core.getInput('token');
  if (token) core.setSecret(token);
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const maxWarnings = Number(core.getInput('max-warnings') || '-1');
  const { context } = github;
  const pr = context.payload.pull_request as { number?: number; head?: { sha?: string }; base?: { sha?: string }; user?: { login?: string } } | undefined;
  const apiUrl = context.apiUrl;
  let apiHost = 'the GitHub API';
  try {
    apiHost = new URL(apiUrl).host;
  } catch {
    // Left as words: the sentence still reads.
  }
  const runUrl = context.runId ? `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}` : undefined;
  const sarif = core.getInput('sarif-file');
  const out: ActionOutput = {
    info: (s) => core.info(s),
    warning: (s) => core.warning(s),
    annotate: (kind, message, p) => {
      const props = { file: p.file, startLine: p.startLine, startColumn: p.startColumn, endLine: p.endLine, endColumn: p.endColumn, title: p.title };
      if (kind === 'error') core.error(message, props);
      else if (kind === 'warning') core.warning(message, props);
      else core.notice(message, props);
    },
    summary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    output: (name, value) => core.setOutput(name, value),
    fail: (message) => core.setFailed(message),
  };
  await runAction({
    folder: path.resolve(workspace, core.getInput('folder') || '.'),
    manifest: core.getInput('manifest') || undefined,
    maxWarnings: Number.isInteger(maxWarnings) ? maxWarnings : -1,
    sarifFile: sarif ? path.resolve(workspace, sarif) : undefined,
    requestReviews: core.getInput('request-reviews') !== 'false',
    comment: core.getInput('comment') !== 'false',
    eventName: context.eventName,
    pullRequest: pr?.number && pr.head?.sha
      ? { owner: context.repo.owner, repo: context.repo.repo, number: pr.number, headSha: pr.head.sha, baseSha: pr.base?.sha, author: pr.user?.login }
      : undefined,
    apiHost,
    runUrl,
    rest: token ? (github.getOctokit(token) as unknown as Rest) : undefined,
    version: typeof COUNTERPART_VERSION === 'string' ? COUNTERPART_VERSION : 'dev',
  }, out);
}

main().catch((err: unknown) => {
  // A bug, not the user's: one line, never a stack trace (it could quote a request).
  core.setFailed(`Something went wrong inside Counterpart (${err instanceof Error ? err.message.split('\n')[0].slice(0, 200) : 'unknown error'}). Please report it.`);
});
