import * as vscode from 'vscode';
import type { MarkReviewedParams, MarkReviewedResult } from '../../../server/src/protocol';
import { refuseInRestrictedMode } from '../trust';
import { refreshViews, registerCommand, type CommandContext } from './context';
import { CommandIds } from './ids';
import { chooseAnyArtifact, sendWithChoices, targetFromArgument } from './target';

const RECORD_ANYWAY = 'Record Anyway';
const OPEN_LEDGER = 'Open Review Ledger';
const PLACEHOLDER = 'Which artifact did you review?';

/**
 * Mark Reviewed: records the counterpart's sign-off of an artifact as it is
 * now in the review ledger. When the server says you are not on the
 * counterpart side, asks before recording it anyway.
 */
export function registerMarkReviewed(ctx: CommandContext): vscode.Disposable {
  return registerCommand(CommandIds.markReviewed, ctx.log, async (arg: unknown) => {
    if (refuseInRestrictedMode('record reviews')) return undefined;
    const first: MarkReviewedParams | undefined = targetFromArgument(arg) ?? (await chooseAnyArtifact(ctx.api, PLACEHOLDER));
    if (!first) return undefined;
    const sent = await sendWithChoices(first, (t) => mark(ctx, t), PLACEHOLDER);
    if (!sent) return undefined;
    const { target } = sent;
    let { result } = sent;
    if (!result.ok && result.canForce) {
      const choice = await vscode.window.showWarningMessage(
        result.problem,
        { modal: true, detail: 'Record Anyway signs it off in your name even so; the review ledger shows which side you are on.' },
        RECORD_ANYWAY,
      );
      if (choice !== RECORD_ANYWAY) return undefined;
      result = await mark(ctx, { ...target, force: true });
    }
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.problem);
      return undefined;
    }
    refreshViews(ctx);
    const ledger = vscode.Uri.parse(result.ledgerUri);
    void vscode.window.showInformationMessage(result.message, OPEN_LEDGER).then((picked) => {
      if (picked === OPEN_LEDGER) void vscode.window.showTextDocument(ledger, { preview: true });
    });
    if (result.warning) void vscode.window.showWarningMessage(result.warning);
    return result;
  });
}

function mark(ctx: CommandContext, params: MarkReviewedParams): Thenable<MarkReviewedResult> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Recording the review…' }, () => ctx.api.markReviewed(params));
}
