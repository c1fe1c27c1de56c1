import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, EXAMPLE } from '../helpers/cli';


/** The artifacts of the example that can be signed (they have files of their own). */
const SIGNABLE = ['handoff-prompt', 'model', 'order-tool', 'refund-help', 'refund-tool', 'regression-evals', 'support-evals', 'support-prompt'];
/** People listed in the example's manifest; with --force any of them is recorded. */
const PEOPLE = ['@dana', '@lee', 'dana@acme.com', '@sam', '@priya', 'sam@acme.com'];

interface Signer {
  readonly id: string;
  readonly pid: number | undefined;
  readonly by: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>;
  kill(): void;
}

function sign(dir: string, id: string, by: string): Signer {
  const child = spawn(process.execPath, [CLI, 'sign', id, '--by', by, '--force', '--no-git', '--folder', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, err })));
  return { id, by, pid: child.pid, exit, kill: () => child.kill('SIGKILL') };
}

function readLedger(dir: string): Record<string, { by: string; hash: string }> {
  const text = fs.readFileSync(path.join(dir, '.counterpart/reviews.json'), 'utf8');
  const ledger = JSON.parse(text) as { version: number; reviews: Record<string, { by: string; hash: string }> };
  assert.equal(ledger.version, 1);
  return ledger.reviews;
}

/** A copy of the example with an empty ledger, so every entry in it was written by the test. */
function emptyCopy(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-race-')));
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '.counterpart/reviews.json'), '{\n  "version": 1,\n  "reviews": {}\n}\n');
  return dir;
}

describe('ledger: concurrent sign-offs', function () {
  this.timeout(120000);
  const temps: string[] = [];
  after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('parallel signs of different artifacts all succeed and every sign-off is kept', async () => {
    const dir = emptyCopy();
    temps.push(dir);
    for (let round = 0; round < 3; round++) {
      const by = PEOPLE[round % PEOPLE.length];
      const signers = SIGNABLE.map((id) => sign(dir, id, by));
      const results = await Promise.all(signers.map((s) => s.exit));
      results.forEach((r, i) => assert.equal(r.code, 0, `${signers[i].id}: ${r.err}`));
      const reviews = readLedger(dir);
      assert.deepEqual(Object.keys(reviews).sort(), SIGNABLE, `round ${round}`);
      for (const id of SIGNABLE) assert.equal(reviews[id].by, by, `round ${round}: ${id} keeps its sign-off by ${by}`);
      assert.deepEqual(fs.readdirSync(path.join(dir, '.counterpart')), ['reviews.json'], 'no lock or temporary file left');
    }
  });

  it('signers killed mid-write never corrupt the ledger or lose a sign-off that finished, and leave nothing behind', async () => {
    const dir = emptyCopy();
    temps.push(dir);
    // Earlier reviews, so each write takes a while and every one of them can be checked afterwards.
    const earlier: Record<string, object> = {};
    for (let i = 0; i < 2000; i++) earlier[`earlier-${i}`] = { hash: `sha256:${i}`, by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z', text: 'Reviewed text. '.repeat(20) };
    fs.writeFileSync(path.join(dir, '.counterpart/reviews.json'), JSON.stringify({ version: 1, reviews: earlier }, null, 2) + '\n');
    const lock = path.join(dir, '.counterpart/reviews.json.lock');
    // Deterministic "random" choices, so a failure can be replayed.
    let seed = 20261201;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let killed = 0;
    let killedHoldingLock = 0;
    let killedWriting = 0;
    let finished = 0;
    for (let round = 0; round < 10; round++) {
      const by = PEOPLE[round % PEOPLE.length];
      const ids = SIGNABLE.filter(() => random() < 0.6);
      const signers = ids.map((id) => sign(dir, id, by));
      // Some are killed at a random moment, some exactly while they hold the lock (reading or writing the ledger).
      const timers = signers.filter(() => random() < 0.25).map((s) => setTimeout(() => s.kill(), 80 + Math.floor(random() * 600)));
      const decided = new Set<string>();
      const maybeKill = (pid: number | undefined, moment: string): void => {
        const signer = signers.find((s) => s.pid === pid);
        if (!signer || decided.has(`${moment}:${pid}`)) return;
        decided.add(`${moment}:${pid}`);
        if (random() < 0.4) {
          signer.kill();
          if (moment === 'lock') killedHoldingLock++;
          else killedWriting++;
        }
      };
      const watcher = setInterval(() => {
        try {
          maybeKill((JSON.parse(fs.readFileSync(lock, 'utf8')) as { pid: number }).pid, 'lock');
        } catch {
          // No lock right now, or its holder is still writing its name.
        }
        // A temporary file being written: kill its writer before it is renamed over the ledger.
        for (const f of fs.readdirSync(path.dirname(lock))) {
          const m = /^\.reviews\.json\.(\d+)\.\d+\.tmp$/.exec(f);
          if (m) maybeKill(Number(m[1]), 'write');
        }
      }, 1);
      const results = await Promise.all(signers.map((s) => s.exit));
      clearInterval(watcher);
      timers.forEach(clearTimeout);
      const text = fs.readFileSync(path.join(dir, '.counterpart/reviews.json'), 'utf8');
      const reviews = readLedger(dir);
      for (const id of Object.keys(earlier)) assert.ok(reviews[id], `round ${round}: the earlier review ${id} is kept`);
      results.forEach((r, i) => {
        if (r.signal) {
          killed++;
          return;
        }
        finished++;
        assert.equal(r.code, 0, `${signers[i].id}: ${r.err}`);
        assert.equal(reviews[signers[i].id]?.by, by, `round ${round}: the sign-off of ${signers[i].id} by ${by} exited 0 and must be kept\n${text.slice(0, 2000)}`);
      });
    }
    assert.ok(killed > 0 && killedHoldingLock > 0 && finished > 0, `killed ${killed} (${killedHoldingLock} holding the lock, ${killedWriting} writing), finished ${finished}`);
    // The next write cleans up what killed signers left (a lock, temporary files).
    const last = sign(dir, 'model', '@dana');
    const r = await last.exit;
    assert.equal(r.code, 0, r.err);
    assert.equal(readLedger(dir).model.by, '@dana');
    assert.deepEqual(fs.readdirSync(path.join(dir, '.counterpart')), ['reviews.json'], 'no lock or temporary file left');
  });
});
