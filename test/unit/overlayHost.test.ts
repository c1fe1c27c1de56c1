import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost, toPosix } from '../../server/src/node/nodeHost';
import { OverlayHost } from '../../server/src/workspace/overlayHost';
import { tempFolders } from '../helpers/tempFolders';

describe('the language server\'s view of the disk', () => {
  const temp = tempFolders('cp-host-');

  it('gives a file a new revision whenever an edit or a file event names it, and none without events', () => {
    const root = toPosix(temp());
    fs.writeFileSync(`${root}/a.md`, 'one');
    const host = new OverlayHost(true);
    const first = host.revision(`${root}/a.md`);
    assert.equal(host.revision(`${root}/a.md`), first, 'unchanged: the same revision, so nothing is read again');
    const seen = new Set([first]);
    const changes: [string, () => void][] = [
      ['an edit', () => host.setOpen(`${root}/a.md`, 'two')],
      ['closing the editor', () => host.closeOpen(`${root}/a.md`)],
      ['a change on disk', () => host.forgetFile(`${root}/a.md`)],
      ['a deletion', () => host.fileCreatedOrDeleted(`${root}/a.md`, 'deleted')],
      ['a folder event', () => host.invalidateListing(root)],
      ['everything forgotten', () => host.invalidateListing()],
    ];
    for (const [what, change] of changes) {
      change();
      const next = host.revision(`${root}/a.md`);
      assert.ok(!seen.has(next), `${what} gives a new revision`);
      seen.add(next);
    }
    assert.notEqual(new OverlayHost(true).revision(`${root}/a.md`), host.revision(`${root}/a.md`), 'two hosts never share a revision');
    assert.equal(new OverlayHost(false).revision(`${root}/a.md`), undefined, 'without file events, texts are compared');
  });

  it('lists a folder in the order of whole paths, which a sort would not change, without skipping anything', () => {
    const root = toPosix(temp());
    // Names where a folder's own order and the order of whole paths part: 'a/…' sorts after 'a-c' and 'a.b'.
    const files = ['a/b.md', 'a/z/y.md', 'a-c', 'a.b', 'a0/x', 'A', 'B/a', 'ä/x', 'z', 'ab/c', 'a b/c', '_/d', 'node_modules/skipped.js'];
    for (const f of files) {
      fs.mkdirSync(path.dirname(`${root}/${f}`), { recursive: true });
      fs.writeFileSync(`${root}/${f}`, 'x');
    }
    const listed = new NodeHost().listFiles(root);
    const expected = files.filter((f) => !f.startsWith('node_modules/')).sort();
    assert.deepEqual(listed, expected);
  });

  it('patches its listing when a file is created or deleted, instead of listing the folder again', () => {
    const root = toPosix(temp());
    const original = NodeHost.prototype.listFiles;
    let listings = 0;
    NodeHost.prototype.listFiles = function (this: NodeHost, r: string): string[] {
      listings++;
      return original.call(this, r);
    };
    try {
      fs.mkdirSync(`${root}/src/ui`, { recursive: true });
      for (const f of ['b.md', 'src/ui/A.tsx', 'src/ui/C.tsx']) fs.writeFileSync(`${root}/${f}`, 'x');
      const host = new OverlayHost(true);
      assert.deepEqual(host.listFiles(root), ['b.md', 'src/ui/A.tsx', 'src/ui/C.tsx']);
      fs.writeFileSync(`${root}/src/ui/B.tsx`, 'x');
      host.fileCreatedOrDeleted(`${root}/src/ui/B.tsx`, 'created');
      fs.rmSync(`${root}/b.md`);
      host.fileCreatedOrDeleted(`${root}/b.md`, 'deleted');
      assert.deepEqual(host.listFiles(root), ['src/ui/A.tsx', 'src/ui/B.tsx', 'src/ui/C.tsx'], 'sorted, with the new file and without the deleted one');
      fs.rmSync(`${root}/src/ui`, { recursive: true });
      host.fileCreatedOrDeleted(`${root}/src/ui`, 'deleted');
      assert.deepEqual(host.listFiles(root), []);
      assert.equal(listings, 1, 'the folder was listed once');
      fs.mkdirSync(`${root}/new/deep`, { recursive: true });
      fs.writeFileSync(`${root}/new/deep/D.tsx`, 'x');
      host.fileCreatedOrDeleted(`${root}/new`, 'created');
      assert.deepEqual(host.listFiles(root), ['new/deep/D.tsx'], 'a new folder is listed again, to see what it holds');
      assert.equal(listings, 2);
    } finally {
      NodeHost.prototype.listFiles = original;
    }
  });
});
