import type { PullReview } from '../core/changes/gate';

/** The hidden line that marks Counterpart's comment, so later runs update it instead of adding one. */
export const COMMENT_MARKER = '<!-- counterpart -->';

/** The commit status a branch protection rule can require. */
export const STATUS_CONTEXT = 'Counterpart review';

/** The few REST calls the action makes, through whatever client the caller gives (Octokit in the action). */
export interface Rest {
  request(route: string, params: Record<string, unknown>): Promise<{ data: unknown; headers?: Record<string, string | number | undefined> }>;
}

export interface PullRequestRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly headSha: string;
  readonly author?: string;
}

/** What one call could not do, in one sentence; undefined when it went through. */
export type Outcome = string | undefined;

/**
 * One sentence for a failed call, naming what was skipped and why, never the
 * token or the raw error (which may quote the request).
 */
export function explainFailure(what: string, err: unknown, apiHost: string): string {
  const e = err as { status?: number; response?: { headers?: Record<string, string | number | undefined> }; code?: string };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const headers = e?.response?.headers ?? {};
  if (status === 429 || (status === 403 && String(headers['x-ratelimit-remaining']) === '0')) {
    const reset = Number(headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC` : '';
    return `GitHub's API rate limit is used up${when}, so Counterpart could not ${what}.`;
  }
  if (status === 401) return `GitHub did not accept the workflow's token, so Counterpart could not ${what}.`;
  if (status === 403 || status === 404) {
    return `GitHub refused to let the workflow's token ${what} (HTTP ${status}): a pull request from a fork gets a read-only token, and otherwise the job needs the permissions pull-requests: write and statuses: write.`;
  }
  if (status === 422) return `GitHub would not ${what} (HTTP 422): a reviewer who is not a collaborator, a team the token cannot see, or the pull request's author.`;
  if (status !== undefined && status >= 500) return `GitHub's API failed (HTTP ${status}), so Counterpart could not ${what}. Re-run the job to try again.`;
  if (status !== undefined) return `GitHub answered HTTP ${status}, so Counterpart could not ${what}.`;
  const code = typeof e?.code === 'string' && /^[A-Z_]+$/.test(e.code) ? ` (${e.code})` : '';
  return `Counterpart could not reach ${apiHost}${code} to ${what}.`;
}

/** Every page of a list endpoint (100 a page, at most 30 pages). */
async function all<T>(rest: Rest, route: string, params: Record<string, unknown>): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= 30; page++) {
    const { data } = await rest.request(route, { ...params, per_page: 100, page });
    const items = Array.isArray(data) ? (data as T[]) : [];
    out.push(...items);
    if (items.length < 100) break;
  }
  return out;
}

/** The pull request's reviews, oldest first. */
export async function listReviews(rest: Rest, pr: PullRequestRef): Promise<PullReview[]> {
  const reviews = await all<{ user?: { login?: string } | null; state?: string }>(rest, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner: pr.owner, repo: pr.repo, pull_number: pr.number });
  return reviews.filter((r) => r.user?.login && r.state).map((r) => ({ login: r.user!.login!, state: r.state! }));
}

/** Splits review channels ("@acme/product-pms", "@dana") into teams and people, leaving out the author. */
export function reviewersFrom(channels: readonly string[], author: string | undefined): { reviewers: string[]; team_reviewers: string[] } {
  const reviewers = new Set<string>();
  const teams = new Set<string>();
  for (const channel of channels) {
    for (const word of channel.split(/[\s,]+/)) {
      const m = /^@([A-Za-z0-9-]+)(?:\/([A-Za-z0-9_.-]+))?$/.exec(word);
      if (!m) continue;
      if (m[2]) teams.add(m[2]);
      else if (m[1].toLowerCase() !== author?.toLowerCase()) reviewers.add(m[1]);
    }
  }
  return { reviewers: [...reviewers], team_reviewers: [...teams] };
}

export async function requestReviewers(rest: Rest, pr: PullRequestRef, who: { reviewers: string[]; team_reviewers: string[] }): Promise<void> {
  await rest.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', { owner: pr.owner, repo: pr.repo, pull_number: pr.number, ...who });
}

/**
 * Writes the report as one comment: updates the comment that carries the
 * marker, or adds it when there is none. Adds nothing when there is nothing to
 * say and no earlier comment to correct.
 */
export async function upsertComment(rest: Rest, pr: PullRequestRef, body: string, worthSaying: boolean): Promise<'created' | 'updated' | 'none'> {
  const comments = await all<{ id: number; body?: string }>(rest, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: pr.owner, repo: pr.repo, issue_number: pr.number });
  const previous = comments.find((c) => c.body?.includes(COMMENT_MARKER));
  const text = `${COMMENT_MARKER}\n${body}`;
  if (previous) {
    if (previous.body === text) return 'updated';
    await rest.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner: pr.owner, repo: pr.repo, comment_id: previous.id, body: text });
    return 'updated';
  }
  if (!worthSaying) return 'none';
  await rest.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: pr.owner, repo: pr.repo, issue_number: pr.number, body: text });
  return 'created';
}

export async function setStatus(rest: Rest, pr: PullRequestRef, status: { state: 'success' | 'pending' | 'error' | 'failure'; description: string; targetUrl?: string }): Promise<void> {
  await rest.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
    owner: pr.owner, repo: pr.repo, sha: pr.headSha,
    state: status.state, context: STATUS_CONTEXT,
    description: status.description.length > 140 ? `${status.description.slice(0, 139)}…` : status.description,
    ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
  });
}
