import type { Range } from '../text';

/** A value from the manifest with the range it was written at. */
export interface Located<T> {
  readonly value: T;
  readonly range: Range;
}

export const ARTIFACT_KINDS = ['system-prompt', 'eval-set', 'tool-description', 'help-copy', 'model-config'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export const EVAL_FORMATS = ['promptfoo', 'jsonl', 'json'] as const;
export type EvalFormat = (typeof EVAL_FORMATS)[number];

/** One side of the boundary: product, platform. */
export interface Owner {
  readonly id: string;
  readonly idRange: Range;
  readonly title: string;
  readonly lead?: string;
  readonly members: readonly string[];
  readonly review: { readonly github?: string; readonly url?: string };
}

/** How an artifact names the part of a file that is the artifact. */
export const LOCATOR_KINDS = ['pointer', 'symbol', 'tool', 'region'] as const;
export type LocatorKind = (typeof LOCATOR_KINDS)[number];

/** The locator as written in the manifest: `symbol: systemPrompt` is kind symbol, value systemPrompt. */
export interface LocatorSpec {
  readonly kind: LocatorKind;
  readonly value: string;
  /** Where the value is written, for findings about it. */
  readonly range: Range;
}

export interface Artifact {
  readonly id: string;
  readonly idRange: Range;
  readonly kind: ArtifactKind;
  readonly files: readonly Located<string>[];
  /** Which part of each file is the artifact; without one, the whole file. */
  readonly locator?: LocatorSpec;
  readonly owner: Located<string>;
  readonly counterpart?: Located<string>;
  readonly intents: readonly Located<string>[];
  readonly format?: EvalFormat;
  /** For an eval set: where each case's intent is written, dotted paths tried in order. */
  readonly intentField?: readonly string[];
  /** For an eval set: the system prompts its cases run against (artifact ids). */
  readonly exercises?: readonly Located<string>[];
  /** Range of the whole entry, for lenses and links into the manifest. */
  readonly range: Range;
}

export interface Intent {
  readonly id: string;
  readonly idRange: Range;
  readonly title?: string;
  readonly owner?: Located<string>;
  readonly phrases: readonly Located<string>[];
}

export interface Surface {
  readonly index: number;
  readonly files: readonly Located<string>[];
  readonly marker: Located<string>;
  readonly owner: Located<string>;
}

/**
 * The manifest as far as it could be understood: broken entries are left out
 * (with findings), good ones are all here.
 */
export interface Manifest {
  readonly version?: number;
  readonly owners: ReadonlyMap<string, Owner>;
  readonly artifacts: readonly Artifact[];
  readonly intents: ReadonlyMap<string, Intent>;
  readonly surfaces: readonly Surface[];
  /** Ledger path relative to the manifest's folder. */
  readonly reviews: Located<string>;
}

export const DEFAULT_LEDGER = '.counterpart/reviews.json';
export const DEFAULT_MANIFEST = 'counterpart.yaml';
