import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contentHash } from '../../server/src/core/ledger/ledger';
import { buildReport, type ArtifactChangeEvent, type Calendar, type CalendarEvent } from '../../server/src/core/report/model';
import { computeFindings } from '../../server/src/core/rules/rules';
import { readCalendar } from '../../server/src/node/calendar';
import { toPosix } from '../../server/src/node/nodeHost';
import { loadIndex } from '../../server/src/node/workspace';
import { renderReportHtml } from '../../server/src/present/report/html';
import { HAS_GIT } from '../helpers/gitRepo';
import { baseFiles } from '../helpers/memoryHost';

const PEOPLE = {
  sam: { name: 'Sam Platform', email: 'sam@acme.com' },
  dana: { name: 'Dana Product', email: 'dana@acme.com' },
  kim: { name: 'Kim Contractor', email: 'kim@elsewhere.dev' },
} as const;

function git(cwd: string, args: readonly string[], env: Record<string, string> = {}): string {
  const r = spawnSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'protocol.file.allow=always', ...args], {
    cwd, encoding: 'utf8', timeout: 30000, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, ...env },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A repository whose manifest sits in `app/`, with commits on fixed days by both sides. */
class Repo {
  readonly top = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-cal-'))));
  readonly app = `${this.top}/app`;

  constructor() {
    fs.mkdirSync(this.app);
    git(this.top, ['init', '-q']);
  }

  write(files: Record<string, string | null>): void {
    for (const [rel, text] of Object.entries(files)) {
      const file = path.join(this.app, rel);
      if (text === null) fs.rmSync(file, { force: true });
      else {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
      }
    }
  }

  commit(who: keyof typeof PEOPLE, day: string, message: string): string {
    const p = PEOPLE[who];
    const date = `${day}T10:00:00Z`;
    git(this.top, ['add', '-A']);
    git(this.top, ['commit', '-q', '-m', message], {
      GIT_AUTHOR_NAME: p.name, GIT_AUTHOR_EMAIL: p.email, GIT_COMMITTER_NAME: p.name, GIT_COMMITTER_EMAIL: p.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date,
    });
    return git(this.top, ['rev-parse', '--short=7', 'HEAD']).trim();
  }

  dispose(): void {
    fs.rmSync(this.top, { recursive: true, force: true });
  }
}

const PROMPT_V2 = 'You are a support assistant.\nHelp with refund status and express refunds.\n';

function ledger(reviews: Record<string, { hash: string; by: string; side: string; at: string }>): string {
  return JSON.stringify({ version: 1, reviews }, null, 2) + '\n';
}

function artifactEvents(cal: Calendar, artifact?: string): ArtifactChangeEvent[] {
  return cal.weeks.flatMap((w) => w.events).filter((e): e is ArtifactChangeEvent => e.type === 'artifact-changed' && (!artifact || e.artifact === artifact));
}

function allEvents(cal: Calendar): CalendarEvent[] {
  return cal.weeks.flatMap((w) => w.events);
}

const NOW = new Date('2026-11-26T12:00:00Z');

