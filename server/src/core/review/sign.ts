import { kindNoun, sideName, someOf } from '../describe';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { LEDGER_TEXT_LIMIT, recordReview, type Ledger } from '../ledger/ledger';
import { conditionSentences } from '../rules/conditions';

export interface SignInput {
  readonly artifactId: string;
  /** The reviewer's @handle or email, as listed under an owner. */
  readonly by: string;
  readonly at: Date;
  readonly commit?: string;
  /** Record even when the reviewer is not on the counterpart side. */
  readonly force?: boolean;
}

export type SignResult =
  | { readonly ok: true; readonly ledger: Ledger; readonly message: string; readonly warning?: string }
  | { readonly ok: false; readonly problem: string; readonly canForce?: boolean };

/**
 * Records a counterpart sign-off for an artifact as it is now. Pure: returns
 * the new ledger for the caller to write. `ledger` is the ledger to add it to:
 * the index's by default; a writer passes the ledger as it is on disk now,
 * read again under the lock, so a sign-off written meanwhile is kept.
 */
export function signReview(index: WorkspaceIndex, input: SignInput, ledger: Ledger = index.ledger): SignResult {
  const artifact = index.artifactsById.get(input.artifactId);
  if (!artifact) {
    const ids = [...index.artifactsById.keys()];
    const asked = input.artifactId.length > 60 ? `${input.artifactId.slice(0, 60)}…` : input.artifactId;
    return { ok: false, problem: `There is no artifact '${asked}' in ${index.manifestFile}.${ids.length ? ` Artifacts: ${someOf(ids)}.` : ''}` };
  }
  if (ledger.refused) return { ok: false, problem: ledger.refused };
  if (ledger.unreadable) {
    return { ok: false, problem: `${index.ledgerFile} is not valid JSON; fix it first so no past review is lost.` };
  }
  const content = index.contents.get(artifact.id);
  if (!content?.hash) {
    return { ok: false, problem: `'${artifact.id}' has no readable files right now, so there is nothing to sign off.` };
  }
  const side = index.sideOf(input.by);
  if (!side) {
    return { ok: false, problem: `${input.by} is not listed as a lead or member of any owner in ${index.manifestFile}, so Counterpart cannot tell which side signs.` };
  }
  const counterpart = index.counterpartOf(artifact);
  let warning: string | undefined;
  if (counterpart && side.id !== counterpart.id) {
    const problem = `${input.by} is on ${side.title}, but the counterpart review of this ${kindNoun(artifact.kind)} belongs to ${sideName(counterpart)}.`;
    if (!input.force) return { ok: false, problem, canForce: true };
    warning = `${problem} Recorded anyway, as asked.`;
  }
  const review = {
    hash: content.hash,
    by: input.by,
    side: side.id,
    at: input.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    commit: input.commit,
    text: content.text !== undefined && content.text.length <= LEDGER_TEXT_LIMIT ? content.text : undefined,
    conditions: artifact.kind === 'tool-description' && content.contract !== undefined ? conditionSentences(content.contract) : undefined,
  };
  const message = `Recorded: ${input.by} (${side.title}) reviewed the ${kindNoun(artifact.kind)} '${artifact.id}' as it is now.`;
  return { ok: true, ledger: recordReview(ledger, artifact.id, review), message, warning };
}
