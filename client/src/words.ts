import type { ArtifactSummary } from '../../server/src/protocol';

/** "1 artifact", "2 artifacts". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "ML Platform (@sam)", or just the title when there is no lead. */
export function sideName(title: string, lead?: string): string {
  return lead ? `${title} (${lead})` : title;
}

/** An ISO time as a short local date ("2 Nov 2026"); anything else as it is. */
export function shortDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The review state in a few words, for the Boundary view: "changed since review". */
export function shortReviewState(artifact: ArtifactSummary): string {
  switch (artifact.review) {
    case 'in-step':
      return 'in step';
    case 'changed':
      return 'changed since review';
    case 'never-reviewed':
      return 'never reviewed';
    case 'unknown':
      return 'review state unknown';
  }
}

/** The last review as a sentence part: "by @dana on 2 Nov 2026", or undefined when none. */
export function lastReview(artifact: ArtifactSummary): string | undefined {
  if (!artifact.reviewedBy && !artifact.reviewedAt) return undefined;
  const by = artifact.reviewedBy ? `by ${artifact.reviewedBy}` : '';
  const at = artifact.reviewedAt ? `on ${shortDate(artifact.reviewedAt)}` : '';
  return [by, at].filter((part) => part !== '').join(' ');
}

/** The review state as a sentence, for pickers and tooltips. */
export function longReviewState(artifact: ArtifactSummary): string {
  const last = lastReview(artifact);
  const counterpart = artifact.counterpartTitle ?? 'the counterpart';
  switch (artifact.review) {
    case 'in-step':
      return last ? `In step: reviewed ${last}.` : 'In step with the last review.';
    case 'changed':
      return last ? `Changed since it was reviewed ${last}.` : 'Changed since the last review.';
    case 'never-reviewed':
      return `Never reviewed by ${counterpart}.`;
    case 'unknown':
      return 'Counterpart could not tell whether it changed since the last review.';
  }
}
