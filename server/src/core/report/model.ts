import { kindNoun, sideName } from '../describe';
import type { Finding, FindingCode, Severity } from '../findings';
import { anchorOf, type WorkspaceIndex } from '../index/workspaceIndex';
import type { Artifact, ArtifactKind } from '../manifest/model';
import { boundedDiff } from '../review/compose';
import type { Range } from '../text';
import type { Calendar, ReportPlace } from './calendar';

export type { ArtifactChangeEvent, Calendar, CalendarCommit, CalendarEvent, CalendarSignOff, CalendarWeek, CommitAuthor, HistoryState, IntentUiEvent, ReportPlace, SignOffEvent } from './calendar';

/** One side of the boundary as the report names it. */
export interface ReportSide {
  readonly id: string;
  readonly title: string;
  readonly lead?: string;
  readonly members: readonly string[];
  /** "ML Platform (@sam)". */
  readonly name: string;
}

/** A place with what is there, for a link's text; in a cell, the first of `count` places in its file. */
export interface ReportLink extends ReportPlace {
  readonly label: string;
  /** How many places of the cell this file holds (1 for an artifact). */
  readonly count: number;
}

/** Where an intent lives, by column of the coverage map. */
export const CELL_KINDS = ['surfaces', 'prompts', 'tools', 'evalCases', 'copy'] as const;
export type CellKind = (typeof CELL_KINDS)[number];

export const CELL_TITLES: Readonly<Record<CellKind, string>> = {
  surfaces: 'UI surfaces',
  prompts: 'System prompts tuned for it',
  tools: 'Tools serving it',
  evalCases: 'Eval cases',
  copy: 'Help-copy promises',
};

/** What is missing for an intent, from the findings of the same names. */
export const GAP_STATES = ['uncovered', 'unhandled', 'promised-unhandled', 'undeclared'] as const;
export type GapState = (typeof GAP_STATES)[number];
/** An intent's state in the map: its gaps, or in step. */
export type IntentState = GapState | 'in-step';

export const STATE_TITLES: Readonly<Record<IntentState, string>> = {
  uncovered: 'Uncovered: no eval case',
  unhandled: 'Unhandled: no system prompt tuned for it',
  'promised-unhandled': 'Promised in help copy but not handled or covered',
  undeclared: 'Undeclared: not in the manifest',
  'in-step': 'In step',
};

/** One cell of the map: how many places, and where they are, one link per file (the first few files). */
export interface ReportCell {
  readonly count: number;
  /** One link per file (per artifact for prompts and tools), at its first place; at most `LINKS_PER_CELL`. */
  readonly places: readonly ReportLink[];
  /** How many files (artifacts) the places are in; more than `places.length` when some are left out. */
  readonly files: number;
  /** The gap this cell shows, when it is empty where it should not be (or holds a broken promise). */
  readonly gap?: GapState;
  /** Eval cases only: the cases that run against each prompt tuned for the intent. */
  readonly perPrompt?: readonly { readonly prompt: string; readonly count: number }[];
}

/** One intent of the coverage map. */
export interface IntentRow {
  readonly id: string;
  readonly title?: string;
  /** The owner id; undefined for an undeclared intent or one with no owner. */
  readonly owner?: string;
  readonly declared: boolean;
  /** Where the manifest declares it. */
  readonly declaredAt?: ReportPlace;
  readonly cells: Readonly<Record<CellKind, ReportCell>>;
  /** Its gaps; `['in-step']` when it has none. */
  readonly states: readonly IntentState[];
}

export type ArtifactReviewState = 'in-step' | 'changed' | 'never-reviewed' | 'unknown';

/** One artifact with its owner and review state. */
export interface ArtifactRow {
  readonly id: string;
  readonly kind: ArtifactKind;
  readonly kindNoun: string;
  readonly owner: string;
  readonly counterpart?: string;
  readonly state: ArtifactReviewState;
  readonly place?: ReportPlace;
  readonly intents: readonly string[];
}

/** The difference between the reviewed text and the text now. */
export type DriftDiff =
  | { readonly kind: 'patch'; readonly text: string }
  | { readonly kind: 'rewritten'; readonly now: number; readonly reviewed: number }
  | { readonly kind: 'unknown'; readonly why: string };

/** An artifact changed since its counterpart last signed it off. */
export interface DriftItem {
  readonly artifact: string;
  readonly kind: ArtifactKind;
  readonly kindNoun: string;
  readonly owner: string;
  readonly counterpart?: string;
  /** Who should review it: "Product (@dana)". */
  readonly reviewer: string;
  readonly lastReview: { readonly by: string; readonly side: string; readonly at: string; readonly commit?: string };
  readonly place?: ReportPlace;
  readonly diff: DriftDiff;
  /** The tool-contract-change sentence, when the rule for calling a tool changed. */
  readonly contractChange?: string;
}

/** A finding about the manifest or the files it names, as the Problems panel shows it. */
export interface ReportProblem {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  readonly place: ReportPlace;
}

