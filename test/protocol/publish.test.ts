import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lspClient';

const EXAMPLE = path.resolve(__dirname, '../../../examples/support-bot');

/** A keystroke publishes the diagnostics of the files whose findings changed, not of every file. */
describe('language server publishing', function () {
  this.timeout(30000);

  it('sends again only the files whose findings changed after an edit', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-pub-')));
    fs.cpSync(EXAMPLE, dir, { recursive: true });
    const client = await LspClient.start({ folders: [{ uri: URI.file(dir).toString(), name: 'support-bot' }], settings: {} });
    try {
      const u = (rel: string): string => URI.file(path.join(dir, rel)).toString();
      const panel = u('src/ui/RefundPanel.tsx');
      await client.waitForDiagnostics(panel, (d) => d.length > 0);
      // A request's answer comes after everything the server sent before it: the first build's publishing is over.
      await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: panel }, position: { line: 0, character: 0 } });
      const publishedFiles = (): string[] => client.published;
      const before = publishedFiles().length;
      assert.ok(new Set(publishedFiles()).size > 3, 'the first build publishes every file with findings');
      const text = fs.readFileSync(path.join(dir, 'src/ui/RefundPanel.tsx'), 'utf8');
      await client.open(panel, text, 'typescriptreact');
      await client.change(panel, `${text}\n<button data-intent="seat-upgrade">Upgrade</button>\n`);
      await client.waitForDiagnostics(panel, (d) => d.some((f) => f.message.startsWith("Intent 'seat-upgrade'")));
      // A request answers after the build it waits for: everything that build published has arrived.
      await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: panel }, position: { line: 0, character: 0 } });
      assert.deepEqual([...publishedFiles().slice(before)], [panel], 'only the edited file changed');
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
