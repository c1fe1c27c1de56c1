import * as vscode from 'vscode';
import type { ReviewRequestResult } from '../../../server/src/protocol';
import type { Fetch } from '../github';
import type { Log } from '../log';
import { pullRequestOffer, type OfferEnvironment, type PullRequestOffer } from '../pullRequestOffer';

const SCOPES = ['repo'];
const OPEN_PR = 'Open Pull Request';

/** The pull request choice of Request Counterpart Review, with VS Code's trust, settings and GitHub sign-in. */
export function offerOnPullRequest(log: Log, request: Extract<ReviewRequestResult, { ok: true }>): Promise<{ offer?: PullRequestOffer; note?: string }> {
  const env: OfferEnvironment = {
    trusted: vscode.workspace.isTrusted,
    enterpriseUri: vscode.workspace.getConfiguration('github-enterprise').get<string>('uri') || undefined,
    fetch: globalThis.fetch as unknown as Fetch | undefined,
    // Without `create`, silent: no sign-in badge nags in the Accounts menu; signing in is a choice the user makes.
    getSession: (provider, create) => Promise.resolve(vscode.authentication.getSession(provider, SCOPES, create ? { createIfNone: true } : { createIfNone: false, silent: true })),
    warn: (message) => void vscode.window.showWarningMessage(message),
    inform: (message, link) => {
      void vscode.window.showInformationMessage(message, ...(link ? [OPEN_PR] : [])).then((choice) => {
        if (choice === OPEN_PR && link) void vscode.env.openExternal(vscode.Uri.parse(link));
      });
    },
    log: (message) => log.warn(message),
  };
  return pullRequestOffer(env, request);
}
