import * as assert from 'node:assert/strict';
import { folderOfState, makeNonce, placeMessage, webviewPage } from '../../client/src/views/boundaryMapPage';

const OPTIONS = { nonce: 'abc123', cspSource: 'https://webview.test', folderUri: 'file:///w/support-bot' };

describe('the Boundary Map webview page', () => {
  it('adds a strict policy when the page has none: nothing remote, only the nonce\'d script', () => {
    const page = webviewPage('<!DOCTYPE html><html><head><title>x</title></head><body><p>map</p></body></html>', OPTIONS);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '';
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'nonce-abc123';/);
    assert.match(policy, /style-src https:\/\/webview\.test 'unsafe-inline'/);
    assert.ok(page.indexOf('Content-Security-Policy') < page.indexOf('<title>'), 'the policy comes before anything it governs');
  });

  it('keeps the policy the server wrote', () => {
    const html = '<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'nonce-abc123\';"></head><body></body></html>';
    assert.equal(webviewPage(html, OPTIONS).match(/Content-Security-Policy/g)?.length, 1);
  });

  it('adds one script carrying the nonce, after the page\'s own, sharing its VS Code API, with the folder in its state', () => {
    const html = '<html><head><meta http-equiv="Content-Security-Policy" content="script-src \'nonce-abc123\'"><style>x</style></head><body><p>a</p><script nonce="abc123">report()</script></body></html>';
    const page = webviewPage(html, OPTIONS);
    const scripts = [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.deepEqual(scripts.map((m) => m[1]), [' nonce="abc123"', ' nonce="abc123"']);
    assert.equal(scripts[0][2], 'report()');
    assert.match(scripts[1][2], /window\.counterpartVsCodeApi = window\.counterpartVsCodeApi \|\| acquireVsCodeApi\(\)/);
    assert.ok(scripts[1][2].includes('{ folderUri: "file:///w/support-bot" }'));
    assert.ok(page.endsWith('</script></body></html>'));
  });

  it('cannot be broken out of by a folder name', () => {
    const page = webviewPage('<body></body>', { ...OPTIONS, folderUri: 'file:///w/</script><script>alert(1)</script>' });
    assert.equal(page.match(/<\/script>/g)?.length, 1);
  });

  it('keeps a folder name with "$" patterns as written', () => {
    const page = webviewPage('<html><head></head><body><p>a</p></body></html>', { ...OPTIONS, folderUri: "file:///w/a$'b$&c" });
    assert.ok(page.includes('{ folderUri: "file:///w/a$\'b$&c" }'));
    assert.ok(page.endsWith('</script></body></html>'));
  });

  it('makes a fresh nonce each time, of letters and digits', () => {
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9]{16,}$/);
    assert.notEqual(a, makeNonce());
  });

  it('accepts "open" messages for places inside the folder only', () => {
    assert.deepEqual(placeMessage({ command: 'open', file: 'src/ui/RefundPanel.tsx', line: 23 }), { file: 'src/ui/RefundPanel.tsx', line: 23 });
    assert.deepEqual(placeMessage({ command: 'open', file: 'counterpart.yaml', line: '4' }), { file: 'counterpart.yaml', line: 4 });
    assert.deepEqual(placeMessage({ command: 'open', file: 'a.md', line: -1 }), { file: 'a.md', line: 0 });
    for (const file of ['../secrets', '/etc/passwd', 'C:/x', 'a\\..\\b', 'a//b', '', 'src/../../x']) assert.equal(placeMessage({ command: 'open', file, line: 1 }), undefined, file);
    assert.equal(placeMessage({ command: 'run', file: 'a.md' }), undefined);
    assert.equal(placeMessage('open'), undefined);
    assert.equal(placeMessage(null), undefined);
  });

  it('reads the folder back from a saved state, whatever its shape', () => {
    assert.equal(folderOfState({ folderUri: 'file:///w', scrollY: 10 }), 'file:///w');
    assert.equal(folderOfState({ folderUri: 3 }), undefined);
    assert.equal(folderOfState(undefined), undefined);
  });
});
