import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempFolders } from '../helpers/tempFolders';
import { git, HAS_GIT, makeRepo } from '../helpers/gitRepo';

const REPO = path.resolve(__dirname, '../../..');
const ACTION = path.join(REPO, 'action/index.js');
const TOKEN = 'ghs_secretTokenThatMustNeverBePrinted1234';

interface Call {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly auth?: string;
}

/** Stands in for api.github.com: records each REST call and answers like GitHub, or fails where told. */
class Recorder {
  readonly calls: Call[] = [];
  readonly comments: { id: number; body: string }[] = [];
  reviews: { user: { login: string }; state: string }[] = [];
  /** Route ("GET /repos/…") → a failure to answer with. */
  failures = new Map<string, { status: number; headers?: Record<string, string> }>();
  private server!: http.Server;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const route = `${req.method} ${url.pathname}`;
        this.calls.push({ method: req.method ?? '', path: url.pathname, body: text ? JSON.parse(text) : undefined, auth: req.headers.authorization });
        const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(data));
        };
        const failure = this.failures.get(route);
        if (failure) return send(failure.status, { message: 'refused' }, failure.headers);
        if (route === 'GET /repos/acme/bot/pulls/7/reviews') return send(200, this.reviews);
        if (route === 'GET /repos/acme/bot/issues/7/comments') return send(200, this.comments);
        if (route === 'POST /repos/acme/bot/issues/7/comments') {
          const comment = { id: 100 + this.comments.length + 1, body: (JSON.parse(text) as { body: string }).body };
          this.comments.push(comment);
          return send(201, comment);
        }
        const patch = /^PATCH \/repos\/acme\/bot\/issues\/comments\/(\d+)$/.exec(route);
        if (patch) {
          const comment = this.comments.find((c) => c.id === Number(patch[1]));
          if (!comment) return send(404, { message: 'Not Found' });
          comment.body = (JSON.parse(text) as { body: string }).body;
          return send(200, comment);
        }
        if (route === 'POST /repos/acme/bot/pulls/7/requested_reviewers') return send(201, {});
        if (/^POST \/repos\/acme\/bot\/statuses\/[0-9a-f]{40}$/.test(route)) return send(201, {});
        return send(404, { message: 'Not Found' });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The calls other than reads, as "METHOD path". */
  writes(): string[] {
    return this.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);
  }
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: string;
  sarif?: string;
}

/** Runs the committed action with the environment GitHub gives a JavaScript action. */
function runAction(dir: string, workspace: string, recorder: Recorder, event: { name: string; payload: unknown }, inputs: Record<string, string> = {}): Promise<RunResult> {
  const eventFile = path.join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
  const summaryFile = path.join(dir, `summary-${Math.random().toString(36).slice(2)}.md`);
  const outputFile = path.join(dir, `output-${Math.random().toString(36).slice(2)}.txt`);
  fs.writeFileSync(eventFile, JSON.stringify(event.payload));
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(outputFile, '');
  // Nothing of the machine's own GitHub or proxy settings leaks in.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_)|proxy$/i.test(k)) env[k] = v;
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: 'acme/bot',
    GITHUB_SHA: git(workspace, 'rev-parse', 'HEAD').trim(),
    GITHUB_API_URL: `http://127.0.0.1:${recorder.port}`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    NO_PROXY: '127.0.0.1,localhost',
    INPUT_TOKEN: TOKEN,
    'INPUT_SARIF-FILE': 'counterpart.sarif',
    INPUT_FOLDER: '.',
    'INPUT_MAX-WARNINGS': '-1',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  });
  return new Promise((resolve, reject) => {
    // Asynchronously: the recorder answers from this same process.
    const child = spawn(process.execPath, [ACTION], { cwd: workspace, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill(), 60000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const sarifPath = path.join(workspace, 'counterpart.sarif');
      resolve({
        code, stdout, stderr,
        summary: fs.readFileSync(summaryFile, 'utf8'),
        outputs: fs.readFileSync(outputFile, 'utf8'),
        sarif: fs.existsSync(sarifPath) ? fs.readFileSync(sarifPath, 'utf8') : undefined,
      });
    });
  });
}

/** Outputs as GITHUB_OUTPUT holds them (name<<delimiter … delimiter). */
function outputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]] = m[3];
  return out;
}

