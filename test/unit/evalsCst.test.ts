import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readYamlCst } from '../../server/src/core/evals/cst';
import { readEvalFile } from '../../server/src/core/evals/readers';
import { LineIndex } from '../../server/src/core/text';

/** mulberry32: a failure names the seed and the case that shows it. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const CONFIG = `# A promptfoo suite as teams write them
description: "Refunds: regression suite"
prompts:
  - file://../prompts/system.md
  - id: file://../prompts/short.md
    label: short
providers: [openai:gpt-4o-mini]
defaultTest:
  metadata:
    intent: refund-status
  options: { provider: openai:gpt-4o-mini }
tests:
  - file://cases/*.yaml
  - description: Where is my refund?
    vars:
      message: "where is my refund? #42"
      locale: en-GB
    metadata: { intent: refund-status, priority: 1 }
  - description: >
      A folded description
      over two lines
    vars: { question: 'it''s late', count: 3 }
    assert:
      - type: icontains
        value: refund
    metadata:
      intent: [express-refund, refund-status]
  - vars:
      message: |
        A block of text
          kept as written
    metadata:
      intent: "seat-upgrade"   # a comment after a value
  - name: plain value, then typed ones
    vars: { a: true, b: ~, c: 0x1F, d: 1.5e3, e: .inf, f: null, g: "" }
    intent: express-refund
  - description: empty values
    vars:
      message:
    metadata:
      intent:
  -
  - just a string item
`;

const CASES = `- description: Cancel my order
  vars:
    message: please cancel it
  metadata:
    intent: cancel-order
- vars: { message: "and refund it" }
  metadata: { intent: refund-status }
- description: 'single quoted: with a colon'
  metadata:
    intent:
      - cancel-order
      - refund-status
`;

/** Every kind of plain value the core schema types (and near misses), as a case's first var and as its intent. */
const TYPED = ['~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE', '0o17', '0o19', '12', '-3', '+4', '0x1F', '0x1G', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '1e3', '-1.5E-3', '.5', '+1.', '1.2.3', 'refund-status', 'n', 't', 'f', '.', '+', '5-a']
  .map((v) => `- vars:\n    message: ${v}\n  metadata:\n    intent: ${v}\n`)
  .join('');

function examples(): string[] {
  const root = path.resolve(__dirname, '../../..');
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(root, 'examples'));
  walk(path.join(root, 'test/fixtures'));
  return out;
}

const PIECES = [' ', '  ', '\n', ':', ': ', '- ', '#', ' #', '"', "'", '{', '}', '[', ']', ',', '|', '>', '&a ', '*a', '!!str ', '? ', '\t', 'x', '1', '~', '---\n', '\r\n', 'intent: ', '\\', '%', '@', '`'];

/** One to three small edits a person, a merge or a bad tool might make. */
function mutate(text: string, next: (n: number) => number): string {
  let t = text;
  for (let k = 1 + next(3); k > 0; k--) {
    const at = next(t.length + 1);
    const lines = t.split('\n');
    const line = next(lines.length);
    switch (next(6)) {
      case 0: t = t.slice(0, at) + t.slice(at + 1 + next(3)); break;
      case 1: t = t.slice(0, at) + PIECES[next(PIECES.length)] + t.slice(at); break;
      case 2: lines.splice(line, 0, lines[next(lines.length)]); t = lines.join('\n'); break;
      case 3: lines[line] = ` ${lines[line]}`; t = lines.join('\n'); break;
      case 4: lines[line] = lines[line].replace(/^ /, ''); t = lines.join('\n'); break;
      default: lines.splice(line, 1); t = lines.join('\n'); break;
    }
  }
  return t;
}

describe('reading YAML eval files from the syntax tree', () => {
  const read = (text: string, compose: boolean, paths: readonly string[]): unknown =>
    readEvalFile(text, 'evals/suite.yaml', 'doc', paths, new LineIndex(text), compose);

  it('reads plain suites from the syntax tree, and gives what the composed Document gives', () => {
    const bases = [CONFIG, CASES, TYPED, CONFIG.replace(/\n/g, '\r\n'), ...examples()];
    let fast = 0;
    for (const text of bases) {
      if (readYamlCst(text)) fast++;
      for (const paths of [['metadata.intent'], ['intent', 'metadata.intent']]) {
        assert.deepEqual(read(text, false, paths), read(text, true, paths), text.slice(0, 200));
      }
    }
    assert.ok(readYamlCst(CONFIG) && readYamlCst(CASES) && readYamlCst(TYPED) && readYamlCst(CONFIG.replace(/\n/g, '\r\n')), 'the suites above are read from the tree');
    assert.ok(fast >= bases.length - 2, `most files are read from the tree (${fast} of ${bases.length})`);
  });

  it('leaves to the Document what it does not read exactly: anchors, tags, repeated keys, tabs, several documents', () => {
    for (const text of [
      'tests:\n  - &a { intent: x }\n  - *a\n',
      'tests:\n  - metadata: !!map { intent: x }\n',
      'tests:\n  - metadata: { intent: x, intent: y }\n',
      'tests:\n\t- metadata: { intent: x }\n',
      'tests: []\n---\ntests: []\n',
      'tests:\n  - metadata:\n      intent: x\n     broken: [\n',
      '? tests\n: []\n',
      '1: numbers as keys\n',
    ]) {
      assert.equal(readYamlCst(text), undefined, text);
      assert.deepEqual(read(text, false, ['metadata.intent']), read(text, true, ['metadata.intent']), text);
    }
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`gives what the Document gives for 1,000 mutated files (seed ${seed})`, () => {
      const next = random(seed);
      const bases = [CONFIG, CASES, ...examples()];
      let fast = 0;
      for (let i = 0; i < 1000; i++) {
        const text = mutate(bases[next(bases.length)], next);
        const paths = next(2) ? ['metadata.intent'] : ['intent', 'vars.intent', 'metadata.intent'];
        if (readYamlCst(text)) fast++;
        assert.deepEqual(read(text, false, paths), read(text, true, paths), `seed ${seed}, case ${i}:\n${text}`);
      }
      assert.ok(fast > 200, `a fair share of mutated files are still read from the tree (${fast} of 1,000)`);
    });
  }
});
