import { DEFAULT_SEVERITY, type Finding, type FindingCode } from '../findings';
import { joinPath, type Host } from '../host';
import { defaultEvalFormat, defaultIntentField, parseEvals, type EvalCase } from '../evals/parse';
import { contentHash, EMPTY_LEDGER, LEDGER_TEXT_LIMIT, parseLedger, type Ledger } from '../ledger/ledger';
import { compileMarker } from '../manifest/marker';
import { DEFAULT_MANIFEST, type Artifact, type Located, type Manifest, type Owner, type Surface } from '../manifest/model';
import { parseManifest } from '../manifest/parse';
import { LineIndex, START_OF_FILE, type Range } from '../text';
import { FileMatcher } from './fileMatcher';
import { resolvePointer, type PointerValue } from './pointer';
import { PhraseMatcher, scanMarkers, type CopyMention, type Marker } from './scan';

export interface IndexOptions {
  /** Manifest path relative to the folder. */
  readonly manifestPath?: string;
  /** Files larger than this (bytes, from stat) are skipped with a finding. */
  readonly maxFileSize?: number;
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

/** What an artifact holds right now: its files and the hash the ledger compares. */
export interface ArtifactContent {
  readonly artifact: Artifact;
  readonly files: readonly string[];
  readonly hash?: string;
  /** The current value of a small artifact (a pointer's value, a short file). */
  readonly text?: string;
  /** For a pointer artifact: where the value sits in each file. */
  readonly pointerValues: readonly { readonly file: string; readonly value: PointerValue }[];
  /** The first line of each file read, where file-level findings and lenses sit. */
  readonly heads: readonly { readonly file: string; readonly range: Range }[];
}

/** Where an artifact is written: its pointer's first value, else its first file's first line. */
export function anchorOf(content: ArtifactContent | undefined): { readonly file: string; readonly range: Range } | undefined {
  const pointer = content?.pointerValues[0];
  return pointer ? { file: pointer.file, range: pointer.value.range } : content?.heads[0];
}

/**
 * Per-file parse results kept between builds; a file whose text is unchanged
 * is not parsed again. Pass the same cache to each `buildIndex` of a folder.
 */
export class IndexCache {
  private readonly entries = new Map<string, { text: string; value: unknown }>();

  get<T>(purpose: string, file: string, text: string, compute: () => T): T {
    const key = `${purpose}\u0000${file}`;
    const hit = this.entries.get(key);
    if (hit && hit.text === text) return hit.value as T;
    const value = compute();
    this.entries.set(key, { text, value });
    return value;
  }
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
  /** Findings found while reading: the manifest's, skipped files, bad eval files, the ledger's. */
  readonly problems: Finding[] = [];
  ledger: Ledger = EMPTY_LEDGER;
  /** Files the index read (artifact and surface files, the manifest, the ledger). */
  readonly watched = new Set<string>();

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
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Reads a folder's manifest and every file it names. `undefined` when there is no manifest. */
export function buildIndex(root: string, host: Host, options: IndexOptions = {}, cache = new IndexCache()): WorkspaceIndex | undefined {
  const manifestFile = options.manifestPath ?? DEFAULT_MANIFEST;
  const manifestText = host.readText(joinPath(root, manifestFile));
  if (manifestText === undefined) return undefined;
  const parsed = cache.get('manifest', manifestFile, manifestText, () => parseManifest(manifestText, manifestFile));
  const index = new WorkspaceIndex(root, manifestFile, parsed.manifest, parsed.lines);
  index.problems.push(...parsed.findings);
  index.watched.add(manifestFile);
  new IndexBuilder(index, host, options, cache).build();
  return index;
}

interface LoadedFile {
  readonly text: string;
  readonly lines: LineIndex;
}

class IndexBuilder {
  private readonly loaded = new Map<string, LoadedFile | undefined>();
  private readonly claimed = new Map<Artifact, string[]>();
  private readonly maxSize: number;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly host: Host,
    options: IndexOptions,
    private readonly cache: IndexCache,
  ) {
    this.maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  }

