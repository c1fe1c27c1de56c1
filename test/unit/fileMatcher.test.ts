import * as assert from 'node:assert/strict';
import { minimatch } from 'minimatch';
import { FileMatcher, simpleGlobRegExp } from '../../server/src/core/index/fileMatcher';
import { Random } from '../bench/generate';

/** Paths of a listing: short segments, dots, names that are prefixes of one another. */
function randomPath(r: Random): string {
  const names = ['a', 'b', 'ab', '.a', 'a.md', 'b.md', '.md', 'x.tsx', 'a-b', 'a b', 'md', 'ufff'];
  return Array.from({ length: r.int(1, 4) }, () => names[r.int(0, names.length - 1)]).join('/');
}

/** Globs of the simple kind and a few of the other: literal text, `*`, `?`, `**`, and what only minimatch reads. */
function randomGlob(r: Random): string {
  const parts = ['a', 'b', '*', '**', '*.md', 'a*', '*b', '?', 'a?', '**b', 'b**', '.a', '*.tsx', 'a.md', '{a,b}', '[ab]', '!(a)', '', '.', '..'];
  return Array.from({ length: r.int(1, 4) }, () => parts[r.int(0, parts.length - 1)]).join('/');
}

describe('matching manifest globs against a listing', () => {
  it('compiles a simple glob to an expression that answers as minimatch does, on 20,000 random globs', () => {
    const r = new Random(7);
    const paths = [...new Set(Array.from({ length: 400 }, () => randomPath(r)))].sort();
    let compiled = 0;
    for (let n = 0; n < 20_000; n++) {
      const glob = randomGlob(r);
      const re = simpleGlobRegExp(glob);
      if (!re) continue;
      compiled++;
      for (const p of paths) {
        assert.equal(re.test(p), minimatch(p, glob, { dot: true }), `${glob} against ${p} (${re})`);
      }
    }
    assert.ok(compiled > 5_000, `most globs are simple (${compiled})`);
  });

  it('finds what minimatch finds for every glob, simple or not, from the sorted run under its base', () => {
    const r = new Random(11);
    const paths = [...new Set(Array.from({ length: 600 }, () => randomPath(r)))];
    // Listed in any order: the matcher sorts what is not sorted.
    const matcher = new FileMatcher([...paths].reverse());
    for (let n = 0; n < 3_000; n++) {
      const glob = randomGlob(r);
      // A leading `!` is minimatch's negation; `..` and an empty segment are read by minimatch apart from the base. Left out.
      if (glob.startsWith('!') || glob.split('/').some((s) => s === '' || s === '.' || s === '..')) continue;
      const expected = paths.filter((p) => minimatch(p, glob.replace(/^\.\//, ''), { dot: true })).sort();
      assert.deepEqual(matcher.match(glob), expected, glob);
    }
    for (const p of paths) assert.equal(matcher.has(p), true, p);
    assert.equal(matcher.has('a/nothing'), false);
  });

  it('tests paths that go on past the base with U+FFFF too', () => {
    const matcher = new FileMatcher(['a/\uffff.md', 'a/b.md', 'a/c.txt', 'ab.md']);
    assert.deepEqual(matcher.match('a/*.md'), ['a/b.md', 'a/\uffff.md']);
    assert.deepEqual(matcher.match('a/**'), ['a/b.md', 'a/c.txt', 'a/\uffff.md']);
  });
});
