import { artifactLabel, capital, formatDay, kindNoun, sideName } from '../describe';
import { compareFindings, DEFAULT_SEVERITY, type Finding, type FindingCode, type RelatedPlace, type Severity } from '../findings';
import type { Artifact, Intent, Owner } from '../manifest/model';
import { placesOf, type ArtifactContent, type FileEvalIntents, type WorkspaceIndex } from '../index/workspaceIndex';
import type { CopyMention, Marker } from '../index/scan';
import type { Review } from '../ledger/ledger';
import { contractText } from '../locate/artifactText';
import type { Range } from '../text';
import { compareConditionLists, conditionSentences } from './conditions';

export interface RuleOptions {
  /** Who is editing: a git email or @handle, matched against owners' members. */
  readonly identity?: string;
  /** Per-code severity; 'off' drops the finding. */
  readonly severity?: Readonly<Partial<Record<FindingCode, Severity | 'off'>>>;
  /**
   * The artifact's text as last reviewed, from git at the review's commit,
   * for when the ledger does not keep it. Left out where git may not run
   * (restricted workspaces): findings then say what cannot be told.
   */
  readonly reviewedText?: (artifact: Artifact) => string | undefined;
}

/** Every finding of a folder, sorted: what was found while reading plus the boundary rules. */
export function computeFindings(index: WorkspaceIndex, options: RuleOptions = {}): Finding[] {
  const rules = new Rules(index, options);
  const out: Finding[] = [...index.problems];
  for (const intent of index.manifest.intents.values()) out.push(...rules.intent(intent));
  for (const markers of index.fileMarkers.values()) out.push(...rules.undeclaredMarkers(markers));
  for (const places of index.fileEvalIntents.values()) out.push(...rules.undeclaredEvalIntents(places));
  for (const content of index.contents.values()) out.push(...rules.review(content));
  const mine = options.identity ? index.sideOf(options.identity) : undefined;
  if (mine) for (const artifact of index.manifest.artifacts) out.push(...rules.foreign(artifact, mine));
  return finish(out, index, options, true).sort(compareFindings);
}

/**
 * The last steps every finding takes: quoted values cut, severities from the
 * settings. Built from the last good manifest, places in the manifest are of
 * that old text, so only what was found reading the manifest as it is now
 * (the first problems) is shown there.
 */
export function finish(findings: readonly Finding[], index: WorkspaceIndex, options: RuleOptions, fromProblems = false): Finding[] {
  const stale = index.staleManifest;
  const shown = stale === undefined ? findings : findings.filter((f, i) => (fromProblems && i < stale) || f.file !== index.manifestFile);
  return applySeverity(shown.map(shortQuotes), options.severity);
}

/** A quoted value longer than this is cut: a finding names a value, it does not repeat a huge one. */
const QUOTE_MAX = 80;
const LONG_QUOTE = new RegExp(`(['"\`])([^'"\`\\n]{${QUOTE_MAX}})[^'"\`\\n]+\\1`, 'g');
const LONG_RUN = new RegExp(`(\\S{${QUOTE_MAX}})\\S{40,}`, 'g');

/** Messages quote values from the workspace; a huge one is shown by its start. */
function shortQuotes(f: Finding): Finding {
  if (f.message.length <= 400) return f;
  let message = f.message.replace(LONG_QUOTE, '$1$2…$1').replace(LONG_RUN, '$1…');
  // A value full of quotes and line breaks escapes the cuts above: keep the sentence's start and end.
  if (message.length > MESSAGE_MAX) message = `${message.slice(0, 400)} … ${message.slice(-300)}`;
  return message === f.message ? f : { ...f, message };
}

/** No finding says more than this; past it, the middle (a huge value) is left out. */
const MESSAGE_MAX = 1000;

function applySeverity(findings: Finding[], overrides: RuleOptions['severity']): Finding[] {
  if (!overrides) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const s = overrides[f.code];
    if (s === 'off') continue;
    out.push(s ? { ...f, severity: s } : f);
  }
  return out;
}