/** Everything the boundary report shows; the renderers only format it. */
export interface BoundaryReport {
  /** When it was built (ISO). */
  readonly generatedAt: string;
  /** The workspace's name (its folder's name). */
  readonly workspace: string;
  readonly manifestFile: string;
  readonly sides: readonly ReportSide[];
  readonly intents: readonly IntentRow[];
  readonly artifacts: readonly ArtifactRow[];
  readonly drift: readonly DriftItem[];
  readonly calendar?: Calendar;
  readonly problems: readonly ReportProblem[];
  /** Counts for the summary line. */
  readonly totals: {
    readonly intents: number;
    readonly intentsWithGaps: number;
    readonly artifacts: number;
    readonly drifted: number;
    readonly neverReviewed: number;
    readonly errors: number;
    readonly unreviewedCrossings: number;
  };
}

export interface ReportOptions {
  readonly calendar?: Calendar;
  readonly now?: Date;
  /** The text as last reviewed, from git, for artifacts whose ledger entry keeps none. */
  readonly reviewedText?: (artifact: Artifact) => string | undefined;
}

/** The findings that are the map and drift list themselves; every other one is a problem to list. */
const SHOWN_ELSEWHERE: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'uncovered-intent', 'undeclared-intent', 'unhandled-intent', 'copy-promise',
  'changed-since-review', 'never-reviewed', 'tool-contract-change', 'foreign-edit',
]);

/** Builds the report from the index and its findings; pure, so every renderer shows the same facts. */
export function buildReport(index: WorkspaceIndex, findings: readonly Finding[], options: ReportOptions = {}): BoundaryReport {
  const now = options.now ?? new Date();
  const sides: ReportSide[] = [...index.manifest.owners.values()].map((o) => ({ id: o.id, title: o.title, lead: o.lead, members: [...o.members], name: sideName(o) }));
  const intents = intentRows(index, findings);
  const artifacts = artifactRows(index);
  const drift = driftItems(index, findings, options);
  const problems: ReportProblem[] = findings
    .filter((f) => !SHOWN_ELSEWHERE.has(f.code))
    .map((f) => ({ code: f.code, severity: f.severity, message: f.message, place: placeOf(f.file, f.range) }));
  const unreviewedCrossings = options.calendar?.weeks.reduce((n, w) => n + w.events.filter((e) => e.type === 'artifact-changed' && e.unreviewed).length, 0) ?? 0;
  return {
    generatedAt: now.toISOString(),
    workspace: index.root.replace(/\/+$/, '').split('/').pop() || index.root,
    manifestFile: index.manifestFile,
    sides,
    intents,
    artifacts,
    drift,
    calendar: options.calendar,
    problems,
    totals: {
      intents: intents.length,
      intentsWithGaps: intents.filter((r) => r.states[0] !== 'in-step').length,
      artifacts: artifacts.length,
      drifted: drift.length,
      neverReviewed: artifacts.filter((a) => a.state === 'never-reviewed').length,
      errors: problems.filter((p) => p.severity === 'error').length,
      unreviewedCrossings,
    },
  };
}

function placeOf(file: string, range: Range): ReportPlace {
  return { file, line: range.start.line };
}

/** Where an artifact's text is; its entry in the manifest when none of its files was read. */
function artifactPlace(index: WorkspaceIndex, artifact: Artifact): ReportPlace {
  const at = anchorOf(index.contents.get(artifact.id));
  return at ? placeOf(at.file, at.range) : placeOf(index.manifestFile, artifact.idRange);
}

/**
 * No cell links more files than this; the count still says how many places
 * and files there are. It keeps the page small at 200 intents × 2,000 artifacts.
 */
export const LINKS_PER_CELL = 3;

/**
 * The places of a cell, one link per file (per artifact for prompts and
 * tools): the first place there, with how many places it holds.
 */
function cell(places: readonly ReportPlace[], labelOf: (p: ReportPlace) => string, gap?: GapState, perPrompt?: ReportCell['perPrompt']): ReportCell {
  const byKey = new Map<string, { file: string; line: number; label: string; count: number }>();
  for (const p of places) {
    const label = labelOf(p);
    const hit = byKey.get(label);
    if (hit) {
      hit.count++;
      hit.line = Math.min(hit.line, p.line);
    } else {
      byKey.set(label, { file: p.file, line: p.line, label, count: 1 });
    }
  }
  const links = [...byKey.values()];
  return { count: places.length, places: links.slice(0, LINKS_PER_CELL), files: links.length, ...(gap ? { gap } : {}), ...(perPrompt ? { perPrompt } : {}) };
}

