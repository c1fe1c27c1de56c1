import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LspClient } from '../helpers/lspClient';

const EXAMPLE = path.resolve(__dirname, '../../../examples/support-bot');

/** While the manifest is broken mid-edit, the other files keep being checked against its last good version. */
describe('language server with a broken manifest', function () {
  this.timeout(30000);
  let dir: string;
  let client: LspClient;
  const u = (rel: string): string => URI.file(path.join(dir, rel)).toString();

  beforeEach(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-broken-')));
    fs.cpSync(EXAMPLE, dir, { recursive: true });
    client = await LspClient.start({ folders: [{ uri: URI.file(dir).toString(), name: 'support-bot' }], settings: {} });
  });

  afterEach(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies edits to other files against the last good manifest, and says so in the manifest and the status', async () => {
    const panel = u('src/ui/RefundPanel.tsx');
    const manifestUri = u('counterpart.yaml');
    await client.waitForDiagnostics(panel, (d) => d.length > 0);
    await client.open(manifestUri, fs.readFileSync(path.join(dir, 'counterpart.yaml'), 'utf8'), 'yaml');
    await client.change(manifestUri, 'version: 1\nowners: [unclosed\n');
    const manifest = await client.waitForDiagnostics(manifestUri, (d) => d.some((x) => x.code === 'manifest-syntax' && x.severity === 3));
    const notice = manifest.find((x) => x.severity === 3)!;
    assert.equal(notice.message, 'Until this manifest reads again, Counterpart checks the other files against its last good version, so their findings may not match what you are typing here.');
    assert.ok(manifest.every((x) => x.range.start.line <= 2), 'every finding is about the text as it is now, none at places of the old one');
    const status = await client.waitFor(() => client.notifications.filter((n) => n.method === 'counterpart/status').map((n) => n.params as { lastGoodManifest?: boolean }).reverse()[0], 5000, 'a status');
    assert.equal(status.lastGoodManifest, true);
    // A new undeclared marker typed now is checked against the last good manifest.
    const text = fs.readFileSync(path.join(dir, 'src/ui/RefundPanel.tsx'), 'utf8');
    await client.open(panel, text, 'typescriptreact');
    await client.change(panel, `${text}\n<button data-intent="seat-upgrade">Upgrade</button>\n`);
    const d = await client.waitForDiagnostics(panel, (x) => x.some((f) => f.code === 'undeclared-intent' && f.message.startsWith("Intent 'seat-upgrade'")));
    assert.ok(d.some((f) => f.code === 'uncovered-intent'), 'the findings of the last good manifest stay');
  });
});
