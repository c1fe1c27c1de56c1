import * as assert from 'node:assert/strict';
import { counterpartBlock, replaceBlock } from '../../server/src/core/codeowners/block';
import { checkCodeowners } from '../../server/src/core/codeowners/check';
import { ownersOf, parseCodeowners, winningRule } from '../../server/src/core/codeowners/parse';
import { compilePattern } from '../../server/src/core/codeowners/pattern';
import { githubNames, splitReviewers } from '../../server/src/core/codeowners/sides';
import { baseFiles, indexOf, manifest } from '../helpers/memoryHost';

function matches(pattern: string, path: string): boolean {
  const compiled = compilePattern(pattern);
  assert.ok(compiled.ok, pattern);
  return compiled.test(path);
}

describe('CODEOWNERS patterns (GitHub semantics)', () => {
  // The cases GitHub's documentation spells out, and gitignore's anchoring rules.
  const table: [string, string, boolean][] = [
    ['*', 'a/b/c.txt', true],
    ['*.js', 'src/deep/app.js', true],
    ['*.js', 'src/app.jsx', false],
    ['/build/logs/', 'build/logs/a/b.log', true],
    ['/build/logs/', 'x/build/logs/a.log', false],
    ['docs/*', 'docs/getting-started.md', true],
    ['docs/*', 'docs/build-app/troubleshooting.md', false], // GitHub: not nested files
    ['docs/*', 'x/docs/a.md', false], // a slash in the middle anchors it
    ['apps/', 'apps/a.js', true],
    ['apps/', 'x/y/apps/a.js', true], // no leading or middle slash: any depth
    ['apps/', 'apps', false],
    ['/docs/', 'docs/a/b.md', true],
    ['**/logs', 'deep/er/logs/a.txt', true],
    ['**/logs', 'logs/a.txt', true],
    ['/apps/github', 'apps/github/x.rb', true], // a folder named without a slash owns what is inside
    ['/apps/github', 'apps/github', true],
    ['/apps/github', 'apps/githubber', false],
    ['/scripts/', 'scripts/x/y.sh', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'x/a/b', false],
    ['a/**', 'a/x/y', true],
    ['a/**', 'a', false],
    ['f?o', 'foo', true],
    ['f?o', 'fo', false],
    ['README.md', 'README.md', true],
    ['README.md', 'readme.md', false], // case-sensitive, as on GitHub
    ['f\\*o', 'f*o', true],
    ['f\\*o', 'foo', false],
    ['/examples/*/README.md', 'examples/bot/README.md', true],
    ['/examples/*/README.md', 'examples/a/b/README.md', false],
    ['/*', 'foo', true],
    ['/*', 'foo/bar', false],
    ['/*/', 'foo/bar', true],
    ['/*/', 'foo', false],
    ['f*/', 'bar/foo/baz', true],
    ['f*/', 'foo', false],
    ['foo/**/', 'foo/bar', true],
    ['foo/**/', 'foo', false],
    ['**', 'a/b', true],
    ['*a*b', 'x/aXXb/c', true],
    ['*a*b', 'x/aXXc', false],
  ];
  for (const [pattern, path, expected] of table) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => assert.equal(matches(pattern, path), expected));
  }

  it('matches hostile patterns in time proportional to their size', () => {
    const start = Date.now();
    const deep = `/${Array.from({ length: 40 }, (_, i) => `**/d${i}`).join('/')}/never`;
    const path = Array.from({ length: 200 }, (_, i) => `d${i % 40}`).join('/');
    assert.equal(matches(deep, path), false);
    assert.equal(matches(`*${'a*'.repeat(40)}b`, 'a'.repeat(5000)), false);
    assert.ok(Date.now() - start < 2000, `${Date.now() - start} ms`);
  });

  it('refuses what GitHub does not support, so the line is skipped', () => {
    assert.equal(compilePattern('!secret.txt').ok, false);
    assert.equal(compilePattern('file[0-9].txt').ok, false);
  });
});

