import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { IndexCache, buildIndex } from '../../server/src/core/index/workspaceIndex';
import { computeFindings } from '../../server/src/core/rules/rules';
import { NodeHost, toPosix } from '../../server/src/node/nodeHost';
import { PREFETCH_MIN_BYTES } from '../../server/src/node/prefetch';
import { generateWorkspace } from '../bench/generate';
import { runCli } from '../helpers/cli';
import { LspClient } from '../helpers/lspClient';

/**
 * A folder with megabytes of eval files: the server parses them in child
 * processes before its first build. What it then shows is what the CLI finds.
 */
describe('CLI and language server on a folder big enough to parse its eval files ahead', function () {
  this.timeout(120_000);
  let dir: string;
  let client: LspClient | undefined;

  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-prefetch-lsp-')));
    generateWorkspace(dir, { artifacts: 160, evalCases: 16000, uiFiles: 60, seed: 11 });
  });

  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the findings a build without it finds, as the CLI does, eval cases included', async () => {
    const evalBytes = fs.readdirSync(path.join(dir, 'evals'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile()).reduce((n, e) => n + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
    assert.ok(evalBytes > PREFETCH_MIN_BYTES, `enough eval files (${evalBytes} bytes) that the server parses them ahead`);
    // What a build in this process finds, parsing every file itself.
    const index = buildIndex(toPosix(dir), new NodeHost(), {}, new IndexCache())!;
    assert.ok(index.evalCases.length > 5000);
    const expected = computeFindings(index).map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code}`).sort();
    assert.ok(expected.some((f) => f.includes('uncovered-intent')) && expected.length > 50, 'the build finds eval coverage gaps');
    client = await LspClient.start({ folders: [{ uri: URI.file(dir).toString(), name: 'big' }], settings: {} });
    // Requests wait for the first build, whose diagnostics are published before the answer.
    await client.request('textDocument/hover', { textDocument: { uri: URI.file(path.join(dir, 'counterpart.yaml')).toString() }, position: { line: 0, character: 0 } });
    const published: string[] = [];
    for (const [uri, diagnostics] of client.diagnostics) {
      const rel = path.relative(dir, URI.parse(uri).fsPath);
      for (const d of diagnostics) published.push(`${rel}:${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)}`);
    }
    assert.deepEqual(published.sort(), expected);
    // The CLI parses ahead too, and finds the same.
    const cli = runCli(['check', dir, '--format', 'json', '--max-warnings=-1']);
    const fromCli = (JSON.parse(cli.out) as { findings: { code: string; file: string; line: number; column: number }[] }).findings
      .map((f) => `${path.relative(dir, path.resolve(f.file))}:${f.line}:${f.column} ${f.code}`).sort();
    assert.deepEqual(fromCli, expected);
  });
});
