import type { Host } from '../host';
import type { EvalCase, EvalIntent } from '../evals/parse';
import { EMPTY_LEDGER, type Ledger } from '../ledger/ledger';
import { sharedGrammars, type CodeLanguage, type Grammars } from '../locate/code/grammars';
import type { LocateContext, LocatedText } from '../locate/locator';
import { DEFAULT_MANIFEST, type Artifact, type Manifest, type Owner, type Surface } from '../manifest/model';
import { parseManifest, type ParsedManifest } from '../manifest/parse';
import { containsPosition, type LineIndex, type Position, type Range } from '../text';
import type { Finding } from '../findings';
import { joinPath } from '../host';
import { IndexBuilder } from './builder';
import type { CopyMention, Marker } from './scan';

export interface IndexOptions {
  /** Manifest path relative to the folder. */
  readonly manifestPath?: string;
  /** Files larger than this (bytes, from stat) are skipped with a finding. */
  readonly maxFileSize?: number;
  /** The code parsers; the process's shared ones by default. */
  readonly grammars?: Grammars;
  /**
   * Read no eval file's cases: for a build that only fills the cache while
   * other processes parse the eval files (its index is thrown away).
   */
  readonly evalsLater?: boolean;
}


/** Where a located artifact's text is in one file, and the first line its findings and lens sit on. */
export interface LocatedPart {
  readonly file: string;
  readonly value: LocatedText;
  readonly anchor: Range;
}

/** What an artifact holds right now: its files and the hash the ledger compares. */
export interface ArtifactContent {
  readonly artifact: Artifact;
  readonly files: readonly string[];
  readonly hash?: string;
  /** The artifact's text now (located text, or the file), when it is in one file. */
  readonly text?: string;
  /**
   * The text whose conditions make a tool's contract: the located text, or
   * for a whole code file only its prose (comments, docstrings, strings).
   */
  readonly contract?: string;
  /** For an artifact with a locator: where its text sits in each file. */
  readonly located: readonly LocatedPart[];
  /** The first line of each file read, where a whole-file artifact's findings and lenses sit. */
  readonly heads: readonly { readonly file: string; readonly range: Range }[];
}

/** Where an artifact is written: its located text's first line, else its first file's first line. */
export function anchorOf(content: ArtifactContent | undefined): { readonly file: string; readonly range: Range } | undefined {
  const part = content?.located[0];
  return part ? { file: part.file, range: part.anchor } : content?.heads[0];
}

/** Where artifact-level findings show: each located text's first line, else each file's first line. */
export function placesOf(content: ArtifactContent | undefined): { readonly file: string; readonly range: Range }[] {
  if (!content) return [];
  return content.artifact.locator ? content.located.map((p) => ({ file: p.file, range: p.anchor })) : [...content.heads];
}

/**
 * Per-file parse results kept between builds; a file whose text is unchanged
 * is not parsed again. Pass the same cache to each `buildIndex` of a folder.
 * Entries are keyed by the file's revision when the host gives one, so no
 * file's text is held here; else by the text itself.
 */
export class IndexCache {
  private readonly entries = new Map<string, { key: string; value: unknown }>();
  /** The last text each locator found in each file, kept while an open file does not parse. */
  readonly lastGood = new Map<string, LocatedText>();
  /** The last manifest that parsed, standing in while the manifest is broken mid-edit. */
  lastGoodManifest: ParsedManifest | undefined;

  /** The value kept for `file` and `purpose` when it was computed from the same text (`key`), else computed now and kept. */
  get<T>(purpose: string, file: string, key: string, compute: () => T): T {
    const hit = this.lookup<T>(purpose, file, key);
    if (hit !== undefined) return hit;
    const value = compute();
    this.store(purpose, file, key, value);
    return value;
  }

  lookup<T>(purpose: string, file: string, key: string): T | undefined {
    const hit = this.entries.get(`${purpose}\u0000${file}`);
    return hit && hit.key === key ? hit.value as T : undefined;
  }

  store(purpose: string, file: string, key: string, value: unknown): void {
    this.entries.set(`${purpose}\u0000${file}`, { key, value });
  }
}

/**
 * The places eval intents are written in one file, and for each the case it
 * is read for: two lists side by side rather than a pair per place, as a
 * workspace has one place per case.
 */
export interface FileEvalIntents {
  readonly intents: EvalIntent[];
  readonly cases: EvalCase[];
}

/**
 * Everything Counterpart knows about one workspace folder, with the reverse
 * maps hovers and lenses need (intent → places, file → artifact) as maps.
 */
