import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Host } from '../../server/src/core/host';
import { buildIndex, IndexCache } from '../../server/src/core/index/workspaceIndex';
import { computeFindings } from '../../server/src/core/rules/rules';
import { NodeHost, toPosix } from '../../server/src/node/nodeHost';
import { readerFor } from '../../server/src/core/evals/readers';
import { evalsPurpose } from '../../server/src/core/evals/suite';
import { revisionKey } from '../../server/src/core/index/builder';
import { planEvalReads } from '../../server/src/core/index/prefetch';
import { prefetchEvals } from '../../server/src/node/prefetch';
import { OverlayHost } from '../../server/src/workspace/overlayHost';
import { generateWorkspace } from '../bench/generate';
import { tempFolders } from '../helpers/tempFolders';

describe('parsing eval files in child processes before a build', function () {
  this.timeout(60_000);
  const temp = tempFolders('cp-prefetch-');
  let root: string;

  before(() => {
    root = toPosix(temp());
    generateWorkspace(root, { artifacts: 80, evalCases: 3000, uiFiles: 40, seed: 7 });
    // One file broken, one binary, one open in an editor with other text than on disk.
    const evals = new NodeHost().listFiles(root).filter((f) => f.startsWith('evals/') && f.endsWith('.yaml'));
    fs.appendFileSync(path.join(root, evals[0]), '\n  - description: [unclosed\n');
    fs.writeFileSync(path.join(root, evals[1]), 'tests:\u0000\n');
  });

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

  it('follows a promptfoo config to the case files it names with file://, and parses them ahead too', async () => {
    const suite = toPosix(temp('cp-prefetch-refs-'));
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(suite, rel)), { recursive: true });
      fs.writeFileSync(path.join(suite, rel), text);
    };
    write('counterpart.yaml', [
      'version: 1',
      'owners:\n  product: { title: Product }\n  platform: { title: ML Platform }',
      'artifacts:\n  - id: support-evals\n    kind: eval-set\n    files: evals/promptfooconfig.yaml\n    owner: platform',
      'intents:\n  - id: refund-status\n    title: Refund status\n    owner: product\n  - id: cancel-order\n    title: Cancel order\n    owner: product',
    ].join('\n') + '\n');
    // The config holds no case itself: they are in files it reaches, one of which reaches more (two rounds deep).
    write('evals/promptfooconfig.yaml', 'defaultTest:\n  metadata: { intent: refund-status }\ntests:\n  - file://cases/*.yaml\n  - file://cases.jsonl\n');
    for (let f = 0; f < 12; f++) {
      const cases = Array.from({ length: 40 }, (_, i) => `  - description: case ${f}.${i}\n    vars: { message: "m${i}" }${i % 3 ? '\n    metadata: { intent: cancel-order }' : ''}`);
      write(`evals/cases/part-${f}.yaml`, `${f === 0 ? '- file://../deeper/*.yaml\n' : ''}${cases.join('\n').replace(/^ {2}/gm, '')}\n`);
    }
    write('evals/deeper/more.yaml', '- description: deep\n  metadata: { intent: cancel-order }\n');
    write('evals/cases.jsonl', Array.from({ length: 30 }, (_, i) => JSON.stringify({ vars: { message: `j${i}` }, metadata: { intent: 'refund-status' } })).join('\n') + '\n');
    const host = new OverlayHost(true);
    const cache = new IndexCache();
    const done = await prefetchEvals(suite, host, {}, cache, { processes: 2, minBytes: 0 });
    assert.equal(done.files, 1 + 12 + 1 + 1, 'the config, its case files, and the file one of them reaches');
    const caseFiles = host.listFiles(suite).filter((f) => f.startsWith('evals/') && f !== 'evals/promptfooconfig.yaml');
    const keyOf = (f: string): [string, string, string] => [evalsPurpose(readerFor(f, 'promptfoo'), ['metadata.intent']), f, revisionKey(host.revision(`${suite}/${f}`)!)];
    const ahead = new Map(caseFiles.map((f) => [f, cache.lookup(...keyOf(f))]));
    for (const [f, facts] of ahead) assert.ok(facts, `${f} was parsed ahead`);
    const index = buildIndex(suite, host, {}, cache)!;
    for (const [f, facts] of ahead) assert.equal(cache.lookup(...keyOf(f)), facts, `${f} was not parsed again`);
    assert.equal(index.evalCases.length, 12 * 40 + 1 + 30);
    assert.deepEqual(computeFindings(index), computeFindings(buildIndex(suite, new NodeHost(), {}, new IndexCache())!));
    // Under the bar, the config is parsed here (the build would) and nothing else ahead.
    const small = await prefetchEvals(suite, new OverlayHost(true), {}, new IndexCache(), { processes: 2 });
    assert.deepEqual(small, { files: 0, bytes: 0, processes: 0 });
  });

  it('leaves small folders to the build: no process for a few kilobytes of eval files', async () => {
    const small = toPosix(temp('cp-prefetch-small-'));
    fs.cpSync(path.resolve(__dirname, '../../../examples/support-bot'), small, { recursive: true });
    const done = await prefetchEvals(small, new NodeHost(), {}, new IndexCache(), { processes: 2 });
    assert.equal(done.processes, 0);
    assert.ok((await prefetchEvals(small, new NodeHost(), {}, new IndexCache(), { processes: 2, minBytes: 0 })).processes > 0, 'it would with the bar at zero');
  });
});
