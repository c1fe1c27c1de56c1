import * as assert from 'node:assert/strict';
import { roleSections } from '../../client/src/roleSections';

describe('prompt-template folding by role section', () => {
  it('folds each role line or role heading down to the next one, without trailing blank lines', () => {
    const lines = ['---', 'model: x', '---', 'system:', 'You help.', '', 'user:', '{{ question }}', '', '', '# Assistant', 'Sure.', 'assistant: inline reply'];
    assert.deepEqual(roleSections(lines), [{ start: 3, end: 4 }, { start: 6, end: 7 }, { start: 10, end: 11 }]);
  });

  it('ignores role-like lines inside code fences and mid-line', () => {
    const lines = ['System:', 'Reply like this:', '```', 'user: hi', '```', 'the user: said', 'USER:', 'hello'];
    assert.deepEqual(roleSections(lines), [{ start: 0, end: 5 }, { start: 6, end: 7 }]);
  });
});
