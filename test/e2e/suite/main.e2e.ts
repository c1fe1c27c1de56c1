import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { codeOf, counterpart, counterpartDiagnostics, file, folder, hoverText, rangeText, waitFor } from './helpers';

/** One finding of each code in examples/support-bot, at its exact range (0-based). */
const EXPECTED: [string, string, string][] = [
  ['manifest-syntax', 'counterpart.yaml', '102:4-102:9'],
  ['manifest-schema', 'counterpart.yaml', '109:4-109:17'],
  ['unknown-owner', 'counterpart.yaml', '106:11-106:17'],
  ['unknown-intent', 'counterpart.yaml', '41:30-41:43'],
  ['duplicate-id', 'counterpart.yaml', '64:8-64:19'],
  ['bad-marker', 'counterpart.yaml', '117:12-117:37'],
  ['conflicting-owners', 'counterpart.yaml', '76:11-76:31'],
  ['no-files', 'counterpart.yaml', '71:11-71:28'],
  ['uncovered-intent', 'src/ui/RefundPanel.tsx', '23:23-23:37'],
  ['undeclared-intent', 'src/ui/RefundPanel.tsx', '31:21-31:32'],
  ['unhandled-intent', 'src/ui/RefundPanel.tsx', '23:23-23:37'],
  ['copy-promise', 'docs/help/refunds.md', '5:3-5:17'],
  ['changed-since-review', 'prompts/support/system.prompt.md', '0:0-0:24'],
  ['never-reviewed', 'docs/help/refunds.md', '0:0-0:21'],
  ['tool-contract-change', 'tools/refund.json', '3:17-3:142'],
  ['foreign-edit', 'config/llm.yaml', '1:7-1:19'],
];

