import * as vscode from 'vscode';
import type { ReviewRequestResult } from '../../../server/src/protocol';
import { findPullRequest, repositoryOfRemote, requestReviewers, type Fetch, type GithubApi, type GithubRepository, type PullRequest } from '../github';
import type { Log } from '../log';

type ReadyRequest = Extract<ReviewRequestResult, { ok: true }>;

/** One more choice beside Copy, Open Issue…: ask the counterpart on the pull request. */
export interface PullRequestOffer {
  readonly label: string;
  /** True when the counterpart was asked; false to fall back to the other choices. */
  run(): Promise<boolean>;
}

const SCOPES = ['repo'];
/** Looking for the pull request must not hold up the other choices for long. */
const LOOKUP_TIMEOUT_MS = 5000;

/**
 * What Request Counterpart Review can offer on GitHub for this request: when
 * the folder is trusted, its origin is on GitHub (or the GitHub Enterprise
 * server of `github-enterprise.uri`) and the counterpart has GitHub names,
 * "Ask <counterpart> on pull request #N" with the VS Code GitHub sign-in,
 * or "Sign in to GitHub…" as a choice when there is no sign-in yet (never
 * forced). `note` says in one sentence why there is no offer when looking failed.
 */
export async function pullRequestOffer(log: Log, request: ReadyRequest): Promise<{ offer?: PullRequestOffer; note?: string }> {
  const fetch = globalThis.fetch as unknown as Fetch | undefined;
  if (!vscode.workspace.isTrusted || !fetch || !request.remoteUrl || !request.branch || !request.counterpart?.reviewers.length) return {};
  const enterprise = vscode.workspace.getConfiguration('github-enterprise').get<string>('uri') || undefined;
  const target = repositoryOfRemote(request.remoteUrl, enterprise);
  if (!target) return {};
  const { repository, api } = target;
  const branch = request.branch;
  const counterpart = request.counterpart;
  let session: vscode.AuthenticationSession | undefined;
  try {
    session = await vscode.authentication.getSession(api.provider, SCOPES, { createIfNone: false, silent: true });
  } catch (error) {
    // No GitHub sign-in in this VS Code (a provider missing, say): the other choices stay.
    log.warn(`GitHub sign-in is not available: ${(error as Error).message}`);
    return {};
  }
  const ask = (token: string, pr: PullRequest): Promise<boolean> => askOnPullRequest(fetch, api, token, repository, pr, counterpart);
  if (!session) {
    return {
      offer: {
        label: `Sign in to GitHub to ask ${counterpart.title} on the pull request`,
        run: async () => {
          let signedIn: vscode.AuthenticationSession | undefined;
          try {
            signedIn = await vscode.authentication.getSession(api.provider, SCOPES, { createIfNone: true });
          } catch {
            void vscode.window.showWarningMessage('GitHub sign-in did not complete, so Counterpart asked no one on the pull request.');
            return false;
          }
          const found = await findPullRequest(fetch, api, signedIn.accessToken, repository, branch, LOOKUP_TIMEOUT_MS * 2);
          if (!found.ok) {
            void vscode.window.showWarningMessage(found.problem);
            return false;
          }
          if (!found.value) {
            void vscode.window.showInformationMessage(`Branch ${branch} has no open pull request in ${repository.owner}/${repository.repo}, so Counterpart asked no one there.`);
            return false;
          }
          return ask(signedIn.accessToken, found.value);
        },
      },
    };
  }
  const token = session.accessToken;
  const found = await findPullRequest(fetch, api, token, repository, branch, LOOKUP_TIMEOUT_MS);
  if (!found.ok) {
    log.warn(found.problem);
    return { note: found.problem };
  }
  if (!found.value) return {};
  const pr = found.value;
  return { offer: { label: `Ask ${counterpart.title} on pull request #${pr.number}`, run: () => ask(token, pr) } };
}

const OPEN_PR = 'Open Pull Request';

async function askOnPullRequest(fetch: Fetch, api: GithubApi, token: string, repository: GithubRepository, pr: PullRequest, counterpart: { title: string; reviewers: readonly string[] }): Promise<boolean> {
  const asked = await requestReviewers(fetch, api, token, repository, pr.number, counterpart.reviewers);
  if (!asked.ok) {
    void vscode.window.showWarningMessage(asked.problem);
    return false;
  }
  const url = /^https:\/\//.test(pr.url) ? pr.url : undefined;
  void vscode.window.showInformationMessage(`Asked ${counterpart.title} (${counterpart.reviewers.join(', ')}) to review pull request #${pr.number}.`, ...(url ? [OPEN_PR] : [])).then((choice) => {
    if (choice === OPEN_PR && url) void vscode.env.openExternal(vscode.Uri.parse(url));
  });
  return true;
}
