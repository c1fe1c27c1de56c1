import * as assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/core/manifest/parse';
import { at, baseFiles, findingsOf, manifest, where } from '../helpers/memoryHost';

const M = 'counterpart.yaml';

function problems(text: string): ReturnType<typeof parseManifest>['findings'] {
  return parseManifest(text, M).findings;
}

describe('manifest v1', () => {
  it('reads a valid manifest without findings and keeps every entry', () => {
    const { manifest: m, findings } = parseManifest(manifest(), M);
    assert.deepEqual(findings, []);
    assert.deepEqual([...m.owners.keys()], ['product', 'platform']);
    assert.deepEqual(m.artifacts.map((a) => a.id), ['support-prompt', 'refund-tool', 'evals', 'help']);
    assert.deepEqual([...m.intents.keys()], ['refund-status', 'express-refund']);
    assert.equal(m.surfaces.length, 1);
    assert.equal(m.reviews.value, '.counterpart/reviews.json');
    assert.equal(m.owners.get('product')?.review.github, '@acme/product-pms');
  });

  it('reports an unknown key where it is written, with a suggestion', () => {
    const text = manifest().replace('    title: Express refund\n', '    title: Express refund\n    sucess-metric: csat\n');
    const f = problems(text);
    assert.deepEqual(at(f, 'manifest-schema'), [where(M, text, 'sucess-metric')]);
    assert.match(f[0].message, /'sucess-metric' is not a field of this intent/);
  });

  it('reports a wrong type and a missing field, and keeps the other artifacts', () => {
    const text = manifest(`  - files: ui/**/*.vue
    marker: 'x-intent="(?<intent>[a-z-]+)"'
`).replace('    files: docs/*.md\n    owner: product\n', '    files: docs/*.md\n    owner: [product]\n');
    const { manifest: m, findings } = parseManifest(text, M);
    const schema = findings.filter((f) => f.code === 'manifest-schema');
    assert.deepEqual(schema.map((f) => f.message), ['owner should be text.', 'This surface is missing \'owner\'.']);
    assert.equal(`${M}:${schema[0].range.start.line + 1}:${schema[0].range.start.character + 1}`, where(M, text, '[product]'));
    assert.deepEqual(m.artifacts.map((a) => a.id), ['support-prompt', 'refund-tool', 'evals'], 'only the broken artifact is left out');
  });

  it('reports unknown owners and intents, each at its reference', () => {
    const text = manifest().replace('    owner: product\n    phrases: [express refund]', '    owner: growth\n    phrases: [express refund]').replace('intents: [express-refund]', 'intents: [express-refund, order-returns]');
    const f = problems(text);
    assert.deepEqual(at(f, 'unknown-owner'), [where(M, text, 'growth')]);
    assert.deepEqual(at(f, 'unknown-intent'), [where(M, text, 'order-returns')]);
    assert.match(f.find((x) => x.code === 'unknown-owner')!.message, /'growth' is not one of the owners declared at the top \(product, platform\)/);
  });

  it('reports a duplicate id at the second one and keeps the first', () => {
    const text = manifest().replace('  - id: help\n', '  - id: evals\n');
    const { manifest: m, findings } = parseManifest(text, M);
    assert.deepEqual(at(findings, 'duplicate-id'), [where(M, text, 'evals\n    kind: help-copy')]);
    const firstLine = where(M, text, 'evals').split(':')[1];
    assert.equal(findings[0].message, `Artifact id 'evals' is already used on line ${firstLine}. Give this one its own id.`);
    assert.equal(m.artifacts.filter((a) => a.id === 'evals')[0].kind, 'eval-set');
  });

  it('reports an invalid marker and a marker without the intent group', () => {
    const text = manifest(`  - files: a/*.html
    marker: 'data-x="([a-z]+"'
    owner: product
  - files: b/*.html
    marker: 'data-action="([a-z-]+)"'
    owner: product
`);
    const f = problems(text);
    assert.deepEqual(at(f, 'bad-marker'), [where(M, text, `'data-x`), where(M, text, `'data-action`)]);
    assert.match(f[0].message, /^This marker is not a pattern Counterpart can run: missing closing \)/);
    assert.match(f[1].message, /no named group \(\?<intent>…\)/);
  });

  it('refuses look-around, back-references and huge markers, saying which; keeps the others', () => {
    const text = manifest(`  - files: a/*.html
    marker: 'data-x="(?<intent>[a-z]+)"(?=>)'
    owner: product
  - files: b/*.html
    marker: '(?<=data-y=")(?<intent>[a-z]+)'
    owner: product
  - files: c/*.html
    marker: '(")(?<intent>[a-z]+)\\1'
    owner: product
  - files: d/*.html
    marker: 'data-z="(?<intent>${'a'.repeat(1200)})"'
    owner: product
  - files: e/*.html
    marker: 'data-y="(?<intent>(?:[a-z0-9]|[a-z-])+)"\\s*(?:class="[^"]*")?'
    owner: product
`);
    const { manifest: m, findings } = parseManifest(text, M);
    assert.deepEqual(findings.map((f) => f.message.split('.')[0]), [
      'This marker uses a look-ahead, (?=…) or (?!…)',
      'This marker uses a look-behind, (?<=…) or (?<!…)',
      'This marker uses a back-reference, like \\1',
      'This marker is 1,220 characters long; a marker may have at most 1,000',
    ]);
    assert.ok(findings[3].message.length < 300, 'a huge marker is quoted by a short prefix only');
    assert.equal(m.surfaces.length, 2, 'the marker of nested repeats runs (in linear time), next to the one in the base manifest');
  });

  it('refuses paths and globs that leave the folder', () => {
    const text = manifest().replace('files: docs/*.md', 'files: [docs/*.md, ../secrets/*.md, /etc/passwd]');
    const f = problems(text);
    assert.deepEqual(at(f, 'manifest-schema'), [where(M, text, '../secrets'), where(M, text, '/etc/passwd')]);
    assert.match(f[0].message, /points outside the manifest's folder/);
  });

  it('reports several errors at once', () => {
    const text = manifest().replace('kind: eval-set', 'kind: evals').replace('owner: platform\n    intents: [refund-status]', 'owner: platfrom\n    intents: [refund-status]').replace('version: 1', 'version: 2');
    const codes = problems(text).map((f) => f.code);
    assert.deepEqual(codes, ['manifest-schema', 'unknown-owner', 'manifest-schema']);
  });

  it('turns YAML syntax errors into findings at the place, keeping what parsed', () => {
    const text = manifest().replace('    title: Refund status\n', '    title: Refund status\n    title: Refund state\n');
    const { manifest: m, findings } = parseManifest(text, M);
    assert.deepEqual(at(findings, 'manifest-syntax'), [where(M, text, 'title: Refund state')]);
    assert.equal(m.intents.get('refund-status')?.title, 'Refund status', 'the first of a duplicated key counts');
    assert.equal(m.artifacts.length, 4);

    const broken = problems('version: 1\nowners: [unclosed\n');
    assert.equal(broken[0].code, 'manifest-syntax');
    assert.match(broken[0].message, /^YAML syntax: /);
  });

  it('never expands alias bombs', () => {
    const lines = ['version: 1', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    lines.push('owners: *l', 'artifacts: *l');
    const started = Date.now();
    const f = problems(lines.join('\n'));
    assert.ok(Date.now() - started < 5000);
    assert.ok(f.some((x) => x.code === 'manifest-schema' && /owners should list the sides/.test(x.message)));
  });

  for (const [name, text] of [
    ['flow brackets', `version: 1\nowners: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['block indentation', `version: 1\nowners:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')}\n`],
    ['compact sequences', `version: 1\nowners:\n  ${'- '.repeat(5000)}x\n`],
  ] as const) {
    it(`refuses YAML nested thousands of levels deep (${name}) without crashing`, () => {
      const f = problems(text);
      assert.equal(f[0].code, 'manifest-syntax');
      assert.match(f[0].message, /nests more than 100 levels deep/);
    });
  }

  it('reports a manifest that is not a mapping', () => {
    assert.deepEqual(problems('- just\n- a list\n').map((f) => f.code), ['manifest-schema']);
    assert.deepEqual(problems('').map((f) => f.code), ['manifest-schema']);
  });
});

describe('manifest against the folder', () => {
  it('reports a glob that matches nothing, at the glob', () => {
    const files = baseFiles({ 'counterpart.yaml': manifest().replace('files: docs/*.md', 'files: [docs/*.md, help/*.md]') });
    assert.deepEqual(at(findingsOf(files), 'no-files'), [where(M, files['counterpart.yaml'], 'help/*.md')]);
  });

  it('reports one file claimed by artifacts with different owners', () => {
    const text = manifest().replace('intents:\n  - id: refund-status', `  - id: faq
    kind: help-copy
    files: docs/help.md
    owner: platform
intents:
  - id: refund-status`);
    const f = findingsOf(baseFiles({ 'counterpart.yaml': text }));
    assert.deepEqual(at(f, 'conflicting-owners'), [where(M, text, 'docs/help.md')]);
    assert.match(f.find((x) => x.code === 'conflicting-owners')!.message, /docs\/help.md is claimed by 'help' \(owned by Product\) and by 'faq' \(owned by ML Platform\)/);
  });
});
