import { artifactFacts, type ArtifactFacts } from '../explain';
import type { EvalCase } from '../evals/parse';
import type { CopyMention, Marker } from '../index/scan';
import type { ArtifactContent, WorkspaceIndex } from '../index/workspaceIndex';
import type { Review } from '../ledger/ledger';
import type { Artifact, Owner } from '../manifest/model';
import { normalizeEol } from '../text';

/** Reads a file of one version (the base commit, the working tree); undefined when it is not there. */
export type ReadText = (file: string) => string | undefined;

/** One version of the folder, as the change computation sees it. */
export interface Version {
  /** Undefined when that version has no manifest (Counterpart came in with the change). */
  readonly index: WorkspaceIndex | undefined;
  readonly read: ReadText;
}

export interface ChangeInput {
  /** What names the base, as the person gave it ("origin/main", "3f2a9c1"). */
  readonly baseLabel: string;
  readonly head: Version & { readonly index: WorkspaceIndex };
  readonly base: Version;
  /** Files renamed by the change: path now → path at base. */
  readonly renamed: ReadonlyMap<string, string>;
}

/** One file's part of an artifact's change: its text at base and now (undefined where it is not). */
export interface ChangedPart {
  readonly file?: string;
  readonly baseFile?: string;
  readonly before?: string;
  readonly after?: string;
}

/** Whether the counterpart has signed off the artifact as it is after the change. */
export type SignOff =
  | { readonly state: 'signed'; readonly review: Review; readonly recordedInChange: boolean }
  | { readonly state: 'stale'; readonly review: Review }
  | { readonly state: 'none' };

/** An artifact the change adds, removes or edits. */
export interface ArtifactChange {
  readonly id: string;
  readonly artifact: Artifact;
  readonly change: 'added' | 'modified' | 'removed';
  /** What changed besides the text, in plain words ("its owner, was ML Platform"). */
  readonly notes: readonly string[];
  readonly textChanged: boolean;
  readonly owner: Owner | undefined;
  readonly counterpart: Owner | undefined;
  readonly parts: readonly ChangedPart[];
  readonly signOff: SignOff;
  /** Intents, eval cases and UI surfaces as they are after the change (not for a removed artifact). */
  readonly facts?: ArtifactFacts;
}

export interface Added<T> {
  readonly added: readonly T[];
  readonly removed: readonly T[];
}

/** Everything a change does to the boundary, compared by artifact id and by fact, never by line. */
export interface ChangeSet {
  readonly baseLabel: string;
  readonly artifacts: readonly ArtifactChange[];
  readonly markers: Added<Marker>;
  readonly evalCases: Added<EvalCase>;
  readonly copy: Added<CopyMention>;
  /** What could not be told, one sentence each. */
  readonly notes: readonly string[];
}

/**
 * Compares the folder at base with the folder now. An artifact is compared by
 * its id through its locator, so a renamed file with the same text is no
 * change; the sides that review (members, review channels) are those of the
 * base manifest, so a change cannot name its own reviewers.
 */
