// Artifacts located inside code files, on a fresh copy of examples/code-first (all.mjs copies it;
// run alone with COUNTERPART_E2E_SUITE=codeFirst and that copy as the workspace). The example is
// reviewed and in step, so every finding here comes from an edit the test makes — typed into an
// editor and never saved.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, counterpart, counterpartDiagnostics, file, folder, hoverText, rangeText, waitFor } from './helpers';

const ROUTE = 'app/api/chat/route.ts';
const AGENT = 'agents/refunds.py';
const MANIFEST = 'counterpart.yaml';
const OWNER_LENS = 'ML Platform owns · counterpart Product (@dana)';
const REVIEW_LENS = 'Request counterpart review';
const RULE = 'Only when the user has explicitly confirmed the order number and asked to cancel it.';
const NEW_RULE = 'Use it when the user asks to cancel.';

/** The 0-based line of the first line of `doc` containing `needle`. */
function lineOf(doc: vscode.TextDocument, needle: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  throw new Error(`no line of ${doc.uri.path} contains ${JSON.stringify(needle)}`);
}

/** The range of the first occurrence of `needle` on a line of `doc`. */
function rangeOf(doc: vscode.TextDocument, needle: string): vscode.Range {
  const line = lineOf(doc, needle);
  const at = doc.lineAt(line).text.indexOf(needle);
  return new vscode.Range(line, at, line, at + needle.length);
}

/** The resolved code lenses of a document (what the editor draws), as [line, title]. */
async function lenses(uri: vscode.Uri): Promise<{ line: number; title: string }[]> {
  const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return all.map((l) => ({ line: l.range.start.line, title: l.command?.title ?? '' }));
}

/** Polls until the lenses on `line` include every title in `titles`; returns that line's titles. */
async function lensesOnLine(uri: vscode.Uri, line: number, titles: string[], what: string): Promise<string[]> {
  let seen: { line: number; title: string }[] = [];
  try {
    return await waitFor(async () => {
      seen = await lenses(uri);
      const here = seen.filter((l) => l.line === line).map((l) => l.title);
      return titles.every((t) => here.includes(t)) ? here : undefined;
    }, what, 20000);
  } catch (err) {
    throw new Error(`${(err as Error).message}; lenses seen: ${JSON.stringify(seen)}`);
  }
}

function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  return JSON.stringify(ds.map((d) => `${codeOf(d)} ${rangeText(d.range)} ${d.message}`));
}

/** Every Counterpart diagnostic in the workspace, as "file code range message", for failure messages. */
function workspaceDiagnostics(): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.path ?? '';
  return JSON.stringify(vscode.languages.getDiagnostics().flatMap(([uri, ds]) => ds.filter((d) => d.source === 'Counterpart').map((d) => `${uri.path.slice(root.length + 1)} ${codeOf(d)} ${rangeText(d.range)} ${d.message}`)));
}

/** waitFor, whose timeout also says which Counterpart findings the workspace shows at that moment. */
async function waitShowing<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 10000): Promise<T> {
  try {
    return await waitFor(probe, what, ms);
  } catch (err) {
    throw new Error(`${(err as Error).message}; Counterpart findings now: ${workspaceDiagnostics()}`);
  }
}

/** Records every Counterpart diagnostic published for `uri` from now on (including ones gone again). */
function recordDiagnostics(uri: vscode.Uri): { seen: vscode.Diagnostic[]; dispose(): void } {
  const seen: vscode.Diagnostic[] = [];
  const sub = vscode.languages.onDidChangeDiagnostics((e) => {
    if (e.uris.some((u) => u.toString() === uri.toString())) seen.push(...counterpartDiagnostics(uri));
  });
  return { seen, dispose: () => sub.dispose() };
}

/** Types `text` character by character at each selection, as a person (or F2 rename's preview) does. */
async function typeText(text: string): Promise<void> {
  for (const ch of text) await vscode.commands.executeCommand('type', { text: ch });
}

/** Undoes until the document reads `original` again (typing may take several undo steps). */
async function undoUntil(doc: vscode.TextDocument, original: string): Promise<void> {
  for (let i = 0; i < 50 && doc.getText() !== original; i++) await vscode.commands.executeCommand('undo');
  assert.strictEqual(doc.getText(), original, 'undo did not bring the file back');
}

