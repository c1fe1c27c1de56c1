import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLog } from '../../server/src/node/gitHistory';
import { EXAMPLE, runCli as run } from '../helpers/cli';

describe('counterpart report', function () {
  this.timeout(60000);

  it('prints Markdown by default, and writes the HTML page when asked, atomically', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-report-cli-'));
    try {
      const md = run(['report', EXAMPLE, '--no-git']);
      assert.equal(md.code, 0, md.err);
      assert.match(md.out, /^# Boundary report: support-bot\n/);
      assert.match(md.out, /\n## Release calendar\n\nNo calendar: git history was not read for this report\.\n/);
      const file = path.join(dir, 'site', 'report.html');
      const html = run(['report', EXAMPLE, '--html', file, '--no-git']);
      assert.equal(html.code, 0, html.err);
      assert.equal(html.out, '', 'nothing printed unless --format is given');
      assert.match(html.err, /^Wrote .*report\.html \(\d+ KB\)\.\n$/);
      const page = fs.readFileSync(file, 'utf8');
      assert.match(page, /^<!DOCTYPE html>/);
      // Links are relative to where the page is written.
      const rel = path.relative(path.dirname(file), EXAMPLE).split(path.sep).join('/');
      assert.ok(page.includes(`href="${rel}/src/ui/RefundPanel.tsx#L24" data-file="src/ui/RefundPanel.tsx" data-line="23"`));
      assert.deepEqual(fs.readdirSync(path.dirname(file)), ['report.html'], 'no temporary file left');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--format json prints the model the renderers use', () => {
    const r = run(['report', EXAMPLE, '--format', 'json', '--no-git']);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as { workspace: string; intents: { id: string; states: string[] }[]; drift: { artifact: string }[] };
    assert.equal(report.workspace, 'support-bot');
    assert.deepEqual(report.intents.find((i) => i.id === 'express-refund')?.states, ['uncovered', 'unhandled', 'promised-unhandled']);
    assert.deepEqual(report.drift.map((d) => d.artifact).sort(), ['refund-tool', 'support-prompt']);
  });

  it('refuses options it cannot use, with exit code 2', () => {
    for (const [args, message] of [
      [['report', EXAMPLE, '--format', 'sarif'], /--format must be one of markdown, html, json for report, not 'sarif'\./],
      [['report', EXAMPLE, '--since', 'last tuesday'], /--since needs a date such as 2026-10-05, not 'last tuesday'\./],
      [['report', EXAMPLE, '--weeks', '0'], /--weeks needs a whole number of weeks from 1 to 520, not '0'\./],
      [['report', EXAMPLE, '--weeks', '4', '--since', '2026-10-05'], /Give --since or --weeks, not both\./],
      [['report', EXAMPLE, 'extra'], /unexpected 'extra'/],
    ] as const) {
      const r = run([...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message);
    }
  });

  it('is in the usage text', () => {
    assert.match(run(['--help']).out, /counterpart report \[folder\] \[--html <file>\] \[--format markdown\|html\|json\] \[--since <date>\] \[--weeks N\] \[--no-git\]/);
  });
});

describe('git log parsing', () => {
  it('reads renames, additions and deletions, whatever the paths hold', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const z = '0'.repeat(40);
    const text = [
      `\x1e${'1'.repeat(40)}\x1f\x1f2026-11-24T10:00:00+00:00\x1fSam\x1fsam@acme.com\x1fMove "it"\0\n`,
      `:100644 100644 ${a} ${b} R087\0old name.md\0new\tname ü.md\0`,
      `:000000 100644 ${z} ${a} A\0added.md\0`,
      `\x1e${'2'.repeat(40)}\x1f\x1f2026-11-23T10:00:00+00:00\x1fDana\x1fdana@acme.com\x1fDrop\0\n`,
      `:100644 000000 ${b} ${z} D\0gone.md\0`,
    ].join('');
    const commits = parseLog(text);
    assert.deepEqual(commits.map((c) => `${c.short} ${c.authorEmail} ${c.subject}`), ['1111111 sam@acme.com Move "it"', '2222222 dana@acme.com Drop']);
    assert.deepEqual(commits[0].changes, [
      { status: 'R', oldBlob: a, newBlob: b, oldPath: 'old name.md', newPath: 'new\tname ü.md' },
      { status: 'A', oldBlob: z, newBlob: a, oldPath: 'added.md', newPath: 'added.md' },
    ]);
    assert.deepEqual(commits[1].changes, [{ status: 'D', oldBlob: b, newBlob: z, oldPath: 'gone.md', newPath: 'gone.md' }]);
  });
});
