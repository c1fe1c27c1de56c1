import type { EvalCase } from './evals/parse';
import type { Marker } from './index/scan';
import type { WorkspaceIndex } from './index/workspaceIndex';
import type { Review } from './ledger/ledger';
import type { Artifact, Intent, Owner } from './manifest/model';

/** An intent as one artifact or file sees it: how it is covered, handled, surfaced. */
export interface IntentStatus {
  readonly id: string;
  readonly declared: Intent | undefined;
  readonly owner: Owner | undefined;
  readonly evalCases: readonly EvalCase[];
  readonly markers: readonly Marker[];
  readonly copyMentions: number;
  /** System prompts tuned for it. */
  readonly prompts: readonly Artifact[];
  /** Tool descriptions serving it. */
  readonly tools: readonly Artifact[];
}

export type ReviewState =
  | { readonly state: 'never-reviewed' }
  | { readonly state: 'in-step'; readonly review: Review }
  | { readonly state: 'changed'; readonly review: Review }
  | { readonly state: 'unknown' };

/** Everything a hover, a lens or `counterpart explain` says about one artifact. */
export interface ArtifactFacts {
  readonly artifact: Artifact;
  readonly owner: Owner | undefined;
  readonly counterpart: Owner | undefined;
  readonly files: readonly string[];
  readonly intents: readonly IntentStatus[];
  /** Eval cases in this artifact's files (eval sets) or covering its intents (others). */
  readonly evalCases: readonly EvalCase[];
  readonly markers: readonly Marker[];
  readonly review: ReviewState;
}

/**
 * An intent's coverage, places and prompts. Seen from a system prompt
 * (`prompt`), only the cases that run against that prompt count.
 */
export function intentStatus(index: WorkspaceIndex, id: string, prompt?: string): IntentStatus {
  const declared = index.manifest.intents.get(id);
  const listed = index.intentArtifacts.get(id) ?? [];
  return {
    id,
    declared,
    owner: index.owner(declared?.owner?.value),
    evalCases: prompt ? index.promptCases(prompt, id) : index.intentEvalCases.get(id) ?? [],
    markers: index.intentMarkers.get(id) ?? [],
    copyMentions: index.intentCopy.get(id)?.length ?? 0,
    prompts: listed.filter((a) => a.kind === 'system-prompt'),
    tools: listed.filter((a) => a.kind === 'tool-description'),
  };
}

export function reviewState(index: WorkspaceIndex, artifact: Artifact): ReviewState {
  const hash = index.contents.get(artifact.id)?.hash;
  const review = index.ledger.reviews.get(artifact.id);
  if (!review) return { state: 'never-reviewed' };
  if (!hash) return { state: 'unknown' };
  return { state: review.hash === hash ? 'in-step' : 'changed', review };
}

/** Facts per index and artifact: an index never changes once built, so they are computed once. */
const factsCache = new WeakMap<WorkspaceIndex, Map<Artifact, ArtifactFacts>>();

export function artifactFacts(index: WorkspaceIndex, artifact: Artifact): ArtifactFacts {
  let byArtifact = factsCache.get(index);
  if (!byArtifact) {
    byArtifact = new Map();
    factsCache.set(index, byArtifact);
  }
  let facts = byArtifact.get(artifact);
  if (!facts) {
    facts = computeFacts(index, artifact);
    byArtifact.set(artifact, facts);
  }
  return facts;
}

function computeFacts(index: WorkspaceIndex, artifact: Artifact): ArtifactFacts {
  const files = index.contents.get(artifact.id)?.files ?? [];
  let intentIds = artifact.intents.map((i) => i.value);
  let evalCases: EvalCase[];
  if (artifact.kind === 'eval-set') {
    evalCases = files.flatMap((f) => index.fileEvalCases.get(f) ?? []);
    if (!intentIds.length) intentIds = unique(evalCases.flatMap((c) => c.intents.map((i) => i.value)));
  } else if (artifact.kind === 'help-copy') {
    if (!intentIds.length) intentIds = unique(files.flatMap((f) => (index.fileCopy.get(f) ?? []).map((c) => c.intent)));
    evalCases = intentIds.flatMap((id) => index.intentEvalCases.get(id) ?? []);
  } else if (artifact.kind === 'system-prompt') {
    // A prompt counts the cases that run against it, not every case of its intents.
    evalCases = intentIds.flatMap((id) => index.promptCases(artifact.id, id));
  } else {
    evalCases = intentIds.flatMap((id) => index.intentEvalCases.get(id) ?? []);
  }
  const intents = intentIds.map((id) => intentStatus(index, id, artifact.kind === 'system-prompt' ? artifact.id : undefined));
  return {
    artifact,
    owner: index.owner(artifact.owner.value),
    counterpart: index.counterpartOf(artifact),
    files,
    intents,
    evalCases: uniqueCases(evalCases),
    markers: intents.flatMap((i) => i.markers),
    review: reviewState(index, artifact),
  };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function uniqueCases(cases: EvalCase[]): EvalCase[] {
  return [...new Set(cases)];
}