export class WorkspaceIndex {
  readonly fileArtifacts = new Map<string, Artifact[]>();
  readonly fileSurfaces = new Map<string, Surface[]>();
  readonly contents = new Map<string, ArtifactContent>();
  readonly artifactsById = new Map<string, Artifact>();
  readonly evalCases: EvalCase[] = [];
  readonly markers: Marker[] = [];
  readonly copy: CopyMention[] = [];
  readonly intentEvalCases = new Map<string, EvalCase[]>();
  readonly intentMarkers = new Map<string, Marker[]>();
  readonly intentCopy = new Map<string, CopyMention[]>();
  readonly intentArtifacts = new Map<string, Artifact[]>();
  readonly fileMarkers = new Map<string, Marker[]>();
  readonly fileEvalCases = new Map<string, EvalCase[]>();
  readonly fileCopy = new Map<string, CopyMention[]>();
  /** Each place an eval intent is written, by file (an inherited one once, with the first case that inherits it). */
  readonly fileEvalIntents = new Map<string, FileEvalIntents>();
  /** Files whose cases count only because an eval set's `tests:` points at them with `file://`. */
  readonly referencedEvalFiles = new Set<string>();
  /** The eval sets (by id) whose configs reach files of their own through `file://` or name prompt files. */
  readonly evalSetsReaching = new Set<string>();
  /** The system prompts each eval set runs (by id); an eval set not listed runs every prompt. */
  readonly evalSetPrompts = new Map<string, ReadonlySet<string>>();
  /** Findings found while reading: the manifest's, skipped files, bad eval files, the ledger's. */
  problems: Finding[] = [];
  /** The files each artifact's `files` match, sorted. */
  readonly matched = new Map<Artifact, readonly string[]>();
  /** The artifacts whose `files` match each file, claimed or not. */
  readonly matchedBy = new Map<string, Artifact[]>();
  /** Per file, the top-level names its `symbol` locators start from. */
  readonly wantedNames = new Map<string, Set<string>>();
  /** What reading each artifact reported (a locator not finding its text, a file skipped): replaced when it is read again. */
  readonly artifactProblems = new Map<string, Finding[]>();
  /** The ledger's path and, when it is a link, where it really is. */
  readonly ledgerFiles = new Set<string>();
  ledger: Ledger = EMPTY_LEDGER;
  /** Files the index read (artifact and surface files, the manifest, the ledger). */
  readonly watched = new Set<string>();
  /**
   * The manifest does not parse, so the index was built from its last good
   * version; the first this many problems are about the manifest as it is now.
   */
  staleManifest: number | undefined;
  /** Grammars a locator needed that were still loading: build again once they are. */
  readonly pendingGrammars = new Set<CodeLanguage>();
  /** How this index located artifact text, to locate it the same way in other versions of a file. */
  locateContext: LocateContext | undefined;

  constructor(
    /** Absolute folder of the manifest, forward slashes. */
    readonly root: string,
    readonly manifestFile: string,
    readonly manifest: Manifest,
    readonly manifestLines: LineIndex,
  ) {}

  get ledgerFile(): string {
    return this.manifest.reviews.value;
  }

  /** The artifact(s) a file belongs to: first one decides the owner. */
  artifactsOf(file: string): readonly Artifact[] {
    return this.fileArtifacts.get(file) ?? [];
  }

  /** The artifact at a place in a file: the one whose located text holds it, else the file's whole-file artifact, else the file's first. */
  artifactAt(file: string, position?: Position): Artifact | undefined {
    const artifacts = this.artifactsOf(file);
    if (position) {
      for (const artifact of artifacts) {
        if (this.contents.get(artifact.id)?.located.some((p) => p.file === file && containsPosition(p.value.range, position))) return artifact;
      }
    }
    return artifacts.find((a) => !a.locator) ?? artifacts[0];
  }

  owner(id: string | undefined): Owner | undefined {
    return id === undefined ? undefined : this.manifest.owners.get(id);
  }

  /** The side that reviews an artifact: its counterpart, or the other of exactly two owners. */
  counterpartOf(artifact: Artifact): Owner | undefined {
    if (artifact.counterpart) return this.owner(artifact.counterpart.value);
    return this.otherSide(artifact.owner.value);
  }

  otherSide(ownerId: string): Owner | undefined {
    const others = [...this.manifest.owners.values()].filter((o) => o.id !== ownerId);
    return others.length === 1 ? others[0] : undefined;
  }