  build(): void {
    const { index } = this;
    const { manifest } = index;
    const matcher = new FileMatcher(this.host.listFiles(index.root));

    for (const artifact of manifest.artifacts) {
      index.artifactsById.set(artifact.id, artifact);
      for (const intent of artifact.intents) push(index.intentArtifacts, intent.value, artifact);
      const files = this.matchAll(matcher, artifact.files, `artifact '${artifact.id}'`);
      this.claimed.set(artifact, files.filter((file) => this.claim(file, artifact)).sort());
    }
    for (const surface of manifest.surfaces) {
      for (const file of this.matchAll(matcher, surface.files, 'this surface')) push(index.fileSurfaces, file, surface);
    }

    const phrases = new PhraseMatcher(manifest.intents.values());
    for (const artifact of manifest.artifacts) this.readArtifact(artifact, phrases);
    this.readSurfaces();
    this.readLedger();
  }

  private matchAll(matcher: FileMatcher, patterns: readonly Located<string>[], what: string): string[] {
    const out = new Set<string>();
    for (const p of patterns) {
      const files = matcher.match(p.value).filter((f) => f !== this.index.manifestFile);
      if (files.length === 0) {
        this.report('no-files', this.index.manifestFile, p.range, `No file matches '${p.value}', so ${what} has nothing to check. Fix the path or remove it.`);
      }
      for (const f of files) out.add(f);
    }
    return [...out];
  }

  /** Records that `artifact` claims `file`; a second owner for the same file is a conflict. */
  private claim(file: string, artifact: Artifact): boolean {
    const { index } = this;
    const existing = index.fileArtifacts.get(file) ?? [];
    const clash = existing.find((a) => a.owner.value !== artifact.owner.value);
    if (clash) {
      const a = index.owner(clash.owner.value)?.title ?? clash.owner.value;
      const b = index.owner(artifact.owner.value)?.title ?? artifact.owner.value;
      const filesRange = artifact.files[0]?.range ?? artifact.idRange;
      this.report('conflicting-owners', index.manifestFile, filesRange,
        `${file} is claimed by '${clash.id}' (owned by ${a}) and by '${artifact.id}' (owned by ${b}). A file can have only one owner; pick one.`,
        { artifact: artifact.id });
      return false;
    }
    existing.push(artifact);
    index.fileArtifacts.set(file, existing);
    return true;
  }

  private readArtifact(artifact: Artifact, phrases: PhraseMatcher): void {
    const { index } = this;
    const files = this.claimed.get(artifact) ?? [];
    const parts: { path: string; text: string }[] = [];
    const pointerValues: { file: string; value: PointerValue }[] = [];
    const heads: { file: string; range: Range }[] = [];
    for (const file of files) {
      const loaded = this.load(file);
      if (!loaded) continue;
      heads.push({ file, range: loaded.lines.firstLineRange() });
      if (artifact.pointer) {
        const pointer = artifact.pointer.value;
        const result = this.cache.get(`pointer:${pointer}`, file, loaded.text, () => resolvePointer(loaded.text, file, pointer, loaded.lines));
        if (result.ok) {
          pointerValues.push({ file, value: result.value });
          parts.push({ path: file, text: result.value.text });
        } else {
          this.report('pointer-not-found', index.manifestFile, artifact.pointer.range, `${result.problem} (in ${file}), so '${artifact.id}' cannot be compared with its last review.`, { artifact: artifact.id });
        }
      } else {
        parts.push({ path: file, text: loaded.text });
      }
      if (artifact.kind === 'eval-set') this.readEvals(artifact, file, loaded);
      if (artifact.kind === 'help-copy') {
        const found = this.cache.get(`copy:${phrases.regex?.source ?? ''}:${artifact.id}`, file, loaded.text, () => phrases.scan(loaded.text, file, artifact.id, loaded.lines));
        for (const mention of found) {
          index.copy.push(mention);
          push(index.intentCopy, mention.intent, mention);
          push(index.fileCopy, file, mention);
        }
      }
    }
    const only = parts.length === 1 ? parts[0] : undefined;
    const hash = only ? this.cache.get('hash', only.path, only.text, () => contentHash([only])) : parts.length ? contentHash(parts) : undefined;
    const text = parts.length === 1 && parts[0].text.length <= LEDGER_TEXT_LIMIT ? parts[0].text : undefined;
    index.contents.set(artifact.id, { artifact, files, hash, text, pointerValues, heads });
  }

