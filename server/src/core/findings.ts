import { comparePlaces, type Range } from './text';

/** Stable finding codes: part of the product contract, never renamed. */
export const FINDING_CODES = [
  'manifest-syntax',
  'manifest-schema',
  'unknown-owner',
  'unknown-intent',
  'duplicate-id',
  'bad-marker',
  'conflicting-owners',
  'no-files',
  'uncovered-intent',
  'undeclared-intent',
  'unhandled-intent',
  'copy-promise',
  'changed-since-review',
  'never-reviewed',
  'tool-contract-change',
  'foreign-edit',
  // Second edition: a locator that matches nothing; eval sets as they are kept.
  'symbol-not-found',
  'unknown-artifact',
  'untagged-cases',
  'eval-in-code',
  // Added beyond the v1 table, backward compatible: inputs we had to skip.
  'file-skipped',
  'eval-syntax',
  'ledger-syntax',
  'pointer-not-found',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const DEFAULT_SEVERITY: Readonly<Record<FindingCode, Severity>> = {
  'manifest-syntax': 'error',
  'manifest-schema': 'error',
  'unknown-owner': 'error',
  'unknown-intent': 'error',
  'duplicate-id': 'error',
  'bad-marker': 'error',
  'conflicting-owners': 'error',
  'no-files': 'warning',
  'uncovered-intent': 'warning',
  'undeclared-intent': 'warning',
  'unhandled-intent': 'warning',
  'copy-promise': 'warning',
  'changed-since-review': 'warning',
  'never-reviewed': 'information',
  'tool-contract-change': 'warning',
  'foreign-edit': 'information',
  'symbol-not-found': 'warning',
  'unknown-artifact': 'error',
  'untagged-cases': 'information',
  'eval-in-code': 'information',
  'file-skipped': 'warning',
  'eval-syntax': 'error',
  'ledger-syntax': 'error',
  'pointer-not-found': 'warning',
};

/** A place in another file that explains a finding (the declaration, the case…). */
export interface RelatedPlace {
  readonly file: string;
  readonly range: Range;
  readonly message: string;
}

/**
 * One thing out of step at one place. `file` is relative to the manifest's
 * folder, with forward slashes.
 */
export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly range: Range;
  /** What the finding is about, for quick fixes and grouping. */
  readonly subject?: { readonly artifact?: string; readonly intent?: string };
  readonly related?: readonly RelatedPlace[];
}

export function isFindingCode(value: string): value is FindingCode {
  return (FINDING_CODES as readonly string[]).includes(value);
}

/**
 * Sorts by file, then position, then code: the order every output uses. Two
 * findings of one code at one place (two artifacts in one file) go by message,
 * so the order never depends on the order they were found in.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return comparePlaces(a, b) || compareText(a.code, b.code) || compareText(a.message, b.message)
    || compareText(a.subject?.artifact ?? '', b.subject?.artifact ?? '') || compareText(a.subject?.intent ?? '', b.subject?.intent ?? '');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
