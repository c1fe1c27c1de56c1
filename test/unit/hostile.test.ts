import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildIndex } from '../../server/src/core/index/workspaceIndex';
import { parseLedger } from '../../server/src/core/ledger/ledger';
import { NodeHost, toPosix } from '../../server/src/node/nodeHost';
import { parseManifest } from '../../server/src/core/manifest/parse';
import { composeReviewRequest } from '../../server/src/core/review/compose';
import { computeFindings } from '../../server/src/core/rules/rules';
import { at, baseFiles, indexOf, manifest, MemoryHost, where } from '../helpers/memoryHost';

const M = 'counterpart.yaml';

/**
 * Each defect of the hostile-input report, on a copy of the small fixture.
 * Before the fixes, the first ones ran for minutes (mocha's timeout fails
 * them); the others lost or hid information.
 */
describe('hostile input', () => {
  it('runs a marker of nested repeats on an unterminated value in linear time, and still finds the rest', () => {
    const text = manifest().replace(`marker: 'data-intent="(?<intent>[a-z0-9-]+)"'`, `marker: 'data-intent="(?<intent>(?:[a-z0-9]|[a-z-])+)"'`);
    const ui = `<b data-intent="${'expressrefundforreturningcustomersxy'.repeat(2000)}\n<button data-intent="refund-status">x</button>\n`;
    const index = indexOf(baseFiles({ 'counterpart.yaml': text, 'src/Panel.tsx': ui }));
    assert.deepEqual(index.markers.map((m) => [m.intent, m.range.start.line]), [['refund-status', 1]]);
  });

  it('matches a thousand copy phrases, and refuses a 10 KB phrase with a short quote', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `phrase number ${i}`).join(', ');
    const text = manifest().replace('phrases: [refund status]', `phrases: [refund status, ${many}, ${'x'.repeat(10_000)}]`);
    const help = '# Help\nAsk about phrase   number 999 or your Refund\tStatus.\nrefund statuses are not a phrase.\n';
    const f = computeFindings(indexOf(baseFiles({ 'counterpart.yaml': text, 'docs/help.md': help })));
    const schema = f.filter((x) => x.code === 'manifest-schema');
    assert.equal(schema.length, 1);
    assert.match(schema[0].message, /^A phrase may be at most 200 characters long; this one has 10,000, starting "x{40}…"\.$/);
    const index = indexOf(baseFiles({ 'counterpart.yaml': text, 'docs/help.md': help }));
    assert.deepEqual(index.copy.map((c) => [c.phrase, c.intent, `${c.range.start.line + 1}:${c.range.start.character + 1}`]), [
      ['phrase   number 999', 'refund-status', '2:11'],
      ['Refund\tStatus', 'refund-status', '2:39'],
    ]);
  });

  it('refuses a glob over the size cap or with too many braces, and keeps checking the rest', () => {
    const long = `docs/${'a'.repeat(70_000)}/*.md`;
    const braces = `docs/${'{a,b}'.repeat(17)}*.md`;
    const text = manifest().replace('files: docs/*.md', `files: [docs/*.md, "${long}", "${braces}"]`);
    const { findings } = parseManifest(text, M);
    assert.deepEqual(findings.map((x) => x.message.split(';')[0].split('.')[0]), ['A path or pattern may be at most 1,000 characters long', 'This pattern has 17 {…} groups']);
    assert.ok(findings.every((x) => x.message.length < 300));
    const f = computeFindings(indexOf(baseFiles({ 'counterpart.yaml': text })));
    assert.ok(f.some((x) => x.code === 'never-reviewed' && x.file === 'docs/help.md'), 'the good glob still counts');
  });

  it('summarises a rewrite too large to diff instead of diffing it without bound', () => {
    const reviewed = Array.from({ length: 20_000 }, (_, i) => `old line ${i}`).join('\n');
    const now = Array.from({ length: 2_000 }, (_, i) => `new line ${i}`).join('\n');
    const host = new MemoryHost(baseFiles({ 'prompts/system.md': now }));
    host.set('.counterpart/reviews.json', JSON.stringify({ version: 1, reviews: { 'support-prompt': { hash: 'sha256:x', by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z', commit: 'abc1234' } } }));
    const request = composeReviewRequest(indexOf(host), 'support-prompt', { previousText: reviewed, previousSource: 'git abc1234' })!;
    assert.match(request.markdown, /The text was rewritten: 2,000 lines now, 20,000 lines as reviewed \(from git abc1234\)\. That is too much change to show line by line here; review it as a whole\./);
    assert.ok(!request.markdown.includes('```diff'));
  });

  it('sees a model swap behind a YAML alias: the pointer is the anchored value', () => {
    const text = manifest().replace('intents:\n  - id: refund-status', '  - id: model\n    kind: model-config\n    files: config/llm.yaml\n    pointer: /model\n    owner: platform\nintents:\n  - id: refund-status');
    const yaml = (model: string): string => `defaults: &m ${model}\nmodel: *m\n`;
    const host = new MemoryHost(baseFiles({ 'counterpart.yaml': text, 'config/llm.yaml': yaml('gpt-4.1-mini') }));
    const before = indexOf(host).contents.get('model')!;
    assert.equal(before.text, 'gpt-4.1-mini');
    assert.deepEqual(before.located[0].value.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 9 } });
    host.set('config/llm.yaml', yaml('gpt-5-nano'));
    const after = indexOf(host).contents.get('model')!;
    assert.equal(after.text, 'gpt-5-nano');
    assert.notEqual(after.hash, before.hash, 'changing the anchor changes the artifact');
  });

  it('claims files in linear time when thousands of artifacts share one glob, reporting each clash once', () => {
    const count = 9_000;
    const owners = 'version: 1\nowners:\n  product: { title: Product, lead: "@dana" }\n  platform: { title: ML Platform, lead: "@sam" }\nartifacts:\n';
    const entries = Array.from({ length: count }, (_, i) => `  - { id: a${i}, kind: help-copy, files: "docs/*.md", owner: ${i === count - 1 ? 'platform' : 'product'} }\n`).join('');
    const index = indexOf({ 'counterpart.yaml': owners + entries, 'docs/a.md': 'a\n', 'docs/b.md': 'b\n' });
    assert.equal(index.artifactsOf('docs/a.md').length, count - 1);
    assert.deepEqual(at(index.problems, 'conflicting-owners').length, 2, 'the one platform artifact clashes once per file');
  });

  it('reads at most 10,000 artifacts of a manifest, saying so at the first one left out', () => {
    const owners = 'version: 1\nowners:\n  product: { title: Product, lead: "@dana" }\n  platform: { title: ML Platform, lead: "@sam" }\nartifacts:\n';
    const text = owners + Array.from({ length: 10_002 }, (_, i) => `  - { id: a${i}, kind: help-copy, files: "d${i}.md", owner: product }\n`).join('');
    const { manifest: m, findings } = parseManifest(text, M);
    assert.equal(m.artifacts.length, 10_000);
    const cap = findings.find((x) => x.code === 'manifest-schema')!;
    assert.equal(cap.message, 'This manifest lists 10,002 artifacts; Counterpart reads the first 10,000. Split the folder into several manifests.');
    assert.equal(`${M}:${cap.range.start.line + 1}:${cap.range.start.character + 1}`, where(M, text, '{ id: a10000'));
  });

  it('does not read a ledger over 10 MB, and says so at reviews:', () => {
    const host = new MemoryHost(baseFiles());
    host.set('.counterpart/reviews.json', '{"version":1,"reviews":{}}');
    host.sizes.set('/ws/.counterpart/reviews.json', 50 * 1024 * 1024);
    const index = indexOf(host);
    const f = computeFindings(index).find((x) => x.code === 'file-skipped')!;
    assert.equal(f.message, 'The review ledger .counterpart/reviews.json is 50.0 MB, over the 10.0 MB Counterpart reads, so no past review was read and no sign-off is written to it. Restore it from version control.');
    assert.equal(f.file, 'counterpart.yaml');
    assert.ok(host.reads.every((r) => !r.endsWith('reviews.json')), 'the ledger was not read');
  });

  it('never reads a pipe: an artifact or a ledger that is not a regular file is skipped, saying so', () => {
    const dir = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-fifo-'))));
    try {
      for (const [rel, text] of Object.entries(baseFiles())) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        if (rel !== 'prompts/system.md') fs.writeFileSync(path.join(dir, rel), text);
      }
      fs.mkdirSync(path.join(dir, '.counterpart'), { recursive: true });
      // A pipe is never listed; a link to one is, so the prompt is a link to a pipe inside the folder.
      execFileSync('mkfifo', [path.join(dir, 'prompts/pipe'), path.join(dir, '.counterpart/reviews.json')]);
      fs.symlinkSync(path.join(dir, 'prompts/pipe'), path.join(dir, 'prompts/system.md'));
      const f = computeFindings(buildIndex(dir, new NodeHost())!).filter((x) => x.code === 'file-skipped');
      assert.deepEqual(f.map((x) => [x.file, x.message.split(',')[0]]), [
        ['counterpart.yaml', 'The review ledger .counterpart/reviews.json is not a regular file'],
        ['prompts/system.md', 'This is not a regular file (a pipe'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never reads a manifest that is a device, and caps locator values and listed ids', () => {
    const dir = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-dev-'))));
    try {
      fs.symlinkSync('/dev/zero', path.join(dir, 'counterpart.yaml'));
      const f = computeFindings(buildIndex(dir, new NodeHost())!);
      assert.ok(f.some((x) => x.code === 'file-skipped' && x.message.startsWith('The manifest is not a regular file')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const text = manifest().replace('pointer: /description', `region: ${'a.'.repeat(35_000)}a`);
    const { findings } = parseManifest(text, M);
    assert.deepEqual(findings.map((x) => x.message.split(';')[0]), ['A region may be at most 200 characters long']);
  });

  it('reads a ledger nested a hundred thousand levels deep as one clear finding, not a stack overflow', () => {
    const parsed = parseLedger('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), '.counterpart/reviews.json');
    assert.equal(parsed.ledger.unreadable, true);
    assert.match(parsed.findings[0].message, /^The review ledger nests far deeper than a ledger does/);
  });

  it('quotes a huge id, owner or path by its start in every message, and caps ids, ranges and the ledger path', () => {
    const huge = 'x'.repeat(70_000);
    const text = manifest()
      .replace('owner: product\n    phrases: [express refund]', `owner: ${huge}\n    phrases: [express refund]`)
      .replace('files: docs/*.md', 'files: "docs/{1..1000000}.md"')
      .replace('id: evals', `id: ${'e'.repeat(200)}`) + `reviews: ${'a/'.repeat(35_000)}r.json\n`;
    const f = computeFindings(indexOf(baseFiles({ 'counterpart.yaml': text })));
    assert.ok(f.every((x) => x.message.length < 600), f.map((x) => `${x.code} ${x.message.length}`).join(', '));
    const schema = f.filter((x) => x.code === 'manifest-schema').map((x) => x.message.split(/[;,]/)[0]);
    assert.deepEqual(schema.sort(), ['A path may be at most 1', 'An id may be at most 100 characters long', 'This pattern counts from 1 to 1000000'].sort());
    assert.ok(f.some((x) => x.code === 'unknown-owner' && x.message.includes('…')));
  });

  it('quotes a huge YAML token by a short prefix in a syntax error', () => {
    const text = `version: 1\nowners: [${'"'}${'z'.repeat(50_000)}\n`;
    const { findings } = parseManifest(text, M);
    assert.ok(findings.length > 0);
    assert.ok(findings.every((x) => x.message.length < 400), findings.map((x) => x.message.length).join(','));
  });
});
