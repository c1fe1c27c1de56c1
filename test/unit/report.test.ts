import * as assert from 'node:assert/strict';
import { contentHash } from '../../server/src/core/ledger/ledger';
import { buildReport, type BoundaryReport, type Calendar } from '../../server/src/core/report/model';
import { computeFindings } from '../../server/src/core/rules/rules';
import { renderReportHtml } from '../../server/src/present/report/html';
import { renderReportMarkdown } from '../../server/src/present/report/markdown';
import { baseFiles, indexOf, manifest } from '../helpers/memoryHost';

const NOW = new Date('2026-11-26T12:00:00Z');
const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';

function reportOf(files: Record<string, string>, calendar?: Calendar): BoundaryReport {
  const index = indexOf(files);
  return buildReport(index, computeFindings(index), { now: NOW, calendar });
}

/** The support bot in small: a surfaced, promised intent nobody handles; an undeclared one; a drifted tool. */
function workspace(overrides: Record<string, string> = {}): Record<string, string> {
  const tool = 'Creates a refund draft.';
  return baseFiles({
    'src/Panel.tsx': '<button data-intent="refund-status">Status</button>\n<button data-intent="express-refund">Express</button>\n<a data-intent="gift-wrap">Wrap</a>\n',
    'docs/help.md': '# Help\nCheck your refund status any time.\nAsk for an express refund.\n',
    'tools/refund.json': '{\n  "name": "create_refund",\n  "description": "Creates a refund draft, only when the user confirmed.",\n  "parameters": {}\n}\n',
    '.counterpart/reviews.json': JSON.stringify({ version: 1, reviews: { 'refund-tool': { hash: contentHash([{ path: 'tools/refund.json', text: tool }]), by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z', text: tool } } }),
    ...overrides,
  });
}

const CALENDAR: Calendar = {
  since: '2026-11-16T00:00:00.000Z', until: NOW.toISOString(), history: 'complete', note: 'Read 1 commit since 16 Nov 2026.', commits: 1,
  weeks: [{
    start: '2026-11-23',
    events: [{
      type: 'artifact-changed', artifact: 'support-prompt', kind: 'system-prompt', owner: 'platform', counterpart: 'product', change: 'changed', unreviewed: true,
      place: { file: 'prompts/system.md', line: 0 },
      commit: { id: 'a'.repeat(40), short: 'aaaaaaa', at: '2026-11-24T10:00:00Z', subject: `Prompt ${HOSTILE}`, author: { name: `Sam ${HOSTILE}`, email: 'sam@acme.com', side: 'platform' } },
    }],
  }, { start: '2026-11-16', events: [] }],
};

describe('boundary report model', () => {
  it('has one row per intent, declared first, with counts, places and the gaps the rules found', () => {
    const report = reportOf(workspace());
    assert.deepEqual(report.intents.map((r) => `${r.id} ${r.owner ?? '-'} ${r.states.join('+')}`), [
      'refund-status product in-step',
      'express-refund product uncovered+unhandled+promised-unhandled',
      'gift-wrap - undeclared',
    ]);
    const express = report.intents[1];
    assert.deepEqual(express.cells.surfaces.places, [{ file: 'src/Panel.tsx', line: 1, label: 'src/Panel.tsx', count: 1 }]);
    assert.equal(express.cells.prompts.count, 0);
    assert.equal(express.cells.prompts.gap, 'unhandled');
    assert.equal(express.cells.evalCases.gap, 'uncovered');
    assert.deepEqual(express.cells.tools.places.map((p) => `${p.label} ${p.file}:${p.line}`), ['refund-tool tools/refund.json:2']);
    assert.deepEqual(express.cells.copy.places, [{ file: 'docs/help.md', line: 2, label: 'docs/help.md', count: 1 }]);
    assert.equal(express.cells.copy.gap, 'promised-unhandled');
    assert.deepEqual(express.declaredAt, { file: 'counterpart.yaml', line: 36 });
    const status = report.intents[0];
    assert.deepEqual(status.cells.evalCases.perPrompt, [{ prompt: 'support-prompt', count: 1 }]);
  });

  it('links one place per file in a cell, the first few files, and counts the rest', () => {
    const ui: Record<string, string> = {};
    for (let i = 0; i < 5; i++) ui[`src/F${i}.tsx`] = '<b data-intent="refund-status">x</b>\n'.repeat(i === 2 ? 2 : 1);
    const report = reportOf(workspace(ui));
    const cell = report.intents[0].cells.surfaces;
    assert.equal(cell.count, 7, 'Panel.tsx and six markers in five files');
    assert.equal(cell.files, 6);
    assert.deepEqual(cell.places.map((p) => `${p.file}:${p.line} ×${p.count}`), ['src/F0.tsx:0 ×1', 'src/F1.tsx:0 ×1', 'src/F2.tsx:0 ×2']);
    const html = renderReportHtml(report, { mode: 'file' });
    assert.ok(html.includes('<summary>7</summary>'));
    assert.ok(html.includes('>F2.tsx</a> (2)</li>'));
    assert.ok(html.includes('<li>and 3 more files</li>'));
  });

  it('lists each drifted artifact with the diff of its located text and who should review it', () => {
    const report = reportOf(workspace());
    assert.equal(report.drift.length, 1);
    const [tool] = report.drift;
    assert.equal(tool.artifact, 'refund-tool');
    assert.equal(tool.reviewer, 'Product (@dana)');
    assert.deepEqual(tool.place, { file: 'tools/refund.json', line: 2 });
    assert.equal(tool.diff.kind, 'patch');
    assert.match(tool.diff.kind === 'patch' ? tool.diff.text : '', /^-Creates a refund draft\.\n\+Creates a refund draft, only when the user confirmed\.$/m);
    assert.match(tool.contractChange ?? '', /now says "Creates a refund draft, only when the user confirmed"/);
    assert.deepEqual(report.artifacts.map((a) => `${a.id} ${a.state}`), ['support-prompt never-reviewed', 'refund-tool changed', 'evals never-reviewed', 'help never-reviewed']);
  });

  it('says why a drifted artifact shows no diff: git not run here, or no copy at the review\'s commit', () => {
    const tool = 'Creates a refund draft.';
    const review = { hash: contentHash([{ path: 'tools/refund.json', text: tool }]), by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z', commit: 'abc1234' };
    const index = indexOf(workspace({ '.counterpart/reviews.json': JSON.stringify({ version: 1, reviews: { 'refund-tool': review } }) }));
    const why = (reviewedText?: () => string | undefined): string => {
      const [drift] = buildReport(index, computeFindings(index), { now: NOW, reviewedText }).drift;
      return drift.diff.kind === 'unknown' ? drift.diff.why : drift.diff.kind;
    };
    assert.equal(why(), 'The ledger keeps no reviewed text of it, and git does not run here.');
    assert.equal(why(() => undefined), 'The ledger keeps no reviewed text of it and git has no copy of it at commit abc1234.');
    assert.equal(why(() => tool), 'patch');
  });

  it('lists manifest problems as the Problems panel says them', () => {
    const files = workspace({ 'counterpart.yaml': manifest().replace('owner: platform\n    intents: [refund-status]', 'owner: growth\n    intents: [refund-status]') });
    const index = indexOf(files);
    const findings = computeFindings(index);
    const report = buildReport(index, findings, { now: NOW });
    const unknown = findings.find((f) => f.code === 'unknown-owner')!;
    assert.deepEqual(report.problems.find((p) => p.code === 'unknown-owner'), { code: 'unknown-owner', severity: 'error', message: unknown.message, place: { file: 'counterpart.yaml', line: unknown.range.start.line } });
    assert.equal(report.totals.errors, report.problems.filter((p) => p.severity === 'error').length);
  });

  it('counts the calendar\'s unreviewed crossings', () => {
    assert.equal(reportOf(workspace(), CALENDAR).totals.unreviewedCrossings, 1);
    assert.equal(reportOf(workspace()).calendar, undefined);
  });
});

describe('boundary report HTML', () => {
  const hostile = (): BoundaryReport => reportOf(workspace({
    'prompts/system.md': `You are a support assistant. ${HOSTILE}\nHelp with refund status.\n`,
    'counterpart.yaml': manifest().replace('title: Express refund', `title: '${HOSTILE.replace(/'/g, "''")}'`),
    '.counterpart/reviews.json': JSON.stringify({ version: 1, reviews: { 'support-prompt': { hash: 'sha256:0', by: `@x${HOSTILE}`, side: 'product', at: '2026-11-02T10:00:00Z', text: 'Old <b>text</b>' } } }),
  }), CALENDAR);

  it('escapes text from the workspace everywhere: a prompt with <script> renders as text', () => {
    const report = hostile();
    assert.match(report.drift[0].diff.kind === 'patch' ? report.drift[0].diff.text : '', /<script>/, 'the fixture does put a script in the diff');
    for (const mode of ['file', 'webview'] as const) {
      const html = renderReportHtml(report, { mode, nonce: 'n0nce' });
      assert.equal(html.match(/<script/g)?.length, 1, 'only the report\'s own script');
      assert.ok(!html.includes('<img'), 'no image from the workspace');
      assert.ok(!/onerror=alert/.test(html.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '')), 'the handler only as escaped text');
      assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
      assert.ok(html.includes('Old &lt;b&gt;text&lt;/b&gt;') || html.includes('-Old &lt;b&gt;text&lt;/b&gt;'));
    }
  });

  it('makes every place a link with data-file and data-line; file mode links to the file and line', () => {
    const html = renderReportHtml(reportOf(workspace(), CALENDAR), { mode: 'file', nonce: 'n0nce', linkBase: '../' });
    const links = [...html.matchAll(/<a (href="[^#][^"]*" data-file[^>]*)>/g)].map((m) => m[1]);
    assert.ok(links.length > 10);
    for (const attrs of links) assert.match(attrs, /^href="\.\.\/[^"#]+#L\d+" data-file="[^"]+" data-line="\d+"/);
    assert.ok(html.includes('href="../src/Panel.tsx#L2" data-file="src/Panel.tsx" data-line="1"'));
  });

  it('webview mode: links for the script to post, the CSP allows the webview source and the nonce only', () => {
    const html = renderReportHtml(reportOf(workspace()), { mode: 'webview', nonce: 'abc123', cspSource: 'vscode-resource:' });
    assert.ok(html.includes('href="#" data-file="src/Panel.tsx" data-line="1"'));
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.match(csp, /style-src vscode-resource: 'nonce-abc123'/);
    assert.ok(html.includes('<script nonce="abc123">') && html.includes('<style nonce="abc123">'));
    assert.ok(html.includes('data-mode="webview"'));
  });

  it('is self-contained: no external URL, font, script or stylesheet', () => {
    const calendar = JSON.parse(JSON.stringify(CALENDAR).split(JSON.stringify(HOSTILE).slice(1, -1)).join('')) as Calendar;
    const html = renderReportHtml(reportOf(workspace(), calendar), { mode: 'file' });
    assert.ok(!/https?:\/\//.test(html), 'no http(s) URL');
    assert.ok(!/<link\b|@import|url\(|<iframe|<[a-z]+[^>]*\ssrc=/i.test(html));
    assert.match(html, /content="default-src 'none'; img-src data:; style-src 'nonce-[A-Za-z0-9]+'; script-src 'nonce-[A-Za-z0-9]+'/);
  });

  it('marks gaps and unreviewed crossings in words, not only colour', () => {
    const html = renderReportHtml(reportOf(workspace(), CALENDAR), { mode: 'file' });
    assert.ok(html.includes('⚠ Uncovered'));
    assert.ok(html.includes('⚠ Unhandled'));
    assert.ok(html.includes('⚠ Promised, not handled'));
    assert.ok(html.includes('⚠ Undeclared'));
    assert.ok(html.includes('⚠ Not reviewed by the other side'));
  });
});

describe('boundary report Markdown', () => {
  it('has the same sections, with escaped workspace text', () => {
    const md = renderReportMarkdown(reportOf(workspace({ 'counterpart.yaml': manifest().replace('title: Express refund', "title: 'Express | <b>refund</b>'") }), CALENDAR));
    for (const heading of ['# Boundary report: ws', '## Coverage map', '### Product (@dana): 2 intents', '## Release calendar', '### Week of 23 Nov 2026', '## Drift: changed since the counterpart review', '## Artifacts waiting for review', '## Manifest problems']) {
      assert.ok(md.split('\n').includes(heading), heading);
    }
    assert.ok(md.includes('Express \\| \\<b\\>refund\\</b\\>'), 'a pipe would break the table, a tag would render');
    assert.ok(!md.includes('<script>'));
    assert.match(md, /\| Express \\\| .* \| ⚠ Uncovered, ⚠ Unhandled, ⚠ Promised, not handled \| 1 \| 0 ⚠ \*\*Unhandled\*\* \| 1 \| 0 ⚠ \*\*Uncovered\*\* \| 1 ⚠ \*\*Promised, not handled\*\* \|/);
    assert.match(md, /```diff\n@@ -1,1 \+1,1 @@\n-Creates a refund draft\.\n\+Creates a refund draft, only when the user confirmed\.\n```/);
    assert.match(md, /⚠ \*\*Not reviewed by the other side\*\*/);
  });
});
