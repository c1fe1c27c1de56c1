import * as assert from 'node:assert/strict';
import type { ArtifactChange, ChangeSet } from '../../server/src/core/changes/changeSet';
import { githubHandles, reviewGate } from '../../server/src/core/changes/gate';
import type { Owner } from '../../server/src/core/manifest/model';
import { reviewersFrom } from '../../server/src/action/pullRequest';

const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const PRODUCT: Owner = { id: 'product', idRange: RANGE, title: 'Product', lead: '@Dana', members: ['dana@acme.com', '@lee', '@acme/pms'], review: { github: '@acme/pms' } };

function change(id: string, over: Partial<ArtifactChange> = {}): ArtifactChange {
  return { id, change: 'modified', counterpart: PRODUCT, signOff: { state: 'none' }, notes: [], textChanged: true, parts: [], owner: undefined, artifact: {} as ArtifactChange['artifact'], ...over };
}

function set(...artifacts: ArtifactChange[]): ChangeSet {
  return { baseLabel: 'main', artifacts, markers: { added: [], removed: [] }, evalCases: { added: [], removed: [] }, copy: { added: [], removed: [] }, notes: [] };
}

describe('the review gate', () => {
  it('counts GitHub @handles of the lead and members, not emails or teams', () => {
    assert.deepEqual(githubHandles(PRODUCT), ['dana', 'lee']);
  });

  it("takes each reviewer's latest verdict: an approval withdrawn by a request for changes does not count", () => {
    const gate = reviewGate(set(change('a')), [{ login: 'lee', state: 'APPROVED' }, { login: 'lee', state: 'COMMENTED' }, { login: 'lee', state: 'CHANGES_REQUESTED' }]);
    assert.equal(gate.state, 'pending');
    assert.equal(gate.description, "Waiting for Product to review 'a'.");
    const again = reviewGate(set(change('a')), [{ login: 'lee', state: 'CHANGES_REQUESTED' }, { login: 'DANA', state: 'APPROVED' }]);
    assert.equal(again.state, 'success');
    assert.deepEqual(again.clearance.get('a'), { by: 'approval', who: '@dana' });
  });

  it('a ledger sign-off of the new text clears an artifact, but not a removed one', () => {
    const review = { hash: 'sha256:x', by: '@lee', side: 'product', at: '2026-12-01T00:00:00Z' };
    const gate = reviewGate(set(change('a', { signOff: { state: 'signed', review, recordedInChange: false } }), change('b', { change: 'removed' })), []);
    assert.deepEqual(gate.clearance.get('a'), { by: 'ledger', who: '@lee' });
    assert.equal(gate.state, 'pending');
    assert.deepEqual(gate.waiting.map((w) => w.id), ['b']);
  });

  it('no changed artifact is success, so a required status never holds an unrelated pull request', () => {
    const gate = reviewGate(set(), undefined);
    assert.deepEqual([gate.state, gate.description], ['success', 'No prompt, eval set, tool description or help copy changed.']);
  });

  it('asks teams and people from review channels, never the author', () => {
    assert.deepEqual(reviewersFrom(['@acme/product-pms', '@dana', '@sam', 'not-a-handle', '@acme/product-pms'], 'SAM'), { reviewers: ['dana'], team_reviewers: ['product-pms'] });
  });
});
