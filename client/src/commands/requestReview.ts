import * as vscode from 'vscode';
import type { ArtifactTarget, ReviewRequestResult } from '../../../server/src/protocol';
import { refuseInRestrictedMode } from '../trust';
import { registerCommand, type CommandContext } from './context';
import { githubIssueLink } from './githubIssue';
import { offerOnPullRequest } from './pullRequestReview';
import { CommandIds } from './ids';
import { chooseAnyArtifact, sendWithChoices, targetFromArgument } from './target';

type ReadyRequest = Extract<ReviewRequestResult, { ok: true }>;

const COPY = 'Copy';
const OPEN_ISSUE = 'Open GitHub Issue';
const OPEN_CHANNEL = 'Open Review Channel';
const SAVE = 'Save';
const PLACEHOLDER = 'Which artifact should its counterpart review?';

/**
 * Request Counterpart Review: composes the review request for an artifact,
 * opens it as an unsaved Markdown document, and offers to ask the
 * counterpart on the branch's GitHub pull request, copy it, open a GitHub
 * issue with it, open the counterpart's review channel, or save it.
 */
export function registerRequestReview(ctx: CommandContext): vscode.Disposable {
  return registerCommand(CommandIds.requestReview, ctx.log, async (arg: unknown) => {
    if (refuseInRestrictedMode('request reviews')) return undefined;
    const target = targetFromArgument(arg) ?? (await chooseAnyArtifact(ctx.api, PLACEHOLDER));
    if (!target) return undefined;
    const sent = await sendWithChoices(target, (t) => compose(ctx, t), PLACEHOLDER);
    if (!sent) return undefined;
    const { result } = sent;
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.problem);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.markdown });
    await vscode.window.showTextDocument(document, { preview: false });
    // Not awaited: the command is done once the request is open; the buttons wait for the user.
    void offerNextSteps(ctx, result, document);
    return result;
  });
}

function compose(ctx: CommandContext, target: ArtifactTarget): Thenable<ReviewRequestResult> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Composing the review request…' }, () =>
    ctx.api.reviewRequest(target),
  );
}

async function offerNextSteps(ctx: CommandContext, request: ReadyRequest, document: vscode.TextDocument, onGithub = true): Promise<void> {
  // On a GitHub pull request of this branch, asking the counterpart there comes first; any failure leaves the other choices.
  const { offer, note } = onGithub ? await offerOnPullRequest(ctx.log, request).catch((error: unknown) => {
    ctx.log.error('Looking for the pull request failed', error);
    return {} as Awaited<ReturnType<typeof offerOnPullRequest>>;
  }) : {};
  const actions = [...(offer ? [offer.label] : []), COPY, ...(request.githubRepository ? [OPEN_ISSUE] : []), ...(request.url ? [OPEN_CHANNEL] : []), SAVE];
  const choice = await vscode.window.showInformationMessage(`Review request for '${request.artifactId}' is ready.${note ? ` ${note}` : ''}`, ...actions);
  if (offer && choice === offer.label) {
    const asked = await offer.run().catch((error: unknown) => {
      ctx.log.error('Asking on the pull request failed', error);
      void vscode.window.showWarningMessage('Counterpart could not ask on the pull request. See the Counterpart output for details.');
      return false;
    });
    if (!asked) await offerNextSteps(ctx, request, document, false);
    return;
  }
  try {
    // The user may have edited the request before choosing.
    const markdown = document.isClosed ? request.markdown : document.getText();
    if (choice === COPY) await copy(markdown);
    else if (choice === OPEN_ISSUE && request.githubRepository) await openIssue(request.githubRepository, request.title, markdown);
    else if (choice === OPEN_CHANNEL && request.url) await openLink(request.url);
    else if (choice === SAVE) await save(ctx, request, markdown);
  } catch (error) {
    ctx.log.error(`"${choice ?? ''}" for the review request of ${request.artifactId} failed`, error);
    void vscode.window.showErrorMessage(`Counterpart could not ${choice === SAVE ? 'save' : 'share'} the review request. See the Counterpart output for details.`);
  }
}

async function copy(markdown: string): Promise<void> {
  await vscode.env.clipboard.writeText(markdown);
  vscode.window.setStatusBarMessage('Review request copied to the clipboard.', 4000);
}

async function openIssue(repository: string, title: string, markdown: string): Promise<void> {
  const link = githubIssueLink(repository, title, markdown);
  if (!link) {
    void vscode.window.showWarningMessage(`'${repository}' does not look like a GitHub repository, so Counterpart cannot open an issue there.`);
    return;
  }
  if (link.trimmed) {
    await vscode.env.clipboard.writeText(markdown);
    void vscode.window.showInformationMessage('The review request is too long for a link, so the issue gets a shortened copy. The full text is on your clipboard.');
  }
  await openLink(link.url);
}

async function openLink(url: string): Promise<void> {
  if (!/^https?:\/\//i.test(url)) {
    void vscode.window.showWarningMessage(`Counterpart opens only web links, and '${url}' is not one.`);
    return;
  }
  // A string, not Uri.parse(url): Uri re-encodes the query and breaks the
  // percent-encoded body; the extension host accepts and passes on a string as it is.
  const opened = await vscode.env.openExternal(url as unknown as vscode.Uri);
  if (!opened) void vscode.window.showWarningMessage(`Counterpart could not open ${url.split('?')[0]}.`);
}

async function save(ctx: CommandContext, request: ReadyRequest, markdown: string): Promise<void> {
  const saved = await ctx.api.saveReviewRequest({ folderUri: request.folderUri, artifactId: request.artifactId, markdown });
  if (!saved.ok) {
    void vscode.window.showWarningMessage(saved.problem);
    return;
  }
  const uri = vscode.Uri.parse(saved.uri);
  await vscode.window.showTextDocument(uri, { preview: false });
  void vscode.window.showInformationMessage(`Saved the review request as ${vscode.workspace.asRelativePath(uri)}.`);
}
