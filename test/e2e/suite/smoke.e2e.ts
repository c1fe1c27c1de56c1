// A minimal suite through the real `vscode` API: proves the harness opened the workspace,
// loaded the extensions and runs code inside the extension host.
//
// The harness (scripts/e2e/run.mjs, test/e2e/electron.mjs) passes these to the extension host:
//   COUNTERPART_E2E_WORKSPACE     absolute path of the folder or .code-workspace that was opened
//   COUNTERPART_E2E_EXTENSION_ID  <publisher>.<name> of the extension under test
//   COUNTERPART_E2E_EXTENSION_PATH the folder it should be loaded from (development path or installed vsix)
//   COUNTERPART_E2E_MODE          'development' (extensionDevelopmentPath) or 'vsix' (installed package)
//   COUNTERPART_E2E_TRUSTED       '1' when workspace trust is disabled/granted, '0' for --untrusted
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

describe('smoke: the real VS Code extension host', () => {
  it('has the opened workspace folder', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folders.length >= 1, 'no workspace folder is open');
    const expected = process.env.COUNTERPART_E2E_WORKSPACE;
    if (expected && !expected.endsWith('.code-workspace')) {
      const paths = folders.map((f) => f.uri.path);
      assert.ok(
        paths.includes(expected.split(path.sep).join('/')),
        `expected ${expected} among workspace folders ${JSON.stringify(paths)}`,
      );
    }
    if (expected && expected.endsWith('.code-workspace')) {
      assert.strictEqual(vscode.workspace.workspaceFile?.path, expected.split(path.sep).join('/'));
    }
    // The folder is really there, through the workspace file system.
    const stat = await vscode.workspace.fs.stat(folders[0].uri);
    assert.strictEqual(stat.type & vscode.FileType.Directory, vscode.FileType.Directory);
  });

  it('lists installed extensions, built-in ones included', () => {
    const all = vscode.extensions.all;
    assert.ok(all.length > 0, 'vscode.extensions.all is empty');
    assert.ok(
      all.some((e) => e.id.startsWith('vscode.')),
      `no built-in extension among ${all.map((e) => e.id).join(', ')}`,
    );
  });

  it('has the extension under test, loaded from where the harness put it, and it activates', async function () {
    const id = process.env.COUNTERPART_E2E_EXTENSION_ID;
    if (!id) this.skip();
    const expectedPath = process.env.COUNTERPART_E2E_EXTENSION_PATH;
    const manifest = expectedPath ? JSON.parse(fs.readFileSync(path.join(expectedPath, 'package.json'), 'utf8')) : {};
    const support = manifest?.capabilities?.untrustedWorkspaces?.supported;
    const ext = vscode.extensions.getExtension(id!);
    if (!vscode.workspace.isTrusted && process.env.COUNTERPART_E2E_MODE === 'vsix' && support !== true && support !== 'limited') {
      // Restricted mode disables an installed extension that does not declare support
      // (an extension under development is exempt, so only the vsix run shows this).
      assert.strictEqual(ext, undefined, `${id} should be disabled in restricted mode`);
      return;
    }
    assert.ok(ext, `extension ${id} is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
    if (expectedPath) assert.strictEqual(ext!.extensionUri.fsPath, path.resolve(expectedPath));
    await ext!.activate();
    assert.strictEqual(ext!.isActive, true);
  });

  it('reports workspace trust as the harness set it', function () {
    const trusted = process.env.COUNTERPART_E2E_TRUSTED;
    if (trusted === undefined) this.skip();
    assert.strictEqual(vscode.workspace.isTrusted, trusted === '1');
  });
});