/** The sides that own evals and prompts (the first eval set's and system prompt's owners), and intents. */
function boundarySides(index: WorkspaceIndex): { evals?: Owner; prompts?: Owner; intents?: Owner } {
  const firstOwner = (kind: Artifact['kind']): Owner | undefined => index.owner(index.artifactsOfKind(kind)[0]?.owner.value);
  const evals = firstOwner('eval-set') ?? firstOwner('system-prompt');
  const intents = index.owner(index.manifest.surfaces[0]?.owner.value) ?? index.owner([...index.manifest.intents.values()][0]?.owner?.value);
  return { evals, prompts: firstOwner('system-prompt') ?? evals, intents };
}

/**
 * Who can act on an intent finding, for outputs that fold the sentences:
 * "ML Platform (@sam)" for a missing eval case or prompt, the intents' side
 * for an undeclared intent. Undefined for other codes.
 */
export function whoActs(index: WorkspaceIndex): (code: FindingCode) => string | undefined {
  // Worked out once: the sides do not change from one finding to the next.
  const sides = boundarySides(index);
  const hasEvals = index.artifactsOfKind('eval-set').length > 0;
  return (code) => {
  switch (code) {
    case 'uncovered-intent': return hasEvals ? sideName(sides.evals) : undefined;
    case 'unhandled-intent':
    case 'copy-promise': return sideName(sides.prompts);
    case 'undeclared-intent':
    case 'unknown-intent': return sides.intents ? sideName(sides.intents) : undefined;
    default: return undefined;
  }
  };
}

/** How many other places of the same promise a finding points at. */
const RELATED_MAX = 10;

/**
 * The boundary rules, one unit at a time (an intent, a file's markers, an
 * artifact), so a caller may recompute only the units whose inputs changed.
 * Each method answers that unit's findings, unfinished (see `finish`).
 */