function intentRows(index: WorkspaceIndex, findings: readonly Finding[]): IntentRow[] {
  // The gaps come from the rules' findings, so the map never disagrees with the Problems panel.
  const gaps = new Map<string, Set<GapState>>();
  const gap = (id: string, state: GapState): void => {
    let set = gaps.get(id);
    if (!set) gaps.set(id, (set = new Set()));
    set.add(state);
  };
  const undeclared: string[] = [];
  for (const f of findings) {
    const id = f.subject?.intent;
    if (!id) continue;
    if (f.code === 'uncovered-intent' && !f.subject?.artifact) gap(id, 'uncovered');
    else if (f.code === 'unhandled-intent') gap(id, 'unhandled');
    else if (f.code === 'copy-promise') gap(id, 'promised-unhandled');
    else if (f.code === 'undeclared-intent') {
      if (!gaps.get(id)?.has('undeclared')) undeclared.push(id);
      gap(id, 'undeclared');
    }
  }
  const ids = [...index.manifest.intents.keys(), ...undeclared.filter((id) => !index.manifest.intents.has(id))];
  return ids.map((id) => {
    const declared = index.manifest.intents.get(id);
    const set = gaps.get(id) ?? new Set<GapState>();
    const listed = index.intentArtifacts.get(id) ?? [];
    const prompts = listed.filter((a) => a.kind === 'system-prompt');
    const tools = listed.filter((a) => a.kind === 'tool-description');
    const artifactPlaces = (list: readonly Artifact[]): (ReportPlace & { id: string })[] => list.map((a) => ({ ...artifactPlace(index, a), id: a.id }));
    const byFile = (p: ReportPlace): string => p.file;
    const byArtifact = (p: ReportPlace): string => (p as ReportPlace & { id: string }).id;
    const cases = index.intentEvalCases.get(id) ?? [];
    const states: IntentState[] = GAP_STATES.filter((s) => set.has(s));
    return {
      id,
      title: declared?.title,
      owner: declared?.owner?.value,
      declared: !!declared,
      declaredAt: declared ? placeOf(index.manifestFile, declared.idRange) : undefined,
      cells: {
        surfaces: cell((index.intentMarkers.get(id) ?? []).map((m) => placeOf(m.file, m.range)), byFile),
        prompts: cell(artifactPlaces(prompts), byArtifact, set.has('unhandled') ? 'unhandled' : undefined),
        tools: cell(artifactPlaces(tools), byArtifact),
        evalCases: cell(cases.map((c) => placeOf(c.file, c.range)), byFile, set.has('uncovered') ? 'uncovered' : undefined,
          prompts.length ? prompts.map((p) => ({ prompt: p.id, count: index.promptCases(p.id, id).length })) : undefined),
        copy: cell((index.intentCopy.get(id) ?? []).map((c) => placeOf(c.file, c.range)), byFile, set.has('promised-unhandled') ? 'promised-unhandled' : undefined),
      },
      states: states.length ? states : ['in-step'],
    };
  });
}

function artifactRows(index: WorkspaceIndex): ArtifactRow[] {
  return index.manifest.artifacts.map((artifact) => {
    const hash = index.contents.get(artifact.id)?.hash;
    const review = index.ledger.reviews.get(artifact.id);
    const state: ArtifactReviewState = !review ? 'never-reviewed' : !hash ? 'unknown' : review.hash === hash ? 'in-step' : 'changed';
    return {
      id: artifact.id,
      kind: artifact.kind,
      kindNoun: kindNoun(artifact.kind),
      owner: artifact.owner.value,
      counterpart: index.counterpartOf(artifact)?.id,
      state,
      place: artifactPlace(index, artifact),
      intents: artifact.intents.map((i) => i.value),
    };
  });
}

function driftItems(index: WorkspaceIndex, findings: readonly Finding[], options: ReportOptions): DriftItem[] {
  const contract = new Map<string, string>();
  for (const f of findings) if (f.code === 'tool-contract-change' && f.subject?.artifact) contract.set(f.subject.artifact, f.message);
  const out: DriftItem[] = [];
  for (const artifact of index.manifest.artifacts) {
    const content = index.contents.get(artifact.id);
    const review = index.ledger.reviews.get(artifact.id);
    if (!content?.hash || !review || review.hash === content.hash) continue;
    const counterpart = index.counterpartOf(artifact);
    const before = review.text ?? options.reviewedText?.(artifact);
    let diff: DriftDiff;
    if (content.text === undefined) diff = { kind: 'unknown', why: `It spans ${content.files.length} files; open them to see what changed.` };
    else if (before === undefined) {
      // Without a way to read git (restricted workspaces, --no-git) say so, not that git has no copy.
      const git = !options.reviewedText ? ', and git does not run here' : review.commit ? ` and git has no copy of it at commit ${review.commit}` : '';
      diff = { kind: 'unknown', why: `The ledger keeps no reviewed text of it${git}.` };
    }
    else diff = boundedDiff(before, content.text);
    out.push({
      artifact: artifact.id,
      kind: artifact.kind,
      kindNoun: kindNoun(artifact.kind),
      owner: artifact.owner.value,
      counterpart: counterpart?.id,
      reviewer: sideName(counterpart),
      lastReview: { by: review.by, side: review.side, at: review.at, commit: review.commit },
      place: artifactPlace(index, artifact),
      diff,
      contractChange: contract.get(artifact.id),
    });
  }
  return out;
}
