/**
 * Whether Request Counterpart Review can ask the counterpart on the branch's
 * pull request, and the choice that does it. Pure: VS Code (trust, settings,
 * sign-in, messages) comes in through `OfferEnvironment`, so the decisions
 * are tested without an editor.
 */
import type { ReviewRequestResult } from '../../server/src/protocol';
import { findPullRequest, repositoryOfRemote, requestReviewers, type Fetch, type GithubApi, type GithubRepository, type PullRequest } from './github';

type ReadyRequest = Extract<ReviewRequestResult, { ok: true }>;

/** What the offer needs of VS Code. */
export interface OfferEnvironment {
  /** Restricted Mode: false; then nothing is looked up. */
  readonly trusted: boolean;
  /** The `github-enterprise.uri` setting. */
  readonly enterpriseUri?: string;
  readonly fetch?: Fetch;
  /** VS Code's sign-in for `provider` with scope `repo`; `create` asks the user to sign in. Throws when there is no such sign-in. */
  getSession(provider: GithubApi['provider'], create: boolean): Promise<{ readonly accessToken: string } | undefined>;
  /** One sentence to the user about a failure. */
  warn(message: string): void;
  /** One sentence to the user about a success, with a link to open. */
  inform(message: string, link?: string): void;
  /** The output channel; never given the token. */
  log(message: string): void;
}

/** One more choice beside Copy, Open Issue…: ask the counterpart on the pull request. */
export interface PullRequestOffer {
  readonly label: string;
  /** True when the counterpart was asked; false to fall back to the other choices. */
  run(): Promise<boolean>;
}

/** Looking for the pull request must not hold up the other choices for long. */
export const LOOKUP_TIMEOUT_MS = 5000;

/**
 * When the folder is trusted, its origin is on GitHub (or the GitHub
 * Enterprise server of `github-enterprise.uri`) and the counterpart has
 * GitHub names: "Ask <counterpart> on pull request #N" with the existing
 * sign-in, or "Sign in to GitHub to ask <counterpart> on the pull request"
 * when there is none yet (a choice, never forced). `note` says in one
 * sentence why there is no offer when looking for the pull request failed.
 */
export async function pullRequestOffer(env: OfferEnvironment, request: ReadyRequest): Promise<{ offer?: PullRequestOffer; note?: string }> {
  const fetch = env.fetch;
  if (!env.trusted || !fetch || !request.remoteUrl || !request.branch || !request.counterpart?.reviewers.length) return {};
  const target = repositoryOfRemote(request.remoteUrl, env.enterpriseUri);
  if (!target) return {};
  const { repository, api } = target;
  const { branch, counterpart } = { branch: request.branch, counterpart: request.counterpart };
  let session: { readonly accessToken: string } | undefined;
  try {
    // VS Code waits a while for a sign-in provider that never registers (a build without GitHub sign-in).
    session = await withDeadline(env.getSession(api.provider, false), LOOKUP_TIMEOUT_MS);
  } catch (error) {
    // No GitHub sign-in in this VS Code (the provider is missing, say): the other choices stay.
    env.log(`GitHub sign-in is not available: ${(error as Error).message}`);
    return {};
  }
  const ask = (token: string, pr: PullRequest): Promise<boolean> => askOnPullRequest(env, fetch, api, token, repository, pr, counterpart);
  if (!session) {
    return {
      offer: {
        label: `Sign in to GitHub to ask ${counterpart.title} on the pull request`,
        run: async () => {
          let signedIn: { readonly accessToken: string } | undefined;
          try {
            signedIn = await env.getSession(api.provider, true);
          } catch {
            signedIn = undefined;
          }
          if (!signedIn) {
            env.warn('GitHub sign-in did not complete, so Counterpart asked no one on the pull request.');
            return false;
          }
          const found = await findPullRequest(fetch, api, signedIn.accessToken, repository, branch, LOOKUP_TIMEOUT_MS * 2);
          if (!found.ok) {
            env.warn(found.problem);
            return false;
          }
          if (!found.value) {
            env.warn(`Branch ${branch} has no open pull request in ${repository.owner}/${repository.repo}, so Counterpart asked no one there.`);
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
    env.log(found.problem);
    return { note: found.problem };
  }
  if (!found.value) return {};
  const pr = found.value;
  return { offer: { label: `Ask ${counterpart.title} on pull request #${pr.number}`, run: () => ask(token, pr) } };
}

async function askOnPullRequest(env: OfferEnvironment, fetch: Fetch, api: GithubApi, token: string, repository: GithubRepository, pr: PullRequest, counterpart: { title: string; reviewers: readonly string[] }): Promise<boolean> {
  const asked = await requestReviewers(fetch, api, token, repository, pr.number, counterpart.reviewers);
  if (!asked.ok) {
    env.warn(asked.problem);
    return false;
  }
  env.inform(`Asked ${counterpart.title} (${counterpart.reviewers.join(', ')}) to review pull request #${pr.number}.`, /^https:\/\//.test(pr.url) ? pr.url : undefined);
  return true;
}

/** `promise`, or a rejection once `ms` have passed without an answer. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('it did not answer in time')), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
