import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { ReportRequest, type ReportParams, type ReportResult } from '../../server/src/protocol';
import { LspClient } from '../helpers/lspClient';

const EXAMPLE = path.resolve(__dirname, '../../../examples/support-bot');
const PARAMS: ReportParams = { nonce: 'n0nce42', cspSource: 'https://webview.test' };

/** counterpart/report: the Boundary Map page the VS Code webview shows. */
describe('language server: counterpart/report', function () {
  this.timeout(30000);
  let dir: string;
  let client: LspClient | undefined;
  const folderUri = (): string => URI.file(dir).toString();
  const start = async (trusted: boolean): Promise<LspClient> => {
    client = await LspClient.start({ folders: [{ uri: folderUri(), name: 'support-bot' }], settings: {}, trusted });
    return client;
  };
  const report = async (c: LspClient, params: Partial<ReportParams> = {}): Promise<Extract<ReportResult, { ok: true }>> => {
    const result = await c.request<ReportResult>(ReportRequest, { ...PARAMS, ...params });
    assert.ok(result.ok, JSON.stringify(result));
    return result;
  };

  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-report-')));
    fs.cpSync(EXAMPLE, dir, { recursive: true });
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('draws the page for a webview: its nonce and source in a strict policy, every place a link relative to the manifest\'s folder', async () => {
    const c = await start(true);
    const page = await report(c);
    assert.equal(page.folderUri, folderUri());
    assert.equal(page.rootUri, folderUri());
    assert.match(page.html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*script-src 'nonce-n0nce42';/);
    assert.match(page.html, /style-src https:\/\/webview\.test/);
    assert.match(page.html, /<body data-mode="webview">/);
    assert.match(page.html, /data-file="src\/ui\/RefundPanel\.tsx" data-line="\d+"/);
    assert.match(page.html, /express-refund/);
    // Manifest errors, as the Problems panel words them.
    assert.match(page.html, /This key is given twice in the same block/);
    // Not a repository: the calendar says what history it could read.
    assert.match(page.html, /not in a git repository/);
    // Nothing changed: the same page, not one with a new "built at", so the webview is not redrawn.
    assert.equal((await report(c)).html, page.html);
  });

  it('follows an unsaved edit', async () => {
    const c = await start(true);
    const panel = URI.file(path.join(dir, 'src/ui/RefundPanel.tsx')).toString();
    const text = fs.readFileSync(path.join(dir, 'src/ui/RefundPanel.tsx'), 'utf8');
    assert.doesNotMatch((await report(c)).html, /seat-upgrade/);
    await c.open(panel, text, 'typescriptreact');
    await c.change(panel, `${text}\n<button data-intent="seat-upgrade">Upgrade</button>\n`);
    assert.match((await report(c)).html, /seat-upgrade/);
  });

  /** Makes the copy a repository with one commit; false when git is not installed. */
  const commitAll = (): boolean => {
    try {
      const as = ['-c', 'user.email=sam@acme.com', '-c', 'user.name=Sam'];
      execFileSync('git', ['init', '-q'], { cwd: dir });
      execFileSync('git', [...as, 'add', '.'], { cwd: dir });
      execFileSync('git', [...as, 'commit', '-qm', 'The support bot'], { cwd: dir });
      return true;
    } catch {
      return false;
    }
  };

  it('reads the calendar from git in a trusted workspace', async function () {
    if (!commitAll()) this.skip();
    const page = await report(await start(true));
    assert.match(page.html, /History starts at|Read 1 commit/);
    assert.doesNotMatch(page.html, /Restricted Mode/);
    // What it read is kept beside the repository (the next test relies on it to tell that git ran).
    assert.ok(fs.existsSync(path.join(dir, '.git/counterpart-cache')));
  });

  it('in a shallow clone says where history starts, and the map is all there', async function () {
    if (!commitAll()) this.skip();
    const as = ['-c', 'user.email=sam@acme.com', '-c', 'user.name=Sam'];
    fs.appendFileSync(path.join(dir, 'docs/help/refunds.md'), '\nMore help.\n');
    execFileSync('git', [...as, 'commit', '-qam', 'More help'], { cwd: dir });
    const clone = `${dir}-clone`;
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${dir}`, clone]);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(clone, dir);
    const page = await report(await start(true));
    assert.match(page.html, /this is a shallow clone, so earlier changes cannot be shown/);
    assert.match(page.html, /express-refund/);
  });

  it('in Restricted Mode draws the map without the calendar, says why, and runs no git', async function () {
    if (!commitAll()) this.skip();
    const page = await report(await start(false));
    assert.match(page.html, /express-refund/);
    assert.match(page.html, /No calendar in Restricted Mode: Counterpart runs nothing from an untrusted workspace, git included/);
    assert.equal(fs.existsSync(path.join(dir, '.git/counterpart-cache')), false);
  });

  it('answers in words for a folder it does not serve', async () => {
    const c = await start(true);
    const result = await c.request<ReportResult>(ReportRequest, { ...PARAMS, folderUri: 'file:///nowhere' });
    assert.deepEqual(result, { ok: false, problem: 'That folder is no longer open.' });
  });
});
