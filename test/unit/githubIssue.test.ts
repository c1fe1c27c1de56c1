import * as assert from 'node:assert/strict';
import { githubIssueLink, MAX_ENCODED_BODY, TRIM_NOTE } from '../../client/src/commands/githubIssue';

describe('prefilled GitHub issue link', () => {
  it('carries the title and the whole request when it fits', () => {
    const link = githubIssueLink('acme/support-bot', "Counterpart review: tool description 'refund-tool'", '# Review\n\n@acme/product-pms: please review.')!;
    assert.equal(link.trimmed, false);
    const url = new URL(link.url);
    assert.equal(url.origin + url.pathname, 'https://github.com/acme/support-bot/issues/new');
    assert.equal(url.searchParams.get('title'), "Counterpart review: tool description 'refund-tool'");
    assert.equal(url.searchParams.get('body'), '# Review\n\n@acme/product-pms: please review.');
  });

  it('cuts a long request at a line, closes an open code block, and says so', () => {
    const long = ['# Review', '```diff', ...Array.from({ length: 2000 }, (_, i) => `+line ${i} with ünïcödé`), '```'].join('\n');
    const link = githubIssueLink('acme/support-bot', 't', long)!;
    assert.equal(link.trimmed, true);
    const body = new URL(link.url).searchParams.get('body')!;
    assert.ok(encodeURIComponent(body).length <= MAX_ENCODED_BODY, `${encodeURIComponent(body).length}`);
    assert.ok(body.endsWith(TRIM_NOTE));
    const kept = body.slice(0, -TRIM_NOTE.length);
    assert.equal(kept.split('\n').filter((l) => l.startsWith('```')).length % 2, 0, 'code fences are balanced');
    assert.ok(/\+line \d+ with ünïcödé\n```$/.test(kept), 'cut at a whole line');
  });

  it('refuses a repository that is not owner/repo', () => {
    assert.equal(githubIssueLink('https://evil.example/x', 't', 'b'), undefined);
    assert.equal(githubIssueLink('acme', 't', 'b'), undefined);
  });
});
