import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CodeAction, CodeLens, CompletionItem, Hover, Location, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lspClient';

const EXAMPLE = path.resolve(__dirname, '../../../examples/support-bot');

function copyExample(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-lsp-')));
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

const uri = (p: string): string => URI.file(p).toString();

describe('language server over stdio', function () {
  this.timeout(30000);
  let dir: string;
  let client: LspClient;
  const u = (rel: string): string => uri(path.join(dir, rel));

  beforeEach(async () => {
    dir = copyExample();
    client = await LspClient.start({ folders: [{ uri: uri(dir), name: 'support-bot' }], settings: { identity: '@dana' } });
  });

  afterEach(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes diagnostics for every file with findings, open or not, at exact ranges', async () => {
    const ui = await client.waitForDiagnostics(u('src/ui/RefundPanel.tsx'), (d) => d.length > 0);
    const undeclared = ui.find((d) => d.code === 'undeclared-intent')!;
    assert.deepEqual(undeclared.range, { start: { line: 31, character: 21 }, end: { line: 31, character: 32 } });
    assert.equal(undeclared.source, 'Counterpart');
    assert.equal(undeclared.severity, 2);
    assert.match(undeclared.message, /^Intent 'price-match' is surfaced here but not declared in counterpart\.yaml/);
    const tool = await client.waitForDiagnostics(u('tools/refund.json'), (d) => d.length > 0);
    assert.deepEqual(tool.map((d) => d.code).sort(), ['changed-since-review', 'foreign-edit', 'tool-contract-change']);
    const manifest = await client.waitForDiagnostics(u('counterpart.yaml'), (d) => d.length > 0);
    assert.ok(manifest.some((d) => d.code === 'duplicate-id' && d.severity === 1 && d.range.start.line === 64));
  });

  it('registers document sync only for what the manifest covers', async () => {
    const reg = await client.waitFor(() => client.registrations.find((r) => r.method === 'textDocument/didOpen'), 5000, 'didOpen registration');
    const patterns = (reg.registerOptions as { documentSelector: { pattern: string }[] }).documentSelector.map((s) => s.pattern);
    for (const rel of ['counterpart.yaml', '.counterpart/reviews.json', 'prompts/support/system.prompt.md', 'evals/support/**/*.yaml', 'src/ui/**/*.tsx']) {
      assert.ok(patterns.includes(path.posix.join(dir, rel)), rel);
    }
    assert.ok(!patterns.some((p) => p.endsWith('**/*') || p === dir), 'not the whole folder');
    // Only the dynamic registration syncs: a static one on top would make an editor send each edit twice.
    assert.deepEqual(client.initializeResult?.capabilities.textDocumentSync, { openClose: false, change: 0 });
    assert.ok(client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
  });

  it('hovers a UI marker with its intent, owner, coverage, prompt and tools', async () => {
    await client.waitForDiagnostics(u('src/ui/RefundPanel.tsx'), (d) => d.length > 0);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u('src/ui/RefundPanel.tsx') }, position: { line: 23, character: 26 } });
    const md = (hover.contents as MarkupContent).value;
    assert.deepEqual(hover.range, { start: { line: 23, character: 23 }, end: { line: 23, character: 37 } });
    assert.ok(md.startsWith('**Intent `express-refund`** — Express refund\n\nSurfaced here in UI code owned by Product (@dana).'), md);
    assert.ok(md.includes('- **Eval cases:** none — uncovered. Evals are owned by ML Platform (@sam).'));
    assert.ok(md.includes('- **System prompt tuned for it:** none'));
    assert.match(md, /- \*\*Tools serving it:\*\* \[refund-tool\]\(file:\/\/\/.*\/tools\/refund\.json#L4,18\)/);
  });

  it('hovers an artifact with owner, counterpart, last review and linked eval cases', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u('tools/refund.json') }, position: { line: 3, character: 30 } });
    const md = (hover.contents as MarkupContent).value;
    assert.ok(md.startsWith('**Tool description `refund-tool`** · the value at `/description`'));
    assert.ok(md.includes('Owned by **ML Platform (@sam)** · counterpart **Product (@dana)** — review requests go to @acme/product-pms'));
    assert.ok(md.includes('**Last counterpart review:** @dana, 2 Nov 2026 — **changed since**'));
    assert.ok(md.includes('`express-refund` **no eval case (uncovered)**'));
    assert.match(md, /- \[evals\/support\/refunds\.yaml:20\]\(file:\/\/\/.*refunds\.yaml#L20,5\) Refund status for a returned item/);
  });

  it('hovers an intent in the manifest and a phrase in help copy', async () => {
    const manifestText = fs.readFileSync(path.join(dir, 'counterpart.yaml'), 'utf8').split('\n');
    const line = manifestText.findIndex((l) => l.includes('- id: express-refund'));
    const decl = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u('counterpart.yaml') }, position: { line, character: 12 } });
    assert.match((decl.contents as MarkupContent).value, /- \*\*Surfaced in the UI:\*\* \[src\/ui\/RefundPanel\.tsx:24\]/);
    const copy = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u('docs/help/refunds.md') }, position: { line: 5, character: 5 } });
    assert.ok((copy.contents as MarkupContent).value.includes('This help copy promises it ("Express refund").'));
  });

  it('lists code lenses lazily and resolves their titles and commands', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u('tools/refund.json') } });
    assert.equal(lenses.length, 4);
    assert.ok(lenses.every((l) => !l.command && l.range.start.line === 3));
    const resolved = await Promise.all(lenses.map((l) => client.request<CodeLens>('codeLens/resolve', l)));
    assert.deepEqual(resolved.map((l) => l.command?.title), ['ML Platform owns · counterpart Product (@dana)', '5 eval cases', '2 intents · 1 uncovered', 'Request counterpart review']);
    assert.equal(resolved[3].command?.command, 'counterpart.requestReview');
    assert.deepEqual(resolved[3].command?.arguments, [{ artifactId: 'refund-tool', folderUri: uri(dir) }]);
    // The lens carries what it is about; the five places come when it is clicked.
    const about = resolved[1].command?.arguments?.[1];
    assert.deepEqual(Object.keys(about as object), ['uri', 'stub']);
    const cases = await client.request<{ heading: string; locations: Location[] }>('counterpart/lensPlaces', about);
    assert.equal(cases.heading, 'Eval cases of refund-tool');
    assert.equal(cases.locations.length, 5);
    assert.ok(cases.locations.every((l) => l.uri.startsWith(uri(dir)) && l.uri.includes('/evals/')), JSON.stringify(cases.locations));
    const ui = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u('src/ui/RefundPanel.tsx') } });
    const titles = await Promise.all(ui.map((l) => client.request<CodeLens>('codeLens/resolve', l).then((r) => r.command?.title)));
    assert.deepEqual(titles, ['refund-status: 5 eval cases · prompt: support-prompt, handoff-prompt', 'express-refund: no eval case · no prompt tuned', 'price-match: not declared']);
  });

  it('tells the bench how long its handlers took, and starts over when asked', async () => {
    await client.request('counterpart/timings', { reset: true });
    await client.request<Hover>('textDocument/hover', { textDocument: { uri: u('src/ui/RefundPanel.tsx') }, position: { line: 0, character: 0 } });
    const times = await client.request<Record<string, number[]>>('counterpart/timings', { reset: true });
    assert.equal(times.hover?.length, 1);
    assert.ok(times.hover[0] >= 0 && times.hover[0] < 5000, String(times.hover[0]));
    assert.deepEqual(await client.request('counterpart/timings', {}), {});
  });

  it('completes owners, kinds and intents in the manifest', async () => {
    const text = fs.readFileSync(path.join(dir, 'counterpart.yaml'), 'utf8');
    await client.open(u('counterpart.yaml'), text, 'yaml');
    const lines = text.split('\n');
    const ownerLine = lines.findIndex((l) => /^\s+owner: platform/.test(l));
    const owners = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u('counterpart.yaml') }, position: { line: ownerLine, character: lines[ownerLine].indexOf('platform') } });
    assert.deepEqual(owners.map((c) => [c.label, c.detail]), [['product', 'Product (@dana)'], ['platform', 'ML Platform (@sam)']]);
    const kindLine = lines.findIndex((l) => /^\s+kind: /.test(l));
    const kinds = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u('counterpart.yaml') }, position: { line: kindLine, character: lines[kindLine].length } });
    assert.deepEqual(kinds.map((c) => c.label), ['system-prompt', 'eval-set', 'tool-description', 'help-copy', 'model-config']);
    const intentsLine = lines.findIndex((l) => /^\s+intents: \[refund-status/.test(l));
    const intents = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u('counterpart.yaml') }, position: { line: intentsLine, character: lines[intentsLine].indexOf('[') + 1 } });
    assert.ok(intents.some((c) => c.label === 'express-refund' && c.detail === 'Express refund'));
  });

  it('goes from a UI marker to the intent declaration and finds its references everywhere', async () => {
    const defs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: u('src/ui/RefundPanel.tsx') }, position: { line: 14, character: 25 } });
    const manifestText = fs.readFileSync(path.join(dir, 'counterpart.yaml'), 'utf8').split('\n');
    assert.deepEqual(defs.map((d) => [d.uri, d.range.start.line]), [[u('counterpart.yaml'), manifestText.findIndex((l) => l.includes('- id: refund-status'))]]);
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: u('src/ui/RefundPanel.tsx') }, position: { line: 14, character: 25 }, context: { includeDeclaration: true } });
    const files = [...new Set(refs.map((r) => path.relative(dir, URI.parse(r.uri).fsPath)))].sort();
    assert.deepEqual(files, ['counterpart.yaml', 'docs/help/refunds.md', 'evals/regression.jsonl', 'evals/support/refunds.yaml', 'src/ui/RefundPanel.tsx']);
  });

  it('offers quick fixes: declare an undeclared intent, add a starter eval case, tune the prompt', async () => {
    const diags = await client.waitForDiagnostics(u('src/ui/RefundPanel.tsx'), (d) => d.length > 0);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u('src/ui/RefundPanel.tsx') }, range: diags[0].range, context: { diagnostics: diags } });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes("Declare intent 'price-match' in counterpart.yaml (owned by Product)"), titles.join('\n'));
    assert.ok(titles.includes("Add a starter eval case for 'express-refund' to evals/support/refunds.yaml"));
    assert.ok(titles.includes("Tune 'support-prompt' for 'express-refund': add it to the prompt's intents"));
    const declare = actions.find((a) => a.title.startsWith("Declare intent 'price-match'"))!;
    const edits = declare.edit!.changes![u('counterpart.yaml')] as TextEdit[];
    assert.match(edits[0].newText, /^\n {2}- id: price-match\n {4}title: Price match\n {4}owner: product\n {4}phrases: \[\]$/);
    const tune = actions.find((a) => a.title.startsWith("Tune 'support-prompt'"))!;
    assert.equal((tune.edit!.changes![u('counterpart.yaml')] as TextEdit[])[0].newText, ', express-refund');
  });

  it('updates findings as a UI file is edited: a new marker raises undeclared-intent, removing it clears it', async () => {
    const file = u('src/ui/OrderCard.tsx');
    const original = fs.readFileSync(path.join(dir, 'src/ui/OrderCard.tsx'), 'utf8');
    await client.waitForDiagnostics(u('src/ui/RefundPanel.tsx'), (d) => d.length > 0);
    await client.open(file, original, 'typescriptreact');
    await client.change(file, original + '\n<button data-intent="seat-upgrade">Upgrade</button>\n');
    const raised = await client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'undeclared-intent'), 1000);
    const lastLine = original.split('\n').length;
    assert.deepEqual(raised.find((d) => d.code === 'undeclared-intent')!.range, { start: { line: lastLine, character: 21 }, end: { line: lastLine, character: 33 } });
    await client.change(file, original);
    await client.waitForDiagnostics(file, (d) => !d.some((x) => x.code === 'undeclared-intent'), 1000);
  });

  it('follows files created and deleted on disk, and a deleted folder', async () => {
    await client.waitForDiagnostics(u('src/ui/RefundPanel.tsx'), (d) => d.length > 0);
    fs.mkdirSync(path.join(dir, 'src/ui/new'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src/ui/new/Promo.tsx'), '<a data-intent="promo-code">x</a>\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: u('src/ui/new/Promo.tsx'), type: 1 }] });
    await client.waitForDiagnostics(u('src/ui/new/Promo.tsx'), (d) => d.some((x) => x.code === 'undeclared-intent'));
    fs.rmSync(path.join(dir, 'src/ui'), { recursive: true });
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: u('src/ui'), type: 3 }] });
    await client.waitForDiagnostics(u('src/ui/new/Promo.tsx'), (d) => d.length === 0);
    await client.waitForDiagnostics(u('src/ui/RefundPanel.tsx'), (d) => d.length === 0);
    const manifest = await client.waitForDiagnostics(u('counterpart.yaml'), (d) => d.some((x) => x.code === 'no-files' && x.message.includes('src/ui/**/*.tsx')));
    assert.ok(manifest.length > 0);
  });

  it('reacts to edits of the ledger on disk: a fresh sign-off clears the drift', async () => {
    await client.waitForDiagnostics(u('tools/refund.json'), (d) => d.some((x) => x.code === 'changed-since-review'));
    const result = await client.request<{ ok: boolean; message: string }>('counterpart/markReviewed', { artifactId: 'refund-tool' });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.message, "Recorded: @dana (Product) reviewed the tool description 'refund-tool' as it is now.");
    await client.waitForDiagnostics(u('tools/refund.json'), (d) => !d.some((x) => x.code === 'changed-since-review' || x.code === 'tool-contract-change'));
    const ledger = JSON.parse(fs.readFileSync(path.join(dir, '.counterpart/reviews.json'), 'utf8')) as { reviews: Record<string, { by: string }> };
    assert.equal(ledger.reviews['refund-tool'].by, '@dana');
  });

  it('re-reads a file changed on disk when told: a sign-off recorded by the CLI clears the drift', async () => {
    await client.waitForDiagnostics(u('tools/refund.json'), (d) => d.some((x) => x.code === 'changed-since-review'));
    const cli = spawnSync(process.execPath, [path.resolve(__dirname, '../../../dist/cli.js'), 'sign', 'refund-tool', '--by', '@dana', '--folder', dir, '--no-git'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: u('.counterpart/reviews.json'), type: 2 }] });
    await client.waitForDiagnostics(u('tools/refund.json'), (d) => !d.some((x) => x.code === 'changed-since-review'));
  });

  it('keeps serving with a broken manifest: shows its errors, keeps the last good index', async () => {
    const manifestUri = u('counterpart.yaml');
    await client.waitForDiagnostics(u('src/ui/RefundPanel.tsx'), (d) => d.length > 0);
    await client.open(manifestUri, fs.readFileSync(path.join(dir, 'counterpart.yaml'), 'utf8'), 'yaml');
    await client.change(manifestUri, 'version: 1\nowners: [unclosed\n');
    await client.waitForDiagnostics(manifestUri, (d) => d.some((x) => x.code === 'manifest-syntax'));
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u('src/ui/RefundPanel.tsx') }, position: { line: 23, character: 26 } });
    assert.ok(hover && (hover.contents as MarkupContent).value.includes('express-refund'));
    assert.ok((client.diagnostics.get(u('src/ui/RefundPanel.tsx')) ?? []).length > 0, 'other files keep their findings');
  });

  it('answers a failing request with an error and keeps serving; leaves non-file documents alone', async () => {
    await assert.rejects(client.request('textDocument/hover', { textDocument: { uri: u('src/ui/RefundPanel.tsx') } }), /Counterpart could not answer hover/);
    await client.open('untitled:Untitled-1', '<a data-intent="x">', 'typescriptreact');
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 0, character: 17 } }), null);
    const ok = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u('src/ui/RefundPanel.tsx') }, position: { line: 23, character: 26 } });
    assert.ok(ok.contents);
    assert.equal(client.diagnostics.has('untitled:Untitled-1'), false);
  });

  it('composes a review request for the artifact of a document', async () => {
    const r = await client.request<{ ok: true; markdown: string; mention: string; title: string; counterpart: unknown }>('counterpart/reviewRequest', { uri: u('tools/refund.json') });
    assert.equal(r.title, "Counterpart review: tool description 'refund-tool'");
    assert.equal(r.mention, '@acme/product-pms');
    // Who to ask on a pull request: the counterpart's GitHub team.
    assert.deepEqual(r.counterpart, { title: 'Product', reviewers: ['@acme/product-pms'] });
    assert.ok(r.markdown.includes('## What changed since the last review'));
  });

  it('saves a review request under .counterpart/requests/ without overwriting an earlier one', async () => {
    const params = { folderUri: uri(dir), artifactId: 'refund-tool', markdown: '# Counterpart review: refund-tool' };
    const first = await client.request<{ ok: true; uri: string }>('counterpart/saveReviewRequest', params);
    const second = await client.request<{ ok: true; uri: string }>('counterpart/saveReviewRequest', { ...params, markdown: '# second' });
    const day = new Date().toISOString().slice(0, 10);
    assert.equal(path.relative(dir, URI.parse(first.uri).fsPath), `.counterpart/requests/refund-tool-${day}.md`);
    assert.equal(path.relative(dir, URI.parse(second.uri).fsPath), `.counterpart/requests/refund-tool-${day}-2.md`);
    assert.equal(fs.readFileSync(URI.parse(first.uri).fsPath, 'utf8'), '# Counterpart review: refund-tool\n');
    assert.deepEqual(fs.readdirSync(path.join(dir, '.counterpart/requests')).sort(), [`refund-tool-${day}-2.md`, `refund-tool-${day}.md`], 'no temporary file left');
  });

  it('Mark Reviewed keeps a sign-off a terminal recorded meanwhile, even before the server hears of it', async () => {
    await client.waitForDiagnostics(u('tools/refund.json'), (d) => d.some((x) => x.code === 'changed-since-review'));
    // The terminal signs; the server is not told (no file event), so its index still holds the old ledger.
    const cli = spawnSync(process.execPath, [path.resolve(__dirname, '../../../dist/cli.js'), 'sign', 'order-tool', '--by', '@lee', '--folder', dir, '--no-git'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const result = await client.request<{ ok: boolean; problem?: string }>('counterpart/markReviewed', { artifactId: 'refund-tool' });
    assert.equal(result.ok, true, result.problem);
    const ledger = JSON.parse(fs.readFileSync(path.join(dir, '.counterpart/reviews.json'), 'utf8')) as { reviews: Record<string, { by: string }> };
    assert.equal(ledger.reviews['refund-tool'].by, '@dana');
    assert.equal(ledger.reviews['order-tool']?.by, '@lee', 'the terminal\'s sign-off is kept');
    assert.deepEqual(fs.readdirSync(path.join(dir, '.counterpart')), ['reviews.json']);
    // And the server now shows both: order-tool is no longer unreviewed.
    await client.waitForDiagnostics(u('tools/order-lookup.json'), (d) => !d.some((x) => x.code === 'never-reviewed' || x.code === 'changed-since-review'));
  });

  it('Mark Reviewed and Save Review Request write nothing through links out of the folder', async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-lsp-outside-')));
    try {
      fs.cpSync(path.join(dir, '.counterpart'), outside, { recursive: true });
      fs.mkdirSync(path.join(outside, 'requests'));
      fs.rmSync(path.join(dir, '.counterpart'), { recursive: true });
      fs.symlinkSync(outside, path.join(dir, '.counterpart'));
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: u('.counterpart'), type: 1 }] });
      const manifest = await client.waitForDiagnostics(u('counterpart.yaml'), (d) => d.some((x) => x.code === 'file-skipped'));
      const message = manifest.find((x) => x.code === 'file-skipped')!.message;
      assert.equal(message, `The review ledger .counterpart/reviews.json leads to ${outside}/reviews.json, outside the workspace folder, through a link. Counterpart reads and writes nothing outside the folder, so it did not use it. Replace the link with a real folder or file inside the workspace.`);
      const before = fs.readFileSync(path.join(outside, 'reviews.json'), 'utf8');
      const marked = await client.request<{ ok: boolean; problem?: string }>('counterpart/markReviewed', { artifactId: 'refund-tool' });
      assert.deepEqual(marked, { ok: false, problem: message });
      const saved = await client.request<{ ok: boolean; problem?: string }>('counterpart/saveReviewRequest', { folderUri: uri(dir), artifactId: 'refund-tool', markdown: '# review' });
      assert.equal(saved.ok, false);
      assert.equal(saved.problem, `The folder for review requests .counterpart/requests leads to ${outside}/requests, outside the workspace folder, through a link. Counterpart reads and writes nothing outside the folder, so it did not use it. Replace the link with a real folder or file inside the workspace.`);
      assert.equal(fs.readFileSync(path.join(outside, 'reviews.json'), 'utf8'), before);
      assert.deepEqual(fs.readdirSync(outside).sort(), ['requests', 'reviews.json']);
      assert.deepEqual(fs.readdirSync(path.join(outside, 'requests')), []);
      // Only the requests folder a link: the same refusal, and the ledger inside is still signed.
      fs.rmSync(path.join(dir, '.counterpart'));
      fs.mkdirSync(path.join(dir, '.counterpart'));
      fs.copyFileSync(path.join(outside, 'reviews.json'), path.join(dir, '.counterpart/reviews.json'));
      fs.symlinkSync(path.join(outside, 'requests'), path.join(dir, '.counterpart/requests'));
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: u('.counterpart'), type: 1 }] });
      await client.waitForDiagnostics(u('counterpart.yaml'), (d) => !d.some((x) => x.code === 'file-skipped'));
      const again = await client.request<{ ok: boolean; problem?: string }>('counterpart/saveReviewRequest', { folderUri: uri(dir), artifactId: 'refund-tool', markdown: '# review' });
      assert.equal(again.problem, saved.problem);
      assert.deepEqual(fs.readdirSync(path.join(outside, 'requests')), []);
      assert.equal((await client.request<{ ok: boolean }>('counterpart/markReviewed', { artifactId: 'refund-tool' })).ok, true);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('Create Manifest never overwrites one, and writes a starter where there is none', async () => {
    const existing = await client.request<{ ok: false; problem: string }>('counterpart/createManifest', { folderUri: uri(dir) });
    assert.deepEqual(existing.problem, 'counterpart.yaml already exists; Counterpart never overwrites it.');
    const empty = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-lsp-new-')));
    try {
      fs.mkdirSync(path.join(empty, 'prompts'));
      fs.writeFileSync(path.join(empty, 'prompts/system.prompt.md'), 'You help.\n');
      await client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uri(empty), name: 'new' }], removed: [] } });
      const created = await client.waitFor(async () => {
        const r = await client.request<{ ok: boolean; summary?: string; problem?: string }>('counterpart/createManifest', { folderUri: uri(empty) });
        return r.ok || !/not open/.test(r.problem ?? '') ? r : undefined;
      }, 5000, 'the new folder to be served');
      assert.equal(created.ok, true, created.problem);
      assert.equal(created.summary, 'found 1 system prompt.');
      assert.match(fs.readFileSync(path.join(empty, 'counterpart.yaml'), 'utf8'), /kind: system-prompt\n {4}files: prompts\/system\.prompt\.md/);
      await client.waitForDiagnostics(uri(path.join(empty, 'prompts/system.prompt.md')), (d) => d.some((x) => x.code === 'never-reviewed'));
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('marks boundary references with semantic tokens: intent ids and copy phrases, by state', async () => {
    const legend = ['declaration', 'undeclared', 'uncovered', 'promise'];
    const decode = (data: number[]): [number, number, number, string[]][] => {
      const out: [number, number, number, string[]][] = [];
      let line = 0;
      let char = 0;
      for (let i = 0; i < data.length; i += 5) {
        line += data[i];
        char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
        out.push([line, char, data[i + 2], legend.filter((_, bit) => data[i + 4] & (1 << bit))]);
      }
      return out;
    };
    const ui = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: u('src/ui/RefundPanel.tsx') } });
    assert.deepEqual(decode(ui.data), [[14, 21, 13, []], [23, 23, 14, ['uncovered']], [31, 21, 11, ['undeclared']]]);
    const copy = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: u('docs/help/refunds.md') } });
    assert.ok(decode(copy.data).some(([line, , length, mods]) => line === 5 && length === 'Express refund'.length && mods.join() === 'uncovered,promise'));
    const evals = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: u('evals/support/refunds.yaml') } });
    assert.ok(decode(evals.data).some(([, , length, mods]) => length === 'refund-window'.length && mods.join() === 'undeclared'));
  });

  it('shuts down cleanly', async () => {
    assert.equal(await client.stop(), 0);
  });
});

