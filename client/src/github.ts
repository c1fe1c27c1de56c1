/**
 * Asking the counterpart on the pull request of the current branch, through
 * GitHub's REST API. Pure: no `vscode` here, and the HTTP call goes through
 * the `fetch` given, so tests run it against a local server.
 *
 * The token goes only into the Authorization header of requests to the API
 * address computed here, redirects are refused (so it never follows one to
 * another host), and no message or log line ever includes it.
 */
import { splitReviewers } from '../../server/src/core/codeowners/sides';

/** A GitHub repository as the API names it. */
export interface GithubRepository {
  readonly owner: string;
  readonly repo: string;
}

/** Where the API is and which VS Code sign-in it takes. */
export interface GithubApi {
  /** e.g. https://api.github.com, or https://ghe.example.com/api/v3 */
  readonly base: string;
  /** The VS Code authentication provider: `github`, or `github-enterprise`. */
  readonly provider: 'github' | 'github-enterprise';
}

export interface PullRequest {
  readonly number: number;
  readonly url: string;
  readonly title: string;
}

export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string; redirect: 'error'; signal?: AbortSignal }) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/**
 * The repository of a git remote URL on github.com, or on the GitHub
 * Enterprise server at `enterpriseUri` (the `github-enterprise.uri` setting).
 * https, ssh (`git@host:o/r.git`, `ssh://git@host/o/r`) and git URLs work.
 */
