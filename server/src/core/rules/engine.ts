import { compareFindings, type Finding } from '../findings';
import type { IndexPatch } from '../index/incremental';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Owner } from '../manifest/model';
import { finish, Rules, type RuleOptions } from './rules';

/** One unit's findings (an intent, a file's markers, an artifact…) and the inputs they were computed from. */
interface Section {
  deps: readonly unknown[];
  byFile: ReadonlyMap<string, readonly Finding[]>;
  /** The update that last saw this unit; older ones are gone. */
  seen: number;
}

const NO_FINDINGS: ReadonlyMap<string, readonly Finding[]> = new Map();

/** One update's work: what it reads from, and what it has seen and dirtied so far. */
interface Pass {
  readonly index: WorkspaceIndex;
  readonly options: RuleOptions;
  readonly rules: Rules;
  /** The side of the person editing, for foreign-edit findings. */
  readonly mine: Owner | undefined;
  readonly gen: number;
  readonly dirty: Set<string>;
  /** Whether what every unit depends on changed: then every unit is computed again. */
  readonly all: boolean;
  seen: number;
}

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
    if (!index) {
      this.shared = undefined;
      this.last = undefined;
      this.sweep(gen, dirty);
    } else {
      const rules = new Rules(index, options);
      // What every unit depends on: when any of it changed, every unit is computed again.
      const shared = [...rules.shared, options.reviewedText !== undefined, options.identity, index.ledger];
      const all = !this.shared || !sameDeps(this.shared, shared);
      this.shared = shared;
      const mine = options.identity ? index.sideOf(options.identity) : undefined;
      const pass: Pass = { index, options, rules, mine, gen, dirty, all, seen: 0 };
      if (patch && !all && index === this.last) {
        // Only the units the patch touched; the others cannot have changed.
        this.problems(pass);
        for (const id of patch.intents) this.intent(pass, id);
        for (const id of patch.artifacts) this.artifact(pass, id);
        for (const file of patch.files) {
          this.markers(pass, file);
          this.evalIntents(pass, file);
        }
      } else {
        this.last = index;
        this.problems(pass);
        for (const id of index.manifest.intents.keys()) this.intent(pass, id);
        for (const file of index.fileMarkers.keys()) this.markers(pass, file);
        for (const file of index.fileEvalIntents.keys()) this.evalIntents(pass, file);
        for (const id of index.contents.keys()) this.artifact(pass, id);
        if (mine) for (const artifact of index.manifest.artifacts) this.artifact(pass, artifact.id);
        // Units gone since the last update take their findings with them (only looked for when some are).
        let total = 0;
        for (const sections of Object.values(this.kinds)) total += sections.size;
        if (pass.seen !== total) this.sweep(gen, dirty);
      }
    }
    for (const file of dirty) this.assemble(file);
    return dirty;
  }

  private problems(pass: Pass): void {
    const { index } = pass;
    this.unit(pass, this.kinds.problems, '', [index.problems, index.problems.length], () => index.problems, true);
  }

  private intent(pass: Pass, id: string): void {
    const { index, rules } = pass;
    const intent = index.manifest.intents.get(id);
    if (!intent) return;
    const deps = [intent, index.intentEvalCases.get(id), index.intentMarkers.get(id), index.intentCopy.get(id), index.intentArtifacts.get(id), index.evalSetPrompts];
    this.unit(pass, this.kinds.intents, id, deps, () => rules.intent(intent));
  }

  private markers(pass: Pass, file: string): void {
    const markers = pass.index.fileMarkers.get(file);
    if (markers) this.unit(pass, this.kinds.markers, file, [markers], () => pass.rules.undeclaredMarkers(markers));
    else this.drop(this.kinds.markers, file, pass.dirty);
  }

  private evalIntents(pass: Pass, file: string): void {
    const places = pass.index.fileEvalIntents.get(file);
    if (places) this.unit(pass, this.kinds.evalIntents, file, [places], () => pass.rules.undeclaredEvalIntents(places));
    else this.drop(this.kinds.evalIntents, file, pass.dirty);
  }

  /** An artifact's review findings and, for the person editing, its foreign-edit findings. */
  private artifact(pass: Pass, id: string): void {
    const { index, rules, mine } = pass;
    const content = index.contents.get(id);
    if (content) this.unit(pass, this.kinds.reviews, id, [content, index.ledger.reviews.get(id)], () => rules.review(content));
    else this.drop(this.kinds.reviews, id, pass.dirty);
    const artifact = index.artifactsById.get(id);
    if (artifact && mine) this.unit(pass, this.kinds.foreign, id, [artifact, content, mine], () => rules.foreign(artifact, mine));
    else this.drop(this.kinds.foreign, id, pass.dirty);
  }

  /** One unit: kept when its inputs are the same objects as last time, else computed again. */
  private unit(pass: Pass, sections: Map<string, Section>, key: string, deps: readonly unknown[], compute: () => readonly Finding[], fromProblems = false): void {
    const old = sections.get(key);
    if (old?.seen === pass.gen) return; // looked at already in this pass
    pass.seen++;
    if (old && !pass.all && sameDeps(old.deps, deps)) {
      old.seen = pass.gen;
      return;
    }
    this.store(sections, key, old, deps, finish(compute(), pass.index, pass.options, fromProblems), pass.gen, pass.dirty);
  }

  /** Takes away the findings of every unit the last pass did not see. */
  private sweep(gen: number, dirty: Set<string>): void {
    for (const sections of Object.values(this.kinds)) {
      for (const [key, section] of sections) if (section.seen !== gen) this.drop(sections, key, dirty);
    }
  }

  private drop(sections: Map<string, Section>, key: string, dirty: Set<string>): void {
    const section = sections.get(key);
    if (!section) return;
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
