import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import { tempFolders } from '../helpers/tempFolders';
import { BASE_FILES, git, HAS_GIT, makeRepo, write } from '../helpers/gitRepo';
import { REPO, runCli as run } from '../helpers/cli';

interface ChangesJson {
  base: string;
  notes: string[];
  artifacts: { id: string; change: string; owner: string; counterpart: string; reviewChannel: { github?: string; url?: string }; signedOff: boolean; standing: string; diff: { kind: string; text?: string }[]; intents: { id: string; evalCases: number; uiSurfaces: number }[]; evalCases: unknown[]; uiSurfaces: { intent: string }[]; notes: string[] }[];
  markers: { added: { file: string; intent: string }[]; removed: unknown[] };
}

interface CheckJson {
  findings: { code: string; file: string; message: string }[];
}

describe('the documented commands', () => {
  it("every command line in the README's CLI section is in --help, word for word", () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The `counterpart` command'), readme.indexOf('## In pull requests'));
    const lines = section.split('\n').filter((l) => /^ {4}counterpart \w/.test(l)).map((l) => l.trim());
    assert.ok(lines.length >= 6, lines.join('\n'));
    const help = run(['--help'], REPO).out;
    for (const line of lines) assert.ok(help.includes(`  ${line}\n`), `--help lacks: ${line}`);
  });
});

