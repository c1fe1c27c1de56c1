import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE, runCli as run } from '../helpers/cli';
import { tempFolders } from '../helpers/tempFolders';

interface JsonFinding {
  code: string;
  file: string;
  line: number;
  message: string;
}

/** The findings of `counterpart check`, with paths relative to the folder. */
function check(dir: string): JsonFinding[] {
  const r = run(['check', '.', '--format', 'json'], dir);
  return (JSON.parse(r.out) as { findings: JsonFinding[] }).findings;
}

/** Every file under `dir` with its text: what "nothing was written" is checked against. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out[r] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

describe('ledger and links: nothing is read or written outside the folder', function () {
  this.timeout(60000);
  const tempDir = tempFolders('cp-links-');

  function example(): string {
    const dir = tempDir('cp-links-');
    fs.cpSync(EXAMPLE, dir, { recursive: true });
    return dir;
  }

  /** A folder outside the workspace holding a ledger that would make every review look in step. */
  function outsideWithLedger(): string {
    const outside = tempDir('cp-outside-');
    fs.copyFileSync(path.join(EXAMPLE, '.counterpart/reviews.json'), path.join(outside, 'reviews.json'));
    return outside;
  }

  const refundToolCodes = (findings: readonly JsonFinding[]): string[] => findings.filter((f) => f.file === 'tools/refund.json').map((f) => f.code);
  const OUTSIDE = /leads to .*, outside the workspace folder, through a link\. Counterpart reads and writes nothing outside the folder, so it did not use it\. Replace the link with a real folder or file inside the workspace\./;

  it('.counterpart linked to a folder outside: the ledger there is not read, sign writes nothing there', () => {
    const dir = example();
    const outside = outsideWithLedger();
    fs.rmSync(path.join(dir, '.counterpart'), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, '.counterpart'));
    const before = snapshot(outside);
    const findings = check(dir);
    const skipped = findings.filter((f) => f.code === 'file-skipped' && f.file === 'counterpart.yaml');
    assert.equal(skipped.length, 1, JSON.stringify(findings.filter((f) => f.file === 'counterpart.yaml')));
    assert.equal(skipped[0].message, `The review ledger .counterpart/reviews.json leads to ${outside}/reviews.json, outside the workspace folder, through a link. Counterpart reads and writes nothing outside the folder, so it did not use it. Replace the link with a real folder or file inside the workspace.`);
    // Not read: the review recorded there does not count.
    assert.deepEqual(refundToolCodes(findings), ['never-reviewed']);
    const r = run(['sign', 'refund-tool', '--by', '@dana', '--folder', dir, '--no-git']);
    assert.equal(r.code, 2);
    assert.equal(r.err.trim(), `counterpart: ${skipped[0].message}`);
    assert.deepEqual(snapshot(outside), before, 'nothing written outside');
  });

  it('reviews: naming a folder that links outside', () => {
    const dir = example();
    const outside = outsideWithLedger();
    fs.symlinkSync(outside, path.join(dir, 'shared'));
    const manifest = path.join(dir, 'counterpart.yaml');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('reviews: .counterpart/reviews.json', 'reviews: shared/reviews.json'));
    const before = snapshot(outside);
    const findings = check(dir);
    const skipped = findings.find((f) => f.code === 'file-skipped' && f.file === 'counterpart.yaml');
    assert.match(skipped?.message ?? '', OUTSIDE);
    assert.equal(skipped?.line, fs.readFileSync(manifest, 'utf8').split('\n').findIndex((l) => l.startsWith('reviews:')) + 1, 'at the reviews: line');
    assert.deepEqual(refundToolCodes(findings), ['never-reviewed']);
    const r = run(['sign', 'refund-tool', '--by', '@dana', '--folder', dir, '--no-git']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^counterpart: The review ledger shared\/reviews\.json leads to .*outside the workspace folder/);
    assert.deepEqual(snapshot(outside), before, 'nothing written outside');
  });

  it('the ledger file itself a link to a file outside', () => {
    const dir = example();
    const outside = outsideWithLedger();
    fs.rmSync(path.join(dir, '.counterpart/reviews.json'));
    fs.symlinkSync(path.join(outside, 'reviews.json'), path.join(dir, '.counterpart/reviews.json'));
    const before = snapshot(outside);
    const findings = check(dir);
    assert.match(findings.find((f) => f.code === 'file-skipped')?.message ?? '', OUTSIDE);
    assert.deepEqual(refundToolCodes(findings), ['never-reviewed']);
    const r = run(['sign', 'refund-tool', '--by', '@dana', '--folder', dir, '--no-git']);
    assert.equal(r.code, 2);
    assert.match(r.err, OUTSIDE);
    assert.deepEqual(snapshot(outside), before, 'nothing written outside');
    assert.ok(fs.lstatSync(path.join(dir, '.counterpart/reviews.json')).isSymbolicLink(), 'the link is left as it was');
  });

  it('a link that stays inside the folder is followed: the ledger is written where it really is', () => {
    const dir = example();
    fs.renameSync(path.join(dir, '.counterpart'), path.join(dir, 'meta'));
    fs.symlinkSync(path.join(dir, 'meta'), path.join(dir, '.counterpart'));
    assert.deepEqual(refundToolCodes(check(dir)), ['changed-since-review', 'tool-contract-change']);
    const r = run(['sign', 'refund-tool', '--by', '@dana', '--folder', dir, '--no-git']);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(fs.readFileSync(path.join(dir, 'meta/reviews.json'), 'utf8')) as { reviews: Record<string, { by: string; at: string }> }).reviews['refund-tool'].by, '@dana');
    assert.ok(fs.lstatSync(path.join(dir, '.counterpart')).isSymbolicLink());
    assert.deepEqual(refundToolCodes(check(dir)), []);
  });

  it('reviews: naming an artifact\'s file is refused: the tool file is never replaced', () => {
    const dir = example();
    const manifest = path.join(dir, 'counterpart.yaml');
    const text = fs.readFileSync(manifest, 'utf8').replace('reviews: .counterpart/reviews.json', 'reviews: tools/order-lookup.json');
    fs.writeFileSync(manifest, text);
    const tool = fs.readFileSync(path.join(dir, 'tools/order-lookup.json'), 'utf8');
    const message = "Counterpart will not use tools/order-lookup.json as the review ledger: it is a file of the artifact 'order-tool', and recording a review would overwrite it. Point `reviews:` at a .json file of its own, such as .counterpart/reviews.json.";
    const findings = check(dir);
    assert.deepEqual(findings.filter((f) => f.message === message).map((f) => [f.code, f.file, f.line]), [['manifest-schema', 'counterpart.yaml', text.split('\n').findIndex((l) => l.startsWith('reviews:')) + 1]]);
    for (const id of ['refund-tool', 'order-tool']) {
      const r = run(['sign', id, '--by', '@dana', '--folder', dir, '--no-git']);
      assert.equal(r.code, 2);
      assert.equal(r.err.trim(), `counterpart: ${message}`);
    }
    assert.equal(fs.readFileSync(path.join(dir, 'tools/order-lookup.json'), 'utf8'), tool);
  });

  it('reviews: naming some other JSON file is refused, and so is a file that is not .json', () => {
    const dir = example();
    const manifest = path.join(dir, 'counterpart.yaml');
    const original = fs.readFileSync(manifest, 'utf8');
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "support-bot" }\n');
    fs.writeFileSync(manifest, original.replace('reviews: .counterpart/reviews.json', 'reviews: package.json'));
    const r = run(['sign', 'refund-tool', '--by', '@dana', '--folder', dir, '--no-git']);
    assert.equal(r.code, 2);
    assert.match(r.err, /Counterpart will not use package\.json as the review ledger: it is not one \(a JSON object with "version": 1 and "reviews"\)/);
    assert.equal(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'), '{ "name": "support-bot" }\n');
    fs.writeFileSync(manifest, original.replace('reviews: .counterpart/reviews.json', 'reviews: README.md'));
    const md = run(['sign', 'refund-tool', '--by', '@dana', '--folder', dir, '--no-git']);
    assert.equal(md.code, 2);
    assert.match(md.err, /The review ledger must be a \.json file, and README\.md is not/);
    assert.ok(check(dir).some((f) => f.code === 'manifest-schema' && /must be a \.json file/.test(f.message)));
  });

  it('an unreadable ledger entry survives a sign-off of another artifact, exactly as written', () => {
    const dir = example();
    const file = path.join(dir, '.counterpart/reviews.json');
    const broken = '"order-tool": { "hash": "sha256:0", "by": "@dana", "at": 20261102 }';
    const text = fs.readFileSync(file, 'utf8').replace('"reviews": {\n', `"reviews": {\n    ${broken},\n`);
    fs.writeFileSync(file, text);
    const findings = check(dir);
    assert.ok(findings.some((f) => f.code === 'ledger-syntax' && f.message.startsWith("The review of 'order-tool' needs text fields hash, by, side and at")));
    const r = run(['sign', 'refund-tool', '--by', '@dana', '--folder', dir, '--no-git']);
    assert.equal(r.code, 0, r.err);
    const after = fs.readFileSync(file, 'utf8');
    assert.ok(after.includes(`    ${broken},\n`), after);
    const reviews = (JSON.parse(after) as { reviews: Record<string, unknown> }).reviews;
    assert.deepEqual(Object.keys(reviews).sort(), ['handoff-prompt', 'model', 'order-tool', 'refund-tool', 'support-prompt']);
  });
});
