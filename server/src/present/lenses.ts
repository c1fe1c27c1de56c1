import { plural, sideName } from '../core/describe';
import { artifactFacts, intentStatus } from '../core/explain';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import type { Place } from '../core/lookup';
import type { Range } from '../core/text';

/** A lens before it is resolved: cheap to list, filled in when shown. */
export interface LensStub {
  readonly range: Range;
  readonly kind: 'owner' | 'evals' | 'intents' | 'review' | 'marker';
  readonly artifactId?: string;
  readonly intent?: string;
}

/** A resolved lens: its title and what a click does. */
export type LensAction =
  | { readonly title: string; readonly action: 'boundary' }
  | { readonly title: string; readonly action: 'locations'; readonly heading: string; readonly places: readonly Place[] }
  | { readonly title: string; readonly action: 'review'; readonly artifactId: string };

/** Lenses of a file: four at the top of each artifact (or above its located text), one per UI marker. */
export function lensStubs(index: WorkspaceIndex, file: string): LensStub[] {
  const out: LensStub[] = [];
  for (const artifact of index.artifactsOf(file)) {
    const content = index.contents.get(artifact.id);
    const range = artifact.locator ? content?.located.find((p) => p.file === file)?.anchor : content?.heads.find((h) => h.file === file)?.range;
    if (!range) continue;
    const at = { start: range.start, end: range.start };
    for (const kind of ['owner', 'evals', 'intents', 'review'] as const) out.push({ range: at, kind, artifactId: artifact.id });
  }
  for (const m of index.fileMarkers.get(file) ?? []) out.push({ range: m.range, kind: 'marker', intent: m.intent });
  return out;
}

export function resolveLens(index: WorkspaceIndex, stub: LensStub): LensAction | undefined {
  if (stub.kind === 'marker' && stub.intent) {
    const s = intentStatus(index, stub.intent);
    if (!s.declared) return { title: `${stub.intent}: not declared`, action: 'locations', heading: 'Declared intents', places: [] };
    const parts = [s.evalCases.length ? plural(s.evalCases.length, 'eval case') : 'no eval case'];
    parts.push(s.prompts.length ? `prompt: ${s.prompts.map((p) => p.id).join(', ')}` : 'no prompt tuned');
    const places = s.evalCases.flatMap((c) => c.intents.filter((i) => i.value === stub.intent).map((i) => ({ file: i.file, range: i.range })));
    return { title: `${stub.intent}: ${parts.join(' · ')}`, action: 'locations', heading: `Eval cases for ${stub.intent}`, places };
  }
  const artifact = stub.artifactId ? index.artifactsById.get(stub.artifactId) : undefined;
  if (!artifact) return undefined;
  switch (stub.kind) {
    case 'owner': {
      const owner = index.owner(artifact.owner.value);
      const counterpart = index.counterpartOf(artifact);
      return { title: `${owner?.title ?? artifact.owner.value} owns · counterpart ${sideName(counterpart, 'none declared')}`, action: 'boundary' };
    }
    case 'evals': {
      const f = artifactFacts(index, artifact);
      return { title: plural(f.evalCases.length, 'eval case'), action: 'locations', heading: `Eval cases of ${artifact.id}`, places: f.evalCases.map((c) => ({ file: c.file, range: c.range })) };
    }
    case 'intents': {
      const f = artifactFacts(index, artifact);
      const uncovered = f.intents.filter((i) => i.evalCases.length === 0).length;
      const places = f.intents.flatMap((i) => (i.declared ? [{ file: index.manifestFile, range: i.declared.idRange }] : []));
      return { title: `${plural(f.intents.length, 'intent')}${uncovered ? ` · ${uncovered} uncovered` : ''}`, action: 'locations', heading: `Intents of ${artifact.id}`, places };
    }
    case 'review':
      return { title: 'Request counterpart review', action: 'review', artifactId: artifact.id };
    default:
      return undefined;
  }
}