  /** The owner whose members or lead include `identity` (an email or @handle). */
  sideOf(identity: string): Owner | undefined {
    const who = identity.trim().toLowerCase();
    for (const owner of this.manifest.owners.values()) {
      if (owner.lead?.toLowerCase() === who || owner.members.some((m) => m.toLowerCase() === who) || owner.id === who) return owner;
    }
    return undefined;
  }

  artifactsOfKind(kind: Artifact['kind']): Artifact[] {
    return this.manifest.artifacts.filter((a) => a.kind === kind);
  }

  /** Whether an eval set's cases run against a system prompt. */
  exercises(evalSet: string, prompt: string): boolean {
    const prompts = this.evalSetPrompts.get(evalSet);
    return !prompts || prompts.has(prompt);
  }

  /** The cases of an intent that run against a system prompt: what covers the prompt for it. */
  promptCases(prompt: string, intent: string): EvalCase[] {
    return (this.intentEvalCases.get(intent) ?? []).filter((c) => this.exercises(c.evalSet, prompt));
  }
}

/**
 * A folder's manifest as a build reads it: its text, or why it was not read
 * (a device, a pipe, huge, or a link out of the folder: it could never end);
 * no text and no reason when there is none.
 */
export function readManifestText(root: string, host: Host, manifestFile: string): { readonly text?: string; readonly unreadable?: string } {
  const info = host.stat(joinPath(root, manifestFile));
  const unreadable = !info ? undefined
    : !info.isFile ? 'The manifest is not a regular file (a pipe or a device), so Counterpart did not read it.'
    : info.size > MANIFEST_MAX_SIZE ? `The manifest is over ${MANIFEST_MAX_SIZE / 1024 / 1024} MB, more than any manifest needs, so Counterpart did not read it.`
    : info.realPath !== undefined && !(info.realPath === root || info.realPath.startsWith(root.endsWith('/') ? root : `${root}/`)) ? `The manifest is a link to ${info.realPath.slice(0, 200)}, outside the folder, so Counterpart did not read it.`
    : undefined;
  return unreadable !== undefined ? { unreadable } : { text: host.readText(joinPath(root, manifestFile)) };
}

/** Reads a folder's manifest and every file it names. `undefined` when there is no manifest. */
export function buildIndex(root: string, host: Host, options: IndexOptions = {}, cache = new IndexCache()): WorkspaceIndex | undefined {
  const manifestFile = options.manifestPath ?? DEFAULT_MANIFEST;
  const { text, unreadable } = readManifestText(root, host, manifestFile);
  const manifestText = unreadable !== undefined ? '' : text;
  if (manifestText === undefined) return undefined;
  const parsed = cache.get('manifest', manifestFile, manifestText, () => parseManifest(manifestText, manifestFile));
  // A manifest that no longer parses (mid-edit) would blank every other file's findings: until it
  // parses again, the last good one stands in, and edits to other files keep being checked against it.
  const broken = parsed.manifest.artifacts.length === 0 && parsed.findings.some((f) => f.code === 'manifest-syntax');
  const lastGood = broken ? cache.lastGoodManifest : undefined;
  if (!broken) cache.lastGoodManifest = parsed;
  const model = lastGood ?? parsed;
  const index = new WorkspaceIndex(root, manifestFile, model.manifest, model.lines);
  index.problems.push(...parsed.findings);
  if (unreadable !== undefined) {
    index.problems.push({ code: 'file-skipped', severity: 'error', file: manifestFile, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: unreadable });
  }
  if (lastGood) {
    index.staleManifest = parsed.findings.length + 1;
    index.problems.push({
      code: 'manifest-syntax', severity: 'information', file: manifestFile, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: 'Until this manifest reads again, Counterpart checks the other files against its last good version, so their findings may not match what you are typing here.',
    });
  }
  index.watched.add(manifestFile);
  new IndexBuilder(index, host, options, cache).build();
  return index;
}

/** Far above any real manifest (10,000 artifacts take about 1 MB). */
const MANIFEST_MAX_SIZE = 10 * 1024 * 1024;

/**
 * `buildIndex`, then again once the grammars its locators asked for are
 * loaded (the first build of a folder whose manifest names code symbols).
 */
export async function buildIndexLoaded(root: string, host: Host, options: IndexOptions = {}, cache = new IndexCache()): Promise<WorkspaceIndex | undefined> {
  let index = buildIndex(root, host, options, cache);
  // Each round loads what the last build asked for; a failed load is told, not pending, so this ends.
  for (let round = 0; round < 4 && index?.pendingGrammars.size; round++) {
    await (options.grammars ?? sharedGrammars()).load(index.pendingGrammars);
    index = buildIndex(root, host, options, cache);
  }
  return index;
}
