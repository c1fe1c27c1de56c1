import { compareFindings, type Finding } from '../findings';
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

  /** How many findings there are in all. */
  get count(): number {
    return this.total;
  }

  /** Every finding, sorted. */
  all(): Finding[] {
    return [...this.byFile.keys()].sort().flatMap((file) => this.byFile.get(file)!);
  }

  /** Brings the findings up to date with `index`; answers the files whose findings may have changed. */
  update(index: WorkspaceIndex | undefined, options: RuleOptions = {}): Set<string> {
    const dirty = new Set<string>();
    const gen = ++this.generation;
    if (index) {
      const rules = new Rules(index, options);
      const shared = rules.shared;
      const { kinds } = this;
      this.section(kinds.problems, '', [index.problems, index.problems.length, ...shared], () => finish(index.problems, index, options, true), gen, dirty);
      for (const intent of index.manifest.intents.values()) {
        const id = intent.id;
        const deps = [intent, index.intentEvalCases.get(id), index.intentMarkers.get(id), index.intentCopy.get(id), index.intentArtifacts.get(id), index.evalSetPrompts, ...shared];
        this.section(kinds.intents, id, deps, () => finish(rules.intent(intent), index, options), gen, dirty);
      }
      for (const [file, markers] of index.fileMarkers) {
        this.section(kinds.markers, file, [markers, ...shared], () => finish(rules.undeclaredMarkers(markers), index, options), gen, dirty);
      }
      for (const [file, places] of index.fileEvalIntents) {
        this.section(kinds.evalIntents, file, [places, ...shared], () => finish(rules.undeclaredEvalIntents(places), index, options), gen, dirty);
      }
      const reviewedFromGit = options.reviewedText !== undefined;
      for (const [id, content] of index.contents) {
        const deps = [content, index.ledger, index.ledger.reviews.get(id), reviewedFromGit, ...shared];
        this.section(kinds.reviews, id, deps, () => finish(rules.review(content), index, options), gen, dirty);
      }
      const mine = options.identity ? index.sideOf(options.identity) : undefined;
      if (mine) {
        for (const artifact of index.manifest.artifacts) {
          const deps = [artifact, index.contents.get(artifact.id), mine, ...shared];
          this.section(kinds.foreign, artifact.id, deps, () => finish(rules.foreign(artifact, mine), index, options), gen, dirty);
        }
      }
    }
    // Units gone since the last update take their findings with them.
    for (const sections of Object.values(this.kinds)) {
      for (const [key, section] of sections) {
        if (section.seen === gen) continue;
        this.place(section, NO_FINDINGS, dirty);
        sections.delete(key);
      }
    }
    for (const file of dirty) this.assemble(file);
    return dirty;
  }

  private section(sections: Map<string, Section>, key: string, deps: readonly unknown[], compute: () => Finding[], gen: number, dirty: Set<string>): void {
    const old = sections.get(key);
    if (old && sameDeps(old.deps, deps)) {
      old.seen = gen;
      return;
    }
    const byFile = new Map<string, Finding[]>();
    for (const f of compute()) {
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
