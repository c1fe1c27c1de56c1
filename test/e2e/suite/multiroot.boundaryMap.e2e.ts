// Runs with the multi-root workspace (its name starts with the suite's: see index.ts).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { counterpart, folder, waitFor } from './helpers';

describe('the Boundary Map in a multi-root workspace', function () {
  this.timeout(60000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('maps the folder it is opened for, and switches when asked for the other', async () => {
    const api = await counterpart();
    // From the Explorer's context of the second folder: a folder Uri.
    await vscode.commands.executeCommand('counterpart.openBoundaryMap', folder(1));
    const second = await waitFor(() => (api.map.snapshot().html.includes('coach-prompt') ? api.map.snapshot() : undefined), 'the map of the second folder');
    assert.strictEqual(second.title, 'Boundary Map: coaching');
    assert.strictEqual(second.folderUri, folder(1).toString());
    assert.ok(!second.html.includes('refund-tool'), 'nothing of the first folder');
    // From a Boundary view item: { folderUri }.
    await vscode.commands.executeCommand('counterpart.openBoundaryMap', { folderUri: folder(0).toString() });
    const first = await waitFor(() => (api.map.snapshot().html.includes('refund-tool') ? api.map.snapshot() : undefined), 'the map of the first folder');
    assert.strictEqual(first.title, 'Boundary Map: support-bot');
    assert.ok(!first.html.includes('coach-prompt'), 'nothing of the second folder');
  });
});