describe('reading CODEOWNERS', () => {
  it('keeps each rule with its line and column, ignores comments, and lets the last match win', () => {
    const co = parseCodeowners('# owners\n\n*   @acme/all\n  /prompts/ @acme/ml  @dana   # the prompt team\r\n/prompts/x.md\n');
    assert.deepEqual(co.rules.map((r) => [r.pattern, r.owners, r.line, r.column]), [
      ['*', ['@acme/all'], 2, 0],
      ['/prompts/', ['@acme/ml', '@dana'], 3, 2],
      ['/prompts/x.md', [], 4, 0],
    ]);
    assert.deepEqual(ownersOf(co, 'prompts/a.md'), ['@acme/ml', '@dana']);
    assert.deepEqual(ownersOf(co, 'prompts/x.md'), []);
    assert.equal(winningRule(co, 'src/a.ts')!.line, 2);
    assert.deepEqual(co.problems, []);
  });

  it('reports the lines GitHub skips and the owners it ignores, and keeps the rest', () => {
    const co = parseCodeowners('!x @a\n*.md @docs not-an-owner dana@acme.com\n');
    assert.deepEqual(co.problems.map((p) => [p.line, p.column]), [[0, 0], [1, 11]]);
    assert.match(co.problems[0].message, /GitHub skips this line: GitHub does not support '!'/);
    assert.deepEqual(co.rules.map((r) => r.owners), [['@docs', 'dana@acme.com']]);
  });
});

describe('who stands for a side on GitHub', () => {
  it('is review.github when given, else the lead and @handle members; teams and people split for the API', () => {
    const index = indexOf(baseFiles());
    assert.deepEqual(githubNames(index.owner('product')!), ['@acme/product-pms']);
    assert.deepEqual(githubNames(index.owner('platform')!), ['@sam']);
    assert.deepEqual(splitReviewers(['@acme/product-pms', '@dana', 'dana@acme.com', '@Dana']), { users: ['dana'], teams: ['product-pms'] });
  });
});

