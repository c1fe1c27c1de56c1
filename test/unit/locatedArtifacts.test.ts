import * as assert from 'node:assert/strict';
import { buildIndexLoaded, IndexCache, anchorOf } from '../../server/src/core/index/workspaceIndex';
import { Grammars, sharedGrammars, TOO_SLOW, withTree } from '../../server/src/core/locate/code/grammars';
import { serializeLedger } from '../../server/src/core/ledger/ledger';
import { targetAt } from '../../server/src/core/lookup';
import { composeReviewRequest } from '../../server/src/core/review/compose';
import { signReview } from '../../server/src/core/review/sign';
import { computeFindings } from '../../server/src/core/rules/rules';
import { at, indexOf, MemoryHost, where } from '../helpers/memoryHost';

const OWNERS = `version: 1
owners:
  product:
    title: Product
    lead: "@dana"
  platform:
    title: ML Platform
    lead: "@sam"
`;

const ROUTE = `import { streamText, tool } from 'ai';

export const systemPrompt = \`You help with refunds.
Be brief.\`;

export async function POST(req: Request) {
  console.log('chat');
  return streamText({
    system: systemPrompt,
    tools: {
      cancelOrder: tool({
        description: 'Cancels an order. Only when the user has explicitly confirmed.',
      }),
    },
  });
}
`;

function files(manifestArtifacts: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'counterpart.yaml': `${OWNERS}artifacts:\n${manifestArtifacts}`, 'app/route.ts': ROUTE, ...extra };
}

const PROMPT_AND_TOOL = `  - id: chat-prompt
    kind: system-prompt
    files: app/route.ts
    symbol: systemPrompt
    owner: platform
  - id: cancel-tool
    kind: tool-description
    files: app/route.ts
    tool: cancelOrder
    owner: platform
`;

/** Signs every artifact as @dana (product) and writes the ledger into the host. */
function signAll(host: MemoryHost, ids: string[], by = '@dana'): void {
  for (const id of ids) {
    const result = signReview(indexOf(host), { artifactId: id, by, at: new Date('2026-12-01T10:00:00Z'), force: true });
    assert.ok(result.ok, JSON.stringify(result));
    host.set('.counterpart/reviews.json', serializeLedger(result.ledger));
  }
}

function codes(host: MemoryHost, file?: string): string[] {
  return computeFindings(indexOf(host)).filter((f) => !file || f.file === file).map((f) => `${f.code}@${f.file}:${f.range.start.line + 1}`);
}

