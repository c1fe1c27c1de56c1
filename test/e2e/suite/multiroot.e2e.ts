import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, counterpart, counterpartDiagnostics, file, hoverText, waitFor } from './helpers';

describe('Counterpart in a multi-root workspace with two manifests', function () {
  this.timeout(60000);

  it('opens two folders', () => {
    assert.strictEqual(vscode.workspace.workspaceFolders?.length, 2);
  });

  it('keeps each folder to its own manifest', async () => {
    await counterpart();
    await waitFor(() => counterpartDiagnostics(file('tools/refund.json', 0)).some((d) => codeOf(d) === 'tool-contract-change'), 'findings of the first folder');
    const second = await waitFor(() => counterpartDiagnostics(file('prompts/coach.prompt', 1)).find((d) => codeOf(d) === 'never-reviewed'), 'findings of the second folder');
    assert.strictEqual(second.message, "Growth (@gia) has never reviewed this system prompt ('coach-prompt'). Ask them for a counterpart review.");
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file('prompts/coach.prompt', 1), new vscode.Position(0, 1));
    const text = hoverText(hovers);
    assert.ok(text.includes('Owned by **Coaching ML (@max)** · counterpart **Growth (@gia)**'), text);
    assert.ok(!text.includes('@sam'));
  });

  it('lists both folders in the Boundary view', async () => {
    const api = await counterpart();
    await api.boundary.refresh();
    const roots = api.boundary.getChildren().map((n) => String(api.boundary.getTreeItem(n).label));
    assert.strictEqual(roots.length, 2, roots.join(', '));
  });
});
