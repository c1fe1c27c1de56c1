import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildIndex, type WorkspaceIndex } from '../../server/src/core/index/workspaceIndex';
import { signReview, type SignInput } from '../../server/src/core/review/sign';
import { realTarget } from '../../server/src/node/folderPaths';
import { updateLedger } from '../../server/src/node/ledgerStore';
import { NodeHost, toPosix } from '../../server/src/node/nodeHost';
import { baseFiles } from '../helpers/memoryHost';
import { tempFolders } from '../helpers/tempFolders';

/** A process id that was just used and is gone. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', ''], { timeout: 10000 });
  assert.ok(r.pid);
  return r.pid;
}

describe('ledger store: one writer at a time, never outside the folder', () => {
  const made = tempFolders('cp-store-');
  const tempDir = (prefix: string): string => toPosix(made(prefix));

  function folder(files: Record<string, string> = {}): string {
    const dir = tempDir('cp-store-');
    for (const [rel, text] of Object.entries(baseFiles(files))) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  }

  const indexOf = (dir: string): WorkspaceIndex => buildIndex(dir, new NodeHost())!;
  const input = (artifactId: string): SignInput => ({ artifactId, by: '@dana', at: new Date('2026-12-01T10:00:00Z'), force: true });
  const sign = (index: WorkspaceIndex, id: string, wait?: number) => updateLedger(index, (current) => signReview(index, input(id), current), wait === undefined ? {} : { waitMs: wait });
  const ledgerOf = (dir: string): Record<string, unknown> => (JSON.parse(fs.readFileSync(path.join(dir, '.counterpart/reviews.json'), 'utf8')) as { reviews: Record<string, unknown> }).reviews;

  it('re-reads the ledger under the lock: a sign-off written since the index was built is kept', () => {
    const dir = folder();
    const stale = indexOf(dir);
    assert.ok(sign(indexOf(dir), 'help').ok);
    const second = sign(stale, 'refund-tool');
    assert.ok(second.ok, !second.ok ? second.problem : '');
    assert.deepEqual(Object.keys(ledgerOf(dir)).sort(), ['help', 'refund-tool']);
    assert.deepEqual(fs.readdirSync(path.join(dir, '.counterpart')), ['reviews.json']);
  });

  it('cleans up what killed writers left: their temporary files, their lock and locks moved aside', () => {
    const dir = folder();
    const gone = deadPid();
    const meta = path.join(dir, '.counterpart');
    fs.mkdirSync(meta, { recursive: true });
    fs.writeFileSync(path.join(meta, `.reviews.json.${gone}.1764583200000.tmp`), '{ "version": 1, "rev');
    fs.writeFileSync(path.join(meta, `reviews.json.lock.${gone}.0a1b2c3d.stale`), '');
    fs.writeFileSync(path.join(meta, 'reviews.json.lock'), JSON.stringify({ pid: gone, host: os.hostname(), token: 'x' }));
    // Someone else's files that only look alike stay.
    fs.writeFileSync(path.join(meta, '.notes.json.123.456.tmp'), 'x');
    const started = Date.now();
    const r = sign(indexOf(dir), 'help');
    assert.ok(r.ok, !r.ok ? r.problem : '');
    assert.ok(Date.now() - started < 2000, 'a dead writer\'s lock is taken over at once');
    assert.deepEqual(fs.readdirSync(meta).sort(), ['.notes.json.123.456.tmp', 'reviews.json']);
  });

  it('waits for a live writer, then answers busy in a plain sentence; takes over a lock that is too old', () => {
    const dir = folder({ '.counterpart/reviews.json': '{ "version": 1, "reviews": {} }\n' });
    const lock = path.join(dir, '.counterpart/reviews.json.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'someone' }));
    const started = Date.now();
    const busy = sign(indexOf(dir), 'help', 300);
    assert.ok(Date.now() - started >= 300);
    assert.deepEqual(busy, { ok: false, problem: 'Someone else is recording a review in .counterpart/reviews.json right now, so this one was not recorded. Try again in a moment; if it keeps happening, delete .counterpart/reviews.json.lock.' });
    assert.equal(fs.readFileSync(lock, 'utf8').includes('someone'), true, 'a live lock is left alone');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    assert.ok(sign(indexOf(dir), 'help', 300).ok);
    // A lock its writer never got to fill in (killed right after creating it).
    fs.writeFileSync(lock, '');
    const second = new Date(Date.now() - 2_000);
    fs.utimesSync(lock, second, second);
    assert.ok(sign(indexOf(dir), 'refund-tool', 300).ok);
    assert.deepEqual(fs.readdirSync(path.join(dir, '.counterpart')), ['reviews.json']);
    assert.deepEqual(Object.keys(ledgerOf(dir)).sort(), ['help', 'refund-tool']);
  });

  it('refuses to write a ledger that is there but is not one, read again under the lock', () => {
    const dir = folder();
    const index = indexOf(dir);
    fs.mkdirSync(path.join(dir, '.counterpart'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.counterpart/reviews.json'), '{ "name": "not a ledger" }');
    const r = sign(index, 'help');
    assert.ok(!r.ok && r.problem.startsWith('Counterpart will not use .counterpart/reviews.json as the review ledger: it is not one'));
    assert.equal(fs.readFileSync(path.join(dir, '.counterpart/reviews.json'), 'utf8'), '{ "name": "not a ledger" }');
  });

  it('resolves every link of a write path and refuses one that leaves the folder', () => {
    const dir = folder();
    const outside = tempDir('cp-outside-');
    fs.mkdirSync(path.join(dir, 'meta'));
    fs.symlinkSync(path.join(dir, 'meta'), path.join(dir, 'inside'));
    fs.symlinkSync(outside, path.join(dir, 'out'));
    fs.symlinkSync('../out', path.join(dir, 'meta/back'));
    fs.symlinkSync(path.join(outside, 'missing'), path.join(dir, 'dangling-out'));
    fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'dangling-in'));
    assert.deepEqual(realTarget(dir, 'a/b.json', 'The review ledger'), { ok: true, path: path.join(dir, 'a/b.json'), rel: 'a/b.json' });
    assert.deepEqual(realTarget(dir, 'inside/b.json', 'The review ledger'), { ok: true, path: path.join(dir, 'meta/b.json'), rel: 'meta/b.json' });
    assert.deepEqual(realTarget(dir, 'out/b.json', 'The review ledger'), {
      ok: false,
      problem: `The review ledger out/b.json leads to ${outside}/b.json, outside the workspace folder, through a link. Counterpart reads and writes nothing outside the folder, so it did not use it. Replace the link with a real folder or file inside the workspace.`,
    });
    assert.match((realTarget(dir, 'inside/back/x/b.json', 'The review ledger') as { problem: string }).problem, new RegExp(`^The review ledger inside/back/x/b\\.json leads to ${outside}/x/b\\.json, outside`));
    assert.match((realTarget(dir, 'dangling-out/b.json', 'The review ledger') as { problem: string }).problem, /outside the workspace folder/);
    assert.deepEqual(realTarget(dir, 'dangling-in/b.json', 'The folder for review requests'), {
      ok: false,
      problem: 'The folder for review requests dangling-in/b.json goes through the link dangling-in, which leads nowhere, so Counterpart did not write it. Remove the link or make it point to a folder inside the workspace.',
    });
  });

  it('writes nothing through a .counterpart that links out of the folder', () => {
    const dir = folder();
    const outside = tempDir('cp-outside-');
    fs.symlinkSync(outside, path.join(dir, '.counterpart'));
    const index = indexOf(dir);
    const direct = updateLedger(index, (current) => signReview(index, input('help'), { ...current, refused: undefined }));
    assert.ok(!direct.ok && /^The review ledger \.counterpart\/reviews\.json leads to .*, outside the workspace folder/.test(direct.problem));
    assert.deepEqual(fs.readdirSync(outside), []);
  });
});
