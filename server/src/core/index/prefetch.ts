import { defaultEvalFormat, defaultIntentField } from '../evals/parse';
import { readerFor, readEvalFile, type EvalFileFacts, type EvalReader } from '../evals/readers';
import { caseFilesOf, evalsPurpose, isCodeFile } from '../evals/suite';
import { joinPath, type Host } from '../host';
import { DEFAULT_MANIFEST, type EvalFormat, type Manifest } from '../manifest/model';
import { parseManifest } from '../manifest/parse';
import { rawCase, type EvalIntent, type OwnIntents } from '../evals/cases';
import { intern, LineIndex, sharedRange, type Range } from '../text';
import { DEFAULT_MAX_FILE_SIZE, revisionKey } from './builder';
import { FileMatcher } from './fileMatcher';
import { readManifestText, type IndexCache, type IndexOptions } from './workspaceIndex';

/** One eval file a build will parse, and how: work that can be done ahead, apart from the build. */
export interface EvalRead {
  readonly file: string;
  readonly abs: string;
  readonly size: number;
  readonly reader: EvalReader;
  /** The format of the set it is read for: the files a config reaches are read in the config's. */
  readonly format: EvalFormat;
  readonly paths: readonly string[];
  readonly purpose: string;
  /** Its revision's cache key; absent when the host gives none (the text itself is the key then). */
  readonly key?: string;
}

/** A file read ahead, with what it says. */
export interface EvalFacts {
  readonly read: EvalRead;
  readonly facts: EvalFileFacts;
}

/**
 * Plans what a prefetch reads, round by round: first the eval files the
 * manifest's eval sets name, then the case files those reach through
 * `file://` (as the build follows them, in the referring set's format and
 * intent paths), and so on. A file is planned once. Files open in an editor
 * (their text is not on disk), too big for a build, links, code and files
 * already in the cache are left to the build.
 */
export class EvalReadPlanner {
  private readonly planned = new Set<string>();
  private readonly matcher: FileMatcher;
  private readonly maxSize: number;

  private constructor(
    private readonly root: string,
    private readonly host: Host,
    options: IndexOptions,
    private readonly cache: IndexCache,
    private readonly manifest: Manifest,
    private readonly manifestFile: string,
  ) {
    this.matcher = new FileMatcher(host.listFiles(root));
    this.maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  }

  /** A planner for the folder's manifest, read with the build's guards; undefined when there is none to read. */
  static start(root: string, host: Host, options: IndexOptions, cache: IndexCache): EvalReadPlanner | undefined {
    const manifestFile = options.manifestPath ?? DEFAULT_MANIFEST;
    const { text, unreadable } = readManifestText(root, host, manifestFile);
    if (unreadable !== undefined || text === undefined) return undefined;
    // The same entry the build reads the manifest through.
    const { manifest } = cache.get('manifest', manifestFile, text, () => parseManifest(text, manifestFile));
    return new EvalReadPlanner(root, host, options, cache, manifest, manifestFile);
  }

  /** The eval files the manifest's eval sets name. */
  first(): EvalRead[] {
    const reads: EvalRead[] = [];
    for (const artifact of this.manifest.artifacts) {
      if (artifact.kind !== 'eval-set' || artifact.locator) continue;
      for (const pattern of artifact.files) {
        for (const file of this.matcher.match(pattern.value)) {
          if (file === this.manifestFile) continue;
          const format = artifact.format ?? defaultEvalFormat(file);
          this.plan(file, format, artifact.intentField ?? [defaultIntentField(format)], reads);
        }
      }
    }
    return reads;
  }

  /** The case files the facts just read reach through `file://`. */
  next(done: readonly EvalFacts[]): EvalRead[] {
    const reads: EvalRead[] = [];
    for (const { read, facts } of done) {
      for (const ref of facts.references) {
        for (const target of caseFilesOf(read.file, ref.target, (p) => this.matcher.match(p))) this.plan(target, read.format, read.paths, reads);
      }
    }
    return reads;
  }

  private plan(file: string, format: EvalFormat, paths: readonly string[], reads: EvalRead[]): void {
    if (isCodeFile(file)) return;
    const reader = readerFor(file, format);
    const purpose = evalsPurpose(reader, paths);
    const id = `${purpose}\u0000${file}`;
    if (this.planned.has(id)) return;
    this.planned.add(id);
    const abs = joinPath(this.root, file);
    if (this.host.isOpen?.(abs)) return;
    const stat = this.host.stat(abs);
    if (!stat?.isFile || stat.realPath !== undefined || stat.size > this.maxSize) return;
    const revision = this.host.revision?.(abs);
    const key = revision === undefined ? undefined : revisionKey(revision);
    // Already in the cache (with what it reaches, read with it): nothing to do ahead.
    if (key !== undefined && this.cache.lookup(purpose, file, key) !== undefined) return;
    reads.push({ file, abs, size: stat.size, reader, format, paths, purpose, key });
  }
}

/** The eval files the next build of this folder parses first: those the manifest's eval sets name (see `EvalReadPlanner`). */
export function planEvalReads(root: string, host: Host, options: IndexOptions, cache: IndexCache): EvalRead[] {
  return EvalReadPlanner.start(root, host, options, cache)?.first() ?? [];
}

/**
 * Reads and parses one planned file here, into the cache under the key the
 * build looks for: for files too few to be worth another process, whose
 * `file://` references are still to be followed. Undefined when it cannot
 * be read or is binary (the build says so).
 */
export function readHere(cache: IndexCache, host: Host, read: EvalRead): EvalFileFacts | undefined {
  const text = host.readText(read.abs);
  if (text === undefined || text.includes('\u0000')) return undefined;
  const facts = cache.get(read.purpose, read.file, read.key ?? text, () => readEvalFile(text, read.file, read.reader, read.paths, new LineIndex(text)));
  if (read.key !== undefined) cache.store('read', read.file, read.key, 'text');
  return facts;
}

/**
 * Keeps facts read elsewhere (another process) where the build will look for
 * them. Strings come back as copies, so intents and paths are shared again.
 */
export function keepEvalFacts(cache: IndexCache, read: EvalRead, facts: EvalFileFacts, text: string | undefined): EvalFileFacts {
  const key = read.key ?? text;
  if (key === undefined) return facts;
  type Mutable<T> = { -readonly [K in keyof T]: T[K] };
  // Positions are shared, as LineIndex shares them.
  const place = (located: { readonly range: Range }): void => {
    (located as Mutable<typeof located>).range = sharedRange(located.range);
  };
  const intents = (values: readonly EvalIntent[]): readonly EvalIntent[] => {
    for (const v of values as Mutable<EvalIntent>[]) {
      v.value = intern(v.value);
      v.file = read.file;
      place(v);
    }
    return values;
  };
  // Made again rather than patched: JSON drops a property that is undefined, and a case without one would have another shape.
  (facts as Mutable<EvalFileFacts>).raws = facts.raws.map((r) => rawCase(sharedRange(r.range), r.label, r.path === undefined ? [] : [{ path: intern(r.path), values: intents(r.intents) }]));
  for (const own of (facts.defaults ?? []) as Mutable<OwnIntents>[]) {
    own.path = intern(own.path);
    intents(own.values);
  }
  for (const located of [...facts.problems, ...facts.references, ...facts.prompts]) place(located);
  cache.store(read.purpose, read.file, key, facts);
  // Read and found to be text: the build need not read it again to tell.
  if (read.key !== undefined) cache.store('read', read.file, read.key, 'text');
  return facts;
}