  private readEvals(artifact: Artifact, file: string, loaded: LoadedFile): void {
    const { index } = this;
    const format = artifact.format ?? defaultEvalFormat(file);
    const field = artifact.intentField ?? defaultIntentField(format);
    const parsed = this.cache.get(`evals:${format}:${field}`, file, loaded.text, () => parseEvals(loaded.text, file, format, field, loaded.lines));
    for (const p of parsed.problems) this.report('eval-syntax', file, p.range, p.message, { artifact: artifact.id });
    for (const c of parsed.cases) {
      index.evalCases.push(c);
      push(index.fileEvalCases, file, c);
      for (const intent of c.intents) push(index.intentEvalCases, intent.value, c);
    }
  }

  private readSurfaces(): void {
    const { index } = this;
    for (const [file, surfaces] of index.fileSurfaces) {
      const loaded = this.load(file);
      if (!loaded) continue;
      for (const surface of surfaces) {
        const compiled = compileMarker(surface.marker.value);
        if (!compiled.ok) continue;
        const found = this.cache.get(`marker:${surface.marker.value}`, file, loaded.text, () => scanMarkers(loaded.text, file, compiled.regex, surface.index, loaded.lines));
        for (const marker of found) {
          index.markers.push(marker);
          push(index.intentMarkers, marker.intent, marker);
          push(index.fileMarkers, file, marker);
        }
      }
    }
  }

  private readLedger(): void {
    const { index } = this;
    const file = index.ledgerFile;
    index.watched.add(file);
    const text = this.host.readText(joinPath(index.root, file));
    if (text === undefined) return;
    const parsed = this.cache.get('ledger', file, text, () => parseLedger(text, file));
    index.ledger = parsed.ledger;
    index.problems.push(...parsed.findings);
  }

  /** Reads a file once per build; skips (with a finding) what is too big, binary or outside the folder. */
  private load(file: string): LoadedFile | undefined {
    if (this.loaded.has(file)) return this.loaded.get(file);
    const result = this.loadUncached(file);
    this.loaded.set(file, result);
    return result;
  }

  private loadUncached(file: string): LoadedFile | undefined {
    const { index, host } = this;
    index.watched.add(file);
    const abs = joinPath(index.root, file);
    const info = host.stat(abs);
    const subject = { artifact: index.artifactsOf(file)[0]?.id };
    const skip = (why: string): undefined => {
      this.report('file-skipped', file, START_OF_FILE, why, subject);
      return undefined;
    };
    if (!info) return undefined;
    if (info.realPath !== undefined && !isInside(info.realPath, index.root)) {
      return skip(`This file is a link to ${info.realPath}, outside the workspace folder, so Counterpart did not read it.`);
    }
    if (info.size > this.maxSize) {
      return skip(`This file is ${formatSize(info.size)}, over the ${formatSize(this.maxSize)} Counterpart reads, so it was skipped.`);
    }
    const text = host.readText(abs);
    if (text === undefined) return undefined;
    if (text.includes('\u0000')) return skip('This file looks binary, not text, so Counterpart did not read it.');
    const lines = this.cache.get('lines', file, text, () => new LineIndex(text));
    return { text, lines };
  }

  private report(code: FindingCode, file: string, range: Range, message: string, subject?: Finding['subject']): void {
    this.index.problems.push({ code, severity: DEFAULT_SEVERITY[code], message, file, range, subject });
  }
}

function isInside(path: string, root: string): boolean {
  const r = root.endsWith('/') ? root : root + '/';
  return path === root || path.startsWith(r);
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
