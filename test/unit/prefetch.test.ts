import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Host } from '../../server/src/core/host';
import { buildIndex, IndexCache } from '../../server/src/core/index/workspaceIndex';
import { computeFindings } from '../../server/src/core/rules/rules';
import { NodeHost, toPosix } from '../../server/src/node/nodeHost';
import { planEvalReads } from '../../server/src/core/index/prefetch';
import { prefetchEvals } from '../../server/src/node/prefetch';
import { OverlayHost } from '../../server/src/workspace/overlayHost';
import { generateWorkspace } from '../bench/generate';

describe('parsing eval files in child processes before a build', function () {
  this.timeout(60_000);
  let root: string;

  before(() => {
    root = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-prefetch-'))));
    generateWorkspace(root, { artifacts: 80, evalCases: 3000, uiFiles: 40, seed: 7 });
    // One file broken, one binary, one open in an editor with other text than on disk.
    const evals = new NodeHost().listFiles(root).filter((f) => f.startsWith('evals/') && f.endsWith('.yaml'));
    fs.appendFileSync(path.join(root, evals[0]), '\n  - description: [unclosed\n');
    fs.writeFileSync(path.join(root, evals[1]), 'tests:\u0000\n');
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const findingsOf = (host: Host, cache = new IndexCache()): unknown => {
    const index = buildIndex(root, host, {}, cache);
    return { findings: computeFindings(index!), cases: index!.evalCases.length };
  };

  it('gives the findings a build alone gives, with other processes doing the parsing', async () => {
    const expected = findingsOf(new NodeHost());
    for (const processes of [1, 2, 3]) {
      const cache = new IndexCache();
      const done = await prefetchEvals(root, new NodeHost(), {}, cache, { processes, minBytes: 0 });
      assert.ok(done.files > 20 && done.processes === Math.min(processes, done.files), `${done.files} files in ${done.processes} processes`);
      assert.deepEqual(findingsOf(new NodeHost(), cache), expected);
    }
  });

  it('lets the build parse no eval file again when the host tells revisions, except the one open in an editor', async () => {
    const host = new OverlayHost(true);
    const evals = host.listFiles(root).filter((f) => f.startsWith('evals/') && f.endsWith('.yaml'));
    const open = evals[2];
    host.setOpen(`${root}/${open}`, 'tests:\n  - description: typed, not saved\n    metadata: { intent: typed-intent }\n');
    const cache = new IndexCache();
    const planned = planEvalReads(root, host, {}, cache);
    assert.ok(!planned.some((r) => r.file === open), 'the open file is left to the build');
    await prefetchEvals(root, host, {}, cache, { processes: 2, minBytes: 0 });
    const before = new Map(planned.map((r) => [r, cache.lookup(r.purpose, r.file, r.key!)]));
    const kept = [...before.values()].filter((v) => v !== undefined).length;
    assert.equal(kept, planned.length - 1, 'every file the processes could read (not the binary one) is in the cache');
    const withThreads = buildIndex(root, host, {}, cache)!;
    for (const [read, facts] of before) if (facts) assert.equal(cache.lookup(read.purpose, read.file, read.key!), facts, `${read.file} was not parsed again`);
    assert.ok(withThreads.evalCases.some((c) => c.intents.some((i) => i.value === 'typed-intent')), 'the open file counts as typed');
    const plain = buildIndex(root, host, {}, new IndexCache())!;
    assert.deepEqual(computeFindings(withThreads), computeFindings(plain));
  });

  it('leaves small folders to the build: no process for a few kilobytes of eval files', async () => {
    const small = toPosix(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-prefetch-small-'))));
    try {
      fs.cpSync(path.resolve(__dirname, '../../../examples/support-bot'), small, { recursive: true });
      const done = await prefetchEvals(small, new NodeHost(), {}, new IndexCache(), { processes: 2 });
      assert.equal(done.processes, 0);
      assert.ok((await prefetchEvals(small, new NodeHost(), {}, new IndexCache(), { processes: 2, minBytes: 0 })).processes > 0, 'it would with the bar at zero');
    } finally {
      fs.rmSync(small, { recursive: true, force: true });
    }
  });
});
