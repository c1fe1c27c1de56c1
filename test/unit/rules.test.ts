import * as assert from 'node:assert/strict';
import { contentHash } from '../../server/src/core/ledger/ledger';
import { at, baseFiles, findingsOf, manifest, where } from '../helpers/memoryHost';

const M = 'counterpart.yaml';

function ledger(entries: Record<string, object>): string {
  return JSON.stringify({ version: 1, reviews: entries }, null, 2);
}

/** A ledger in which every artifact of baseFiles() is reviewed as it is. */
function inStep(files: Record<string, string>): Record<string, string> {
  const review = { by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z' };
  return {
    ...files,
    '.counterpart/reviews.json': ledger({
      'support-prompt': { ...review, hash: contentHash([{ path: 'prompts/system.md', text: files['prompts/system.md'] }]) },
      'refund-tool': { ...review, hash: contentHash([{ path: 'tools/refund.json', text: 'Creates a refund draft.' }]), text: 'Creates a refund draft.' },
      evals: { ...review, hash: contentHash([{ path: 'evals/cases.yaml', text: files['evals/cases.yaml'] }]) },
      help: { by: '@sam', side: 'platform', at: '2026-11-02T10:00:00Z', hash: contentHash([{ path: 'docs/help.md', text: files['docs/help.md'] }]) },
    }),
  };
}

describe('boundary findings', () => {
  it('finds nothing when both sides are in step', () => {
    const f = findingsOf(inStep(baseFiles()));
    // express-refund is declared and served by a tool, but nothing surfaces or covers it.
    assert.deepEqual(f.map((x) => x.code), ['uncovered-intent', 'uncovered-intent']);
  });

  it('uncovered-intent: at each UI marker, the declaration and each artifact listing it', () => {
    const ui = '<button data-intent="refund-status">Status</button>\n<button data-intent="express-refund">Now</button>\n';
    const files = inStep(baseFiles({ 'src/Panel.tsx': ui }));
    const f = findingsOf(files);
    assert.deepEqual(at(f, 'uncovered-intent'), [
      where(M, files[M], 'express-refund'), // refund-tool's intents list
      where(M, files[M], 'express-refund', 1), // the declaration
      where('src/Panel.tsx', ui, 'express-refund'),
    ]);
    const onMarker = f.find((x) => x.code === 'uncovered-intent' && x.file === 'src/Panel.tsx')!;
    assert.equal(onMarker.message, "Intent 'express-refund' is surfaced here, but no eval case covers it. Evals are owned by ML Platform (@sam).");
    assert.deepEqual(onMarker.range, { start: { line: 1, character: 21 }, end: { line: 1, character: 35 } });
  });

  it('undeclared-intent: at a marker and at an eval case naming an undeclared intent', () => {
    const ui = '<a data-intent="price-match">Match</a>\n';
    const evals = 'tests:\n  - description: refund window\n    metadata:\n      intent: [refund-status, refund-window]\n';
    const files = inStep(baseFiles({ 'src/Other.tsx': ui, 'evals/more.yaml': evals }));
    const f = findingsOf(files);
    assert.deepEqual(at(f, 'undeclared-intent'), [where('evals/more.yaml', evals, 'refund-window'), where('src/Other.tsx', ui, 'price-match')]);
    assert.match(f.find((x) => x.file === 'src/Other.tsx')!.message, /^Intent 'price-match' is surfaced here but not declared in counterpart.yaml, so nobody owns it and ML Platform \(@sam\) cannot cover it/);
  });

  it('unhandled-intent: a surfaced intent no system prompt lists, at the marker and the declaration', () => {
    const ui = '<button data-intent="express-refund">Now</button>\n';
    const evals = 'tests:\n  - description: express\n    metadata: { intent: express-refund }\n';
    const files = inStep(baseFiles({ 'src/Panel.tsx': ui, 'evals/express.yaml': evals }));
    const f = findingsOf(files);
    assert.deepEqual(at(f, 'unhandled-intent'), [where(M, files[M], 'express-refund', 1), where('src/Panel.tsx', ui, 'express-refund')]);
    assert.equal(f.find((x) => x.code === 'unhandled-intent' && x.file === 'src/Panel.tsx')!.message,
      "Intent 'express-refund' is surfaced here, but no system prompt is tuned for it. Prompts are owned by ML Platform (@sam).");
    assert.deepEqual(at(f, 'uncovered-intent'), [], 'the new eval case covers it');
  });

  it('copy-promise: a phrase in help copy whose intent is unhandled or uncovered, case-insensitive', () => {
    const copy = '# Help\nUse Express\r\nRefund to get money back.\n';
    const files = inStep(baseFiles({ 'docs/help.md': copy }));
    const f = findingsOf(files);
    assert.deepEqual(at(f, 'copy-promise'), [where('docs/help.md', copy, 'Express')]);
    const promise = f.find((x) => x.code === 'copy-promise')!;
    assert.deepEqual(promise.range, { start: { line: 1, character: 4 }, end: { line: 2, character: 6 } });
    assert.match(promise.message, /^This copy promises "Express Refund" \(intent 'express-refund'\), but no system prompt is tuned for it and no eval case covers it\. Check with ML Platform \(@sam\)/);
  });

  it('changed-since-review: at the pointer value, naming the reviewer and the day', () => {
    const tool = '{\n  "name": "create_refund",\n  "description": "Creates a refund draft for an order.",\n  "parameters": {}\n}\n';
    const files = { ...inStep(baseFiles()), 'tools/refund.json': tool };
    const f = findingsOf(files);
    assert.deepEqual(at(f, 'changed-since-review'), [where('tools/refund.json', tool, '"Creates')]);
    assert.equal(f.find((x) => x.code === 'changed-since-review')!.message,
      'This tool description changed since Product (@dana) last reviewed it (@dana, 2 Nov 2026). Ask them to review it again.');
  });

  it('changed-since-review ignores line-ending changes', () => {
    const files = inStep(baseFiles());
    files['prompts/system.md'] = files['prompts/system.md'].replace(/\n/g, '\r\n');
    assert.deepEqual(at(findingsOf(files), 'changed-since-review'), []);
  });

  it('never-reviewed: an artifact with no ledger entry, at its first line', () => {
    const f = findingsOf(baseFiles());
    assert.deepEqual(at(f, 'never-reviewed'), ['docs/help.md:1:1', 'evals/cases.yaml:1:1', 'prompts/system.md:1:1', 'tools/refund.json:3:18']);
    const prompt = f.find((x) => x.code === 'never-reviewed' && x.file === 'prompts/system.md')!;
    assert.equal(prompt.severity, 'information');
    assert.equal(prompt.message, "Product (@dana) has never reviewed this system prompt ('support-prompt'). Ask them for a counterpart review.");
    assert.deepEqual(prompt.range.end, { line: 0, character: 28 }, 'the whole first line');
  });

  it('tool-contract-change: a new condition in a tool description, quoted', () => {
    const tool = '{\n  "description": "Creates a refund draft. Only call this when the user has explicitly confirmed the amount.",\n  "parameters": {}\n}\n';
    const files = { ...inStep(baseFiles()), 'tools/refund.json': tool };
    const f = findingsOf(files);
    assert.deepEqual(at(f, 'tool-contract-change'), [where('tools/refund.json', tool, '"Creates')]);
    assert.equal(f.find((x) => x.code === 'tool-contract-change')!.message,
      'The rule for when the model calls this tool changed: it now says "Only call this when the user has explicitly confirmed the amount". This changes how often the tool runs; Product (@dana) has not reviewed it.');
  });

  it('tool-contract-change: not for wording changes without a condition', () => {
    const tool = '{\n  "description": "Creates a draft refund.",\n  "parameters": {}\n}\n';
    const f = findingsOf({ ...inStep(baseFiles()), 'tools/refund.json': tool });
    assert.deepEqual(at(f, 'tool-contract-change'), []);
    assert.equal(at(f, 'changed-since-review').length, 1);
  });

  it('foreign-edit: artifacts of the other side, for the person editing', () => {
    const f = findingsOf(baseFiles(), { identity: 'DANA@acme.com' });
    assert.deepEqual(at(f, 'foreign-edit'), ['evals/cases.yaml:1:1', 'prompts/system.md:1:1', 'tools/refund.json:3:18']);
    assert.equal(f.find((x) => x.code === 'foreign-edit' && x.file === 'prompts/system.md')!.message,
      'ML Platform (@sam) owns this system prompt and you are on Product: changes here need their review.');
    assert.deepEqual(at(findingsOf(baseFiles(), { identity: 'stranger@x.com' }), 'foreign-edit'), []);
  });

  it('severity settings change or drop a code', () => {
    const f = findingsOf(baseFiles(), { severity: { 'never-reviewed': 'off', 'uncovered-intent': 'error' } });
    assert.deepEqual(at(f, 'never-reviewed'), []);
    assert.ok(f.filter((x) => x.code === 'uncovered-intent').every((x) => x.severity === 'error'));
  });

  it('a broken manifest entry never hides the findings of the good ones', () => {
    const text = manifest().replace('    files: docs/*.md\n    owner: product\n', '    files: docs/*.md\n    owner: 7: x\n');
    const ui = '<button data-intent="express-refund">Now</button>\n';
    const f = findingsOf(baseFiles({ 'counterpart.yaml': text, 'src/Panel.tsx': ui }));
    assert.ok(f.some((x) => x.code === 'manifest-syntax'));
    assert.deepEqual(at(f, 'unhandled-intent').filter((p) => p.startsWith('src/')), ['src/Panel.tsx:1:22']);
  });
});
