import * as assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/text';
import { computeFindings } from '../../server/src/core/rules/rules';
import { addIntentToArtifactEdit, declareIntentEdit, starterEvalCaseEdit, type FileEdit } from '../../server/src/present/quickFixes';
import { at, baseFiles, indexOf, manifest, MemoryHost, ROOT } from '../helpers/memoryHost';

/** Applies an edit to the in-memory folder, as the editor would. */
function apply(host: MemoryHost, edit: FileEdit): void {
  const text = host.files.get(`${ROOT}/${edit.file}`)!;
  const lines = new LineIndex(text);
  host.set(edit.file, text.slice(0, lines.offset(edit.range.start)) + edit.newText + text.slice(lines.offset(edit.range.end)));
}

const read = (host: MemoryHost) => (rel: string): string | undefined => host.files.get(`${ROOT}/${rel}`);

describe('quick fixes', () => {
  it('declares an undeclared intent at the end of intents:, after which the finding is gone', () => {
    const host = new MemoryHost(baseFiles({ 'src/Other.tsx': '<a data-intent="price-match">x</a>\n' }));
    assert.equal(at(computeFindings(indexOf(host)), 'undeclared-intent').length, 1);
    apply(host, declareIntentEdit(indexOf(host), read(host), 'price-match', 'product')!);
    const index = indexOf(host);
    assert.deepEqual(at(computeFindings(index), 'undeclared-intent'), []);
    assert.equal(index.manifest.intents.get('price-match')?.owner?.value, 'product');
    assert.deepEqual(index.problems.filter((f) => f.file === 'counterpart.yaml'), [], 'the manifest stays valid');
  });

  it('adds the intents list when the manifest has none', () => {
    const host = new MemoryHost(baseFiles({ 'counterpart.yaml': manifest().replace(/intents:\n {2}- id: refund-status[\s\S]*?(?=surfaces:)/, '') }));
    assert.equal(indexOf(host).manifest.intents.size, 0);
    apply(host, declareIntentEdit(indexOf(host), read(host), 'refund-status', 'product')!);
    assert.deepEqual([...indexOf(host).manifest.intents.keys()], ['refund-status']);
  });

  it('tunes a system prompt for an intent, in flow and in block lists, and where there is no list', () => {
    for (const style of ['flow', 'block', 'none'] as const) {
      const text = style === 'flow' ? manifest()
        : style === 'block' ? manifest().replace('    intents: [refund-status]\n', '    intents:\n      - refund-status\n')
        : manifest().replace('    intents: [refund-status]\n', '');
      const host = new MemoryHost(baseFiles({ 'counterpart.yaml': text }));
      const prompt = indexOf(host).artifactsById.get('support-prompt')!;
      apply(host, addIntentToArtifactEdit(indexOf(host), read(host), prompt, 'express-refund')!);
      const after = indexOf(host);
      assert.deepEqual(after.artifactsById.get('support-prompt')!.intents.map((i) => i.value), style === 'none' ? ['express-refund'] : ['refund-status', 'express-refund'], style);
      assert.deepEqual(after.problems.filter((f) => f.file === 'counterpart.yaml'), [], style);
    }
  });

  it('adds a starter eval case in the eval set\'s own format, which then covers the intent', () => {
    const cases: [string, string, string][] = [
      ['promptfoo config', 'evals/*.yaml', 'description: x\ntests:\n  - description: a\n    metadata: { intent: refund-status }\nproviders: [openai:gpt-4.1-mini]\n'],
      ['bare promptfoo list', 'evals/*.yaml', '- description: a\n  metadata:\n    intent: refund-status\n'],
      ['jsonl', 'evals/*.jsonl', '{"intent":"refund-status","input":"where"}'],
      ['json', 'evals/*.json', '[\n  {"description": "a", "intent": "refund-status"}\n]\n'],
    ];
    for (const [name, glob, text] of cases) {
      const ext = glob.slice(glob.lastIndexOf('.'));
      const files = baseFiles({ 'counterpart.yaml': manifest().replace('files: evals/*.yaml', `files: ${glob}`) });
      delete files['evals/cases.yaml'];
      const host = new MemoryHost({ ...files, [`evals/cases${ext}`]: text });
      assert.ok(at(computeFindings(indexOf(host)), 'uncovered-intent').length > 0, name);
      const starter = starterEvalCaseEdit(indexOf(host), read(host), 'express-refund')!;
      apply(host, starter.edit);
      const index = indexOf(host);
      assert.equal(index.intentEvalCases.get('express-refund')?.length, 1, `${name}: ${host.files.get(`${ROOT}/evals/cases${ext}`)}`);
      assert.equal(index.intentEvalCases.get('refund-status')?.length, 1, `${name}: the existing case is kept`);
      assert.deepEqual(index.problems.filter((f) => f.code === 'eval-syntax'), [], name);
    }
  });
});
