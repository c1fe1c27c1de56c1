import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CodeLens, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lspClient';

const EXAMPLE = path.resolve(__dirname, '../../../examples/code-first');

/** The language server on a copy of examples/code-first, where prompts and tools live in code. */
describe('language server on artifacts inside code', function () {
  this.timeout(30000);
  let dir: string;
  let client: LspClient;
  const u = (rel: string): string => URI.file(path.join(dir, rel)).toString();
  const read = (rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');
  const lineOf = (rel: string, needle: string): number => read(rel).split('\n').findIndex((l) => l.includes(needle));

  beforeEach(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-code-')));
    fs.cpSync(EXAMPLE, dir, { recursive: true });
    client = await LspClient.start({ folders: [{ uri: URI.file(dir).toString(), name: 'code-first' }], settings: {} });
  });

  afterEach(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function lensTitles(rel: string): Promise<{ line: number; title: string | undefined }[]> {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u(rel) } });
    const resolved = await Promise.all(lenses.map((l) => client.request<CodeLens>('codeLens/resolve', l)));
    return resolved.map((l) => ({ line: l.range.start.line, title: l.command?.title }));
  }

  it('puts lenses above the prompt and each tool in a .ts file, and above the instructions and the tool in a .py file', async () => {
    const ts = await lensTitles('app/api/chat/route.ts');
    const prompt = lineOf('app/api/chat/route.ts', 'export const systemPrompt');
    const cancel = lineOf('app/api/chat/route.ts', "'Cancels an order");
    assert.deepEqual(ts.filter((l) => l.line === prompt).map((l) => l.title), ['ML Platform owns · counterpart Product (@dana)', '6 eval cases', '4 intents', 'Request counterpart review']);
    assert.deepEqual(ts.filter((l) => l.line === cancel).map((l) => l.title), ['ML Platform owns · counterpart Product (@dana)', '2 eval cases', '1 intent', 'Request counterpart review']);
    assert.equal(ts.length, 12, 'four lenses for each of the prompt and two tools, none at the top of the file');
    const py = await lensTitles('agents/refunds.py');
    assert.deepEqual([...new Set(py.map((l) => l.line))].sort((a, b) => a - b), [lineOf('agents/refunds.py', 'def issue_refund') + 1, lineOf('agents/refunds.py', 'instructions=(') + 1]);
  });

  it('hovers the located text in a .ts and a .py file, and nothing outside it', async () => {
    const promptLine = lineOf('app/api/chat/route.ts', 'Be brief, warm');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u('app/api/chat/route.ts') }, position: { line: promptLine, character: 4 } });
    const md = (hover.contents as MarkupContent).value;
    assert.ok(md.startsWith('**System prompt `chat-prompt`** · the text of `systemPrompt`'), md);
    assert.ok(md.includes('**Last counterpart review:** @dana, '));
    assert.ok(md.includes('unchanged since'));
    const outside = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u('app/api/chat/route.ts') }, position: { line: lineOf('app/api/chat/route.ts', 'console.log'), character: 4 } });
    assert.equal(outside, null);
    const docLine = lineOf('agents/refunds.py', 'Refund part or all');
    const py = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u('agents/refunds.py') }, position: { line: docLine + 1, character: 6 } });
    assert.ok((py.contents as MarkupContent).value.startsWith('**Tool description `issue-refund-tool`** · the description of tool `issue_refund`'));
  });

  it('goes from the locator in the manifest to the located text', async () => {
    const line = lineOf('counterpart.yaml', 'tool: cancelOrder');
    const defs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: u('counterpart.yaml') }, position: { line, character: 12 } });
    assert.deepEqual(defs.map((d) => [d.uri, d.range.start.line]), [[u('app/api/chat/route.ts'), lineOf('app/api/chat/route.ts', "'Cancels an order")]]);
  });

  it('typing outside the located text changes nothing; typing inside it drifts only that artifact', async () => {
    const file = u('app/api/chat/route.ts');
    const text = read('app/api/chat/route.ts');
    await client.open(file, text, 'typescript');
    await client.change(file, text.replace('console.log(', 'console.info('));
    await client.change(file, text.replace('console.log(', 'console.info(').replace('if (', 'if (req && '));
    // The server has settled when a change it must report shows up; the one before it must not have reported anything.
    await client.change(file, text.replace('Only when the user has explicitly confirmed', 'Whenever the user mentions'));
    const d = await client.waitForDiagnostics(file, (x) => x.length > 0);
    const cancel = lineOf('app/api/chat/route.ts', "'Cancels an order");
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line]).sort(), [['changed-since-review', cancel], ['tool-contract-change', cancel]]);
    await client.change(file, text.replace('console.log(', 'console.info('));
    await client.waitForDiagnostics(file, (x) => x.length === 0);
  });

  it('raises symbol-not-found in the manifest while the symbol is renamed, and clears it when renamed back', async () => {
    const file = u('app/api/chat/route.ts');
    const text = read('app/api/chat/route.ts');
    await client.open(file, text, 'typescript');
    await client.change(file, text.replace(/systemPrompt/g, 'chatPrompt'));
    const manifest = await client.waitForDiagnostics(u('counterpart.yaml'), (d) => d.some((x) => x.code === 'symbol-not-found'));
    const found = manifest.find((x) => x.code === 'symbol-not-found')!;
    assert.equal(found.range.start.line, lineOf('counterpart.yaml', 'symbol: systemPrompt'));
    assert.match(found.message, /^Counterpart cannot find symbol 'systemPrompt' for 'chat-prompt': in app\/api\/chat\/route\.ts, nothing named 'systemPrompt' is defined at the top level\./);
    await client.change(file, text);
    await client.waitForDiagnostics(u('counterpart.yaml'), (d) => !d.some((x) => x.code === 'symbol-not-found'));
  });

  /** "file:line" of the case on the first line of `rel` that contains `needle`, as a hover links it. */
  const hoverCase = (rel: string, needle: string): string => `${rel}:${lineOf(rel, needle) + 1}`;
  /** The "Eval cases (N)" list of a hover, as "file:line label". */
  const hoverCases = (md: string): string[] => [...md.matchAll(/^- \[([^\]]+)\]\([^)]*\) (.*)$/gm)].filter((m) => /^evals\//.test(m[1])).map((m) => `${m[1]} ${m[2]}`);

  it('counts for each prompt only the cases of the eval sets that run it: chat prompt and refunds agent differ', async () => {
    // The chat suite names its prompt (prompts: file://../app/api/chat/route.ts:systemPrompt) and reaches
    // more cases through file://cases/*.yaml and file://cases.csv; the refunds suite runs refund-agent-prompt.
    const chat = [
      `${hoverCase('evals/promptfooconfig.yaml', 'Status of an order that is being packed')} Status of an order that is being packed`,
      `${hoverCase('evals/cases/orders.yaml', 'Order status without an order number')} Order status without an order number`,
      `${hoverCase('evals/cases.csv', 'Tracking a parcel that has shipped')} Tracking a parcel that has shipped`,
      `${hoverCase('evals/cases/cancel.yaml', 'Cancel asks for confirmation first')} Cancel asks for confirmation first`,
      `${hoverCase('evals/cases/cancel.yaml', 'Cancel an order that has already shipped')} Cancel an order that has already shipped`,
      `${hoverCase('evals/cases.csv', 'Refund for a broken item')} Refund for a broken item`,
    ];
    const refunds = [
      `${hoverCase('evals/refunds/promptfooconfig.yaml', 'Refund for an item that arrived damaged')} Refund for an item that arrived damaged`,
      `${hoverCase('evals/refunds/promptfooconfig.yaml', 'Refund for a parcel that never arrived')} Refund for a parcel that never arrived`,
    ];
    const hoverAt = async (rel: string, needle: string): Promise<string> => {
      const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u(rel) }, position: { line: lineOf(rel, needle), character: 12 } });
      return (h.contents as MarkupContent).value;
    };
    const chatHover = await hoverAt('app/api/chat/route.ts', 'Be brief, warm');
    assert.ok(chatHover.startsWith('**System prompt `chat-prompt`**'), chatHover);
    assert.ok(chatHover.includes(`**Eval cases (${chat.length}):**`), chatHover);
    assert.deepEqual(hoverCases(chatHover).sort(), [...chat].sort());
    const refundHover = await hoverAt('agents/refunds.py', 'You handle refund requests');
    assert.ok(refundHover.startsWith('**System prompt `refund-agent-prompt`**'), refundHover);
    assert.ok(refundHover.includes(`**Eval cases (${refunds.length}):**`), refundHover);
    assert.deepEqual(hoverCases(refundHover).sort(), [...refunds].sort(), 'the chat suite\'s refund case runs against the chat prompt, not the refunds agent');
    // The lens above each prompt says the same count.
    const ts = await lensTitles('app/api/chat/route.ts');
    const py = await lensTitles('agents/refunds.py');
    assert.deepEqual(ts.filter((l) => l.line === lineOf('app/api/chat/route.ts', 'export const systemPrompt') && / eval cases?$/.test(l.title ?? '')).map((l) => l.title), [`${chat.length} eval cases`]);
    assert.deepEqual(py.filter((l) => l.line === lineOf('agents/refunds.py', 'instructions=(') + 1 && / eval cases?$/.test(l.title ?? '')).map((l) => l.title), [`${refunds.length} eval cases`]);
  });

  it('editing the intent column of the referenced cases.csv uncovers an intent at its UI marker, and changing it back clears it', async () => {
    const csv = u('evals/cases.csv');
    const text = read('evals/cases.csv');
    const ui = u('app/components/QuickReplies.tsx');
    const markerLine = lineOf('app/components/QuickReplies.tsx', 'data-intent="track-parcel"');
    const uncoveredAtMarker = (d: { code?: unknown; range: { start: { line: number } } }[]): boolean => d.some((x) => x.code === 'uncovered-intent' && x.range.start.line === markerLine);
    // The example is in step: the UI file has no finding (a lens request answers from a built index, whose diagnostics are out).
    await lensTitles('app/components/QuickReplies.tsx');
    assert.deepEqual((client.diagnostics.get(ui) ?? []).map((x) => x.code), []);
    // cases.csv holds the only track-parcel case; someone retags it as order-status.
    assert.equal(text.split('\n').filter((l) => l.endsWith(',track-parcel')).length, 1, text);
    await client.open(csv, text, 'csv');
    await client.change(csv, text.replace(/,track-parcel$/m, ',order-status'));
    const d = await client.waitForDiagnostics(ui, uncoveredAtMarker);
    const found = d.find((x) => x.code === 'uncovered-intent')!;
    assert.equal(found.message.split('. ')[0], "Intent 'track-parcel' is surfaced here, but no eval case covers it");
    assert.equal(read('app/components/QuickReplies.tsx').split('\n')[markerLine].slice(found.range.start.character, found.range.end.character), 'track-parcel');
    assert.deepEqual(d.map((x) => x.code), ['uncovered-intent'], 'only the track-parcel button');
    // Changing it back (unsaved, as typed) clears it.
    await client.change(csv, text);
    await client.waitForDiagnostics(ui, (x) => x.length === 0);
  });

  it('removing the refunds suite\'s cases uncovers refund-request at refund-agent-prompt\'s listing, though the chat suite still covers it', async () => {
    const rel = 'evals/refunds/promptfooconfig.yaml';
    const file = u(rel);
    const text = read(rel);
    const manifest = u('counterpart.yaml');
    const listing = lineOf('counterpart.yaml', 'symbol: refund_agent.instructions') + 2;
    assert.ok(read('counterpart.yaml').split('\n')[listing].includes('intents: [refund-request]'));
    // Once the prompts in code are located (their grammar loads after start), the example is in step.
    const promptLine = lineOf('app/api/chat/route.ts', 'Be brief, warm');
    await client.waitFor(async () => ((await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u('app/api/chat/route.ts') }, position: { line: promptLine, character: 4 } }))?.contents ? true : undefined), 10000, 'the chat prompt to be located');
    assert.deepEqual((client.diagnostics.get(manifest) ?? []).map((x) => x.code), []);
    await client.open(file, text, 'yaml');
    await client.change(file, `${text.slice(0, text.indexOf('\ntests:'))}\ntests: []\n`);
    const d = await client.waitForDiagnostics(manifest, (x) => x.some((y) => y.code === 'uncovered-intent'));
    assert.deepEqual(d.filter((x) => x.code === 'uncovered-intent').map((x) => [x.range.start.line, x.message]), [[listing,
      "System prompt 'refund-agent-prompt' lists intent 'refund-request', but no eval case that runs this prompt covers it: its cases run against other prompts. Evals are owned by ML Platform (@sam)."]]);
    // The intent itself is still covered (by the chat suite), so the button stays quiet.
    assert.ok(!(client.diagnostics.get(u('app/components/QuickReplies.tsx')) ?? []).some((x) => x.code === 'uncovered-intent'));
    await client.change(file, text);
    await client.waitForDiagnostics(manifest, (x) => !x.some((y) => y.code === 'uncovered-intent'));
  });

  it('keeps the last good place of an open file that does not parse while typing', async () => {
    const file = u('app/api/chat/route.ts');
    const text = read('app/api/chat/route.ts');
    const line = lineOf('app/api/chat/route.ts', 'Be brief, warm');
    const hoverAt = (): Promise<Hover | null> => client.request<Hover | null>('textDocument/hover', { textDocument: { uri: file }, position: { line, character: 4 } });
    // Someone opens the file, then starts typing: the prompt was found before the file broke.
    await client.waitFor(async () => ((await hoverAt())?.contents ? true : undefined), 10000, 'the prompt to be located');
    await client.open(file, text, 'typescript');
    const midEdit = text.replace('export const systemPrompt', 'export const systemPro').replace('export async function POST(', 'export async function POST((');
    await client.change(file, midEdit);
    // A request answers from an up-to-date index, so this hover sees the mid-edit text.
    const hover = await hoverAt();
    assert.ok((hover?.contents as MarkupContent).value.startsWith('**System prompt `chat-prompt`**'));
    assert.ok(!(client.diagnostics.get(u('counterpart.yaml')) ?? []).some((x) => x.code === 'symbol-not-found'));
  });
});