describe('the Counterpart block', () => {
  it('asks both sides for every whole-file artifact, leaves located ones as a note, and reads back as intended', () => {
    const files = baseFiles({ 'evals/more.yaml': 'tests: []\n' });
    const index = indexOf(files);
    const block = counterpartBlock(index, '', Object.keys(files));
    assert.deepEqual(block.lines.filter((l) => !l.startsWith('#')), [
      '/evals/*.yaml @sam @acme/product-pms',
      '/docs/*.md @acme/product-pms @sam',
      '/prompts/system.md @sam @acme/product-pms',
    ]);
    assert.match(block.lines[0], /^# BEGIN counterpart \(generated by 'counterpart codeowners --write'; edit counterpart\.yaml instead\)$/);
    assert.equal(block.lines[block.lines.length - 1], '# END counterpart');
    assert.ok(block.lines.includes('#   tools/refund.json: refund-tool'), block.lines.join('\n'));
    const read = parseCodeowners(block.lines.join('\n'));
    for (const [file, names] of block.owners) assert.deepEqual(ownersOf(read, file), names, file);
  });

  it('lists files one by one when a glob would not match the same files on GitHub, and names its folder in the repository', () => {
    const files = baseFiles({ 'counterpart.yaml': manifest().replace('files: docs/*.md', 'files: "docs/?*.md"'), 'docs/faq.md': 'FAQ\n' });
    const block = counterpartBlock(indexOf(files), 'apps/bot/', Object.keys(files));
    assert.ok(block.lines.includes('/apps/bot/docs/faq.md @acme/product-pms @sam'), block.lines.join('\n'));
    assert.ok(block.lines.includes('/apps/bot/docs/help.md @acme/product-pms @sam'));
    assert.match(block.lines[0], /^# BEGIN counterpart apps\/bot \(.*edit apps\/bot\/counterpart\.yaml instead\)$/);
    assert.equal(block.lines[block.lines.length - 1], '# END counterpart apps/bot');
  });

  it('gives a file claimed by artifacts of two sides every name', () => {
    const extra = '  - id: faq\n    kind: help-copy\n    files: docs/help.md\n    owner: platform\n    counterpart: product\n';
    const files = baseFiles({ 'counterpart.yaml': manifest().replace('intents:\n  - id: refund-status', `${extra}intents:\n  - id: refund-status`) });
    const index = indexOf(files);
    const block = counterpartBlock(index, '', Object.keys(files));
    const read = parseCodeowners(block.lines.join('\n'));
    assert.deepEqual([...ownersOf(read, 'docs/help.md')].sort(), ['@acme/product-pms', '@sam']);
  });
});

describe('replacing the block in an existing CODEOWNERS', () => {
  const block = ['# BEGIN counterpart (generated)', '/a @x @y', '# END counterpart'];

  it('appends it at the end, keeping every byte before it', () => {
    const text = '# Team rules\r\n* @acme/all\r\n';
    const edit = replaceBlock(text, '', block);
    assert.ok(edit.ok);
    assert.equal(edit.text, `${text}\r\n${block.join('\r\n')}\r\n`);
    const textOf = (t: string): string | undefined => {
      const e = replaceBlock(t, '', block);
      return e.ok ? e.text : undefined;
    };
    assert.equal(textOf(''), `${block.join('\n')}\n`);
    assert.equal(textOf('* @a'), `* @a\n\n${block.join('\n')}\n`);
  });

  it('replaces only its own block, where it is, and leaves another folder\'s block alone', () => {
    const text = 'top @t\n# BEGIN counterpart (old)\n/old @o\n# END counterpart\n# BEGIN counterpart apps/x (x)\n/apps/x/a @x\n# END counterpart apps/x\nbottom @b\n';
    const edit = replaceBlock(text, '', block);
    assert.ok(edit.ok && edit.replaced);
    assert.equal(edit.text, `top @t\n${block.join('\n')}\n# BEGIN counterpart apps/x (x)\n/apps/x/a @x\n# END counterpart apps/x\nbottom @b\n`);
  });

  it('refuses, changing nothing, when its markers are unclear', () => {
    const open = replaceBlock('# BEGIN counterpart\n/a @x\n', '', block);
    assert.ok(!open.ok);
    assert.match(open.problem, /'# BEGIN counterpart' on line 1 but no '# END counterpart' after it/);
    const stray = replaceBlock('x @y\n# END counterpart\n', '', block);
    assert.ok(!stray.ok);
    assert.match(stray.problem, /line 2 with no BEGIN line before it/);
    const twice = replaceBlock('# BEGIN counterpart\n# END counterpart\n# BEGIN counterpart\n# END counterpart\n', '', block);
    assert.ok(!twice.ok);
    assert.match(twice.problem, /twice \(lines 1 and 3\)/);
  });
});

describe('checking CODEOWNERS against the manifest', () => {
  const files = baseFiles();
  const index = indexOf(files);
  const check = (text: string): string[] => checkCodeowners(index, parseCodeowners(text), '', Object.keys(files)).map((c) => `${c.rule ? `${c.rule.line + 1}:${c.rule.column + 1} ` : ''}${c.message}`);

  it('says nothing when every file asks the counterpart', () => {
    assert.deepEqual(check('* @sam\n/prompts/ @sam @acme/product-pms\n/evals/ @acme/product-pms\n/docs/ @dana @sam\n'), []);
  });

  it('points at the rule that wins when it names only the owning side', () => {
    assert.deepEqual(check('* @acme/product-pms\n/prompts/  @sam sam@acme.com\n'), [
      "2:1 System prompt 'support-prompt' (prompts/system.md): by the rule '/prompts/', GitHub asks only ML Platform (@sam and sam@acme.com), its owner, never Product (@dana), its counterpart.",
      "1:1 Help copy 'help' (docs/help.md): by the rule '*', GitHub asks only Product (@acme/product-pms), its owner, never ML Platform (@sam), its counterpart.",
    ]);
  });

  it('says when the rule names people on neither side, no one, or when no rule covers the file', () => {
    assert.deepEqual(check('/prompts/ @acme/everyone\n/evals/cases.yaml\n/docs/ @sam\n'), [
      "1:1 System prompt 'support-prompt' (prompts/system.md): by the rule '/prompts/', GitHub asks only @acme/everyone, on neither side, and not ML Platform (@sam), its owner, nor Product (@dana), its counterpart.",
      "2:1 Eval set 'evals' (evals/cases.yaml): the rule '/evals/cases.yaml' leaves this file without owners, so GitHub asks no one to review it, not Product (@dana), its counterpart.",
    ]);
    assert.deepEqual(check('/prompts/ @sam\n').slice(1), [
      "Eval set 'evals' (evals/cases.yaml): no rule in CODEOWNERS covers this file, so GitHub asks no one to review it, not Product (@dana), its counterpart.",
      "Help copy 'help' (docs/help.md): no rule in CODEOWNERS covers this file, so GitHub asks no one to review it, not ML Platform (@sam), its counterpart.",
    ]);
  });

  it('leaves out artifacts that are part of a file', () => {
    assert.ok(!check('').some((m) => m.includes('refund-tool')));
  });
});