describe('language server: restricted workspaces and several folders', function () {
  this.timeout(30000);
  const temps: string[] = [];
  after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('in a restricted workspace reads files but refuses to write or run git', async () => {
    const dir = copyExample();
    temps.push(dir);
    const client = await LspClient.start({ folders: [{ uri: uri(dir), name: 'x' }], trusted: false, settings: { identity: '@dana' } });
    try {
      await client.waitForDiagnostics(uri(path.join(dir, 'src/ui/RefundPanel.tsx')), (d) => d.length > 0);
      const before = fs.readFileSync(path.join(dir, '.counterpart/reviews.json'), 'utf8');
      const r = await client.request<{ ok: boolean; problem: string }>('counterpart/markReviewed', { artifactId: 'refund-tool' });
      assert.deepEqual(r, { ok: false, problem: 'Counterpart runs nothing and writes nothing in Restricted Mode. Trust this folder to use this command.' });
      assert.equal(fs.readFileSync(path.join(dir, '.counterpart/reviews.json'), 'utf8'), before);
      const created = await client.request<{ ok: boolean }>('counterpart/createManifest', { folderUri: uri(dir) });
      assert.equal(created.ok, false);
      const status = client.notifications.filter((n) => n.method === 'counterpart/status').pop()?.params as { trusted: boolean };
      assert.equal(status.trusted, false);
    } finally {
      await client.stop();
    }
  });

  it('keeps two folders with their own manifests apart, and clears a removed folder', async () => {
    const a = copyExample();
    const b = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-lsp-b-')));
    temps.push(a, b);
    fs.writeFileSync(path.join(b, 'counterpart.yaml'), 'version: 1\nowners:\n  growth: { title: Growth, lead: "@gia" }\n  ml: { title: ML, lead: "@max" }\nartifacts:\n  - id: p\n    kind: system-prompt\n    files: p.md\n    owner: ml\n');
    fs.writeFileSync(path.join(b, 'p.md'), 'You help.\n');
    const client = await LspClient.start({ folders: [{ uri: uri(a), name: 'a' }] });
    try {
      await client.waitForDiagnostics(uri(path.join(a, 'tools/refund.json')), (d) => d.length > 0);
      await client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uri(b), name: 'b' }], removed: [] } });
      const p = await client.waitForDiagnostics(uri(path.join(b, 'p.md')), (d) => d.length > 0);
      assert.equal(p[0].message, "Growth (@gia) has never reviewed this system prompt ('p'). Ask them for a counterpart review.");
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(path.join(b, 'p.md')) }, position: { line: 0, character: 1 } });
      assert.ok((hover.contents as MarkupContent).value.includes('Owned by **ML (@max)** · counterpart **Growth (@gia)**'));
      await client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uri(a), name: 'a' }] } });
      await client.waitForDiagnostics(uri(path.join(a, 'tools/refund.json')), (d) => d.length === 0);
      assert.ok((client.diagnostics.get(uri(path.join(b, 'p.md'))) ?? []).length > 0);
    } finally {
      await client.stop();
    }
  });

  it('syncs every document when the client cannot register dynamically (other editors)', async () => {
    const dir = copyExample();
    temps.push(dir);
    const client = await LspClient.start({ folders: [{ uri: uri(dir), name: 'x' }], dynamicSync: false });
    try {
      await client.waitForDiagnostics(uri(path.join(dir, 'src/ui/RefundPanel.tsx')), (d) => d.length > 0);
      assert.ok(!client.registrations.some((r) => r.method === 'textDocument/didOpen'));
    } finally {
      await client.stop();
    }
  });
});
