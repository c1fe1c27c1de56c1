import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseEvals } from '../../server/src/core/evals/parse';
import { buildIndex, IndexCache } from '../../server/src/core/index/workspaceIndex';
import { computeFindings } from '../../server/src/core/rules/rules';
import { NodeHost, toPosix } from '../../server/src/node/nodeHost';
import { at, baseFiles, indexOf, manifest, MemoryHost, ROOT, where } from '../helpers/memoryHost';

describe('eval cases', () => {
  it('reads promptfoo configs and bare case lists with file, line, label and intents', () => {
    const config = 'description: support\nprompts: [file://p.md]\ntests:\n  - description: Refund for a shipped order\n    metadata:\n      intent: refund-status\n  - vars:\n      message: cancel it\n    metadata:\n      intent: [cancel-order, refund-status]\n  - vars: { q: hi }\n';
    const { cases, problems } = parseEvals(config, 'e.yaml', 'promptfoo', 'metadata.intent');
    assert.deepEqual(problems, []);
    assert.deepEqual(cases.map((c) => [c.range.start.line + 1, c.label, c.intents.map((i) => i.value)]), [
      [4, 'Refund for a shipped order', ['refund-status']],
      [7, 'message: cancel it', ['cancel-order', 'refund-status']],
      [11, 'q: hi', []],
    ]);
    assert.deepEqual(cases[1].intents[1].range, { start: { line: 9, character: 29 }, end: { line: 9, character: 42 } });
    const bare = parseEvals('- description: a\n  metadata: { intent: x }\n', 'l.yaml', 'promptfoo', 'metadata.intent');
    assert.deepEqual(bare.cases.map((c) => c.intents[0].value), ['x']);
  });

  it('reads JSONL with exact columns and reports a bad line without losing the others', () => {
    const text = '{"intent":"refund-status","input":"where is it"}\nnot json\n\n{"input":"x","intent":["a","b"],"description":"two"}\n';
    const { cases, problems } = parseEvals(text, 'r.jsonl', 'jsonl', 'intent');
    assert.deepEqual(cases.map((c) => [c.range.start.line + 1, c.label, c.intents.map((i) => i.value)]), [[1, 'where is it', ['refund-status']], [4, 'two', ['a', 'b']]]);
    assert.deepEqual(cases[1].intents[1].range, { start: { line: 3, character: 27 }, end: { line: 3, character: 30 } });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].range.start.line, 1);
    assert.match(problems[0].message, /^Line 2 is not valid JSON/);
  });

  it('reads a JSON array with a dotted intent field', () => {
    const text = '[\n  {"vars": {"q": "hello"}, "meta": {"intent": "greet"}},\n  {"description": "bye", "meta": {"intent": "leave"}}\n]\n';
    const { cases } = parseEvals(text, 'c.json', 'json', 'meta.intent');
    assert.deepEqual(cases.map((c) => [c.range.start.line + 1, c.label, c.intents[0].value, c.intents[0].range.start.character]), [
      [2, 'q: hello', 'greet', text.split('\n')[1].indexOf('"greet"')],
      [3, 'bye', 'leave', text.split('\n')[2].indexOf('"leave"')],
    ]);
  });

  it('reports an eval file with broken YAML as eval-syntax, and the rest still counts', () => {
    const files = baseFiles({ 'evals/broken.yaml': 'tests:\n  - description: "unclosed\n' });
    const f = computeFindings(indexOf(files));
    assert.deepEqual(at(f, 'eval-syntax').map((p) => p.split(':')[0]), ['evals/broken.yaml']);
    assert.equal(indexOf(files).intentEvalCases.get('refund-status')?.length, 1);
  });
});

