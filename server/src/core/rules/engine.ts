import { compareFindings, type Finding } from '../findings';
import type { IndexPatch } from '../index/incremental';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { finish, Rules, type RuleOptions } from './rules';

/** One unit's findings (an intent, a file's markers, an artifact…) and the inputs they were computed from. */
interface Section {
  deps: readonly unknown[];
  byFile: ReadonlyMap<string, readonly Finding[]>;
  /** The update that last saw this unit; older ones are gone. */
  seen: number;
}

const NO_FINDINGS: ReadonlyMap<string, readonly Finding[]> = new Map();

/**
 * The findings of one folder, kept between builds and recomputed only for
 * the units whose inputs changed. Inputs are compared by identity: the index
 * gives an unchanged intent, file or artifact the same objects from one
 * update to the next (see `IndexUpdater`), and new ones for anything it read
 * again. A fresh engine on any index gives what `computeFindings` gives.
 */
export class FindingsEngine {
  private readonly kinds = {
    problems: new Map<string, Section>(),
    intents: new Map<string, Section>(),
    markers: new Map<string, Section>(),
    evalIntents: new Map<string, Section>(),
    reviews: new Map<string, Section>(),
    foreign: new Map<string, Section>(),
  };
  /** Per file, the sections with findings there. */
  private readonly fileSections = new Map<string, Set<Section>>();
  /** The findings of each file, sorted; only files with findings. */
  readonly byFile = new Map<string, readonly Finding[]>();
  private generation = 0;
  private total = 0;
  private shared: readonly unknown[] | undefined;
  /** The index of the last update, which a patch must be of. */
  private last: WorkspaceIndex | undefined;

  /** How many findings there are in all. */
  get count(): number {
    return this.total;
  }

  /** Every finding, sorted. */
  all(): Finding[] {
    return [...this.byFile.keys()].sort().flatMap((file) => this.byFile.get(file)!);
  }

  /**
   * Brings the findings up to date with `index`; answers the files whose
   * findings may have changed. `patch` says what changed when the index is the
   * last one, patched in place: then only those units are looked at.
   */
  update(index: WorkspaceIndex | undefined, options: RuleOptions = {}, patch?: IndexPatch): Set<string> {
    const dirty = new Set<string>();
    const gen = ++this.generation;
    let seen = 0;
    if (index) {
      const rules = new Rules(index, options);
      // What every unit depends on: when any of it changed, every unit is computed again.
      const shared = [...rules.shared, options.reviewedText !== undefined, options.identity, index.ledger];
      const all = !this.shared || !sameDeps(this.shared, shared);
      this.shared = shared;
      if (patch && !all && index === this.last) {
        this.updatePatched(index, options, rules, patch, gen, dirty);
        for (const file of dirty) this.assemble(file);
        return dirty;
      }
      this.last = index;
      const { kinds } = this;
      // Per unit, the inputs are compared in place: nothing is allocated for a unit that did not change.
      const keep = (section: Section | undefined, a: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown): section is Section => {
        if (all || !section) return false;
        const x = section.deps;
        if (x[0] !== a || x[1] !== b || x[2] !== c || x[3] !== d || x[4] !== e || x[5] !== f) return false;
        section.seen = gen;
        seen++;
        return true;
      };
      const put = (sections: Map<string, Section>, key: string, old: Section | undefined, deps: readonly unknown[], findings: Finding[], fromProblems = false): void => {
        this.store(sections, key, old, deps, finish(findings, index, options, fromProblems), gen, dirty);
        seen++;
      };
      const problems = kinds.problems.get('');
      if (!keep(problems, index.problems, index.problems.length)) put(kinds.problems, '', problems, [index.problems, index.problems.length], index.problems, true);
      for (const intent of index.manifest.intents.values()) {
        const id = intent.id;
        const old = kinds.intents.get(id);
        const cases = index.intentEvalCases.get(id);
        const markers = index.intentMarkers.get(id);
        const copy = index.intentCopy.get(id);
        const listed = index.intentArtifacts.get(id);
        if (keep(old, intent, cases, markers, copy, listed, index.evalSetPrompts)) continue;
        put(kinds.intents, id, old, [intent, cases, markers, copy, listed, index.evalSetPrompts], rules.intent(intent));
      }
      for (const [file, markers] of index.fileMarkers) {
        const old = kinds.markers.get(file);
        if (!keep(old, markers)) put(kinds.markers, file, old, [markers], rules.undeclaredMarkers(markers));
      }
      for (const [file, places] of index.fileEvalIntents) {
        const old = kinds.evalIntents.get(file);
        if (!keep(old, places)) put(kinds.evalIntents, file, old, [places], rules.undeclaredEvalIntents(places));
      }
      for (const [id, content] of index.contents) {
        const old = kinds.reviews.get(id);
        const review = index.ledger.reviews.get(id);
        if (!keep(old, content, review)) put(kinds.reviews, id, old, [content, review], rules.review(content));
      }
      const mine = options.identity ? index.sideOf(options.identity) : undefined;
      if (mine) {
        for (const artifact of index.manifest.artifacts) {
          const old = kinds.foreign.get(artifact.id);
          const content = index.contents.get(artifact.id);
          if (!keep(old, artifact, content, mine)) put(kinds.foreign, artifact.id, old, [artifact, content, mine], rules.foreign(artifact, mine));
        }
      }
    } else {
      this.shared = undefined;
      this.last = undefined;
    }
    // Units gone since the last update take their findings with them (only looked for when some are).
    let total = 0;
    for (const sections of Object.values(this.kinds)) total += sections.size;
    if (seen !== total) {
      for (const sections of Object.values(this.kinds)) {
        for (const [key, section] of sections) {
          if (section.seen === gen) continue;
          this.place(section, NO_FINDINGS, dirty);
          sections.delete(key);
        }
      }
    }
    for (const file of dirty) this.assemble(file);
    return dirty;
  }