export function computeChangeSet(input: ChangeInput): ChangeSet {
  const { head, base } = input;
  const notes: string[] = [];
  if (!base.index) notes.push(`There is no ${head.index.manifestFile} at ${input.baseLabel}: every artifact counts as added.`);
  else if (base.index.ledger.unreadable || base.index.ledger.refused) notes.push(`The review ledger at ${input.baseLabel} could not be read, so sign-offs recorded by this change cannot be told from older ones.`);
  if (base.index) notes.push(...sideNotes(base.index, head.index));
  const artifacts: ArtifactChange[] = [];
  for (const artifact of head.index.manifest.artifacts) {
    if (head.index.artifactsById.get(artifact.id) !== artifact) continue;
    const change = compareArtifact(input, artifact);
    if (change) artifacts.push(change);
  }
  for (const artifact of base.index?.manifest.artifacts ?? []) {
    if (head.index.artifactsById.has(artifact.id) || base.index!.artifactsById.get(artifact.id) !== artifact) continue;
    const content = base.index!.contents.get(artifact.id);
    artifacts.push({
      id: artifact.id, artifact, change: 'removed', notes: [], textChanged: true,
      owner: base.index!.owner(artifact.owner.value), counterpart: base.index!.counterpartOf(artifact),
      parts: textParts(content, base.read).map(([file, text]) => ({ baseFile: file, before: text })),
      signOff: { state: 'none' },
    });
  }
  artifacts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const baseOf = (file: string): string => input.renamed.get(file) ?? file;
  const caseKey = (read: ReadText, toBase: (f: string) => string): ((c: EvalCase) => string) => {
    // A file of many cases is read and split once, not once per case.
    const lines = new Map<string, string[]>();
    const linesOf = (file: string): string[] => {
      let l = lines.get(file);
      if (!l) lines.set(file, (l = normalizeEol(read(file) ?? '').split('\n')));
      return l;
    };
    return (c) => [c.evalSet, toBase(c.file), c.label, c.intents.map((i) => i.value).sort().join(','), linesOf(c.file).slice(c.range.start.line, c.range.end.line + 1).join('\n')].join('\u0000');
  };
  return {
    baseLabel: input.baseLabel,
    artifacts,
    markers: compareFacts(head.index.markers, base.index?.markers ?? [], (m) => `${baseOf(m.file)}\u0000${m.intent}`, (m) => `${m.file}\u0000${m.intent}`),
    evalCases: compareFacts(head.index.evalCases, base.index?.evalCases ?? [], caseKey(head.read, baseOf), caseKey(base.read, (f) => f)),
    copy: compareFacts(head.index.copy, base.index?.copy ?? [], (c) => `${baseOf(c.file)}\u0000${c.intent}\u0000${c.phrase.toLowerCase()}`, (c) => `${c.file}\u0000${c.intent}\u0000${c.phrase.toLowerCase()}`),
    notes,
  };
}

/** Who counts as each side, before and after: a change to it is said, since it is not used until merged. */
function sideNotes(base: WorkspaceIndex, head: WorkspaceIndex): string[] {
  const out: string[] = [];
  for (const now of head.manifest.owners.values()) {
    const was = base.manifest.owners.get(now.id);
    if (!was) continue;
    const people = (o: Owner): string[] => [...new Set([o.lead, ...o.members].filter((m): m is string => !!m))];
    const before = new Set(people(was).map((p) => p.toLowerCase()));
    const after = new Set(people(now).map((p) => p.toLowerCase()));
    const added = people(now).filter((p) => !before.has(p.toLowerCase()));
    const removed = people(was).filter((p) => !after.has(p.toLowerCase()));
    const channel = (o: Owner): string => [o.review.github, o.review.url].filter(Boolean).join(' ');
    const parts: string[] = [];
    if (added.length) parts.push(`adds ${added.join(', ')}`);
    if (removed.length) parts.push(`removes ${removed.join(', ')}`);
    if (channel(was) !== channel(now)) parts.push('changes its review channel');
    if (parts.length) out.push(`This change ${parts.join(' and ')} on ${was.title}'s side; reviews are counted with the sides as they were before it, until it is merged.`);
  }
  return out;
}

