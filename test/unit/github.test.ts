import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { findPullRequest, repositoryOfRemote, requestReviewers, reviewersBody, type Fetch, type GithubApi } from '../../client/src/github';
import { pullRequestOffer, type OfferEnvironment } from '../../client/src/pullRequestOffer';
import type { ReviewRequestResult } from '../../server/src/protocol';

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
        'GitHub refused to ask for reviews on pull request #7: Validation Failed (Review cannot be requested from pull request author).',
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

describe('the pull request choice of Request Counterpart Review', () => {
  const request: Extract<ReviewRequestResult, { ok: true }> = {
    ok: true, artifactId: 'refund-tool', folderUri: 'file:///ws', title: 't', markdown: 'm',
    counterpart: { title: 'Product', reviewers: ['@acme/product-pms'] }, remoteUrl: 'git@github.com:acme/support-bot.git', branch: 'feature/refunds',
  };

  /** VS Code as the offer sees it; requests meant for api.github.com go to the local stand-in, and are recorded as meant. */
  function environment(base: string, session: { accessToken: string } | undefined | 'missing', overrides: Partial<OfferEnvironment> = {}) {
    const said: string[] = [];
    const hosts: string[] = [];
    const signIns: boolean[] = [];
    const env: OfferEnvironment = {
      trusted: true,
      fetch: (url, init) => {
        hosts.push(new URL(url).origin);
        return fetchImpl(url.replace('https://api.github.com', base), init);
      },
      getSession: (_provider, create) => {
        signIns.push(create);
        if (session === 'missing') return Promise.reject(new Error('No authentication provider github'));
        return Promise.resolve(create ? { accessToken: TOKEN } : session);
      },
      warn: (m) => said.push(`warn: ${m}`),
      inform: (m, link) => said.push(`info: ${m}${link ? ` [${link}]` : ''}`),
      log: (m) => said.push(`log: ${m}`),
      ...overrides,
    };
    return { env, said, hosts, signIns };
  }

  const github = (): Promise<Awaited<ReturnType<typeof fakeGithub>>> =>
    fakeGithub((s) => (s.method === 'GET' ? { status: 200, body: [{ number: 42, html_url: 'https://github.com/acme/support-bot/pull/42', title: 'Refunds' }] } : { status: 201, body: {} }));

  it('with a sign-in: offers "Ask Product on pull request #42", which asks the team on github.com\'s API', async () => {
    const gh = await github();
    try {
      const { env, said, hosts, signIns } = environment(gh.api.base, { accessToken: TOKEN });
      const { offer, note } = await pullRequestOffer(env, request);
      assert.equal(note, undefined);
      assert.equal(offer?.label, 'Ask Product on pull request #42');
      assert.equal(await offer!.run(), true);
      assert.deepEqual(signIns, [false], 'never asks to sign in');
      assert.deepEqual(hosts, ['https://api.github.com', 'https://api.github.com']);
      assert.deepEqual(JSON.parse(gh.seen[1].body), { reviewers: [], team_reviewers: ['product-pms'] });
      assert.deepEqual(said, ['info: Asked Product (@acme/product-pms) to review pull request #42. [https://github.com/acme/support-bot/pull/42]']);
    } finally {
      await gh.close();
    }
  });

  it('without a sign-in: offers to sign in, and only signing in looks for the pull request', async () => {
    const gh = await github();
    try {
      const { env, signIns } = environment(gh.api.base, undefined);
      const { offer } = await pullRequestOffer(env, request);
      assert.equal(offer?.label, 'Sign in to GitHub to ask Product on the pull request');
      assert.equal(gh.seen.length, 0);
      assert.equal(await offer!.run(), true);
      assert.deepEqual(signIns, [false, true]);
      assert.deepEqual(gh.seen.map((s) => s.method), ['GET', 'POST']);
    } finally {
      await gh.close();
    }
  });

  it('falls back to the other choices: untrusted, not GitHub, no sign-in provider, no pull request, or GitHub failing', async () => {
    const gh = await github();
    try {
      assert.deepEqual(await pullRequestOffer(environment(gh.api.base, { accessToken: TOKEN }, { trusted: false }).env, request), {});
      assert.deepEqual(await pullRequestOffer(environment(gh.api.base, { accessToken: TOKEN }).env, { ...request, remoteUrl: 'https://gitlab.com/acme/bot.git' }), {});
      assert.deepEqual(await pullRequestOffer(environment(gh.api.base, { accessToken: TOKEN }).env, { ...request, branch: undefined }), {});
      assert.deepEqual(await pullRequestOffer(environment(gh.api.base, 'missing').env, request), {});
      assert.equal(gh.seen.length, 0, 'nothing was sent');
    } finally {
      await gh.close();
    }
    const none = await fakeGithub(() => ({ status: 200, body: [] }));
    try {
      assert.deepEqual(await pullRequestOffer(environment(none.api.base, { accessToken: TOKEN }).env, request), {});
    } finally {
      await none.close();
    }
    const limited = await fakeGithub(() => ({ status: 403, body: { message: 'API rate limit exceeded' }, headers: { 'x-ratelimit-remaining': '0' } }));
    try {
      const { offer, note } = await pullRequestOffer(environment(limited.api.base, { accessToken: TOKEN }).env, request);
      assert.equal(offer, undefined);
      assert.equal(note, "GitHub's rate limit for your account is used up for now, so Counterpart could not look for a pull request in acme/support-bot.");
    } finally {
      await limited.close();
    }
  });

  it('a refused request says why and lets the other choices come back', async () => {
    const gh = await fakeGithub((s) => (s.method === 'GET' ? { status: 200, body: [{ number: 7, html_url: 'https://github.com/acme/support-bot/pull/7' }] } : { status: 422, body: { message: 'Reviews may only be requested from collaborators.' } }));
    try {
      const { env, said } = environment(gh.api.base, { accessToken: TOKEN });
      const { offer } = await pullRequestOffer(env, request);
      assert.equal(await offer!.run(), false);
      assert.deepEqual(said, ['warn: GitHub refused to ask for reviews on pull request #7: Reviews may only be requested from collaborators.']);
      assert.ok(said.every((m) => !m.includes(TOKEN)));
    } finally {
      await gh.close();
    }
  });
});
