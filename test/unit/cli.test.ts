import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { EXAMPLE, runCli as run } from '../helpers/cli';
import { git, HAS_GIT } from '../helpers/gitRepo';

function pathToFileUrl(folder: string): string {
  const href = pathToFileURL(folder).href;
  return href.endsWith('/') ? href : `${href}/`;
}

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number; endColumn: number } } }[] }[];
  }[];
}

/**
 * The SARIF 2.1.0 JSON Schema as Microsoft's SARIF SDK publishes it (draft-04).
 * Not strict: the schema itself trips Ajv's strict checks; its `language`
 * pattern is only valid without the `u` flag.
 */
const validateSarif = (() => {
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
})();

function assertValidSarif(log: unknown): void {
  const ok = validateSarif(log);
  assert.ok(ok, JSON.stringify(validateSarif.errors?.slice(0, 5), null, 2));
}

/** Where a SARIF result points, as a file on disk. */
function sarifFile(log: SarifLog, uri: string): string {
  const base = log.runs[0].originalUriBaseIds['%SRCROOT%'].uri;
  return fileURLToPath(new URL(uri, base));
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
    for (const code of CONTRACT_CODES) assert.ok(new RegExp(`[ ,] ${code}\n`).test(r.out), `missing ${code}`);
    // The findings of one intent are told once, with their places below.
    assert.ok(r.out.includes('Intent express-refund (Express refund): no eval case covers it (3 places), no system prompt is tuned for it (2 places), help copy promises it (2 places)\n'), r.out);
    assert.match(r.out, /\n {2}examples\/support-bot\/src\/ui\/RefundPanel\.tsx:24:24 +warning {2}uncovered-intent, unhandled-intent\n/);
    assert.match(r.out, /\n {2}examples\/support-bot\/docs\/help\/refunds\.md:6:4 +warning {2}copy-promise\n/);
    assert.ok(!r.out.includes('examples/support-bot/src/ui/RefundPanel.tsx\n'), 'RefundPanel.tsx has only intent findings, so no file block');
    // The rest stays grouped by file, after the intents.
    assert.ok(r.out.indexOf('Intent express-refund') < r.out.indexOf('\nexamples/support-bot/tools/refund.json\n'));
    assert.match(r.out, /\nexamples\/support-bot\/tools\/refund\.json\n {2}4:18 {4}warning {2}This tool description changed since Product \(@dana\)/);
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

  it('check --format sarif writes SARIF 2.1.0 with a rule for every result, valid against the schema', () => {
    const r = run(['check', '.', '--format', 'sarif'], EXAMPLE);
    const sarif = JSON.parse(r.out) as SarifLog;
    assertValidSarif(sarif);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.match(run0.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);
    assert.ok(run0.results.length > 20);
    for (const res of run0.results) {
      assert.equal(run0.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      const loc = res.locations[0].physicalLocation;
      assert.ok(!loc.artifactLocation.uri.startsWith('/'), 'relative uri');
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(fs.existsSync(sarifFile(sarif, loc.artifactLocation.uri)), loc.artifactLocation.uri);
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1 && loc.region.endColumn > loc.region.startColumn - 1);
    }
    const promise = run0.results.find((x) => x.ruleId === 'copy-promise')!;
    assert.equal(sarifFile(sarif, promise.locations[0].physicalLocation.artifactLocation.uri), fs.realpathSync(path.join(EXAMPLE, 'docs/help/refunds.md')));
  });

  it('check from a subfolder of a git repository: SARIF from the repository top, text and json from where it ran', function () {
    if (!HAS_GIT) this.skip();
    const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-git-')));
    temps.push(repo);
    fs.cpSync(EXAMPLE, path.join(repo, 'apps/support-bot'), { recursive: true });
    write(repo, { 'README.md': 'A monorepo.\n', 'apps/support-bot/docs/help/a b#1.md': 'We promise an express refund.\n' });
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'support bot');
    const cwd = path.join(repo, 'apps/support-bot/src/ui');

    for (const args of [['check', '../..'], ['check', path.join(repo, 'apps/support-bot')]]) {
      const r = run([...args, '--format', 'sarif'], cwd);
      assert.equal(r.err, '');
      const sarif = JSON.parse(r.out) as SarifLog;
      assertValidSarif(sarif);
      assert.equal(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri, pathToFileUrl(repo));
      const uris = sarif.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri);
      for (const uri of uris) {
        assert.ok(uri.startsWith('apps/support-bot/'), uri);
        assert.ok(fs.existsSync(sarifFile(sarif, uri)), uri);
      }
      assert.ok(uris.includes('apps/support-bot/src/ui/RefundPanel.tsx'));
      assert.ok(uris.includes('apps/support-bot/docs/help/a%20b%231.md'), 'a path with a space and a # is escaped');
    }

    const json = JSON.parse(run(['check', '../..', '--format', 'json'], cwd).out) as { folder: string; findings: { code: string; file: string }[] };
    assert.equal(json.folder, '../..');
    assert.ok(json.findings.some((f) => f.file === 'RefundPanel.tsx'));
    assert.ok(json.findings.some((f) => f.file === '../../counterpart.yaml'));
    for (const f of json.findings) assert.ok(fs.existsSync(path.resolve(cwd, f.file)), f.file);

    const text = run(['check', '../..'], cwd).out;
    assert.match(text, /\n {2}RefundPanel\.tsx:24:24 +warning {2}uncovered-intent, unhandled-intent\n/);
    assert.match(text, /\n\.\.\/\.\.\/tools\/refund\.json\n/);
  });

  it('without git, SARIF paths are relative to the manifest folder', function () {
    const r = run(['check', '..', '--format', 'sarif'], path.join(EXAMPLE, 'src'), { PATH: path.join(os.tmpdir(), 'cp-no-such-bin') });
    assert.equal(r.err, '');
    const sarif = JSON.parse(r.out) as SarifLog;
    assertValidSarif(sarif);
    assert.equal(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri, pathToFileUrl(fs.realpathSync(EXAMPLE)));
    const promise = sarif.runs[0].results.find((x) => x.ruleId === 'copy-promise')!;
    assert.equal(promise.locations[0].physicalLocation.artifactLocation.uri, 'docs/help/refunds.md');
  });

  it('text tells the findings of one intent once, with their places, before the findings by file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-group-'));
    temps.push(dir);
    write(dir, {
      'counterpart.yaml': [
        'version: 1',
        'owners:',
        '  product: { title: Product, lead: "@dana" }',
        '  platform: { title: ML Platform, lead: "@sam" }',
        'artifacts:',
        '  - id: help',
        '    kind: help-copy',
        '    files: docs/help.md',
        '    owner: product',
        '  - id: tone',
        '    kind: eval-set',
        '    files: evals/tone/*.jsonl',
        '    owner: platform',
        'intents:',
        '  - id: express-refund',
        '    title: Express refund',
        '    phrases: [express refund]',
        'surfaces:',
        '  - files: src/*.tsx',
        `    marker: 'data-intent="(?<intent>[a-z0-9-]+)"'`,
        '    owner: product',
        '',
      ].join('\n'),
      'docs/help.md': '# Refunds\n\nAsk for an express refund.\nExpress refund takes a minute.\n',
      'src/Panel.tsx': '<button data-intent="express-refund">Refund</button>\n<button data-intent="price-match">Match</button>\n',
    });
    const r = run(['check', '..'], path.join(dir, 'src'));
    assert.equal(r.code, 1, r.err);
    const blocks = r.out.split('\n\n');
    assert.deepEqual(blocks.slice(0, 2), [
      [
        'Intent express-refund (Express refund): no eval case covers it (2 places), no system prompt is tuned for it (2 places), help copy promises it (2 places)',
        '  Ask ML Platform (@sam) for an eval case and a system prompt tuned for it.',
        '  ../counterpart.yaml:15:9  warning  uncovered-intent, unhandled-intent',
        '  ../docs/help.md:3:12      warning  copy-promise',
        '  ../docs/help.md:4:1       warning  copy-promise',
        '  Panel.tsx:1:22            warning  uncovered-intent, unhandled-intent',
      ].join('\n'),
      [
        'Intent price-match: named in UI code or an eval case but not declared (1 place)',
        '  Ask Product (@dana) for its declaration.',
        '  Panel.tsx:2:22  warning  undeclared-intent',
      ].join('\n'),
    ]);
    // Findings without an intent keep their file blocks, with their messages.
    assert.match(blocks[2], /^\.\.\/counterpart\.yaml\n {2}12:12 {3}warning {2}No file matches 'evals\/tone\/\*\.jsonl'.*no-files$/);
    assert.match(blocks[3], /^\.\.\/docs\/help\.md\n {2}1:1 {5}info {5}.*never-reviewed$/);
    // The counts are of findings, one per place, as before.
    assert.equal(blocks[4], '0 errors, 8 warnings, 1 note.\n');
    const json = JSON.parse(run(['check', dir, '--format', 'json']).out) as { findings: { code: string; subject?: { intent?: string } }[] };
    assert.equal(json.findings.filter((f) => f.subject?.intent === 'express-refund').length, 6, 'json keeps one finding per place and code');
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
    assert.equal(run(['check', dir, '--max-warnings', '-1']).code, 0, '-1 (no limit) written as its own word');
    assert.equal(run(['check', dir, '--max-warnings=-1']).code, 0);
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
