import * as vscode from 'vscode';

const RESTRICTED = 'Counterpart runs nothing and writes nothing in Restricted Mode.';
const MANAGE_TRUST = 'Manage Workspace Trust';

/**
 * In a restricted (untrusted) workspace, tells the user why nothing happens and
 * returns true; the caller then stops before asking the server anything.
 * `purpose` completes "Trust this folder to …", e.g. "request reviews".
 */
export function refuseInRestrictedMode(purpose: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage(`${RESTRICTED} Trust this folder to ${purpose}.`, MANAGE_TRUST).then((choice) => {
    if (choice === MANAGE_TRUST) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return true;
}