describe('workspace index', () => {
  it('answers who owns a file and what covers an intent from maps', () => {
    const index = indexOf(baseFiles());
    assert.deepEqual(index.artifactsOf('tools/refund.json').map((a) => a.id), ['refund-tool']);
    assert.equal(index.counterpartOf(index.artifactsOf('tools/refund.json')[0])?.id, 'product');
    assert.equal(index.intentEvalCases.get('refund-status')?.[0].label, 'where is my refund');
    assert.deepEqual(index.intentMarkers.get('refund-status')?.map((m) => m.file), ['src/Panel.tsx']);
    assert.deepEqual(index.intentCopy.get('refund-status')?.map((m) => m.phrase), ['refund status']);
    assert.deepEqual(index.intentArtifacts.get('express-refund')?.map((a) => a.id), ['refund-tool']);
    assert.equal(index.sideOf('@lee')?.id, 'product');
    assert.deepEqual(index.artifactsOf('src/Panel.tsx'), []);
  });

  it('matches a glob of braces alone (docs/{help,faq}.md) to each file it names', () => {
    const files = baseFiles({ 'counterpart.yaml': manifest().replace('files: docs/*.md', 'files: "docs/{help,faq,gone}.md"'), 'docs/faq.md': '# FAQ\n' });
    const index = indexOf(files);
    assert.deepEqual(index.contents.get('help')?.files, ['docs/faq.md', 'docs/help.md']);
    assert.deepEqual(at(computeFindings(index), 'no-files'), []);
  });

  it('keeps exact marker columns in CRLF files', () => {
    const ui = '<div>\r\n  <button data-intent="refund-status">x</button>\r\n</div>\r\n';
    const index = indexOf(baseFiles({ 'src/Panel.tsx': ui }));
    assert.deepEqual(index.fileMarkers.get('src/Panel.tsx')?.[0].range, { start: { line: 1, character: 23 }, end: { line: 1, character: 36 } });
  });

  it('resolves a pointer in YAML with its range', () => {
    const text = manifest(`  - id: model
    kind: model-config
    files: config/llm.yaml
    pointer: /model
    owner: platform
`).replace('intents:\n  - id: refund-status', '  - id: model\n    kind: model-config\n    files: config/llm.yaml\n    pointer: /model\n    owner: platform\nintents:\n  - id: refund-status').replace(/surfaces:[\s\S]*$/, 'surfaces: []\n');
    const yaml = 'temperature: 0.2\nmodel: gpt-4.1-mini\n';
    const index = indexOf(baseFiles({ 'counterpart.yaml': text, 'config/llm.yaml': yaml }));
    const content = index.contents.get('model')!;
    assert.equal(content.text, 'gpt-4.1-mini');
    assert.deepEqual(content.located[0].value.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 19 } });
  });

  it('reports a pointer that names nothing, at the pointer', () => {
    const text = manifest().replace('pointer: /description', 'pointer: /function/description');
    const f = computeFindings(indexOf(baseFiles({ 'counterpart.yaml': text })));
    assert.deepEqual(at(f, 'pointer-not-found'), [where('counterpart.yaml', text, '/function/description')]);
  });

  it('skips huge files by their size from stat, without reading them', () => {
    const host = new MemoryHost(baseFiles());
    host.sizes.set(`${ROOT}/prompts/system.md`, 50 * 1024 * 1024);
    const f = computeFindings(indexOf(host));
    assert.deepEqual(at(f, 'file-skipped'), ['prompts/system.md:1:1']);
    assert.match(f.find((x) => x.code === 'file-skipped')!.message, /This file is 50\.0 MB, over the 2\.0 MB Counterpart reads/);
    assert.ok(!host.reads.includes(`${ROOT}/prompts/system.md`));
  });

  it('skips binary files with a finding', () => {
    const f = computeFindings(indexOf(baseFiles({ 'docs/logo.md': 'PNG\u0000\u0001\u0002' })));
    assert.deepEqual(at(f, 'file-skipped'), ['docs/logo.md:1:1']);
    assert.match(f.find((x) => x.code === 'file-skipped')!.message, /looks binary/);
  });

  it('reuses per-file results for unchanged files across builds', () => {
    const host = new MemoryHost(baseFiles());
    const cache = new IndexCache();
    const first = buildIndex(ROOT, host, {}, cache)!;
    host.set('src/Panel.tsx', '<a data-intent="express-refund">x</a>\n');
    const second = buildIndex(ROOT, host, {}, cache)!;
    assert.strictEqual(second.intentEvalCases.get('refund-status')?.[0], first.intentEvalCases.get('refund-status')?.[0], 'eval cases reused');
    assert.deepEqual(second.markers.map((m) => m.intent), ['express-refund']);
  });

  it('does not follow a symlink out of the folder (real file system)', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-link-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-outside-'));
    try {
      for (const [rel, text] of Object.entries(baseFiles())) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      }
      fs.writeFileSync(path.join(outside, 'secret.md'), 'express refund\n');
      fs.symlinkSync(path.join(outside, 'secret.md'), path.join(dir, 'docs/secret.md'));
      const root = toPosix(fs.realpathSync(dir));
      const index = buildIndex(root, new NodeHost())!;
      const f = computeFindings(index);
      assert.deepEqual(at(f, 'file-skipped'), ['docs/secret.md:1:1']);
      assert.match(f.find((x) => x.code === 'file-skipped')!.message, /is a link to .*outside the workspace folder/);
      assert.equal(index.intentCopy.get('express-refund'), undefined, 'nothing was read through the link');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