describe('changes and check --changed on real git repositories', function () {
  this.timeout(120000);
  const temp = tempFolders('cp-changes-');
  before(function () {
    if (!HAS_GIT) this.skip();
  });

  it('changes lists the edited tool and the removed prompt, not a rename or an edit outside the located text', () => {
    const dir = temp();
    const { base, root } = makeRepo(dir);
    const r = run(['changes', base, '--format', 'json'], root);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as ChangesJson;
    assert.deepEqual(json.artifacts.map((a) => [a.id, a.change]), [['old-prompt', 'removed'], ['refund-tool', 'modified']]);
    const tool = json.artifacts.find((a) => a.id === 'refund-tool')!;
    assert.equal(tool.owner, 'platform');
    assert.equal(tool.counterpart, 'product');
    assert.deepEqual(tool.reviewChannel, { github: '@acme/pms', url: 'https://chat.example.com/pms' });
    assert.equal(tool.signedOff, false);
    assert.match(tool.standing, /^Not signed off: @dana's review of .* was of an earlier text\. Waiting for Product \(@dana\)\.$/);
    // Only the located text is diffed: "strict" changed too, and is not shown.
    assert.equal(tool.diff.length, 1);
    assert.match(tool.diff[0].text ?? '', /^-Creates a refund draft for an order\.\n\+Creates a refund draft for an order\. Only when the user has explicitly confirmed\.$/m);
    assert.ok(!(tool.diff[0].text ?? '').includes('strict'));
    assert.deepEqual(tool.intents, [{ id: 'refund-status', evalCases: 1, uiSurfaces: 1 }]);
    // The renamed UI file keeps its markers; the new file's marker is the only one added.
    assert.deepEqual(json.markers.added.map((m) => [m.file, m.intent]), [['src/New.tsx', 'express-refund']]);
    assert.deepEqual(json.markers.removed, []);
  });

  it('changes --format markdown is what a product manager reads: who reviews, signed or not, a diff block', () => {
    const dir = temp();
    const { base, root } = makeRepo(dir);
    const r = run(['changes', base, '--format', 'markdown'], root);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^## Counterpart: 2 artifacts changed, 2 waiting for review\n/);
    assert.match(r.out, /\n### ⏳ Tool description `refund-tool` changed\n/);
    assert.match(r.out, /\| Must be reviewed by \| Product \(@dana\) \|\n/);
    assert.match(r.out, /\| Review channel \| @acme\/pms · https:\/\/chat\.example\.com\/pms \|\n/);
    assert.match(r.out, /\n```diff\n@@ -1,1 \+1,1 @@\n-Creates a refund draft for an order\.\n\+Creates a refund draft for an order\. Only when the user has explicitly confirmed\.\n```\n/);
    assert.match(r.out, /\n### ⏳ System prompt `old-prompt` removed\n\nRemoved: Product \(@dana\) should confirm on the pull request that it may go\.\n/);
    assert.match(r.out, /- UI surface added: `src\/New\.tsx:1` shows `express-refund`\n/);
  });

  it('a sign-off of the new text in the ledger counts, and is said to be recorded by the change', () => {
    const dir = temp();
    const { base, root } = makeRepo(dir);
    assert.equal(run(['sign', 'refund-tool', '--by', '@lee', '--no-git'], root).code, 0);
    const json = JSON.parse(run(['changes', base, '--format', 'json'], root).out) as ChangesJson;
    const tool = json.artifacts.find((a) => a.id === 'refund-tool')!;
    assert.equal(tool.signedOff, true);
    assert.match(tool.standing, /^Signed off by @lee on .* in the review ledger \(recorded by this change\)\.$/);
  });

  it('check --changed keeps what the change causes or touches and leaves old debt out', () => {
    const dir = temp();
    const { base, root } = makeRepo(dir);
    const all = JSON.parse(run(['check', '--format', 'json', '--max-warnings', '-1'], root).out) as CheckJson;
    const r = run(['check', '--format', 'json', '--max-warnings', '-1', '--changed', base], root);
    assert.equal(r.code, 0, r.err);
    const changed = JSON.parse(r.out) as CheckJson;
    assert.match(r.err, new RegExp(`^counterpart: ${changed.findings.length} findings of ${all.findings.length} concern what changed since ${base}\\.\\n$`));
    const codes = changed.findings.map((f) => `${f.code} ${f.file}`);
    // Old debt: an undeclared intent in a UI file the change only renamed.
    assert.ok(all.findings.some((f) => f.code === 'undeclared-intent' && f.file === 'src/ui/Panel.tsx'));
    assert.ok(!codes.includes('undeclared-intent src/ui/Panel.tsx'), codes.join('\n'));
    // The escalation prompt was never reviewed, but the change did not touch its text.
    assert.ok(all.findings.some((f) => f.code === 'never-reviewed' && f.file === 'legacy/escalation.go'));
    assert.ok(!codes.some((c) => c.endsWith('legacy/escalation.go')), codes.join('\n'));
    // What the change did: the tool changed since review, its contract changed, a new button is uncovered.
    assert.ok(codes.includes('changed-since-review tools/refund.json'), codes.join('\n'));
    assert.ok(codes.includes('tool-contract-change tools/refund.json'), codes.join('\n'));
    assert.ok(codes.includes('uncovered-intent src/New.tsx'), codes.join('\n'));
  });

  it('a finding the change causes in a file it did not touch is kept: removing the only eval case', () => {
    const dir = temp();
    const { base, root } = makeRepo(dir);
    fs.writeFileSync(path.join(root, 'evals/cases.jsonl'), '');
    const changed = JSON.parse(run(['check', '--format', 'json', '--max-warnings', '-1', '--changed', base], root).out) as CheckJson;
    assert.ok(changed.findings.some((f) => f.code === 'uncovered-intent' && f.file === 'src/ui/Panel.tsx' && f.message.includes("'refund-status'")), JSON.stringify(changed.findings, null, 1));
    // The working tree counts, uncommitted: the eval case's removal is a change.
    const json = JSON.parse(run(['changes', base, '--format', 'json'], root).out) as { evalCases: { removed: { label: string }[] }; artifacts: { id: string }[] };
    assert.deepEqual(json.evalCases.removed.map((c) => c.label), ['where is my refund']);
    assert.ok(json.artifacts.some((a) => a.id === 'evals'));
  });

  it('--changed without a base compares with where the branch left the default branch', () => {
    const dir = temp();
    const { root } = makeRepo(dir);
    const r = run(['changes', '--format', 'json'], root);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as ChangesJson;
    assert.match(json.base, /^main \(merge base [0-9a-f]{7}\)$/);
    assert.equal(json.artifacts.length, 2);
    const c = run(['check', '--changed', '--format', 'json', '--max-warnings', '-1'], root);
    assert.equal(c.code, 0, c.err);
    assert.match(c.err, /concern what changed since main \(merge base/);
    // A detached HEAD (what CI checks out) works the same.
    git(root, 'checkout', '-q', '--detach');
    const detached = JSON.parse(run(['changes', '--format', 'json'], root).out) as ChangesJson;
    assert.deepEqual(detached.artifacts.map((a) => a.id), json.artifacts.map((a) => a.id));
  });

  it('works on a manifest in a subfolder of the repository, with renames detected there', () => {
    const dir = temp();
    const { base, root } = makeRepo(dir, 'apps/bot');
    const json = JSON.parse(run(['changes', base, '--format', 'json', '--folder', root], dir).out) as ChangesJson;
    assert.deepEqual(json.artifacts.map((a) => a.id), ['old-prompt', 'refund-tool']);
    assert.deepEqual(json.markers.added.map((m) => m.file), ['src/New.tsx']);
  });

  it('an artifact whose owner or counterpart changes is reported even with the same text', () => {
    const dir = temp();
    const { base, root } = makeRepo(dir);
    const manifest = fs.readFileSync(path.join(root, 'counterpart.yaml'), 'utf8');
    fs.writeFileSync(path.join(root, 'counterpart.yaml'), manifest.replace('region: escalation-prompt\n    owner: platform', 'region: escalation-prompt\n    owner: product'));
    const json = JSON.parse(run(['changes', base, '--format', 'json'], root).out) as ChangesJson;
    const prompt = json.artifacts.find((a) => a.id === 'escalation-prompt');
    assert.ok(prompt, JSON.stringify(json.artifacts.map((a) => a.id)));
    assert.deepEqual(prompt.notes, ['its owner changed: it was ML Platform', 'its counterpart changed: it was Product']);
    assert.equal(prompt.diff.length, 0);
  });

  it('a shallow clone without the base says what depth it needs; check still prints every finding', () => {
    const dir = temp();
    const { base } = makeRepo(dir);
    const clone = temp();
    git(clone, 'clone', '-q', '--depth', '1', '--branch', 'feature', pathToFileURL(dir).href, 'c');
    const root = path.join(clone, 'c');
    const r = run(['changes', base], root);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /^counterpart: This is a shallow clone and it does not hold '[0-9a-f]{40}', so Counterpart cannot tell what changed\. Counterpart fetches nothing: .*`fetch-depth: 0`.*`fetch-depth: 2`.*\n$/);
    const all = run(['check', '--format', 'json', '--max-warnings', '-1'], root);
    const c = run(['check', '--format', 'json', '--max-warnings', '-1', '--changed', base], root);
    assert.equal(c.code, 0);
    assert.match(c.err, /shallow clone.* All findings are shown\.\n$/);
    assert.equal(c.out, all.out);
    // Depth 2 holds the parent: then it works.
    const deeper = temp();
    git(deeper, 'clone', '-q', '--depth', '2', '--branch', 'feature', pathToFileURL(dir).href, 'c');
    const ok = run(['changes', base, '--format', 'json'], path.join(deeper, 'c'));
    assert.equal(ok.code, 0, ok.err);
  });

  it('outside git, and with a base git does not know, each problem is one sentence', () => {
    const dir = temp();
    write(dir, BASE_FILES);
    const r = run(['check', '--changed', 'main', '--max-warnings', '-1'], dir, { GIT_CEILING_DIRECTORIES: path.dirname(dir) });
    assert.equal(r.code, 0);
    assert.equal(r.err, 'counterpart: This folder is not in a git repository, so Counterpart cannot tell what changed. All findings are shown.\n');
    assert.match(r.out, /never-reviewed/);
    const repo = temp();
    makeRepo(repo);
    const bad = run(['changes', 'no-such-branch'], repo);
    assert.equal(bad.code, 2);
    assert.equal(bad.err, "counterpart: There is no commit 'no-such-branch' in this repository, so Counterpart cannot tell what changed. Name a branch, tag or commit it holds.\n");
    const option = run(['changes', '--', '--output=/tmp/x'], repo);
    assert.equal(option.code, 2);
    assert.match(option.err, /There is no commit '--output=\/tmp\/x'/);
  });

  it('an unreadable ledger at base is said, and the sign-offs of the change still count', () => {
    const dir = temp();
    write(dir, { ...BASE_FILES, '.counterpart/reviews.json': '{ "version": 1, "reviews": { oops' });
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'broken ledger');
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    fs.rmSync(path.join(dir, '.counterpart/reviews.json'));
    write(dir, { 'tools/refund.json': JSON.stringify({ name: 'create_refund', description: 'Creates a refund.' }) });
    assert.equal(run(['sign', 'refund-tool', '--by', '@dana', '--no-git'], dir).code, 0);
    const json = JSON.parse(run(['changes', base, '--format', 'json'], dir).out) as ChangesJson;
    assert.ok(json.notes.includes(`The review ledger at ${base} could not be read, so sign-offs recorded by this change cannot be told from older ones.`), json.notes.join('\n'));
    assert.equal(json.artifacts.find((a) => a.id === 'refund-tool')?.signedOff, true);
  });

  it('a base with no manifest counts every artifact as added', () => {
    const dir = temp();
    write(dir, { 'README.md': 'hello\n' });
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'before counterpart');
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    write(dir, BASE_FILES);
    const json = JSON.parse(run(['changes', base, '--format', 'json'], dir).out) as ChangesJson;
    assert.deepEqual(json.artifacts.map((a) => [a.id, a.change]), [['escalation-prompt', 'added'], ['evals', 'added'], ['old-prompt', 'added'], ['refund-tool', 'added']]);
    assert.match(json.notes[0], /^There is no counterpart\.yaml at [0-9a-f]{40}: every artifact counts as added\.$/);
    // A long text is shown by its start, and says how much is left out.
    write(dir, { 'prompts/old.md': Array.from({ length: 200 }, (_, i) => `Line ${i} of a long prompt.`).join('\n') + '\n' });
    const md = run(['changes', base, '--format', 'markdown'], dir).out;
    const block = /### ⏳ System prompt `old-prompt` added\n[\s\S]*?```diff\n([\s\S]*?)```\n\n_(.*)_\n/.exec(md);
    assert.ok(block, md);
    assert.equal(block[1].split('\n').length - 1, 80);
    assert.ok(block[1].startsWith('+Line 0 of a long prompt.\n+Line 1 '), block[1]);
    assert.equal(block[2], '120 more lines of diff not shown.');
  });
});
