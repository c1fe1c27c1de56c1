import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist/cli.js');
const EXAMPLE = path.join(REPO, 'examples/support-bot');

function run(args: string[], cwd = REPO): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tempCopy(from: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-cli-'));
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

const CONTRACT_CODES = [
  'manifest-syntax', 'manifest-schema', 'unknown-owner', 'unknown-intent', 'duplicate-id', 'bad-marker', 'conflicting-owners',
  'no-files', 'uncovered-intent', 'undeclared-intent', 'unhandled-intent', 'copy-promise', 'changed-since-review',
  'never-reviewed', 'tool-contract-change', 'foreign-edit',
];

describe('counterpart CLI', function () {
  this.timeout(60000);
  const temps: string[] = [];
  after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('check on the example prints every finding code and exits 1', () => {
    const r = run(['check', 'examples/support-bot', '--as', '@dana']);
    assert.equal(r.code, 1, r.err);
    for (const code of CONTRACT_CODES) assert.ok(r.out.includes(`  ${code}\n`), `missing ${code}`);
    assert.ok(r.out.includes('examples/support-bot/src/ui/RefundPanel.tsx\n'));
    assert.match(r.out, /\n  24:24 {3}warning {2}Intent 'express-refund' is surfaced here, but no eval case covers it\. Evals are owned by ML Platform \(@sam\)\. {2}uncovered-intent\n/);
    assert.match(r.out, /\d+ errors, \d+ warnings, \d+ notes\.\n$/);
    assert.equal(r.err, '');
  });

  it('check --format json lists findings with 1-based positions', () => {
    const r = run(['check', EXAMPLE, '--format', 'json']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out) as { summary: { errors: number }; findings: { code: string; file: string; line: number; column: number }[] };
    const marker = json.findings.find((f) => f.code === 'undeclared-intent' && f.file.endsWith('RefundPanel.tsx'));
    assert.deepEqual({ line: marker?.line, column: marker?.column }, { line: 32, column: 22 });
    assert.equal(json.summary.errors, json.findings.filter((f) => (f as { severity?: string }).severity === 'error').length);
  });

  it('check --format sarif writes SARIF 2.1.0 with a rule for every result', () => {
    const r = run(['check', '.', '--format', 'sarif'], EXAMPLE);
    const sarif = JSON.parse(r.out) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endColumn: number } } }[] }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.ok(run0.results.length > 20);
    for (const res of run0.results) {
      assert.equal(run0.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      const loc = res.locations[0].physicalLocation;
      assert.ok(!loc.artifactLocation.uri.startsWith('/'), 'relative uri');
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1 && loc.region.endColumn > loc.region.startColumn - 1);
    }
    const promise = run0.results.find((x) => x.ruleId === 'copy-promise')!;
    assert.equal(promise.locations[0].physicalLocation.artifactLocation.uri, 'docs/help/refunds.md');
  });

  it('check --format github prints workflow annotations', () => {
    const r = run(['check', EXAMPLE, '--format', 'github']);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.slice(0, -1).every((l) => /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=Counterpart%3A [a-z-]+::/.test(l)), lines.find((l) => !l.startsWith('::')));
    assert.ok(lines.some((l) => l.startsWith('::error file=examples/support-bot/counterpart.yaml,line=65,col=9,')));
  });

  it('--max-warnings decides the exit code; information never fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-mw-'));
    temps.push(dir);
    write(dir, {
      'counterpart.yaml': 'version: 1\nowners:\n  product: { title: Product, lead: "@dana" }\n  platform: { title: ML Platform, lead: "@sam" }\nartifacts:\n  - id: p\n    kind: system-prompt\n    files: p.md\n    owner: platform\n    intents: [a]\nintents:\n  - id: a\n',
      'p.md': 'prompt\n',
    });
    assert.equal(run(['check', dir]).code, 1, 'one uncovered intent is one warning over the default limit of 0');
    assert.equal(run(['check', dir, '--max-warnings', '2']).code, 0);
    fs.appendFileSync(path.join(dir, 'counterpart.yaml'), '  - id: b\n');
    write(dir, { 'evals/e.jsonl': '{"intent":"a"}\n{"intent":"b"}\n', 'counterpart.yaml': fs.readFileSync(path.join(dir, 'counterpart.yaml'), 'utf8').replace('intents:\n  - id: a', '  - id: e\n    kind: eval-set\n    files: evals/e.jsonl\n    owner: platform\nintents:\n  - id: a') });
    const clean = run(['check', dir]);
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /0 errors, 0 warnings, 2 notes\./);
  });

  it('exits 2 with one clear line for unusable input, never a stack trace', () => {
    const cases: [string[], RegExp][] = [
      [['check', 'no/such/folder'], /no\/such\/folder is not a folder\./],
      [['check', os.tmpdir()], /No counterpart\.yaml in .*Create one with 'counterpart init/],
      [['check', '--format', 'xml', EXAMPLE], /--format must be one of text, json, sarif, github, not 'xml'\./],
      [['check', '--max-warnings', 'many', EXAMPLE], /--max-warnings needs a whole number/],
      [['check', '--colour'], /Unknown option '--colour'/],
      [['frobnicate'], /'frobnicate' is not a command\./],
      [['review', 'nope', '--folder', EXAMPLE], /There is no artifact 'nope' in counterpart\.yaml\. Artifacts: support-prompt, /],
      [['sign', 'refund-tool', '--folder', EXAMPLE], /sign needs --by/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message);
      assert.ok(!/\n\s+at /.test(r.err), 'no stack trace');
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });

  it('survives a manifest nested thousands of levels deep', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-deep-'));
    temps.push(dir);
    write(dir, { 'counterpart.yaml': `version: 1\nowners: ${'['.repeat(20000)}\n` });
    const r = run(['check', dir]);
    assert.equal(r.code, 1);
    assert.match(r.out, /2:109 {3}error {4}This file nests more than 100 levels deep, so it was not read\. {2}manifest-syntax/);
  });

  it('explain tells owner, counterpart, intents, eval cases and last review of a file', () => {
    const r = run(['explain', 'tools/refund.json'], EXAMPLE);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.startsWith("tools/refund.json\n\nTool description 'refund-tool' (the value at /description)\n"));
    assert.ok(r.out.includes('  Owner:        ML Platform (@sam)\n'));
    assert.ok(r.out.includes('  Counterpart:  Product (@dana) — review requests go to @acme/product-pms, https://chat.example.com/product-ai\n'));
    assert.ok(r.out.includes('  Last review:  @dana on 2 Nov 2026 — CHANGED since then\n'));
    assert.ok(r.out.includes('    express-refund (Express refund): 0 eval cases, UNCOVERED, surfaced in 1 place, no system prompt tuned for it\n'));
    assert.match(r.out, /Open findings \(2\):\n {2}4:18 {2}warning {2}This tool description changed since Product/);
    const ui = run(['explain', path.join(EXAMPLE, 'src/ui/RefundPanel.tsx')]);
    assert.ok(ui.out.includes('UI code owned by Product (@dana); counterpart ML Platform (@sam).\n'));
    assert.ok(ui.out.includes('  line 32: price-match — 0 eval cases, NOT DECLARED, no system prompt tuned for it\n'));
  });

  it('review prints the request markdown for an artifact', () => {
    const r = run(['review', 'refund-tool', '--folder', EXAMPLE, '--no-git']);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.startsWith("# Counterpart review: tool description 'refund-tool'\n"));
    assert.ok(r.out.includes('+Creates a refund draft for an order. Only call this when the user has explicitly confirmed the order number and the amount.'));
  });

  it('sign records the review atomically; the next check no longer reports the drift', () => {
    const dir = tempCopy(EXAMPLE);
    temps.push(dir);
    const before = run(['check', dir, '--format', 'json']);
    const drift = (out: string): string[] => (JSON.parse(out) as { findings: { code: string; file: string }[] }).findings.filter((f) => f.file.endsWith('refund.json')).map((f) => f.code);
    assert.deepEqual(drift(before.out), ['changed-since-review', 'tool-contract-change']);
    const owner = run(['sign', 'refund-tool', '--by', '@sam', '--folder', dir, '--no-git']);
    assert.equal(owner.code, 2);
    assert.match(owner.err, /@sam is on ML Platform, but the counterpart review of this tool description belongs to Product \(@dana\)\. Use --force/);
    const r = run(['sign', 'refund-tool', '--by', '@dana', '--folder', dir, '--no-git']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Recorded: @dana \(Product\) reviewed the tool description 'refund-tool' as it is now\./);
    const ledger = JSON.parse(fs.readFileSync(path.join(dir, '.counterpart/reviews.json'), 'utf8')) as { reviews: Record<string, { text?: string; by: string }> };
    assert.equal(ledger.reviews['refund-tool'].text, 'Creates a refund draft for an order. Only call this when the user has explicitly confirmed the order number and the amount.');
    assert.ok(ledger.reviews['model'], 'other reviews are kept');
    assert.deepEqual(drift(run(['check', dir, '--format', 'json']).out), []);
  });

  it('init writes a starter manifest from what it finds, and never overwrites one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-init-'));
    temps.push(dir);
    for (const rel of ['prompts/support/system.prompt.md', 'tools/refund.json', 'tools/order-lookup.json', 'evals/support/refunds.yaml', 'evals/regression.jsonl', 'docs/help/refunds.md', 'src/ui/RefundPanel.tsx', 'config/llm.yaml']) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.copyFileSync(path.join(EXAMPLE, rel), path.join(dir, rel));
    }
    const r = run(['init', dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /found 1 system prompt, 2 eval sets, 2 tool descriptions, 1 model setting, 1 help-copy folder, \d+ intents, 1 UI surface\./);
    const text = fs.readFileSync(path.join(dir, 'counterpart.yaml'), 'utf8');
    assert.ok(text.includes('    files: tools/refund.json\n    pointer: /description\n'));
    assert.ok(text.includes("  - files: src/**/*.tsx\n    marker: 'data-intent=\"(?<intent>[a-z0-9-]+)\"'\n"));
    const check = JSON.parse(run(['check', dir, '--format', 'json']).out) as { findings: { code: string; severity: string }[] };
    assert.deepEqual(check.findings.filter((f) => f.severity === 'error'), [], 'the starter manifest is valid');
    const again = run(['init', dir]);
    assert.equal(again.code, 2);
    assert.match(again.err, /counterpart\.yaml already exists; Counterpart never overwrites it\./);
    assert.equal(fs.readFileSync(path.join(dir, 'counterpart.yaml'), 'utf8'), text);
  });
});
