import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { compactHeap, COMPACT_FROM_BYTES } from '../../server/src/node/memory';
import { serverEnv } from '../../client/src/serverFlags';

describe('giving back a build\'s garbage', () => {
  it('compacts a big heap left mostly empty, keeping everything live', function () {
    this.timeout(30_000);
    // A build's shape: many small objects, one in eight kept.
    let all: { n: number; pad: number[] }[] = [];
    for (let i = 0; i < 1_200_000; i++) all.push({ n: i, pad: [i, i, i, i] });
    const kept = all.filter((_, i) => i % 8 === 0);
    const count = all.length;
    all = [];
    const before = v8.getHeapStatistics().total_heap_size;
    assert.ok(before >= COMPACT_FROM_BYTES, `the heap is big enough to compact (${before} bytes)`);
    assert.equal(compactHeap(), true, 'the full collection is reachable in this runtime');
    const after = v8.getHeapStatistics().total_heap_size;
    assert.ok(after < before * 0.75, `the heap shrank: ${before} → ${after} bytes`);
    assert.equal(kept.length, Math.ceil(count / 8), 'what was live is all there');
    assert.equal(kept[kept.length - 1].n, (kept.length - 1) * 8);
  });

  it('leaves a small heap alone', () => {
    if (v8.getHeapStatistics().total_heap_size < COMPACT_FROM_BYTES) assert.equal(compactHeap(), false);
    else assert.equal(compactHeap(), true);
  });
});

describe('the language server\'s environment', () => {
  it('fixes glibc\'s trim threshold, so freed memory goes back to the system', () => {
    assert.deepEqual(serverEnv({ PATH: '/usr/bin' }), { GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=131072' });
  });

  it('keeps the tunables a user set, and their own trim threshold', () => {
    assert.deepEqual(serverEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }), { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=131072' });
    assert.deepEqual(serverEnv({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=65536' }), {});
  });
});