export class Rules {
  private readonly evalOwner: Owner | undefined;
  private readonly promptOwner: Owner | undefined;
  private readonly intentOwner: Owner | undefined;
  /** "Evals are owned by ML Platform (@sam)", or, with no eval set declared, that there is none. */
  readonly evalsSentence: string;
  private out: Finding[] = [];

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly options: RuleOptions,
  ) {
    const sides = boundarySides(index);
    this.evalOwner = sides.evals;
    this.promptOwner = sides.prompts;
    this.intentOwner = sides.intents;
    this.evalsSentence = index.artifactsOfKind('eval-set').length
      ? `Evals are owned by ${sideName(this.evalOwner)}.`
      : `No eval set is declared in ${index.manifestFile}, so no eval case is counted at all.`;
  }

  /** What the findings of every unit depend on besides the unit's own inputs. */
  get shared(): readonly unknown[] {
    return [this.evalsSentence, this.evalOwner, this.promptOwner, this.intentOwner, this.index.manifest, this.index.staleManifest, this.options.severity];
  }

  private add(code: FindingCode, file: string, range: Range, message: string, subject?: Finding['subject'], related?: RelatedPlace[]): void {
    this.out.push({ code, severity: DEFAULT_SEVERITY[code], message, file, range, subject, related });
  }

  private collect(work: () => void): Finding[] {
    this.out = [];
    work();
    const found = this.out;
    this.out = [];
    return found;
  }

  /** uncovered-intent, unhandled-intent, copy-promise: one declared intent against evals, prompts and copy. */
  intent(intent: Intent): Finding[] {
    return this.collect(() => this.checkIntent(intent));
  }

  private checkIntent(intent: Intent): void {
    const { index } = this;
    const evals = this.evalsSentence;
    const prompts = sideName(this.promptOwner);
    const manifest = index.manifestFile;
    const id = intent.id;
    // The intent as users meet it: covered by any case anywhere.
    const covered = (index.intentEvalCases.get(id)?.length ?? 0) > 0;
    const markers = index.intentMarkers.get(id) ?? [];
    const copy = index.intentCopy.get(id) ?? [];
    const listedBy = index.intentArtifacts.get(id) ?? [];
    const handled = listedBy.some((a) => a.kind === 'system-prompt');
    const declaration: RelatedPlace[] = [{ file: manifest, range: intent.idRange, message: `Intent '${id}' is declared here.` }];
    const subject = { intent: id };
    if (!covered) {
      const where = markers.length ? ` It is surfaced in ${markers.length === 1 ? '1 place' : `${markers.length} places`} in the UI.` : '';
      this.add('uncovered-intent', manifest, intent.idRange, `No eval case covers intent '${id}'.${where} ${evals}`, subject);
      for (const m of markers) {
        this.add('uncovered-intent', m.file, m.range, `Intent '${id}' is surfaced here, but no eval case covers it. ${evals}`, subject, declaration);
      }
    }
    for (const artifact of listedBy) {
      const ref = artifact.intents.find((r) => r.value === id);
      if (!ref) continue;
      // A prompt is covered only by cases that run against it; other artifacts by any case.
      const isPrompt = artifact.kind === 'system-prompt';
      if (isPrompt ? index.promptCases(artifact.id, id).length : covered) continue;
      const message = isPrompt && covered
        ? `${capital(artifactLabel(artifact))} lists intent '${id}', but no eval case that runs this prompt covers it: its cases run against other prompts. ${evals}`
        : `${capital(artifactLabel(artifact))} lists intent '${id}', but no eval case covers it. ${evals}`;
      this.add('uncovered-intent', manifest, ref.range, message, { intent: id, artifact: artifact.id });
    }
    if (!handled && (markers.length || copy.length)) {
      const how = markers.length && copy.length ? 'surfaced in the UI and promised in help copy' : markers.length ? 'surfaced in the UI' : 'promised in help copy';
      this.add('unhandled-intent', manifest, intent.idRange, `Intent '${id}' is ${how}, but no system prompt is tuned for it. Prompts are owned by ${prompts}.`, subject);
      for (const m of markers) {
        this.add('unhandled-intent', m.file, m.range, `Intent '${id}' is surfaced here, but no system prompt is tuned for it. Prompts are owned by ${prompts}.`, subject, declaration);
      }
    }
    if (!handled || !covered) {
      const gap = !handled && !covered ? 'no system prompt is tuned for it and no eval case covers it' : !handled ? 'no system prompt is tuned for it' : 'no eval case covers it';
      const sameFile = new Map<string, CopyMention[]>();
      for (const c of copy) sameFile.set(c.file, [...(sameFile.get(c.file) ?? []), c].slice(0, RELATED_MAX + 1));
      for (const c of copy) {
        // The same promise elsewhere in the file is one fact: each place points at the others (a few of them).
        const others: RelatedPlace[] = (sameFile.get(c.file) ?? []).filter((o) => o !== c).slice(0, RELATED_MAX).map((o) => ({ file: o.file, range: o.range, message: `The same promise ("${o.phrase.replace(/\s+/g, ' ')}") is made here too.` }));
        this.add('copy-promise', c.file, c.range, `This copy promises "${c.phrase.replace(/\s+/g, ' ')}" (intent '${id}'), but ${gap}. Check with ${prompts} before publishing.`, subject, [...declaration, ...others]);
      }
    }
  }

  /** undeclared-intent: one file's markers naming intents the manifest does not declare. */
  undeclaredMarkers(markers: readonly Marker[]): Finding[] {
    return this.collect(() => {
      const { index } = this;
      const declared = index.manifest.intents;
      for (const m of markers) {
        if (declared.has(m.intent)) continue;
        const surfaceOwner = index.owner(index.manifest.surfaces[m.surfaceIndex]?.owner.value);
        const other = surfaceOwner ? index.otherSide(surfaceOwner.id) : this.evalOwner;
        this.add('undeclared-intent', m.file, m.range,
          `Intent '${m.intent}' is surfaced here but not declared in ${index.manifestFile}, so nobody owns it and ${sideName(other)} cannot cover it with evals or tune a prompt for it. Declare it or fix the spelling.`,
          { intent: m.intent });
      }
    });
  }

  /**
   * undeclared-intent: the intents one eval file writes that the manifest does
   * not declare. Each place once: one written in defaultTest is one finding,
   * not one per case.
   */
  undeclaredEvalIntents(places: FileEvalIntents): Finding[] {
    return this.collect(() => {
      const { index } = this;
      const declared = index.manifest.intents;
      places.intents.forEach((intent, i) => {
        if (declared.has(intent.value)) return;
        const who = intent.file === places.cases[i].file ? 'This eval case tests' : 'The cases of this suite test';
        this.add('undeclared-intent', intent.file, intent.range,
          `${who} intent '${intent.value}', which is not declared in ${index.manifestFile}. Intents users see are declared by ${sideName(this.intentOwner)}: ask them, or fix the spelling.`,
          { intent: intent.value });
      });
    });
  }

  /** never-reviewed, changed-since-review, tool-contract-change: one artifact against the ledger. */
  review(content: ArtifactContent): Finding[] {
    return this.collect(() => this.checkReview(content));
  }

  private checkReview(content: ArtifactContent): void {
    const { index } = this;
    const { artifact, hash } = content;
    if (!hash) return;
    const reviewer = sideName(index.counterpartOf(artifact));
    const noun = kindNoun(artifact.kind);
    const review = index.ledger.reviews.get(artifact.id);
    const subject = { artifact: artifact.id };
    const places = placesOf(content);
    if (!review) {
      for (const p of places) this.add('never-reviewed', p.file, p.range, `${reviewer} has never reviewed this ${noun} ('${artifact.id}'). Ask them for a counterpart review.`, subject);
      return;
    }
    if (review.hash === hash) return;
    const isTool = artifact.kind === 'tool-description';
    const before = isTool ? this.reviewedConditions(content.artifact, review, content.files[0]) : undefined;
    const unknown = !isTool || before !== undefined ? ''
      : ` Counterpart cannot tell whether the rule for calling the tool changed: the ledger keeps no reviewed text of it, and ${this.options.reviewedText ? "git has no copy of it at the review's commit" : 'git does not run here'}.`;
    for (const p of places) {
      this.add('changed-since-review', p.file, p.range, `This ${noun} changed since ${reviewer} last reviewed it (${review.by}, ${formatDay(review.at)}). Ask them to review it again.${unknown}`, subject);
    }
    if (before === undefined || content.contract === undefined) return;
    const change = compareConditionLists(before, conditionSentences(content.contract));
    if (!change) return;
    const parts: string[] = [];
    const quote = (list: string[]): string => list.map((s) => `"${s.replace(/[.;]$/, '')}"`).join(' and ');
    if (change.added.length) parts.push(`now says ${quote(change.added)}`);
    if (change.removed.length) parts.push(`no longer says ${quote(change.removed)}`);
    for (const p of places) {
      this.add('tool-contract-change', p.file, p.range,
        `The rule for when the model calls this tool changed: it ${parts.join(', and ')}. This changes how often the tool runs; ${reviewer} has not reviewed it.`, subject);
    }
  }

  /**
   * A tool's condition sentences as reviewed: kept in the ledger, else read
   * from the reviewed text (the ledger's, or git's at the review's commit).
   */
  private reviewedConditions(artifact: Artifact, review: Review, file: string | undefined): readonly string[] | undefined {
    if (review.conditions) return review.conditions;
    const text = review.text ?? this.options.reviewedText?.(artifact);
    if (text === undefined || file === undefined) return undefined;
    const contract = contractText(this.index, artifact, file, text);
    return contract === undefined ? undefined : conditionSentences(contract);
  }

  /** foreign-edit: an artifact owned by the side the current person (`mine`) is not on. */
  foreign(artifact: Artifact, mine: Owner): Finding[] {
    return this.collect(() => {
      if (artifact.owner.value === mine.id) return;
      const owner = this.index.owner(artifact.owner.value);
      for (const p of placesOf(this.index.contents.get(artifact.id))) {
        this.add('foreign-edit', p.file, p.range, `${sideName(owner)} owns this ${kindNoun(artifact.kind)} and you are on ${mine.title}: changes here need their review.`, { artifact: artifact.id });
      }
    });
  }
}

