import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { findPullRequest, repositoryOfRemote, requestReviewers, reviewersBody, type Fetch, type GithubApi } from '../../client/src/github';

const TOKEN = 'gho_secret-token-for-tests';
const REPO = { owner: 'acme', repo: 'support-bot' };

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

/** A local stand-in for the GitHub API: answers with `reply`, records every request. */
async function fakeGithub(reply: (seen: Seen) => { status: number; body?: unknown; headers?: Record<string, string> }): Promise<{ api: GithubApi; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body };
      seen.push(s);
      const r = reply(s);
      res.writeHead(r.status, { 'Content-Type': 'application/json', ...(r.headers ?? {}) });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { api: { base: `http://127.0.0.1:${port}`, provider: 'github' }, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const fetchImpl = globalThis.fetch as unknown as Fetch;

describe('GitHub pull requests (pure part of Request Counterpart Review)', () => {
  it('reads GitHub remotes in every spelling, and GitHub Enterprise only at the configured https address', () => {
    for (const url of ['https://github.com/acme/support-bot.git', 'git@github.com:acme/support-bot.git', 'ssh://git@github.com/acme/support-bot', 'https://user@github.com/acme/support-bot/', 'git://github.com/acme/support-bot.git']) {
      assert.deepEqual(repositoryOfRemote(url), { repository: REPO, api: { base: 'https://api.github.com', provider: 'github' } }, url);
    }
    assert.equal(repositoryOfRemote('https://gitlab.com/acme/support-bot.git'), undefined);
    assert.equal(repositoryOfRemote('/srv/git/support-bot.git'), undefined);
    assert.deepEqual(repositoryOfRemote('git@ghe.acme.com:acme/support-bot.git', 'https://ghe.acme.com/'), { repository: REPO, api: { base: 'https://ghe.acme.com/api/v3', provider: 'github-enterprise' } });
    assert.equal(repositoryOfRemote('git@ghe.acme.com:acme/support-bot.git', 'http://ghe.acme.com'), undefined, 'the token is never sent over http');
    assert.equal(repositoryOfRemote('git@ghe.acme.com:acme/support-bot.git'), undefined);
  });

  it('splits the counterpart into people and team slugs', () => {
    assert.deepEqual(reviewersBody(['@acme/product-pms', '@dana', 'dana@acme.com']), { reviewers: ['dana'], team_reviewers: ['product-pms'] });
  });

  it('finds the open pull request of the branch, then asks the counterpart on it', async () => {
    const gh = await fakeGithub((s) => (s.method === 'GET' ? { status: 200, body: [{ number: 42, html_url: 'https://github.com/acme/support-bot/pull/42', title: 'Tighten refund tool' }] } : { status: 201, body: {} }));
    try {
      const pr = await findPullRequest(fetchImpl, gh.api, TOKEN, REPO, 'feature/refunds');
      assert.deepEqual(pr, { ok: true, value: { number: 42, url: 'https://github.com/acme/support-bot/pull/42', title: 'Tighten refund tool' } });
      const asked = await requestReviewers(fetchImpl, gh.api, TOKEN, REPO, 42, ['@acme/product-pms', '@dana']);
      assert.deepEqual(asked, { ok: true, value: undefined });
      assert.deepEqual(gh.seen.map((s) => [s.method, s.url, s.authorization]), [
        ['GET', '/repos/acme/support-bot/pulls?head=acme%3Afeature%2Frefunds&state=open&per_page=1', `Bearer ${TOKEN}`],
        ['POST', '/repos/acme/support-bot/pulls/42/requested_reviewers', `Bearer ${TOKEN}`],
      ]);
      assert.deepEqual(JSON.parse(gh.seen[1].body), { reviewers: ['dana'], team_reviewers: ['product-pms'] });
    } finally {
      await gh.close();
    }
  });

  it('says when the branch has no open pull request', async () => {
    const gh = await fakeGithub(() => ({ status: 200, body: [] }));
    try {
      assert.deepEqual(await findPullRequest(fetchImpl, gh.api, TOKEN, REPO, 'main'), { ok: true, value: undefined });
    } finally {
      await gh.close();
    }
  });

  it('turns a rate limit, a refusal and a bad sign-in into one sentence each, never with the token', async () => {
    const answers = [
      { status: 403, body: { message: 'API rate limit exceeded for user ID 1.' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.UTC(2026, 11, 1, 19, 5) / 1000) } },
      { status: 422, body: { message: 'Validation Failed', errors: ['Review cannot be requested from pull request author.'] } },
      { status: 401, body: { message: 'Bad credentials' } },
      { status: 404, body: { message: 'Not Found' } },
      { status: 500, body: { message: 'Server Error' } },
    ];
    let n = 0;
    const gh = await fakeGithub(() => answers[n++]);
    try {
      const problems: string[] = [];
      for (let i = 0; i < answers.length; i++) {
        const r = await requestReviewers(fetchImpl, gh.api, TOKEN, REPO, 7, ['@dana']);
        assert.ok(!r.ok);
        problems.push(r.problem);
      }
      assert.deepEqual(problems, [
        "GitHub's rate limit for your account is used up until 19:05 UTC, so Counterpart could not ask for reviews on pull request #7.",
        'GitHub refused to ask for reviews on pull request #7: "Validation Failed" (Review cannot be requested from pull request author.).',
        'GitHub did not accept your sign-in, so Counterpart could not ask for reviews on pull request #7. Sign out of GitHub in VS Code and sign in again.',
        'GitHub did not find the repository or pull request, so Counterpart could not ask for reviews on pull request #7; your sign-in may lack access to it.',
        'GitHub answered 500 ("Server Error"), so Counterpart could not ask for reviews on pull request #7.',
      ]);
      assert.ok(problems.every((p) => !p.includes(TOKEN)));
    } finally {
      await gh.close();
    }
  });

  it('never follows a redirect elsewhere with the token, and says when GitHub cannot be reached', async () => {
    const elsewhere = await fakeGithub(() => ({ status: 200, body: [] }));
    const gh = await fakeGithub(() => ({ status: 302, headers: { Location: `${elsewhere.api.base}/steal` } }));
    try {
      const r = await findPullRequest(fetchImpl, gh.api, TOKEN, REPO, 'main');
      assert.deepEqual(r, { ok: false, problem: 'Counterpart could not reach GitHub (offline, or a proxy or firewall in the way).' });
      assert.equal(elsewhere.seen.length, 0);
    } finally {
      await gh.close();
      await elsewhere.close();
    }
    const closed = await fakeGithub(() => ({ status: 200 }));
    await closed.close();
    const offline = await findPullRequest(fetchImpl, closed.api, TOKEN, REPO, 'main');
    assert.deepEqual(offline, { ok: false, problem: 'Counterpart could not reach GitHub (offline, or a proxy or firewall in the way).' });
  });

  it('asks no one, without calling GitHub, when the counterpart has no GitHub names', async () => {
    const gh = await fakeGithub(() => ({ status: 201 }));
    try {
      const r = await requestReviewers(fetchImpl, gh.api, TOKEN, REPO, 7, ['dana@acme.com']);
      assert.ok(!r.ok && /no GitHub team or @handle/.test(r.problem));
      assert.equal(gh.seen.length, 0);
    } finally {
      await gh.close();
    }
  });
});