describe('Counterpart in VS Code: the support-bot story', function () {
  this.timeout(60000);

  before(async () => {
    // Who you are decides foreign-edit; set as a person would, in user settings.
    await vscode.workspace.getConfiguration('counterpart').update('identity', '@dana', vscode.ConfigurationTarget.Global);
    await counterpart();
  });

  it('activates and starts its language server', async () => {
    const api = await counterpart();
    assert.strictEqual(api.client.isRunning(), true);
    assert.strictEqual(vscode.extensions.getExtension('counterpart.counterpart')?.isActive, true);
  });

  for (const [code, rel, range] of EXPECTED) {
    it(`shows ${code} in ${rel} at ${range}`, async () => {
      const found = await waitFor(() => counterpartDiagnostics(file(rel)).find((d) => codeOf(d) === code && rangeText(d.range) === range), `${code} at ${range}`);
      assert.ok(found.message.length > 20);
    });
  }

  it('hovers a UI marker with intent, owner, coverage, prompt and tools', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file('src/ui/RefundPanel.tsx'), new vscode.Position(23, 26));
    const text = hoverText(hovers);
    assert.ok(text.includes('**Intent `express-refund`** — Express refund'), text);
    assert.ok(text.includes('- **Eval cases:** none — uncovered. Evals are owned by ML Platform (@sam).'));
    assert.ok(text.includes('- **System prompt tuned for it:** none'));
  });

  it('hovers an artifact with owner, counterpart and last review', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file('tools/refund.json'), new vscode.Position(3, 30));
    const text = hoverText(hovers);
    assert.ok(text.includes('Owned by **ML Platform (@sam)** · counterpart **Product (@dana)**'), text);
    assert.ok(text.includes('**Last counterpart review:** @dana, 2 Nov 2026 — **changed since**'));
  });

  it('shows code lenses at the top of an artifact and at each UI marker', async () => {
    // Lenses are asked of open documents only.
    await vscode.workspace.openTextDocument(file('tools/refund.json'));
    await vscode.workspace.openTextDocument(file('src/ui/RefundPanel.tsx'));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file('tools/refund.json'), 10);
    assert.deepStrictEqual(lenses.map((l) => l.command?.title), ['ML Platform owns · counterpart Product (@dana)', '5 eval cases', '2 intents · 1 uncovered', 'Request counterpart review']);
    const ui = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file('src/ui/RefundPanel.tsx'), 10);
    assert.deepStrictEqual(ui.map((l) => l.command?.title), ['refund-status: 5 eval cases · prompt: support-prompt, handoff-prompt', 'express-refund: no eval case · no prompt tuned', 'price-match: not declared']);
  });

  it('flags a new intent marker within a second of typing it, and clears it when removed', async () => {
    const doc = await vscode.workspace.openTextDocument(file('src/ui/OrderCard.tsx'));
    const editor = await vscode.window.showTextDocument(doc);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, '\n<button data-intent="seat-upgrade">Upgrade</button>'));
    const started = Date.now();
    const added = await waitFor(() => counterpartDiagnostics(doc.uri).find((d) => codeOf(d) === 'undeclared-intent' && d.message.includes("'seat-upgrade'")), 'undeclared-intent for seat-upgrade', 5000);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.strictEqual(added.range.start.line, doc.lineCount - 1);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => !counterpartDiagnostics(doc.uri).some((d) => d.message.includes("'seat-upgrade'")), 'the finding to clear', 5000);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Request Counterpart Review opens the request with its sections', async () => {
    await vscode.commands.executeCommand('counterpart.requestReview', { artifactId: 'refund-tool', folderUri: folder().toString() });
    const doc = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.languageId === 'markdown' && d.isUntitled && d.getText().startsWith('# Counterpart review')), 'the review request document');
    const text = doc.getText();
    for (const heading of ['## What changed since the last review', '## Intents it touches', '## Linked eval cases', '## UI surfaces', '## Checklist for the reviewer']) {
      assert.ok(text.includes(heading), heading);
    }
    assert.ok(text.includes('+Creates a refund draft for an order. Only call this when the user has explicitly confirmed'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Mark Reviewed writes the ledger and clears changed-since-review', async () => {
    const prompt = file('prompts/support/system.prompt.md');
    await waitFor(() => counterpartDiagnostics(prompt).some((d) => codeOf(d) === 'changed-since-review'), 'the drift finding');
    await vscode.commands.executeCommand('counterpart.markReviewed', { artifactId: 'support-prompt', folderUri: folder().toString() });
    await waitFor(() => !counterpartDiagnostics(prompt).some((d) => codeOf(d) === 'changed-since-review'), 'the drift finding to clear');
    const ledger = JSON.parse(fs.readFileSync(file('.counterpart/reviews.json').fsPath, 'utf8')) as { reviews: Record<string, { by: string; side: string }> };
    assert.deepStrictEqual({ by: ledger.reviews['support-prompt'].by, side: ledger.reviews['support-prompt'].side }, { by: '@dana', side: 'product' });
  });

  it('the Boundary view lists every artifact by owner with its state', async () => {
    const api = await counterpart();
    await api.boundary.refresh();
    const owners = api.boundary.getChildren().filter((n) => n.kind === 'owner');
    const labels = owners.map((o) => String(api.boundary.getTreeItem(o).label));
    assert.deepStrictEqual(labels, ['Product — lead @dana', 'ML Platform — lead @sam']);
    const platform = api.boundary.getChildren(owners[1]).map((n) => {
      const item = api.boundary.getTreeItem(n);
      return `${String(item.label)} — ${String(item.description)}`;
    });
    assert.ok(platform.some((l) => l.startsWith('refund-tool — tool description · changed since review')), platform.join('\n'));
    assert.ok(platform.some((l) => l.startsWith('support-prompt — system prompt · in step')), platform.join('\n'));
  });

  it('the status bar names the owner of the active file', async () => {
    const api = await counterpart();
    await vscode.window.showTextDocument(file('tools/refund.json'));
    const shown = await waitFor(() => (api.status.snapshot().text.includes('ML Platform') ? api.status.snapshot() : undefined), 'the status bar');
    assert.ok(shown.tooltip.includes('Owned by ML Platform (@sam); counterpart Product (@dana).'), shown.tooltip);
  });

  it('keeps working after Restart Server', async () => {
    await vscode.commands.executeCommand('counterpart.restartServer');
    const hovers = await waitFor(async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file('src/ui/RefundPanel.tsx'), new vscode.Position(23, 26));
      return hoverText(h).includes('express-refund') ? h : undefined;
    }, 'a hover after the restart', 20000);
    assert.ok(hovers.length > 0);
    await waitFor(() => counterpartDiagnostics(file('src/ui/RefundPanel.tsx')).length > 0, 'diagnostics after the restart');
  });
});