  /** Only the units a patch touched: the problems, the intents whose markers changed, the artifacts read again, the patched files' markers. */
  private updatePatched(index: WorkspaceIndex, options: RuleOptions, rules: Rules, patch: IndexPatch, gen: number, dirty: Set<string>): void {
    const { kinds } = this;
    this.store(kinds.problems, '', kinds.problems.get(''), [index.problems, index.problems.length], finish(index.problems, index, options, true), gen, dirty);
    for (const id of patch.intents) {
      const intent = index.manifest.intents.get(id);
      if (!intent) continue;
      const deps = [intent, index.intentEvalCases.get(id), index.intentMarkers.get(id), index.intentCopy.get(id), index.intentArtifacts.get(id), index.evalSetPrompts];
      this.store(kinds.intents, id, kinds.intents.get(id), deps, finish(rules.intent(intent), index, options), gen, dirty);
    }
    for (const id of patch.artifacts) {
      const content = index.contents.get(id);
      const review = kinds.reviews.get(id);
      if (content) this.store(kinds.reviews, id, review, [content, index.ledger.reviews.get(id)], finish(rules.review(content), index, options), gen, dirty);
      else if (review) this.drop(kinds.reviews, id, review, dirty);
      const artifact = index.artifactsById.get(id);
      const mine = options.identity ? index.sideOf(options.identity) : undefined;
      const foreign = kinds.foreign.get(id);
      if (artifact && mine) this.store(kinds.foreign, id, foreign, [artifact, content, mine], finish(rules.foreign(artifact, mine), index, options), gen, dirty);
      else if (foreign) this.drop(kinds.foreign, id, foreign, dirty);
    }
    for (const file of patch.files) {
      const markers = index.fileMarkers.get(file);
      const old = kinds.markers.get(file);
      if (markers) {
        this.store(kinds.markers, file, old, [markers], finish(rules.undeclaredMarkers(markers), index, options), gen, dirty);
      } else if (old) {
        this.drop(kinds.markers, file, old, dirty);
      }
    }
  }

  private drop(sections: Map<string, Section>, key: string, section: Section, dirty: Set<string>): void {
    this.place(section, NO_FINDINGS, dirty);
    sections.delete(key);
  }

  private store(sections: Map<string, Section>, key: string, old: Section | undefined, deps: readonly unknown[], findings: readonly Finding[], gen: number, dirty: Set<string>): void {
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    const section = old ?? { deps, byFile: NO_FINDINGS, seen: gen };
    section.deps = deps;
    section.seen = gen;
    this.place(section, byFile, dirty);
    if (!old) sections.set(key, section);
  }

  /** Gives a section new findings, noting every file they leave or reach. */
  private place(section: Section, byFile: ReadonlyMap<string, readonly Finding[]>, dirty: Set<string>): void {
    for (const file of section.byFile.keys()) {
      if (byFile.has(file)) continue;
      this.fileSections.get(file)?.delete(section);
      dirty.add(file);
    }
    for (const file of byFile.keys()) {
      let sections = this.fileSections.get(file);
      if (!sections) this.fileSections.set(file, (sections = new Set()));
      sections.add(section);
      dirty.add(file);
    }
    section.byFile = byFile;
  }

  private assemble(file: string): void {
    const before = this.byFile.get(file)?.length ?? 0;
    const sections = this.fileSections.get(file);
    const findings: Finding[] = [];
    if (sections) for (const s of sections) findings.push(...(s.byFile.get(file) ?? []));
    if (findings.length) this.byFile.set(file, findings.sort(compareFindings));
    else {
      this.byFile.delete(file);
      this.fileSections.delete(file);
    }
    this.total += findings.length - before;
  }
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
