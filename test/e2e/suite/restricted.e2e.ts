import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { codeOf, counterpart, counterpartDiagnostics, file, folder, hoverText, waitFor } from './helpers';

describe('Counterpart in a restricted (untrusted) workspace', function () {
  this.timeout(60000);

  it('is really untrusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  it('keeps diagnostics and hovers, read from the files', async () => {
    await counterpart();
    await waitFor(() => counterpartDiagnostics(file('src/ui/RefundPanel.tsx')).some((d) => codeOf(d) === 'undeclared-intent'), 'diagnostics');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file('src/ui/RefundPanel.tsx'), new vscode.Position(23, 26));
    assert.ok(hoverText(hovers).includes('**Intent `express-refund`**'));
  });

  it('refuses the review commands, even invoked directly, and writes nothing', async () => {
    const ledger = file('.counterpart/reviews.json').fsPath;
    const before = fs.readFileSync(ledger, 'utf8');
    const docsBefore = vscode.workspace.textDocuments.length;
    await vscode.commands.executeCommand('counterpart.markReviewed', { artifactId: 'refund-tool', folderUri: folder().toString() });
    await vscode.commands.executeCommand('counterpart.requestReview', { artifactId: 'refund-tool', folderUri: folder().toString() });
    assert.strictEqual(fs.readFileSync(ledger, 'utf8'), before);
    assert.ok(!vscode.workspace.textDocuments.slice(docsBefore).some((d) => d.getText().startsWith('# Counterpart review')), 'no review request was composed');
    const api = await counterpart();
    const refused = await api.client.sendRequest<{ ok: boolean; problem: string }>('counterpart/markReviewed', { artifactId: 'refund-tool' });
    assert.deepStrictEqual(refused, { ok: false, problem: 'Counterpart runs nothing and writes nothing in Restricted Mode. Trust this folder to use this command.' });
  });
});