describe('release calendar from git history', function () {
  this.timeout(60000);
  let repo: Repo;
  const shas: Record<string, string> = {};

  before(function () {
    if (!HAS_GIT) this.skip();
    repo = new Repo();
    // Week of 2 Nov: platform writes the prompt and the tool; product the UI and help.
    repo.write(baseFiles());
    shas.first = repo.commit('sam', '2026-11-02', 'Support bot: prompt, tool, evals');
    // Week of 9 Nov: platform changes the prompt (a crossing) and product signs exactly that text.
    repo.write({ 'prompts/system.md': PROMPT_V2 });
    shas.prompt = repo.commit('sam', '2026-11-09', 'Prompt: handle express refunds');
    const hash = contentHash([{ path: 'prompts/system.md', text: PROMPT_V2 }]);
    repo.write({ '.counterpart/reviews.json': ledger({ 'support-prompt': { hash, by: '@dana', side: 'product', at: '2026-11-10T09:00:00Z' } }) });
    shas.sign = repo.commit('dana', '2026-11-10', 'Sign off the prompt');
    // Week of 16 Nov: platform tightens the tool's description; nobody on product signs it.
    repo.write({ 'tools/refund.json': '{\n  "name": "create_refund",\n  "description": "Creates a refund draft, only when the user has explicitly confirmed.",\n  "parameters": {}\n}\n' });
    shas.tool = repo.commit('sam', '2026-11-16', 'Tool: only after confirmation');
    // An edit outside the located text (the parameters) is no change of the artifact.
    repo.write({ 'tools/refund.json': '{\n  "name": "create_refund",\n  "description": "Creates a refund draft, only when the user has explicitly confirmed.",\n  "parameters": { "type": "object" }\n}\n' });
    repo.commit('sam', '2026-11-17', 'Tool: parameters schema');
    // Product surfaces a new intent, and someone on no side removes one.
    repo.write({ 'src/Panel.tsx': '<button data-intent="refund-status">Status</button>\n<button data-intent="express-refund">Express</button>\n' });
    shas.ui = repo.commit('dana', '2026-11-18', 'UI: express refund button');
    // Week of 23 Nov: the prompt file is renamed (text unchanged), then renamed again with an edit.
    fs.mkdirSync(path.join(repo.app, 'prompts/support'), { recursive: true });
    git(repo.top, ['mv', 'app/prompts/system.md', 'app/prompts/support/system.md']);
    repo.write({ 'counterpart.yaml': fs.readFileSync(path.join(repo.app, 'counterpart.yaml'), 'utf8').replace('files: prompts/system.md', 'files: prompts/support/system.md') });
    shas.rename = repo.commit('sam', '2026-11-23', 'Move the prompt into prompts/support');
    git(repo.top, ['mv', 'app/prompts/support/system.md', 'app/prompts/support/main.md']);
    repo.write({
      'counterpart.yaml': fs.readFileSync(path.join(repo.app, 'counterpart.yaml'), 'utf8').replace('files: prompts/support/system.md', 'files: prompts/support/main.md'),
      'prompts/support/main.md': `${PROMPT_V2}Never promise a refund date.\n`,
    });
    shas.renameEdit = repo.commit('kim', '2026-11-24', 'Rename the prompt and add a rule');
    repo.write({ 'src/Panel.tsx': '<button data-intent="express-refund">Express</button>\n' });
    shas.removed = repo.commit('kim', '2026-11-25', 'UI: drop the status button');
  });

  after(() => repo?.dispose());

  async function calendarOf(folder: string, cacheDir?: string, since?: Date): Promise<Calendar> {
    const index = await loadIndex(folder);
    assert.ok(index, 'no manifest');
    return readCalendar(folder, index, { now: NOW, cacheDir, since });
  }

  it('lists each change of located text with its commit, author and side, week by week', async () => {
    const cal = await calendarOf(repo.app, fs.mkdtempSync(path.join(os.tmpdir(), 'cp-cache-')));
    assert.equal(cal.history, 'complete');
    assert.deepEqual(cal.weeks.map((w) => w.start), ['2026-11-23', '2026-11-16', '2026-11-09', '2026-11-02', '2026-10-26', '2026-10-19', '2026-10-12', '2026-10-05']);
    const prompt = artifactEvents(cal, 'support-prompt').map((e) => `${e.commit.short} ${e.change} ${e.place.file} ${e.commit.author.side ?? '-'}`);
    assert.deepEqual(prompt, [
      `${shas.renameEdit} changed prompts/support/main.md -`,
      `${shas.prompt} changed prompts/system.md platform`,
      `${shas.first} added prompts/system.md platform`,
    ]);
    const tool = artifactEvents(cal, 'refund-tool');
    assert.deepEqual(tool.map((e) => e.commit.short), [shas.tool, shas.first], 'the parameters edit is outside the located text');
    assert.equal(tool[0].place.line, 2, 'the description is on the third line');
    assert.equal(tool[0].commit.author.email, 'sam@acme.com');
    assert.equal(tool[0].commit.subject, 'Tool: only after confirmation');
  });

  it('marks the signed crossing signed and the unsigned one unreviewed', async () => {
    const cal = await calendarOf(repo.app);
    const signed = artifactEvents(cal, 'support-prompt').find((e) => e.commit.short === shas.prompt)!;
    assert.equal(signed.unreviewed, false);
    assert.deepEqual(signed.signedBy, { by: '@dana', side: 'product', at: '2026-11-10T09:00:00Z', commit: shas.sign });
    const unsigned = artifactEvents(cal, 'refund-tool').find((e) => e.commit.short === shas.tool)!;
    assert.equal(unsigned.unreviewed, true);
    assert.equal(unsigned.signedBy, undefined);
    // After the rename with an edit, the new text was never signed.
    const renamed = artifactEvents(cal, 'support-prompt').find((e) => e.commit.short === shas.renameEdit)!;
    assert.equal(renamed.unreviewed, true);
  });

  it('lists the sign-offs committed to the ledger', async () => {
    const cal = await calendarOf(repo.app);
    const signed = allEvents(cal).flatMap((e) => (e.type === 'signed-off' ? [`${e.commit.short} ${e.by} ${e.side} ${e.artifact} ${e.kind} ${e.owner} ${e.place.file}`] : []));
    assert.deepEqual(signed, [`${shas.sign} @dana product support-prompt system-prompt platform .counterpart/reviews.json`]);
  });

  it('follows a rename: no change when the text moved as it was, the old name when it changed', async () => {
    const cal = await calendarOf(repo.app);
    assert.ok(!artifactEvents(cal).some((e) => e.commit.short === shas.rename), 'a pure rename changes no text');
    const renamed = artifactEvents(cal, 'support-prompt').find((e) => e.commit.short === shas.renameEdit)!;
    assert.equal(renamed.renamedFrom, 'prompts/support/system.md');
    assert.equal(renamed.place.file, 'prompts/support/main.md');
  });

  it('lists intents added to and removed from the UI', async () => {
    const cal = await calendarOf(repo.app);
    const ui = allEvents(cal).flatMap((e) => (e.type === 'intent-added' || e.type === 'intent-removed' ? [`${e.commit.short} ${e.type} ${e.intent} ${e.place.file}:${e.place.line}`] : []));
    assert.deepEqual(ui, [
      `${shas.removed} intent-removed refund-status src/Panel.tsx:0`,
      `${shas.ui} intent-added express-refund src/Panel.tsx:1`,
      `${shas.first} intent-added refund-status src/Panel.tsx:0`,
    ]);
  });

  it('reads no blob the second time: the facts come from the cache, the same calendar', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-cache-'));
    const first = await calendarOf(repo.app, cacheDir);
    const cache = JSON.parse(fs.readFileSync(path.join(cacheDir, 'calendar.json'), 'utf8')) as { texts: Record<string, unknown> };
    assert.ok(Object.keys(cache.texts).some((k) => /^[0-9a-f]{40}\|pointer:\/description:\.json$/.test(k)), 'keyed by blob id and locator');
    const stamp = fs.statSync(path.join(cacheDir, 'calendar.json')).mtimeMs;
    const second = await calendarOf(repo.app, cacheDir);
    assert.deepEqual(second, first);
    assert.equal(fs.statSync(path.join(cacheDir, 'calendar.json')).mtimeMs, stamp, 'nothing new to cache');
  });

  it('keeps its cache under .git by default', async () => {
    await calendarOf(repo.app);
    assert.ok(fs.existsSync(path.join(repo.top, '.git/counterpart-cache/calendar.json')));
  });

  it('--since limits the weeks and the commits read', async () => {
    const cal = await calendarOf(repo.app, undefined, new Date('2026-11-16T00:00:00Z'));
    assert.deepEqual(cal.weeks.map((w) => w.start), ['2026-11-23', '2026-11-16']);
    assert.ok(allEvents(cal).every((e) => e.commit.at >= '2026-11-16'));
    assert.equal(cal.commits, 6);
  });

  it('in a shallow clone, says where history starts, and the map still renders', async () => {
    const clone = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-shallow-'))));
    try {
      git(clone, ['clone', '-q', '--depth', '2', `file://${repo.top}`, 'c']);
      const folder = `${clone}/c/app`;
      const cal = await calendarOf(folder);
      assert.equal(cal.history, 'shallow');
      assert.equal(cal.startsAt?.slice(0, 10), '2026-11-24');
      assert.match(cal.note, /^History starts at 24 Nov 2026: this is a shallow clone/);
      assert.deepEqual(allEvents(cal).map((e) => e.commit.short), [shas.removed], 'only the commits the clone has');
      const index = (await loadIndex(folder))!;
      const html = renderReportHtml(buildReport(index, computeFindings(index), { calendar: cal, now: NOW }), { mode: 'file' });
      assert.match(html, /this is a shallow clone/);
      assert.match(html, /id="map-table"/);
    } finally {
      fs.rmSync(clone, { recursive: true, force: true });
    }
  });

  it('outside a repository, or without git, the calendar says so and is empty', async () => {
    const plain = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-plain-'))));
    const savedPath = process.env.PATH;
    try {
      for (const [rel, text] of Object.entries(baseFiles())) {
        fs.mkdirSync(path.dirname(path.join(plain, rel)), { recursive: true });
        fs.writeFileSync(path.join(plain, rel), text);
      }
      const outside = await calendarOf(plain);
      assert.equal(outside.history, 'no-repository');
      assert.match(outside.note, /not in a git repository/);
      assert.deepEqual(outside.weeks, [], 'no weeks that would read as quiet ones');
      process.env.PATH = path.join(plain, 'no-such-bin');
      const noGit = await calendarOf(repo.app);
      assert.equal(noGit.history, 'no-git');
      assert.match(noGit.note, /git is not installed/);
    } finally {
      process.env.PATH = savedPath;
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});