describe('artifacts located inside code', () => {
  before(async () => {
    await sharedGrammars().load(['typescript', 'tsx', 'python']);
  });

  it('shows never-reviewed at the first line of each located text, not the top of the file', () => {
    const f = computeFindings(indexOf(files(PROMPT_AND_TOOL)));
    assert.deepEqual(at(f, 'never-reviewed'), [where('app/route.ts', ROUTE, '`You help'), where('app/route.ts', ROUTE, "'Cancels")]);
    const prompt = f.find((x) => x.subject?.artifact === 'chat-prompt')!;
    assert.deepEqual(prompt.range, { start: { line: 2, character: 28 }, end: { line: 2, character: 51 } });
  });

  it('an edit outside the located text changes nothing; an edit inside it drifts only that artifact', () => {
    const host = new MemoryHost(files(PROMPT_AND_TOOL));
    signAll(host, ['chat-prompt', 'cancel-tool']);
    assert.deepEqual(codes(host), []);
    host.set('app/route.ts', ROUTE.replace("console.log('chat');", "console.log('chat', Date.now());\n  if (!req) return;"));
    assert.deepEqual(codes(host), []);
    host.set('app/route.ts', ROUTE.replace('Be brief.', 'Be brief and warm.'));
    assert.deepEqual(codes(host), ['changed-since-review@app/route.ts:3']);
    host.set('app/route.ts', ROUTE.replace('Only when the user has explicitly confirmed.', 'Call it whenever the user mentions cancelling.'));
    assert.deepEqual(codes(host), ['changed-since-review@app/route.ts:12', 'tool-contract-change@app/route.ts:12']);
  });

  it('tells symbol-not-found at the manifest value, naming the file searched, while the rest keeps working', () => {
    const text = files(PROMPT_AND_TOOL);
    const host = new MemoryHost({ ...text, 'app/route.ts': ROUTE.replace('export const systemPrompt', 'export const chatPrompt').replace('system: systemPrompt', 'system: chatPrompt') });
    const f = computeFindings(indexOf(host));
    const manifest = text['counterpart.yaml'];
    assert.deepEqual(at(f, 'symbol-not-found'), [where('counterpart.yaml', manifest, 'systemPrompt')]);
    assert.equal(f.find((x) => x.code === 'symbol-not-found')!.message,
      "Counterpart cannot find symbol 'systemPrompt' for 'chat-prompt': in app/route.ts, nothing named 'systemPrompt' is defined at the top level. Until it is found, 'chat-prompt' cannot be checked or reviewed. If it was renamed or moved, update this line.");
    assert.deepEqual(at(f, 'never-reviewed'), [where('app/route.ts', ROUTE, "'Cancels")]);
  });

  it('names every file a glob searched when none holds the tool', () => {
    const host = new MemoryHost({
      'counterpart.yaml': `${OWNERS}artifacts:\n  - id: refund-tool\n    kind: tool-description\n    files: tools/*.json\n    tool: refund\n    owner: platform\n`,
      'tools/a.json': '{ "tools": [{ "name": "track", "description": "Tracks." }] }',
      'tools/b.json': '[]',
    });
    const f = computeFindings(indexOf(host)).find((x) => x.code === 'symbol-not-found')!;
    assert.match(f.message, /^Counterpart cannot find tool 'refund' for 'refund-tool': searched 2 files: tools\/a.json \(no tool named 'refund' with a description is in this file\); tools\/b.json \(no tool named 'refund'/);
  });

  it('refuses symbol on a language it cannot parse, naming the languages that work; region works there', () => {
    const manifest = `${OWNERS}artifacts:\n  - id: legacy\n    kind: system-prompt\n    files: legacy/prompt.go\n    symbol: prompt\n    owner: platform\n`;
    const go = 'package legacy\n// counterpart:begin legacy\nconst prompt = "Hi"\n// counterpart:end legacy\n';
    const f = computeFindings(indexOf({ 'counterpart.yaml': manifest, 'legacy/prompt.go': go }));
    assert.deepEqual(f.map((x) => [x.code, x.message]), [['manifest-schema',
      "symbol reads TypeScript (.ts, .tsx), JavaScript (.js, .mjs, .cjs, .jsx) and Python (.py) files, and legacy/prompt.go is none of those. Mark the text with comments and use 'region' instead."]]);
    assert.deepEqual(at(f, 'manifest-schema'), [where('counterpart.yaml', manifest, 'prompt\n    owner')]);
    const region = computeFindings(indexOf({ 'counterpart.yaml': manifest.replace('symbol: prompt', 'region: legacy'), 'legacy/prompt.go': go }));
    assert.deepEqual(at(region, 'never-reviewed'), ['legacy/prompt.go:3:1']);
  });

  it('lets two owners locate disjoint parts of one file; only the same text conflicts', () => {
    const disjoint = PROMPT_AND_TOOL.replace('tool: cancelOrder\n    owner: platform', 'tool: cancelOrder\n    owner: product');
    assert.deepEqual(at(computeFindings(indexOf(files(disjoint))), 'conflicting-owners'), []);
    const same = `${PROMPT_AND_TOOL}  - id: prompt-copy\n    kind: help-copy\n    files: app/route.ts\n    symbol: systemPrompt\n    owner: product\n`;
    const f = computeFindings(indexOf(files(same)));
    assert.equal(f.find((x) => x.code === 'conflicting-owners')?.message,
      "The same text in app/route.ts is claimed by 'chat-prompt' (owned by ML Platform) and by 'prompt-copy' (owned by Product). Text can have only one owner; pick one.");
    const whole = `${PROMPT_AND_TOOL}  - id: route-copy\n    kind: help-copy\n    files: app/route.ts\n    owner: product\n`;
    assert.equal(at(computeFindings(indexOf(files(whole))), 'conflicting-owners').length, 1);
  });

  it('searches help copy for promised intents only inside the located constant', () => {
    const tsx = `export const helpCopy = "You can request an express refund here.";\nexport function Help() {\n  return <a>Ask for an express refund</a>;\n}\n`;
    const manifest = `${OWNERS}artifacts:\n  - id: help\n    kind: help-copy\n    files: app/Help.tsx\n    symbol: helpCopy\n    owner: product\nintents:\n  - id: express-refund\n    phrases: [express refund]\n`;
    const f = computeFindings(indexOf({ 'counterpart.yaml': manifest, 'app/Help.tsx': tsx }));
    assert.deepEqual(at(f, 'copy-promise'), [where('app/Help.tsx', tsx, 'express refund here')]);
  });

  it('reads only the prose of a whole code file for tool-contract-change, never its code lines', () => {
    const py = `@function_tool\ndef refund(order: str) -> str:\n    """Refunds an order. Only after the customer confirms."""\n    if order:\n        return order\n`;
    const host = new MemoryHost({ 'counterpart.yaml': `${OWNERS}artifacts:\n  - id: refund-tool\n    kind: tool-description\n    files: tools/refund.py\n    owner: platform\n`, 'tools/refund.py': py });
    signAll(host, ['refund-tool']);
    host.set('tools/refund.py', py.replace('if order:', 'if order and len(order) > 3:'));
    assert.deepEqual(codes(host), ['changed-since-review@tools/refund.py:1']);
    host.set('tools/refund.py', py.replace('Only after the customer confirms.', 'Call it when asked.'));
    assert.deepEqual(codes(host), ['changed-since-review@tools/refund.py:1', 'tool-contract-change@tools/refund.py:1']);
  });

  describe('no cliff at 4 KB', () => {
    const long = `Refunds an order. ${'It explains the refund policy in detail. '.repeat(120)}Only when the user has explicitly confirmed the amount.`;
    const json = (description: string): string => JSON.stringify({ name: 'refund', description, parameters: {} }, null, 2);
    const manifest = `${OWNERS}artifacts:\n  - id: refund-tool\n    kind: tool-description\n    files: tools/refund.json\n    tool: refund\n    owner: platform\n`;

    it('keeps the condition sentences of a long description, so a changed rule is told without git', () => {
      assert.ok(long.length > 4096);
      const host = new MemoryHost({ 'counterpart.yaml': manifest, 'tools/refund.json': json(long) });
      signAll(host, ['refund-tool']);
      const stored = JSON.parse(host.files.get('/ws/.counterpart/reviews.json')!).reviews['refund-tool'];
      assert.equal(stored.text, undefined);
      assert.deepEqual(stored.conditions, ['Only when the user has explicitly confirmed the amount.']);
      host.set('tools/refund.json', json(long.replace('Only when the user has explicitly confirmed the amount.', 'Use it freely.')));
      const f = computeFindings(indexOf(host));
      assert.deepEqual(f.map((x) => x.code), ['changed-since-review', 'tool-contract-change']);
      assert.match(f[1].message, /no longer says "Only when the user has explicitly confirmed the amount"/);
    });

    it('diffs a long artifact against the text from git when the ledger keeps none', () => {
      const host = new MemoryHost({ 'counterpart.yaml': manifest, 'tools/refund.json': json(long) });
      signAll(host, ['refund-tool']);
      host.set('tools/refund.json', json(long.replace('Refunds an order.', 'Refunds an order at once.')));
      const request = composeReviewRequest(indexOf(host), 'refund-tool', { previousText: long, previousSource: 'git abc1234' })!;
      assert.match(request.markdown, /from git abc1234/);
      assert.match(request.markdown, /\n-Refunds an order\. It explains/);
      assert.match(request.markdown, /\n\+Refunds an order at once\. It explains/);
    });

    it('reads the reviewed text from git for old ledgers, and says plainly when git cannot run', () => {
      const host = new MemoryHost({ 'counterpart.yaml': manifest, 'tools/refund.json': json('Use it freely.') });
      host.set('.counterpart/reviews.json', JSON.stringify({ version: 1, reviews: { 'refund-tool': { hash: 'sha256:old', by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z', commit: 'abc1234' } } }));
      const index = indexOf(host);
      const withGit = computeFindings(index, { reviewedText: () => long });
      assert.deepEqual(withGit.map((x) => x.code), ['changed-since-review', 'tool-contract-change']);
      const restricted = computeFindings(index);
      assert.deepEqual(restricted.map((x) => x.code), ['changed-since-review']);
      assert.match(restricted[0].message, /Counterpart cannot tell whether the rule for calling the tool changed: the ledger keeps no reviewed text of it, and git does not run here\.$/);
      const request = composeReviewRequest(index, 'refund-tool', { withoutGit: 'git does not run in this workspace (Restricted Mode)' })!;
      assert.match(request.markdown, /The ledger does not keep the reviewed text, and git does not run in this workspace \(Restricted Mode\), so the change cannot be shown here\. It was reviewed at commit abc1234\./);
    });
  });

  it('keeps the last good location of an open file that does not parse mid-edit', () => {
    const host = new MemoryHost(files(PROMPT_AND_TOOL));
    const open = new Set<string>();
    host.isOpen = (path: string): boolean => open.has(path);
    const cache = new IndexCache();
    const build = (): ReturnType<typeof computeFindings> => computeFindings(indexOfCached(host, cache));
    signAll(host, ['chat-prompt', 'cancel-tool']);
    assert.deepEqual(build().map((f) => f.code), []);
    const typing = ROUTE.replace('export const systemPrompt', 'export const systemPro').replace('Be brief.`;', 'Be brief.`;\nexport const x = (');
    host.set('app/route.ts', typing);
    open.add('/ws/app/route.ts');
    assert.deepEqual(build().map((f) => f.code), [], 'an open file mid-edit keeps its last good location');
    open.clear();
    assert.deepEqual(build().map((f) => f.code), ['symbol-not-found']);
    assert.match(build()[0].message, /the file does not parse/);
  });

  it('goes from the locator in the manifest to the located text, and finds the artifact at a place in the file', () => {
    const text = files(PROMPT_AND_TOOL);
    const index = indexOf(text);
    const manifest = text['counterpart.yaml'];
    const line = manifest.split('\n').findIndex((l) => l.includes('tool: cancelOrder'));
    const target = targetAt(index, 'counterpart.yaml', { line, character: 12 });
    assert.equal(target?.kind === 'artifact' && target.artifact.id, 'cancel-tool');
    assert.deepEqual(anchorOf(index.contents.get('cancel-tool')), { file: 'app/route.ts', range: { start: { line: 11, character: 21 }, end: { line: 11, character: 85 } } });
    assert.equal(index.artifactAt('app/route.ts', { line: 11, character: 30 })?.id, 'cancel-tool');
    assert.equal(index.artifactAt('app/route.ts', { line: 3, character: 2 })?.id, 'chat-prompt');
    const hover = targetAt(index, 'app/route.ts', { line: 3, character: 2 });
    assert.equal(hover?.kind === 'artifact' && hover.artifact.id, 'chat-prompt');
    assert.equal(targetAt(index, 'app/route.ts', { line: 6, character: 4 }), undefined);
  });

  it('tells a grammar that cannot load as one clear finding, not a crash', async () => {
    const host = new MemoryHost(files(PROMPT_AND_TOOL));
    const index = await buildIndexLoaded(host.root, host, { grammars: new Grammars('/nonexistent/wasm') });
    const f = computeFindings(index!);
    assert.deepEqual(f.map((x) => x.code), ['symbol-not-found', 'symbol-not-found']);
    assert.match(f[0].message, /the TypeScript parser could not be loaded/);
  });

  it('stops reading a file the parser cannot make sense of, says so, and parses the next file whole', async function () {
    this.timeout(20_000);
    const junk = ') ('.repeat(100_000);
    const host = new MemoryHost(files(PROMPT_AND_TOOL, { 'app/route.ts': junk }));
    const started = Date.now();
    const f = computeFindings((await buildIndexLoaded(host.root, host, { grammars: sharedGrammars() }))!);
    assert.ok(Date.now() - started < 10_000, 'the build is not held for minutes');
    assert.deepEqual(f.map((x) => x.code), ['symbol-not-found', 'symbol-not-found']);
    assert.match(f[0].message, /Counterpart stopped reading app\/route\.ts after 1.1 seconds: the parser cannot make sense of it/);
    await sharedGrammars().load(['typescript']);
    const grammar = sharedGrammars().parser('typescript');
    assert.ok('parser' in grammar);
    assert.equal(withTree(grammar.parser, junk, () => 'read', 20), TOO_SLOW);
    assert.equal(withTree(grammar.parser, 'const a = 1;', (tree) => tree.rootNode.text), 'const a = 1;', 'a stopped parse does not leak into the next one');
  });

  it('refuses two locators on one artifact, and a symbol that is not a name path', () => {
    const two = PROMPT_AND_TOOL.replace('symbol: systemPrompt', 'symbol: systemPrompt\n    region: prompt');
    const f = computeFindings(indexOf(files(two)));
    assert.match(f.find((x) => x.code === 'manifest-schema')!.message, /An artifact has one locator: it already says 'symbol: systemPrompt', so 'region' was ignored/);
    const bad = computeFindings(indexOf(files(PROMPT_AND_TOOL.replace('symbol: systemPrompt', 'symbol: "system prompt"'))));
    assert.match(bad.find((x) => x.code === 'manifest-schema')!.message, /'system prompt' is not a name path/);
  });
});

function indexOfCached(host: MemoryHost, cache: IndexCache): ReturnType<typeof indexOf> {
  return indexOf(host, {}, cache);
}