/**
 * The token is nowhere but in the one command that asks the runner to mask it
 * (`::add-mask::`, which the runner consumes and never shows).
 */
function assertNoToken(r: RunResult): void {
  const masks = r.stdout.split('\n').filter((l) => l.includes(TOKEN));
  assert.deepEqual(masks, [`::add-mask::${TOKEN}`]);
  const stdout = r.stdout.replace(`::add-mask::${TOKEN}\n`, '');
  for (const [name, text] of Object.entries({ stdout, stderr: r.stderr, summary: r.summary, outputs: r.outputs, sarif: r.sarif ?? '' })) {
    assert.ok(!text.includes(TOKEN), `the token appears in ${name}`);
  }
}

function payload(base: string, head: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    action: 'opened',
    number: 7,
    pull_request: { number: 7, head: { sha: head, ref: 'feature' }, base: { sha: base, ref: 'main' }, user: { login: 'sam' } },
    repository: { name: 'bot', owner: { login: 'acme' } },
    ...extra,
  };
}

describe('the GitHub Action', function () {
  this.timeout(120000);
  const temp = tempFolders('cp-action-');
  let recorder: Recorder;
  beforeEach(async () => {
    recorder = new Recorder();
    await recorder.start();
  });
  afterEach(() => recorder.stop());
  before(function () {
    if (!HAS_GIT) this.skip();
  });

  it('the committed bundle is the bundle of the source as it is', () => {
    const r = spawnSync(process.execPath, ['scripts/bundle.mjs', '--check-action'], { cwd: REPO, encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
  });

  it('action.yml runs the committed bundle on node24, with the documented inputs', () => {
    const yml = fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8');
    assert.match(yml, /\nruns:\n {2}using: node24\n {2}main: action\/index\.js\n/);
    for (const input of ['token', 'folder', 'manifest', 'max-warnings', 'sarif-file', 'request-reviews', 'comment']) assert.match(yml, new RegExp(`\\n {2}${input}:\\n`), input);
    assert.match(yml, /\n {4}default: \$\{\{ github\.token \}\}\n/);
  });

  it('on a pull request: annotations, SARIF, summary, review requests, one comment and a pending status; on an approval: the same comment updated, success', async () => {
    const dir = temp();
    const { base, root } = makeRepo(dir);
    const head = git(root, 'rev-parse', 'HEAD').trim();
    const first = await runAction(dir, root, recorder, { name: 'pull_request', payload: payload(base, head) });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assertNoToken(first);
    // Every call carries the token to the API host the workflow names, and nowhere else.
    assert.ok(recorder.calls.length > 0);
    for (const c of recorder.calls) assert.equal(c.auth, `token ${TOKEN}`);
    assert.deepEqual(recorder.writes(), [
      'POST /repos/acme/bot/pulls/7/requested_reviewers',
      'POST /repos/acme/bot/issues/7/comments',
      `POST /repos/acme/bot/statuses/${head}`,
    ]);
    const body = (method: string, p: string): Record<string, unknown> => recorder.calls.filter((c) => c.method === method && c.path === p).at(-1)!.body as Record<string, unknown>;
    // The counterpart of the changed tool is Product: its review channel is the team @acme/pms.
    assert.deepEqual(body('POST', '/repos/acme/bot/pulls/7/requested_reviewers'), { reviewers: [], team_reviewers: ['pms'] });
    assert.deepEqual(body('POST', `/repos/acme/bot/statuses/${head}`), {
      state: 'pending', context: 'Counterpart review',
      description: 'Waiting for Product to review 2 of 2 changed artifacts.',
      target_url: 'https://github.com/acme/bot/actions/runs/42',
    });
    const comment = body('POST', '/repos/acme/bot/issues/7/comments').body as string;
    assert.match(comment, /^<!-- counterpart -->\n## Counterpart: 2 artifacts changed, 2 waiting for review\n/);
    assert.match(comment, /\n```diff\n[^`]*\+Creates a refund draft for an order\. Only when the user has explicitly confirmed\.\n```\n/);
    // Annotations of the change only (old debt in the renamed UI file is left out), with paths from the repository's top.
    assert.match(first.stdout, /^::warning title=Counterpart%3A changed-since-review,file=tools\/refund\.json,line=3,endLine=3,col=18,endColumn=101::This tool description changed since Product \(@dana\)/m);
    assert.ok(!/file=src\/ui\/Panel\.tsx.*legacy-thing/.test(first.stdout), first.stdout);
    assert.match(first.summary, /## Counterpart: 2 artifacts changed, 2 waiting for review\n/);
    assert.match(first.summary, /\*\*Findings of this change:\*\* 0 errors, \d+ warnings, \d+ notes?\./);
    assert.match(first.summary, /\n- ⚠️ `tools\/refund\.json:3` This tool description changed since Product \(@dana\) last reviewed it/);
    assert.deepEqual(outputs(first.outputs), { 'sarif-file': path.join(root, 'counterpart.sarif'), status: 'pending', changed: '2', waiting: '2' });
    const sarif = JSON.parse(first.sarif!) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    // SARIF holds every finding (code scanning shows a pull request what is new).
    assert.ok(sarif.runs[0].results.some((r) => r.ruleId === 'undeclared-intent' && r.locations[0].physicalLocation.artifactLocation.uri === 'src/ui/Panel.tsx'));

    // @lee, a member of Product, approves: the review event re-evaluates.
    recorder.calls.length = 0;
    recorder.reviews = [{ user: { login: 'lee' }, state: 'COMMENTED' }, { user: { login: 'lee' }, state: 'APPROVED' }, { user: { login: 'sam' }, state: 'APPROVED' }];
    const second = await runAction(dir, root, recorder, { name: 'pull_request_review', payload: payload(base, head, { action: 'submitted', review: { state: 'approved', user: { login: 'lee' } } }) });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assertNoToken(second);
    assert.deepEqual(recorder.writes(), ['PATCH /repos/acme/bot/issues/comments/101', `POST /repos/acme/bot/statuses/${head}`]);
    assert.equal(recorder.comments.length, 1);
    assert.match(recorder.comments[0].body, /^<!-- counterpart -->\n## Counterpart: 2 artifacts changed, all reviewed\n/);
    assert.match(recorder.comments[0].body, /Approved on this pull request by @lee \(Product\)\./);
    assert.deepEqual(body('POST', `/repos/acme/bot/statuses/${head}`), {
      state: 'success', context: 'Counterpart review',
      description: 'The counterpart has reviewed all 2 changed artifacts.',
      target_url: 'https://github.com/acme/bot/actions/runs/42',
    });
    assert.equal(outputs(second.outputs).status, 'success');
  });

  it('an approval from the owning side, or from someone the change itself adds to the counterpart, does not count', async () => {
    const dir = temp();
    const { base, root } = makeRepo(dir);
    // The change adds @sam (ML Platform's lead) to Product's members.
    const manifest = fs.readFileSync(path.join(root, 'counterpart.yaml'), 'utf8');
    fs.writeFileSync(path.join(root, 'counterpart.yaml'), manifest.replace('members: ["@dana", "@lee"]', 'members: ["@dana", "@lee", "@sam"]'));
    git(root, 'commit', '-q', '-am', 'sam reviews himself');
    const head = git(root, 'rev-parse', 'HEAD').trim();
    recorder.reviews = [{ user: { login: 'sam' }, state: 'APPROVED' }];
    const r = await runAction(dir, root, recorder, { name: 'pull_request_review', payload: payload(base, head, { action: 'submitted' }) });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const status = recorder.calls.find((c) => c.path === `/repos/acme/bot/statuses/${head}`)!.body as { state: string };
    assert.equal(status.state, 'pending');
    assert.match(r.summary, /\n> This change adds @sam on Product's side; reviews are counted with the sides as they were before it, until it is merged\.\n/);
  });

  it('a failing API (rate limit, fork token, server error) is one sentence each in the log and the summary; the findings still print', async () => {
    const dir = temp();
    const { base, root } = makeRepo(dir);
    const head = git(root, 'rev-parse', 'HEAD').trim();
    const reset = Math.floor(Date.UTC(2026, 11, 1, 19, 30) / 1000);
    recorder.failures.set('GET /repos/acme/bot/pulls/7/reviews', { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } });
    recorder.failures.set('POST /repos/acme/bot/pulls/7/requested_reviewers', { status: 403 });
    recorder.failures.set('GET /repos/acme/bot/issues/7/comments', { status: 502 });
    recorder.failures.set(`POST /repos/acme/bot/statuses/${head}`, { status: 403 });
    const r = await runAction(dir, root, recorder, { name: 'pull_request', payload: payload(base, head) });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assertNoToken(r);
    const sentences = [
      "GitHub's API rate limit is used up until 19:30 UTC, so Counterpart could not read the pull request's reviews. Only sign-offs in the review ledger count.",
      "GitHub refused to let the workflow's token request reviews from the counterpart (HTTP 403): a pull request from a fork gets a read-only token, and otherwise the job needs the permissions pull-requests: write and statuses: write.",
      "GitHub's API failed (HTTP 502), so Counterpart could not comment on the pull request. Re-run the job to try again.",
      'GitHub refused to let the workflow\'s token set the "Counterpart review" status (HTTP 403): a pull request from a fork gets a read-only token, and otherwise the job needs the permissions pull-requests: write and statuses: write.',
    ];
    for (const s of sentences) {
      assert.ok(r.stdout.includes(`::warning::${s}\n`), `log lacks: ${s}\n${r.stdout}`);
      assert.ok(r.summary.includes(`> ${s}\n`), `summary lacks: ${s}`);
    }
    assert.match(r.stdout, /^::warning title=Counterpart%3A changed-since-review,file=tools\/refund\.json,/m);
    const status = recorder.calls.find((c) => c.path === `/repos/acme/bot/statuses/${head}`)!.body as { state: string; description: string };
    assert.deepEqual([status.state, status.description], ['pending', 'Waiting for Product to review 2 of 2 changed artifacts (approvals could not be read).']);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
  });

  it("a checkout of GitHub's merge commit with fetch-depth 2 is enough, even when the event's base moved on", async () => {
    const dir = temp();
    const { base } = makeRepo(dir);
    const head = git(dir, 'rev-parse', 'feature').trim();
    // What GitHub checks out for a pull request: a merge commit of the head into the base.
    git(dir, 'checkout', '-q', '--detach', base);
    git(dir, 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'feature');
    git(dir, 'branch', 'pull-7-merge');
    const clone = temp();
    git(clone, 'clone', '-q', '--depth', '2', '--branch', 'pull-7-merge', pathToFileURL(dir).href, 'c');
    const root = path.join(clone, 'c');
    const r = await runAction(clone, root, recorder, { name: 'pull_request', payload: payload('f'.repeat(40), head) });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const status = recorder.calls.find((c) => c.path === `/repos/acme/bot/statuses/${head}`)!.body as { state: string; description: string };
    assert.deepEqual([status.state, status.description], ['pending', 'Waiting for Product to review 2 of 2 changed artifacts.']);
  });

  it('a shallow clone without the base: the status says what it could not check, every finding is still annotated', async () => {
    const dir = temp();
    const { base } = makeRepo(dir);
    const clone = temp();
    git(clone, 'clone', '-q', '--depth', '1', '--branch', 'feature', pathToFileURL(dir).href, 'c');
    const root = path.join(clone, 'c');
    const head = git(root, 'rev-parse', 'HEAD').trim();
    const r = await runAction(clone, root, recorder, { name: 'pull_request', payload: payload(base, head) });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assertNoToken(r);
    assert.match(r.stdout, /::warning::This is a shallow clone and it does not hold '[0-9a-f]{40}', so Counterpart cannot tell what changed\. .*fetch-depth: 2.* Every finding is shown\.\n/);
    assert.match(r.summary, /> This is a shallow clone/);
    // Old debt is shown too: nothing tells it apart.
    assert.match(r.stdout, /^::warning title=Counterpart%3A undeclared-intent,file=src\/ui\/Panel\.tsx,.*'legacy-thing'/m);
    assert.deepEqual(recorder.writes(), [`POST /repos/acme/bot/statuses/${head}`]);
    const status = recorder.calls.at(-1)!.body as { state: string; description: string };
    assert.equal(status.state, 'error');
    assert.match(status.description, /^Could not check: This is a shallow clone/);
    assert.ok(status.description.length <= 140);
  });
});