export function repositoryOfRemote(url: string, enterpriseUri?: string): { repository: GithubRepository; api: GithubApi } | undefined {
  const m = /^(?:[a-z+]+:\/\/)?(?:[^@/]+@)?([^/:]+)(?::\d+)?[:/]+([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(url.trim());
  if (!m) return undefined;
  const [, host, owner, repo] = m;
  if (!/^[A-Za-z0-9_.-]+$/.test(owner) || !/^[A-Za-z0-9_.-]+$/.test(repo)) return undefined;
  const repository = { owner, repo };
  if (/^(www\.)?github\.com$/i.test(host) || /^ssh\.github\.com$/i.test(host)) return { repository, api: { base: 'https://api.github.com', provider: 'github' } };
  const enterprise = enterpriseBase(enterpriseUri);
  if (enterprise && enterprise.host.toLowerCase() === host.toLowerCase()) return { repository, api: { base: `${enterprise.origin}/api/v3`, provider: 'github-enterprise' } };
  return undefined;
}

function enterpriseBase(uri: string | undefined): URL | undefined {
  if (!uri) return undefined;
  try {
    const parsed = new URL(uri);
    // The token is sent there: only over https.
    return parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The reviewers GitHub's API takes: people by login, teams by slug (`@acme/product-pms` → `product-pms`). */
export function reviewersBody(names: readonly string[]): { reviewers: string[]; team_reviewers: string[] } {
  const { users, teams } = splitReviewers(names);
  return { reviewers: users, team_reviewers: teams };
}

/** The open pull request whose head is `branch` in the repository itself. */
export async function findPullRequest(fetch: Fetch, api: GithubApi, token: string, repository: GithubRepository, branch: string, timeoutMs = 8000): Promise<Outcome<PullRequest | undefined>> {
  const { owner, repo } = repository;
  const url = `${api.base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pulls?head=${encodeURIComponent(`${owner}:${branch}`)}&state=open&per_page=1`;
  const answer = await call(fetch, url, 'GET', token, undefined, timeoutMs);
  if (!answer.ok) return answer;
  const { status, body, headers } = answer.value;
  if (status !== 200) return { ok: false, problem: problemOf(status, body, headers, `look for a pull request in ${owner}/${repo}`) };
  const list = parse(body);
  if (!Array.isArray(list)) return { ok: false, problem: 'GitHub answered with something that is not a list of pull requests, so Counterpart cannot tell which one to use.' };
  const first = list[0] as { number?: unknown; html_url?: unknown; title?: unknown } | undefined;
  if (!first) return { ok: true, value: undefined };
  if (typeof first.number !== 'number') return { ok: false, problem: 'GitHub answered with a pull request without a number, so Counterpart cannot use it.' };
  return { ok: true, value: { number: first.number, url: typeof first.html_url === 'string' ? first.html_url : '', title: typeof first.title === 'string' ? first.title : '' } };
}

/** Asks the counterpart's people and teams to review pull request `number`. */
export async function requestReviewers(fetch: Fetch, api: GithubApi, token: string, repository: GithubRepository, number: number, names: readonly string[], timeoutMs = 15000): Promise<Outcome<void>> {
  const body = reviewersBody(names);
  if (!body.reviewers.length && !body.team_reviewers.length) return { ok: false, problem: 'The counterpart has no GitHub team or @handle in the manifest (review.github, lead or members), so there is no one to ask on the pull request.' };
  const { owner, repo } = repository;
  const url = `${api.base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pulls/${number}/requested_reviewers`;
  const answer = await call(fetch, url, 'POST', token, JSON.stringify(body), timeoutMs);
  if (!answer.ok) return answer;
  const { status, body: text, headers } = answer.value;
  if (status === 201 || status === 200) return { ok: true, value: undefined };
  return { ok: false, problem: problemOf(status, text, headers, `ask for reviews on pull request #${number}`) };
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: { get(name: string): string | null };
}

async function call(fetch: Fetch, url: string, method: string, token: string, body: string | undefined, timeoutMs: number): Promise<Outcome<Answer>> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method,
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${token}`,
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'counterpart-vscode',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body,
      redirect: 'error',
      signal: abort.signal,
    });
    return { ok: true, value: { status: response.status, body: await response.text(), headers: response.headers } };
  } catch {
    // The error may name the URL, never the token; it is not shown either way.
    return { ok: false, problem: abort.signal.aborted ? 'GitHub did not answer in time, so Counterpart could not reach the pull request.' : 'Counterpart could not reach GitHub (offline, or a proxy or firewall in the way).' };
  } finally {
    clearTimeout(timer);
  }
}

/** One sentence for a GitHub answer that is not a success. */
export function problemOf(status: number, body: string, headers: { get(name: string): string | null }, doing: string): string {
  const message = (() => {
    const parsed = parse(body) as { message?: unknown } | undefined;
    return parsed && typeof parsed.message === 'string' ? parsed.message.slice(0, 200) : '';
  })();
  if ((status === 403 || status === 429) && (headers.get('x-ratelimit-remaining') === '0' || headers.get('retry-after') !== null || /rate limit/i.test(message))) {
    const reset = Number(headers.get('x-ratelimit-reset'));
    const at = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC` : ' for now';
    return `GitHub's rate limit for your account is used up${at}, so Counterpart could not ${doing}.`;
  }
  if (status === 401) return `GitHub did not accept your sign-in, so Counterpart could not ${doing}. Sign out of GitHub in VS Code and sign in again.`;
  if (status === 403) return `GitHub did not allow Counterpart to ${doing}${message ? ` ("${message}")` : ''}; your sign-in may lack access to this repository.`;
  if (status === 404) return `GitHub did not find the repository or pull request, so Counterpart could not ${doing}; your sign-in may lack access to it.`;
  if (status === 422) return sentence(`GitHub refused to ${doing}${message ? `: ${message}${detailsOf(body)}` : ''}`);
  return `GitHub answered ${status}${message ? ` ("${message}")` : ''}, so Counterpart could not ${doing}.`;
}

/** GitHub puts the reason for a 422 in `errors`; the top message is often just "Validation Failed". */
function detailsOf(body: string): string {
  const parsed = parse(body) as { errors?: unknown } | undefined;
  const errors = Array.isArray(parsed?.errors) ? parsed!.errors : [];
  const texts = errors.map((e) => (typeof e === 'string' ? e : e && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : '')).filter(Boolean);
  return texts.length ? ` (${texts.join('; ').replace(/\.$/, '').slice(0, 200)})` : '';
}

/** Ends with one full stop, however GitHub's own message ended. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