describe('Counterpart in VS Code: prompts and tools inside code (code-first)', function () {
  this.timeout(60000);

  before(async () => {
    // A platform engineer edits the route: nothing in route.ts belongs to the other side, so
    // foreign-edit (which depends on git's user.email by default) cannot show up there.
    await vscode.workspace.getConfiguration('counterpart').update('identity', '@sam', vscode.ConfigurationTarget.Global);
    await counterpart();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('counterpart').update('identity', undefined, vscode.ConfigurationTarget.Global);
  });

  it('opens the example in step: no finding in the route, the agent or the manifest', async () => {
    const doc = await vscode.workspace.openTextDocument(file(ROUTE));
    await vscode.window.showTextDocument(doc);
    // A lens request answers from an index that has seen every file: after it, diagnostics are published.
    await lensesOnLine(doc.uri, lineOf(doc, 'export const systemPrompt'), [OWNER_LENS], 'the prompt to be located');
    for (const rel of [ROUTE, AGENT, MANIFEST]) {
      assert.deepStrictEqual(describeDiagnostics(counterpartDiagnostics(file(rel))), '[]', `${rel} has findings`);
    }
  });

  it('shows the owner and review lenses on the first line of the systemPrompt template literal, and a lens at the cancelOrder description', async () => {
    const doc = await vscode.workspace.openTextDocument(file(ROUTE));
    await vscode.window.showTextDocument(doc);
    const promptLine = lineOf(doc, 'export const systemPrompt = `');
    const prompt = await lensesOnLine(doc.uri, promptLine, [OWNER_LENS, REVIEW_LENS], `the owner and review lenses on line ${promptLine + 1} (export const systemPrompt)`);
    assert.ok(prompt.some((t) => /^\d+ eval cases?$/.test(t)), `no eval-case lens on the prompt: ${JSON.stringify(prompt)}`);
    const cancelLine = lineOf(doc, "description: 'Cancels an order");
    const cancel = await lensesOnLine(doc.uri, cancelLine, [OWNER_LENS], `a lens on line ${cancelLine + 1} (the cancelOrder description)`);
    assert.ok(cancel.includes(REVIEW_LENS), JSON.stringify(cancel));
    // The lenses sit at the located text, not at the top of the file.
    assert.deepStrictEqual((await lenses(doc.uri)).filter((l) => l.line === 0), []);
  });

  it('hovers inside the systemPrompt text with the prompt card, and shows no card outside it', async () => {
    const doc = await vscode.workspace.openTextDocument(file(ROUTE));
    const inside = rangeOf(doc, 'Be brief, warm and concrete').start.translate(0, 4);
    const text = await waitFor(async () => {
      const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, inside));
      return t.includes('System prompt `chat-prompt`') ? t : undefined;
    }, 'the hover over the prompt text');
    assert.ok(text.includes('Owned by **ML Platform (@sam)** · counterpart **Product (@dana)**'), text);
    const outside = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, rangeOf(doc, 'console.log').start.translate(0, 3)));
    assert.ok(!outside.includes('chat-prompt') && !outside.includes('Owned by'), outside);
  });

  it('shows a lens at the refund_agent instructions in agents/refunds.py', async () => {
    const doc = await vscode.workspace.openTextDocument(file(AGENT));
    await vscode.window.showTextDocument(doc);
    // The instructions are the text inside `instructions=( … )`: the lens sits on its first string.
    const first = lineOf(doc, 'instructions=(') + 1;
    assert.ok(doc.lineAt(first).text.includes('"You handle refund requests for Parcelly. "'), doc.lineAt(first).text);
    const here = await lensesOnLine(doc.uri, first, [OWNER_LENS, REVIEW_LENS], `the lenses on line ${first + 1} (refund_agent's instructions)`);
    assert.ok(here.length >= 2, JSON.stringify(here));
  });

  it('counts on each prompt\'s lens only the eval cases that run against it: the chat prompt and the refunds agent differ', async () => {
    // evals/promptfooconfig.yaml runs the chat prompt (prompts: file://../app/api/chat/route.ts:systemPrompt):
    // one inline case, three in cases/*.yaml (orders, cancel), two in cases.csv. evals/refunds/promptfooconfig.yaml runs
    // the refunds agent (exercises: [refund-agent-prompt]): two cases. The chat suite's refund case is not the agent's.
    const route = await vscode.workspace.openTextDocument(file(ROUTE));
    await vscode.window.showTextDocument(route);
    const chat = await lensesOnLine(route.uri, lineOf(route, 'export const systemPrompt'), ['6 eval cases'], 'the lens "6 eval cases" above export const systemPrompt');
    const agent = await vscode.workspace.openTextDocument(file(AGENT));
    await vscode.window.showTextDocument(agent);
    const first = lineOf(agent, 'instructions=(') + 1;
    const refunds = await lensesOnLine(agent.uri, first, ['2 eval cases'], `the lens "2 eval cases" above refund_agent's instructions (line ${first + 1})`);
    assert.deepStrictEqual([chat, refunds].map((ts) => ts.filter((t) => / eval cases?$/.test(t))), [['6 eval cases'], ['2 eval cases']]);
    // Clicking the lens lists those cases: each in the files of its own suite.
    const places = async (doc: vscode.TextDocument, line: number): Promise<string[]> => {
      const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
      const lens = all.find((l) => l.range.start.line === line && / eval cases?$/.test(l.command?.title ?? ''));
      // The lens carries what it is about; its places are asked of the server when it is clicked.
      const about = lens?.command?.arguments?.[1] as { uri: string; stub: unknown };
      assert.ok(JSON.stringify(about).length < 400, `a lens carries ids, not places: ${JSON.stringify(about)}`);
      const { locations } = await (await counterpart()).client.sendRequest<{ locations: { uri: string }[] }>('counterpart/lensPlaces', about);
      const root = folder().path;
      return locations.map((l) => (typeof l.uri === 'string' ? vscode.Uri.parse(l.uri) : l.uri).path.slice(root.length + 1)).sort();
    };
    assert.deepStrictEqual(await places(route, lineOf(route, 'export const systemPrompt')), ['evals/cases.csv', 'evals/cases.csv', 'evals/cases/cancel.yaml', 'evals/cases/cancel.yaml', 'evals/cases/orders.yaml', 'evals/promptfooconfig.yaml']);
    assert.deepStrictEqual(await places(agent, first), ['evals/refunds/promptfooconfig.yaml', 'evals/refunds/promptfooconfig.yaml']);
  });

  it('an edit of the console.log line changes nothing; an edit of the cancelOrder rule is flagged at the description', async () => {
    const doc = await vscode.workspace.openTextDocument(file(ROUTE));
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    const recorder = recordDiagnostics(doc.uri);
    try {
      // 1. Outside every artifact: the log line.
      const log = rangeOf(doc, '[chat] session');
      await editor.edit((b) => b.replace(log, '[chat] chat session'));
      assert.ok(doc.lineAt(log.start.line).text.includes("console.log(`[chat] chat session"), doc.lineAt(log.start.line).text);
      // A lens request sends the edit first and answers from the rebuilt index (whose diagnostics
      // are published before the answer), so afterwards the edit has been checked.
      await lensesOnLine(doc.uri, lineOf(doc, 'export const systemPrompt'), [OWNER_LENS], 'the lenses after the log edit');
      assert.strictEqual(describeDiagnostics(counterpartDiagnostics(doc.uri)), '[]', `a finding appeared after editing the console.log line; all: ${workspaceDiagnostics()}`);
      assert.strictEqual(describeDiagnostics(recorder.seen), '[]', 'a finding appeared after editing the console.log line');

      // 2. Inside the cancelOrder description: its rule changes.
      await editor.edit((b) => b.replace(rangeOf(doc, RULE), NEW_RULE));
      const descLine = lineOf(doc, "description: 'Cancels an order");
      const both = await waitShowing(() => {
        const ds = counterpartDiagnostics(doc.uri);
        const changed = ds.find((d) => codeOf(d) === 'changed-since-review');
        const contract = ds.find((d) => codeOf(d) === 'tool-contract-change');
        return changed && contract ? { changed, contract, all: ds } : undefined;
      }, 'changed-since-review and tool-contract-change in route.ts');
      for (const d of [both.changed, both.contract]) {
        assert.strictEqual(d.range.start.line, descLine, `${codeOf(d)} at ${rangeText(d.range)}, expected on line ${descLine + 1}`);
        assert.ok(doc.getText(d.range).startsWith("'Cancels an order"), `${codeOf(d)} covers ${JSON.stringify(doc.getText(d.range))}`);
        assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
      }
      assert.ok(both.changed.message.startsWith('This tool description changed since Product (@dana) last reviewed it'), both.changed.message);
      assert.ok(both.contract.message.startsWith('The rule for when the model calls this tool changed'), both.contract.message);
      assert.ok(both.contract.message.includes(`it now says "${NEW_RULE.replace(/\.$/, '')}"`), both.contract.message);
      assert.ok(both.contract.message.includes(`no longer says "${RULE.replace(/\.$/, '')}"`), both.contract.message);
      // Nothing else in the file, and never anything on the log line.
      assert.strictEqual(both.all.length, 2, describeDiagnostics(both.all));
      const logLine = lineOf(doc, 'console.log(');
      assert.ok(!recorder.seen.some((d) => d.range.start.line === logLine), describeDiagnostics(recorder.seen));

      // Undo both edits: the findings go, and the route and the manifest are in step again.
      await undoUntil(doc, original);
      await waitShowing(() => counterpartDiagnostics(doc.uri).length === 0 && counterpartDiagnostics(file(MANIFEST)).length === 0, 'the findings to clear after undo');
    } finally {
      recorder.dispose();
      await undoUntil(doc, original).catch(() => undefined);
    }
  });

  it('renaming systemPrompt (typed, not saved) raises symbol-not-found at the symbol: value in counterpart.yaml; undo clears it', async () => {
    const manifest = await vscode.workspace.openTextDocument(file(MANIFEST));
    const symbolValue = rangeOf(manifest, 'symbol: systemPrompt');
    const valueRange = new vscode.Range(symbolValue.start.translate(0, 'symbol: '.length), symbolValue.end);
    const atValue = (d: vscode.Diagnostic): boolean => codeOf(d) === 'symbol-not-found' && rangeText(d.range) === rangeText(valueRange);
    const doc = await vscode.workspace.openTextDocument(file(ROUTE));
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    assert.ok(!counterpartDiagnostics(manifest.uri).some(atValue), `symbol-not-found for systemPrompt before the rename: ${workspaceDiagnostics()}`);
    try {
      // Select the declaration and its use (what F2 edits) and type the new name over both.
      const decl = rangeOf(doc, 'systemPrompt = `');
      const use = rangeOf(doc, 'system: systemPrompt');
      editor.selections = [
        new vscode.Selection(decl.start, decl.start.translate(0, 'systemPrompt'.length)),
        new vscode.Selection(use.start.translate(0, 'system: '.length), use.end),
      ];
      await typeText('chatPrompt');
      assert.ok(doc.lineAt(decl.start.line).text.startsWith('export const chatPrompt = `'), doc.lineAt(decl.start.line).text);
      assert.ok(doc.isDirty, 'the rename should stay unsaved');
      const found = await waitShowing(() => counterpartDiagnostics(manifest.uri).find(atValue), `symbol-not-found in counterpart.yaml at ${rangeText(valueRange)} (the value of "symbol: systemPrompt")`);
      assert.strictEqual(manifest.getText(found.range), 'systemPrompt');
      assert.strictEqual(found.severity, vscode.DiagnosticSeverity.Warning);
      assert.ok(found.message.startsWith("Counterpart cannot find symbol 'systemPrompt' for 'chat-prompt'"), found.message);
      assert.ok(found.message.includes('in app/api/chat/route.ts'), found.message);

      await undoUntil(doc, original);
      await waitShowing(() => !counterpartDiagnostics(manifest.uri).some(atValue), 'symbol-not-found to go after undo');
    } finally {
      await undoUntil(doc, original).catch(() => undefined);
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
