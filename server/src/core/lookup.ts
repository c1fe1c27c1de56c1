import type { EvalCase } from './evals/parse';
import type { CopyMention, Marker } from './index/scan';
import type { WorkspaceIndex } from './index/workspaceIndex';
import type { Artifact, Located } from './manifest/model';
import { containsPosition, type Position, type Range } from './text';

/** What sits at a position: the thing a hover explains and a definition jumps from. */
export type Target =
  | { readonly kind: 'marker'; readonly range: Range; readonly marker: Marker }
  | { readonly kind: 'copy'; readonly range: Range; readonly mention: CopyMention }
  | { readonly kind: 'eval-intent'; readonly range: Range; readonly intent: string; readonly evalCase: EvalCase }
  | { readonly kind: 'intent-ref'; readonly range: Range; readonly intent: string; readonly declaration: boolean; readonly artifact?: Artifact }
  | { readonly kind: 'owner-ref'; readonly range: Range; readonly owner: string; readonly declaration: boolean }
  | { readonly kind: 'artifact'; readonly range: Range; readonly artifact: Artifact };

/** The most specific thing at `position` in `file`, or undefined. */
export function targetAt(index: WorkspaceIndex, file: string, position: Position): Target | undefined {
  if (file === index.manifestFile) return manifestTargetAt(index, position);
  for (const marker of index.fileMarkers.get(file) ?? []) {
    if (containsPosition(marker.range, position)) return { kind: 'marker', range: marker.range, marker };
  }
  for (const mention of index.fileCopy.get(file) ?? []) {
    if (containsPosition(mention.range, position)) return { kind: 'copy', range: mention.range, mention };
  }
  const places = index.fileEvalIntents.get(file);
  for (let i = 0; i < (places?.intents.length ?? 0); i++) {
    const intent = places!.intents[i];
    if (containsPosition(intent.range, position)) return { kind: 'eval-intent', range: intent.range, intent: intent.value, evalCase: places!.cases[i] };
  }
  for (const artifact of index.artifactsOf(file)) {
    const content = index.contents.get(artifact.id);
    for (const p of content?.located ?? []) {
      if (p.file === file && containsPosition(p.value.range, position)) return { kind: 'artifact', range: p.value.range, artifact };
    }
    const head = content?.heads.find((h) => h.file === file);
    if (!artifact.locator && head && position.line === 0) return { kind: 'artifact', range: head.range, artifact };
  }
  return undefined;
}

function manifestTargetAt(index: WorkspaceIndex, position: Position): Target | undefined {
  const m = index.manifest;
  const inside = (r: Range): boolean => containsPosition(r, position);
  for (const intent of m.intents.values()) {
    if (inside(intent.idRange)) return { kind: 'intent-ref', range: intent.idRange, intent: intent.id, declaration: true };
    if (intent.owner && inside(intent.owner.range)) return ownerRef(intent.owner);
  }
  for (const owner of m.owners.values()) {
    if (inside(owner.idRange)) return { kind: 'owner-ref', range: owner.idRange, owner: owner.id, declaration: true };
  }
  for (const artifact of m.artifacts) {
    if (inside(artifact.idRange)) return { kind: 'artifact', range: artifact.idRange, artifact };
    if (artifact.locator && inside(artifact.locator.range)) return { kind: 'artifact', range: artifact.locator.range, artifact };
    for (const ref of artifact.intents) {
      if (inside(ref.range)) return { kind: 'intent-ref', range: ref.range, intent: ref.value, declaration: false, artifact };
    }
    if (inside(artifact.owner.range)) return ownerRef(artifact.owner);
    if (artifact.counterpart && inside(artifact.counterpart.range)) return ownerRef(artifact.counterpart);
  }
  for (const surface of m.surfaces) {
    if (inside(surface.owner.range)) return ownerRef(surface.owner);
  }
  return undefined;
}

function ownerRef(ref: Located<string>): Target {
  return { kind: 'owner-ref', range: ref.range, owner: ref.value, declaration: false };
}

/** The intent a target is about, if any. */
export function intentOf(target: Target | undefined): string | undefined {
  switch (target?.kind) {
    case 'marker': return target.marker.intent;
    case 'copy': return target.mention.intent;
    case 'eval-intent':
    case 'intent-ref': return target.intent;
    default: return undefined;
  }
}

export interface Place {
  readonly file: string;
  readonly range: Range;
}

/** Every place an intent appears: declaration, artifacts listing it, UI markers, eval cases, copy. */
export function intentPlaces(index: WorkspaceIndex, intent: string): Place[] {
  const out: Place[] = [];
  const decl = index.manifest.intents.get(intent);
  if (decl) out.push({ file: index.manifestFile, range: decl.idRange });
  for (const artifact of index.intentArtifacts.get(intent) ?? []) {
    for (const ref of artifact.intents) if (ref.value === intent) out.push({ file: index.manifestFile, range: ref.range });
  }
  for (const m of index.intentMarkers.get(intent) ?? []) out.push({ file: m.file, range: m.range });
  for (const places of index.fileEvalIntents.values()) {
    for (const i of places.intents) if (i.value === intent) out.push({ file: i.file, range: i.range });
  }
  for (const c of index.intentCopy.get(intent) ?? []) out.push({ file: c.file, range: c.range });
  return out;
}
