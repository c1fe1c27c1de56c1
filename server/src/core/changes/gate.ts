import type { Owner } from '../manifest/model';
import type { ArtifactChange, ChangeSet } from './changeSet';

/** A pull request review as GitHub reports it: who, and their latest state. */
export interface PullReview {
  readonly login: string;
  readonly state: string;
}

/** How one changed artifact stands: signed in the ledger, approved on the pull request, or waiting. */
export type Clearance =
  | { readonly by: 'ledger'; readonly who: string }
  | { readonly by: 'approval'; readonly who: string }
  | { readonly by: 'none' };

export interface Gate {
  readonly state: 'success' | 'pending';
  readonly clearance: ReadonlyMap<string, Clearance>;
  /** The changed artifacts still waiting for their counterpart. */
  readonly waiting: readonly ArtifactChange[];
  /** At most 140 characters, for a commit status. */
  readonly description: string;
}

/** The GitHub logins of a side: its lead and members written as @handles (teams are not people). */
export function githubHandles(side: Owner | undefined): string[] {
  if (!side) return [];
  return [side.lead, ...side.members]
    .filter((m): m is string => !!m && m.startsWith('@') && !m.includes('/'))
    .map((m) => m.slice(1).toLowerCase());
}

/** Each user's latest review state, as GitHub lists reviews oldest first; comments do not replace a verdict. */
export function latestReviews(reviews: readonly PullReview[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const r of reviews) {
    const state = r.state.toUpperCase();
    if (state === 'COMMENTED' || state === 'PENDING') continue;
    latest.set(r.login.toLowerCase(), state);
  }
  return latest;
}

/**
 * Whether the counterpart has cleared every artifact a change touches: by a
 * sign-off of its new text in the ledger, or by an approving review on the
 * pull request from a member of the counterpart side. `reviews` undefined
 * when they could not be read: only the ledger then counts.
 */
export function reviewGate(changes: ChangeSet, reviews: readonly PullReview[] | undefined): Gate {
  const latest = latestReviews(reviews ?? []);
  const clearance = new Map<string, Clearance>();
  const waiting: ArtifactChange[] = [];
  for (const change of changes.artifacts) {
    const approver = githubHandles(change.counterpart).find((h) => latest.get(h) === 'APPROVED');
    const c: Clearance = change.signOff.state === 'signed' && change.change !== 'removed' ? { by: 'ledger', who: change.signOff.review.by }
      : approver ? { by: 'approval', who: `@${approver}` }
      : { by: 'none' };
    clearance.set(change.id, c);
    if (c.by === 'none') waiting.push(change);
  }
  const n = changes.artifacts.length;
  let description: string;
  if (!n) description = 'No prompt, eval set, tool description or help copy changed.';
  else if (!waiting.length) description = n === 1 ? 'The counterpart has reviewed the changed artifact.' : `The counterpart has reviewed all ${n} changed artifacts.`;
  else {
    const sides = [...new Set(waiting.map((w) => w.counterpart?.title ?? 'the other side'))];
    description = `Waiting for ${sides.join(' and ')} to review ${waiting.length === 1 ? `'${waiting[0].id}'` : `${waiting.length} of ${n} changed artifacts`}.`;
  }
  return { state: waiting.length ? 'pending' : 'success', clearance, waiting, description: description.length > 140 ? `${description.slice(0, 139)}…` : description };
}