function compareArtifact(input: ChangeInput, artifact: Artifact): ArtifactChange | undefined {
  const { head, base } = input;
  const was = base.index?.artifactsById.get(artifact.id);
  const content = head.index.contents.get(artifact.id);
  const now = textParts(content, head.read);
  const before = was ? textParts(base.index!.contents.get(artifact.id), base.read) : [];
  const textChanged = !was || !sameTexts(now.map(([, t]) => t), before.map(([, t]) => t));
  // Sides as the base knows them: a change that adds itself to the other side's members does not review itself.
  const side = (id: string | undefined): Owner | undefined => (id === undefined ? undefined : base.index?.owner(id) ?? head.index.owner(id));
  const owner = side(artifact.owner.value);
  const counterpartNow = head.index.counterpartOf(artifact);
  const counterpart = side(counterpartNow?.id);
  const notes: string[] = [];
  if (was) {
    const ownerWas = base.index!.owner(was.owner.value);
    const counterpartWas = base.index!.counterpartOf(was);
    if (was.owner.value !== artifact.owner.value) notes.push(`its owner changed: it was ${ownerWas?.title ?? was.owner.value}`);
    if (counterpartWas?.id !== counterpartNow?.id) notes.push(`its counterpart changed: it was ${counterpartWas?.title ?? 'none'}`);
    if (was.kind !== artifact.kind) notes.push(`its kind changed: it was ${was.kind}`);
  }
  if (!textChanged && !notes.length) return undefined;
  const parts = pairParts(now, before, input.renamed);
  return {
    id: artifact.id, artifact, change: was ? 'modified' : 'added', notes, textChanged,
    owner, counterpart, parts,
    signOff: signOffOf(head.index, base.index, artifact, content, counterpart),
    facts: artifactFacts(head.index, artifact),
  };
}

/** An artifact's text per file: the located text, else the whole file. */
function textParts(content: ArtifactContent | undefined, read: ReadText): [string, string][] {
  if (!content) return [];
  if (content.artifact.locator) return content.located.map((p) => [p.file, p.value.text]);
  if (content.files.length === 1 && content.text !== undefined) return [[content.files[0], content.text]];
  return content.files.flatMap((f): [string, string][] => {
    const text = read(f);
    return text === undefined ? [] : [[f, text]];
  });
}

/** The same texts, wherever they are: a file moved without an edit is no change. */
function sameTexts(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = a.map(normalizeEol).sort();
  const sb = b.map(normalizeEol).sort();
  return sa.every((t, i) => t === sb[i]);
}

/** Each file's text now beside its text at base: same path, or the path it was renamed from. */
function pairParts(now: [string, string][], before: [string, string][], renamed: ReadonlyMap<string, string>): ChangedPart[] {
  const left = new Map(before);
  const parts: ChangedPart[] = [];
  for (const [file, after] of now) {
    const baseFile = left.has(file) ? file : renamed.get(file) !== undefined && left.has(renamed.get(file)!) ? renamed.get(file)! : before.length === 1 && now.length === 1 ? before[0][0] : undefined;
    const text = baseFile === undefined ? undefined : left.get(baseFile);
    if (baseFile !== undefined) left.delete(baseFile);
    if (text !== undefined && normalizeEol(text) === normalizeEol(after)) continue;
    parts.push({ file, baseFile, before: text, after });
  }
  for (const [baseFile, text] of left) parts.push({ baseFile, before: text });
  return parts;
}

function signOffOf(head: WorkspaceIndex, base: WorkspaceIndex | undefined, artifact: Artifact, content: ArtifactContent | undefined, counterpart: Owner | undefined): SignOff {
  const review = head.ledger.reviews.get(artifact.id);
  if (!review) return { state: 'none' };
  if (!content?.hash || review.hash !== content.hash || (counterpart && review.side !== counterpart.id)) return { state: 'stale', review };
  const atBase = base?.ledger.reviews.get(artifact.id);
  return { state: 'signed', review, recordedInChange: atBase?.hash !== review.hash || atBase.by !== review.by };
}

/** Facts now that were not there at base (added), and the other way round, by key, as multisets. */
function compareFacts<T>(now: readonly T[], before: readonly T[], keyNow: (t: T) => string, keyBefore: (t: T) => string): Added<T> {
  const counts = new Map<string, T[]>();
  for (const t of before) {
    const k = keyBefore(t);
    let list = counts.get(k);
    if (!list) counts.set(k, (list = []));
    list.push(t);
  }
  const added: T[] = [];
  for (const t of now) {
    const list = counts.get(keyNow(t));
    if (list?.length) list.shift();
    else added.push(t);
  }
  return { added, removed: [...counts.values()].flat() };
}
