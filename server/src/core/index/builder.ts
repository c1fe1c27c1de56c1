import { capital } from '../describe';
import { DEFAULT_SEVERITY, type Finding, type FindingCode } from '../findings';
import { joinPath, type Host } from '../host';
import { tellApart } from '../evals/cases';
import { defaultEvalFormat, defaultIntentField } from '../evals/parse';
import { readSuite, type EvalSource, type Suite } from '../evals/suite';
import { contentHash, LEDGER_MAX_SIZE, parseLedger } from '../ledger/ledger';
import { ledgerPathProblem, outsideFolderMessage } from '../ledger/target';
import { codeLanguageOf, sharedGrammars } from '../locate/code/grammars';
import { readProse } from '../locate/code/read';
import { firstLineOf, type LocateContext, type LocatedText, type Locator, type SourceFile } from '../locate/locator';
import { createLocator } from '../locate/locators';
import { compileMarker } from '../manifest/marker';
import type { Artifact, Intent, Located, Surface } from '../manifest/model';
import { containsPosition, detach, LineIndex, START_OF_FILE, type Range } from '../text';
import { FileMatcher } from './fileMatcher';
import { MARKERS_PER_FILE, PhraseMatcher, scanMarkers, type Marker } from './scan';
import type { ArtifactContent, IndexCache, IndexOptions, LocatedPart, WorkspaceIndex } from './workspaceIndex';

const NONE_WANTED: ReadonlySet<string> = new Set();

/** What a locator found in one file, with the first line its findings sit on. */
type LocateAnswer = { readonly found: LocatedText; readonly anchor: Range } | Exclude<ReturnType<Locator['locate']>, { readonly found: LocatedText }>;

/** What one owner's artifacts claim of a file: all of it, or spans of located text. */
interface OwnerClaims {
  whole?: Artifact;
  readonly spans: { readonly artifact: Artifact; readonly span: LocatedText }[];
}

/** Files larger than this are skipped unless the options say otherwise. */
export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

/** How an intent may be named in UI code: its id, title or phrases, any case and spacing. */
function intentNames(intents: readonly Intent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const intent of intents) names.set(normalizeName(intent.id), intent.id);
  // Ids first: a title never takes the name of another intent's id.
  for (const intent of intents) {
    for (const name of [intent.title, ...intent.phrases.map((p) => p.value)]) {
      const key = name === undefined ? '' : normalizeName(name);
      if (key && !names.has(key)) names.set(key, intent.id);
    }
  }
  return names;
}

function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A revision is never a file's text: texts with NUL are not read. */
const REVISION = '\u0000rev:';

/** The cache key of a file's text at a revision the host gave. */
export function revisionKey(revision: string): string {
  return REVISION + revision;
}

/**
 * A file as a build reads it. Its text is read, and its lines counted, only
 * when something not already cached for its `key` needs them: a rebuild after
 * a keystroke reads just the file that changed.
 */
class LoadedFile implements SourceFile {
  private read: string | undefined;
  private counted: LineIndex | undefined;

  constructor(
    readonly file: string,
    /** The file's revision (from the host) or, when the host gives none, its text. */
    readonly key: string,
    private readonly readText: () => string,
    private readonly cache: IndexCache,
    text?: string,
  ) {
    this.read = text;
  }

  get text(): string {
    return (this.read ??= this.readText());
  }

  get lines(): LineIndex {
    return (this.counted ??= new LineIndex(this.text));
  }

  /** The first line, where whole-file findings and lenses sit. */
  get head(): Range {
    return this.cache.get('head', this.file, this.key, () => this.lines.firstLineRange());
  }

  /** Whether the key is a revision the host gave (then the text is not kept anywhere). */
  get byRevision(): boolean {
    return this.key.startsWith(REVISION);
  }
}


/** Reads every file a manifest names into a fresh index (unchanged files come from the cache). */
export class IndexBuilder {
  private readonly loaded = new Map<string, LoadedFile | undefined>();
  /** What each file's artifacts claim of it: a span of located text, or the whole file. */
  private readonly claims = new Map<string, Map<string, OwnerClaims>>();
  private readonly maxSize: number;
  private readonly evalsLater: boolean;
  private readonly locate: LocateContext;
  /** The eval sets that name the prompts they run, with the prompt files named. */
  private readonly exercises = new Map<Artifact, ReadonlySet<string>>();
  private matcher: FileMatcher | undefined;
  /** The artifact being read: what is reported meanwhile is its (see `artifactProblems`). */
  private reading: string | undefined;
  private compiledMarkers: Map<Surface, ReturnType<typeof compileMarker>> | undefined;
  private intentNames: Map<string, string> | undefined;
  private phrases: PhraseMatcher | undefined;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly host: Host,
    options: IndexOptions,
    private readonly cache: IndexCache,
  ) {
    this.maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    this.evalsLater = options.evalsLater === true;
    this.locate = { cache, grammars: options.grammars ?? sharedGrammars(), wantedNames: (file) => index.wantedNames.get(file) ?? NONE_WANTED };
  }

  build(): void {
    const { index } = this;
    const { manifest } = index;
    index.locateContext = this.locate;
    const matcher = new FileMatcher(this.host.listFiles(index.root));
    this.matcher = matcher;

    for (const artifact of manifest.artifacts) {
      index.artifactsById.set(artifact.id, artifact);
      for (const intent of artifact.intents) push(index.intentArtifacts, intent.value, artifact);
      const files = this.matchAll(matcher, artifact.files, `artifact '${artifact.id}'`).sort();
      index.matched.set(artifact, files);
      for (const file of files) push(index.matchedBy, file, artifact);
      if (artifact.locator?.kind === 'symbol') {
        const root = artifact.locator.value.split('.')[0];
        for (const file of files) {
          const names = index.wantedNames.get(file);
          if (names) names.add(root);
          else index.wantedNames.set(file, new Set([root]));
        }
      }
    }
    for (const surface of manifest.surfaces) {
      for (const file of this.matchAll(matcher, surface.files, 'this surface')) push(index.fileSurfaces, file, surface);
    }

    for (const artifact of manifest.artifacts) this.readArtifact(artifact);
    this.reading = undefined;
    this.resolveExercises();
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

  /**
   * Records that `artifact` claims `file` (or a span of it). Artifacts of
   * different owners conflict only when they claim the same text: a whole
   * file, or overlapping located text.
   */
  private claim(file: string, artifact: Artifact, span: LocatedText | undefined): boolean {
    const { index } = this;
    // Per file, per owner: a file's claims are checked against the other owners' only (a handful), so
    // thousands of artifacts sharing one glob claim in linear time.
    const byOwner = this.claims.get(file) ?? new Map<string, OwnerClaims>();
    let clash: { artifact: Artifact; span?: LocatedText } | undefined;
    for (const [owner, other] of byOwner) {
      if (owner === artifact.owner.value) continue;
      clash = other.whole ? { artifact: other.whole } : span ? other.spans.find((c) => c.span!.start < span.end && span.start < c.span!.end) : other.spans[0];
      if (clash) break;
    }
    if (clash) {
      const a = index.owner(clash.artifact.owner.value)?.title ?? clash.artifact.owner.value;
      const b = index.owner(artifact.owner.value)?.title ?? artifact.owner.value;
      const at = artifact.locator?.range ?? artifact.files[0]?.range ?? artifact.idRange;
      const what = clash.span || span ? `The same text in ${file} is` : `${file} is`;
      this.report('conflicting-owners', index.manifestFile, at,
        `${what} claimed by '${clash.artifact.id}' (owned by ${a}) and by '${artifact.id}' (owned by ${b}). ${clash.span || span ? 'Text' : 'A file'} can have only one owner; pick one.`,
        { artifact: artifact.id });
      return false;
    }
    const mine = byOwner.get(artifact.owner.value) ?? { spans: [] };
    if (!span) mine.whole ??= artifact;
    else mine.spans.push({ artifact, span });
    byOwner.set(artifact.owner.value, mine);
    this.claims.set(file, byOwner);
    const list = index.fileArtifacts.get(file);
    if (list) list.push(artifact);
    else index.fileArtifacts.set(file, [artifact]);
    return true;
  }

  /**
   * Reads some artifacts again, for a patch: their old contents, claims and
   * problems are replaced. Only for artifacts whose files no other artifact
   * matches, and not help copy (its phrases) or eval sets (their cases).
   */
  rereadArtifacts(artifacts: ReadonlySet<Artifact>): void {
    const { index } = this;
    const gone = new Set(artifacts);
    const files = new Set([...artifacts].flatMap((a) => index.matched.get(a) ?? []));
    for (const file of files) {
      const left = (index.fileArtifacts.get(file) ?? []).filter((a) => !gone.has(a));
      if (left.length) index.fileArtifacts.set(file, left);
      else index.fileArtifacts.delete(file);
    }
    const old = new Set([...artifacts].flatMap((a) => index.artifactProblems.get(a.id) ?? []));
    index.problems = index.problems.filter((p) => !old.has(p));
    for (const artifact of artifacts) {
      index.artifactProblems.delete(artifact.id);
      this.readArtifact(artifact);
    }
    this.reading = undefined;
    // Claimed in manifest order, as a build claims them (only a file claimed twice can be out of order).
    let order: Map<Artifact, number> | undefined;
    for (const file of files) {
      const list = index.fileArtifacts.get(file);
      if (!list || list.length < 2) continue;
      order ??= new Map(index.manifest.artifacts.map((a, i) => [a, i]));
      list.sort((a, b) => order!.get(a)! - order!.get(b)!);
    }
  }

  /**
   * Reads an eval set again, for a patch; see `rereadListed`. Only for a set
   * whose files no other artifact reads and which reaches no file or prompt
   * through `file://`: undefined when it now does (the index is then half
   * done: build it again).
   */
  rereadEvalSet(artifact: Artifact): Set<string> | undefined {
    const { index } = this;
    // Configs name case files by globs of their own.
    this.matcher ??= new FileMatcher(this.host.listFiles(index.root));
    const touched = this.rereadListed(artifact, {
      all: index.evalCases,
      byIntent: index.intentEvalCases,
      byFile: [index.fileEvalCases, index.fileEvalIntents],
      setOf: (c) => c.evalSet,
      intentsOf: (c) => c.intents.map((i) => i.value),
    });
    return index.evalSetsReaching.has(artifact.id) ? undefined : touched;
  }

  /** Reads help copy again, for a patch, when no other artifact reads its files; see `rereadListed`. */
  rereadHelpCopy(artifact: Artifact): Set<string> {
    const { index } = this;
    return this.rereadListed(artifact, {
      all: index.copy,
      byIntent: index.intentCopy,
      byFile: [index.fileCopy],
      setOf: (m) => m.artifact,
      intentsOf: (m) => [m.intent],
    });
  }

  /**
   * Reads an artifact again whose findings (eval cases, copy mentions) sit in
   * lists in manifest order: its new ones go where a build puts them (one
   * run after the artifacts before it), in every list that holds them, each
   * list changed given anew so the findings engine sees it changed. Its
   * contents, hash and problems are read again as `rereadArtifacts` does.
   * Answers the intents whose lists changed.
   */
  private rereadListed<T>(artifact: Artifact, lists: {
    readonly all: T[];
    readonly byIntent: Map<string, T[]>;
    readonly byFile: readonly Map<string, unknown>[];
    readonly setOf: (item: T) => string;
    readonly intentsOf: (item: T) => readonly string[];
  }): Set<string> {
    const { index } = this;
    const { all, byIntent, setOf, intentsOf } = lists;
    const id = artifact.id;
    const rank = new Map(index.manifest.artifacts.map((a, i) => [a.id, i]));
    const mine = rank.get(id)!;
    const after = (item: T): boolean => rank.get(setOf(item))! > mine;
    const touched = new Set<string>();
    // Out with the old: one run of the list, where the new ones go.
    let start = all.findIndex((item) => setOf(item) === id || after(item));
    if (start < 0) start = all.length;
    let end = start;
    while (end < all.length && setOf(all[end]) === id) {
      for (const intent of intentsOf(all[end])) touched.add(intent);
      end++;
    }
    all.splice(start, end - start);
    for (const file of index.matched.get(artifact) ?? []) for (const map of lists.byFile) map.delete(file);
    const others = new Map<string, T[]>();
    for (const intent of touched) {
      others.set(intent, (byIntent.get(intent) ?? []).filter((item) => setOf(item) !== id));
      byIntent.delete(intent);
    }
    // In with the new, read as a build reads them: they land at the ends of the lists.
    const tail = all.length;
    this.rereadArtifacts(new Set([artifact]));
    const fresh = all.splice(tail);
    all.splice(start, 0, ...fresh);
    for (const item of fresh) {
      for (const intent of intentsOf(item)) if (!others.has(intent)) others.set(intent, (byIntent.get(intent) ?? []).filter((x) => setOf(x) !== id));
    }
    for (const [intent, rest] of others) {
      touched.add(intent);
      const added: T[] = [];
      for (const item of fresh) for (const i of intentsOf(item)) if (i === intent) added.push(item);
      let at = rest.findIndex(after);
      if (at < 0) at = rest.length;
      const next = [...rest.slice(0, at), ...added, ...rest.slice(at)];
      if (next.length) byIntent.set(intent, next);
      else byIntent.delete(intent);
    }
    return touched;
  }

  /** Every intent's copy phrases, compiled once per index (a patch's builder adopts them). */
  private phraseMatcher(): PhraseMatcher {
    return (this.phrases ??= new PhraseMatcher(this.index.manifest.intents.values()));
  }

  private readArtifact(artifact: Artifact): void {
    const { index } = this;
    this.reading = artifact.id;
    const locator = artifact.locator ? createLocator(artifact.locator, this.locate) : undefined;
    const files: string[] = [];
    const parts: LoadedFile[] = [];
    const spans = new Map<LoadedFile, string>();
    const located: LocatedPart[] = [];
    const heads: { file: string; range: Range }[] = [];
    const missing: { file: string; why: string }[] = [];
    const contract: string[] = [];
    const suites: Suite[] = [];
    let unsupported = false;
    let pending = false;
    for (const file of index.matched.get(artifact) ?? []) {
      const notHere = locator?.unsupported(file);
      if (notHere) {
        if (!unsupported) this.report('manifest-schema', index.manifestFile, locator!.spec.range, notHere, { artifact: artifact.id });
        unsupported = true;
        continue;
      }
      const loaded = this.load(file);
      if (!loaded) continue;
      let span: (LocatedText & { anchor: Range }) | undefined;
      if (locator) {
        const found = this.locateIn(locator, artifact, loaded);
        if ('pending' in found) {
          index.pendingGrammars.add(found.pending);
          pending = true;
          continue;
        }
        if ('missing' in found) {
          if (locator.notFound === 'pointer-not-found') {
            this.report('pointer-not-found', index.manifestFile, locator.spec.range, `${capital(found.missing)} (in ${file}), so '${artifact.id}' cannot be compared with its last review.`, { artifact: artifact.id });
          } else {
            missing.push({ file, why: found.missing });
          }
          continue;
        }
        span = { ...found.found, anchor: found.anchor };
      }
      if (!this.claim(file, artifact, span)) continue;
      files.push(file);
      heads.push({ file, range: loaded.head });
      parts.push(loaded);
      if (span) {
        located.push({ file, value: span, anchor: span.anchor });
        spans.set(loaded, span.text);
        contract.push(span.text);
      } else {
        if (artifact.kind === 'tool-description') {
          const prose = this.proseOf(loaded);
          if (prose === undefined) pending = true;
          else contract.push(prose);
        }
      }
      if (artifact.kind === 'eval-set') suites.push(this.readEvals(artifact, file));
      if (artifact.kind === 'help-copy') this.readCopy(artifact, file, loaded, this.phraseMatcher(), span);
    }
    if (locator && !located.length && missing.length && !pending) this.reportNotFound(locator, artifact, missing);
    if (artifact.kind === 'eval-set') {
      // The case files its config points at are part of the set: a change to them is a change to review.
      for (const file of this.addCases(artifact, suites)) {
        const loaded = this.load(file);
        if (loaded) parts.push(loaded);
      }
    }
    if (pending) {
      // Told once the grammar is loaded; until then the artifact's state is unknown.
      index.contents.set(artifact.id, { artifact, files, located, heads });
      return;
    }
    const textOf = (part: LoadedFile): string => spans.get(part) ?? part.text;
    const hashed = (): string => contentHash(parts.map((part) => ({ path: part.file, text: textOf(part) })));
    const only = parts.length === 1 ? parts[0] : undefined;
    // Keyed by the keys of the files hashed (with the locator, which picks the text within them).
    const hash = !parts.length ? undefined
      : only ? this.cache.get(`hash:${artifact.locator?.kind ?? 'file'}:${artifact.locator?.value ?? ''}`, only.file, only.key, hashed)
      : parts.every((part) => part.byRevision) ? this.cache.get(`hash:parts:${artifact.locator?.kind ?? 'file'}:${artifact.locator?.value ?? ''}`, artifact.id, parts.map((part) => `${part.file}\u0000${part.key}`).join('\u0000'), hashed)
      : hashed();
    const content: ArtifactContent = { artifact, files, hash, contract: contract.length ? contract.join('\n') : undefined, located, heads };
    if (only) {
      const span = spans.get(only);
      if (span !== undefined || !only.byRevision) Object.assign(content, { text: textOf(only) });
      // A whole file read through revisions is not held: read again when asked, and only if it still has the hash shown.
      else Object.defineProperty(content, 'text', { enumerable: true, get: textAgain(this.host, joinPath(index.root, only.file), only.file, hash) });
    }
    index.contents.set(artifact.id, content);
  }

  /**
   * Asks the locator. While an open file does not parse (someone is typing),
   * the text last found there stands in, so nothing flickers mid-edit.
   */
  private locateIn(locator: Locator, artifact: Artifact, loaded: LoadedFile): LocateAnswer {
    // Cached per file revision, so an unchanged file is neither read nor searched again. A host
    // without revisions has the text at hand anyway: its locators' own caches answer quickly.
    const { byRevision } = loaded;
    const wanted = byRevision ? this.index.wantedNames.get(loaded.file) : undefined;
    const purpose = byRevision ? `located:${artifact.id}:${locator.spec.kind}:${locator.spec.value}:${wanted ? [...wanted].sort().join(',') : ''}` : '';
    const hit = byRevision ? this.cache.lookup<LocateAnswer>(purpose, loaded.file, loaded.key) : undefined;
    if (hit) return hit;
    const result = locator.locate(loaded);
    const key = `${artifact.id}\u0000${loaded.file}\u0000${locator.spec.kind}:${locator.spec.value}`;
    if ('found' in result) {
      // Its own copy of the text where the file's text is not kept: a slice would keep it alive.
      const found = byRevision ? { ...result.found, text: detach(result.found.text) } : result.found;
      this.cache.lastGood.set(key, found);
      const answer = { found, anchor: firstLineOf(found, loaded.lines) };
      if (byRevision) this.cache.store(purpose, loaded.file, loaded.key, answer);
      return answer;
    }
    // Not found, or not parsing mid-edit: asked again next time, since the answer depends on whether the file is open.
    const last = this.cache.lastGood.get(key);
    const editing = this.host.isOpen?.(joinPath(this.index.root, loaded.file)) === true;
    if ('missing' in result && last && editing && result.missing.includes('does not parse')) {
      const start = Math.min(last.start, loaded.text.length);
      const end = Math.min(last.end, loaded.text.length);
      const found = { ...last, start, end, range: loaded.lines.range(start, end) };
      return { found, anchor: firstLineOf(found, loaded.lines) };
    }
    return result;
  }

  /** symbol-not-found at the locator's value, naming every file searched. */
  private reportNotFound(locator: Locator, artifact: Artifact, missing: readonly { file: string; why: string }[]): void {
    const what = `${locator.spec.kind} '${locator.spec.value}'`;
    const where = missing.length === 1
      ? `in ${missing[0].file}, ${missing[0].why}`
      : `searched ${missing.length} files: ${missing.slice(0, 5).map((m) => `${m.file} (${m.why})`).join('; ')}${missing.length > 5 ? `; and ${missing.length - 5} more` : ''}`;
    this.report(locator.notFound, this.index.manifestFile, locator.spec.range,
      `Counterpart cannot find ${what} for '${artifact.id}': ${where}. Until it is found, '${artifact.id}' cannot be checked or reviewed. If it was renamed or moved, update this line.`,
      { artifact: artifact.id });
  }

  /** The prose of a whole file: for code, only comments, docstrings and strings; undefined while its grammar loads. */
  private proseOf(source: SourceFile): string | undefined {
    if (!codeLanguageOf(source.file)) return source.text;
    const read = readProse(this.locate, source);
    if ('pending' in read) {
      this.index.pendingGrammars.add(read.pending);
      return undefined;
    }
    return 'prose' in read ? read.prose : source.text;
  }

  /** Copy phrases in a help-copy file; with a locator, only those inside the located text. */
  private readCopy(artifact: Artifact, file: string, loaded: LoadedFile, phrases: PhraseMatcher, span: LocatedText | undefined): void {
    const { index } = this;
    const found = this.cache.get(`copy:${phrases.key}:${artifact.id}`, file, loaded.key, () => phrases.scan(loaded.text, file, artifact.id, loaded.lines));
    if (found.length >= MARKERS_PER_FILE) {
      this.report('file-skipped', file, START_OF_FILE, `This help copy names intents more than ${MARKERS_PER_FILE.toLocaleString('en-US')} times, so only the first ${MARKERS_PER_FILE.toLocaleString('en-US')} are read.`, { artifact: artifact.id });
    }
    for (const mention of found) {
      if (span && !(containsPosition(span.range, mention.range.start) && containsPosition(span.range, mention.range.end))) continue;
      index.copy.push(mention);
      push(index.intentCopy, mention.intent, mention);
      push(index.fileCopy, file, mention);
    }
  }

  /** One file of an eval set, with every file its `tests:` leads to: the promptfoo reader follows them. */
  private readEvals(artifact: Artifact, file: string): Suite {
    if (this.evalsLater) return { cases: [], problems: [], files: [], promptFiles: [] };
    const format = artifact.format ?? defaultEvalFormat(file);
    const fields = artifact.intentField ?? [defaultIntentField(format)];
    const source: EvalSource = {
      match: (pattern) => this.matcher?.match(pattern) ?? [],
      load: (f) => this.load(f),
      cached: (purpose, f, key, compute) => this.cache.get(purpose, f, key, compute),
    };
    return readSuite(file, format, fields, artifact.id, source);
  }

  /** An eval set's cases, named apart, into the maps hovers and rules read; answers the files reached by file://. */
  private addCases(artifact: Artifact, all: readonly Suite[]): string[] {
    const { index } = this;
    // A case file the set's glob matches and its config also points at is read once, through the config (with its defaults).
    const reached = new Set(all.flatMap((s) => s.files.slice(1)));
    const suites = all.filter((s) => !s.files.length || !reached.has(s.files[0]));
    for (const suite of suites) for (const p of suite.problems) this.report(p.code, p.file, p.range, p.message, { artifact: artifact.id });
    const own = new Set(index.matched.get(artifact) ?? []);
    const referenced = [...new Set(suites.flatMap((s) => s.files))].filter((f) => !own.has(f)).sort();
    for (const f of referenced) index.referencedEvalFiles.add(f);
    const promptFiles = new Set(suites.flatMap((s) => s.promptFiles));
    if (referenced.length || promptFiles.size || suites.some((s) => s.files.length > 1)) index.evalSetsReaching.add(artifact.id);
    if (promptFiles.size || artifact.exercises?.length) this.exercises.set(artifact, promptFiles);
    const seen = new Set<string>();
    for (const c of tellApart(suites.flatMap((s) => s.cases))) {
      index.evalCases.push(c);
      push(index.fileEvalCases, c.file, c);
      for (const intent of c.intents) {
        push(index.intentEvalCases, intent.value, c);
        // An intent inherited from defaultTest is written once for many cases: one place.
        const key = `${intent.file}\u0000${intent.range.start.line}:${intent.range.start.character}\u0000${intent.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let places = index.fileEvalIntents.get(intent.file);
        if (!places) index.fileEvalIntents.set(intent.file, (places = { intents: [], cases: [] }));
        places.intents.push(intent);
        places.cases.push(c);
      }
    }
    return referenced;
  }

  /** Which prompts each eval set runs: named by `prompts: file://…` or by `exercises:`; none named means all. */
  private resolveExercises(): void {
    const { index } = this;
    for (const [evalSet, promptFiles] of this.exercises) {
      const prompts = new Set<string>();
      // By the files each prompt's manifest entry names, not by what it has located yet (its grammar may still load).
      for (const prompt of index.manifest.artifacts) {
        if (prompt.kind === 'system-prompt' && (index.matched.get(prompt) ?? []).some((f) => promptFiles.has(f))) prompts.add(prompt.id);
      }
      for (const ref of evalSet.exercises ?? []) if (index.artifactsById.get(ref.value)?.kind === 'system-prompt') prompts.add(ref.value);
      index.evalSetPrompts.set(evalSet.id, prompts);
    }
  }

  private readSurfaces(): void {
    const { index } = this;
    for (const [file, surfaces] of index.fileSurfaces) {
      for (const marker of this.surfaceMarkers(file, surfaces)) {
        index.markers.push(marker);
        push(index.intentMarkers, marker.intent, marker);
        push(index.fileMarkers, file, marker);
      }
    }
  }

  /** Takes what another builder of the same index compiled: markers and intent names depend only on the manifest. */
  adopt(other: IndexBuilder): void {
    this.compiledMarkers = other.compiledMarkers;
    this.intentNames = other.intentNames;
    this.phrases = other.phrases;
  }

  /** The markers of one UI file, intents named by title or phrase turned into their ids. */
  surfaceMarkers(file: string, surfaces: readonly Surface[]): Marker[] {
    const { index } = this;
    const loaded = this.load(file);
    if (!loaded) return [];
    // Each marker compiled once per build, not once per file.
    this.compiledMarkers ??= new Map(index.manifest.surfaces.map((s) => [s, compileMarker(s.marker.value)]));
    this.intentNames ??= intentNames([...index.manifest.intents.values()]);
    const names = this.intentNames;
    const out: Marker[] = [];
    for (const surface of surfaces) {
      const compiled = this.compiledMarkers.get(surface) ?? compileMarker(surface.marker.value);
      if (!compiled.ok) continue;
      const found = this.cache.get(`marker:${surface.marker.value}`, file, loaded.key, () => scanMarkers(loaded.text, file, compiled.pattern, surface.index, loaded.lines));
      if (found.length >= MARKERS_PER_FILE) {
        this.report('file-skipped', file, START_OF_FILE, `The surface marker matches this file more than ${MARKERS_PER_FILE.toLocaleString('en-US')} times, so only the first ${MARKERS_PER_FILE.toLocaleString('en-US')} are read. Make the marker more specific.`);
      }
      for (const written of found) {
        // UI code often names an intent by its title or a phrase ("Refund status"): that is the intent.
        const id = names.get(normalizeName(written.intent));
        out.push(id && id !== written.intent ? { ...written, intent: id, written: written.intent } : written);
      }
    }
    return out;
  }

  /**
   * Reads the review ledger, unless its path leads out of the folder through a
   * link or names a file that is not a ledger (the manifest, an artifact's
   * file, other JSON): then no past review is read from it, the manifest says
   * why at `reviews:`, and signing refuses to write there.
   */
  private readLedger(): void {
    const { index } = this;
    const file = index.ledgerFile;
    const at = index.manifest.reviews.range;
    index.watched.add(file);
    index.ledgerFiles.add(file);
    const real = this.ledgerRealPath(file);
    if ('outside' in real) {
      const problem = outsideFolderMessage('The review ledger', file, real.outside);
      this.report('file-skipped', index.manifestFile, at, problem);
      index.ledger = { reviews: new Map(), refused: problem };
      return;
    }
    // Written through a link inside the folder, the ledger changes at its real place: watch that too.
    index.watched.add(real.file);
    index.ledgerFiles.add(real.file);
    const problem = ledgerPathProblem(index, [file, real.file]);
    if (problem) {
      this.report('manifest-schema', index.manifestFile, at, problem);
      index.ledger = { reviews: new Map(), refused: problem };
      return;
    }
    // A ledger holds a few hundred bytes per artifact: one this large is not a ledger worth minutes of parsing.
    const info = this.host.stat(joinPath(index.root, real.file));
    if (info && !info.isFile) {
      const problem = `The review ledger ${file} is not a regular file, so no past review was read and no sign-off is written to it.`;
      this.report('file-skipped', index.manifestFile, at, problem);
      index.ledger = { reviews: new Map(), refused: problem };
      return;
    }
    const size = info?.size ?? 0;
    if (size > LEDGER_MAX_SIZE) {
      const problem = `The review ledger ${file} is ${formatSize(size)}, over the ${formatSize(LEDGER_MAX_SIZE)} Counterpart reads, so no past review was read and no sign-off is written to it. Restore it from version control.`;
      this.report('file-skipped', index.manifestFile, at, problem);
      index.ledger = { reviews: new Map(), refused: problem };
      return;
    }
    // Read at its real place, the path file events name, so a change there is never served from a cache.
    const text = this.host.readText(joinPath(index.root, real.file));
    if (text === undefined) return;
    const parsed = this.cache.get('ledger', file, text, () => parseLedger(text, file));
    if (parsed.ledger.refused) this.report('manifest-schema', index.manifestFile, at, parsed.ledger.refused);
    index.ledger = parsed.ledger;
    index.problems.push(...parsed.findings);
  }

  /**
   * Where the ledger really is, relative to the folder: each folder on its
   * path and the file itself may be a link. A link out of the folder is
   * reported, wherever on the path it is.
   */
  private ledgerRealPath(file: string): { file: string } | { outside: string } {
    const { index } = this;
    const parts = file.split('/').filter((p) => p !== '' && p !== '.');
    let real = file;
    for (let i = 1; i <= parts.length; i++) {
      const linked = this.host.stat(joinPath(index.root, parts.slice(0, i).join('/')))?.realPath;
      if (linked === undefined) continue;
      if (!isInside(linked, index.root)) return { outside: [linked, ...parts.slice(i)].join('/') };
      real = [linked.slice(index.root.length).replace(/^\//, ''), ...parts.slice(i)].filter(Boolean).join('/');
    }
    return { file: real };
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
    // A pipe or a device would block the read forever.
    if (!info.isFile) return skip('This is not a regular file (a pipe, a device or a folder), so Counterpart did not read it.');
    if (info.realPath !== undefined && !isInside(info.realPath, index.root)) {
      return skip(`This file is a link to ${info.realPath}, outside the workspace folder, so Counterpart did not read it.`);
    }
    if (info.size > this.maxSize) {
      return skip(`This file is ${formatSize(info.size)}, over the ${formatSize(this.maxSize)} Counterpart reads, so it was skipped.`);
    }
    const binary = (): undefined => skip('This file looks binary, not text, so Counterpart did not read it.');
    const revision = host.revision?.(abs);
    if (revision === undefined) {
      const text = host.readText(abs);
      if (text === undefined) return undefined;
      if (text.includes('\u0000')) return binary();
      return new LoadedFile(file, text, () => text, this.cache, text);
    }
    // Told by revision: an unchanged file is not read at all, and its text is not kept.
    const key = revisionKey(revision);
    let text: string | undefined;
    const state = this.cache.get('read', file, key, () => {
      text = host.readText(abs);
      return text === undefined ? 'gone' : text.includes('\u0000') ? 'binary' : 'text';
    });
    if (state === 'gone') return undefined;
    if (state === 'binary') return binary();
    return new LoadedFile(file, key, () => host.readText(abs) ?? '', this.cache, text);
  }

  private report(code: FindingCode, file: string, range: Range, message: string, subject?: Finding['subject']): void {
    const finding: Finding = { code, severity: DEFAULT_SEVERITY[code], message, file, range, subject };
    this.index.problems.push(finding);
    if (this.reading !== undefined) push(this.index.artifactProblems, this.reading, finding);
  }
}

/**
 * A whole file's text, read again when asked, and only while it still hashes
 * to what the index holds (else undefined). Holds the host, never the build.
 */
function textAgain(host: Host, abs: string, file: string, hash: string | undefined): () => string | undefined {
  return () => {
    const text = host.readText(abs);
    return text !== undefined && contentHash([{ path: file, text }]) === hash ? text : undefined;
  };
}

function isInside(path: string, root: string): boolean {
  const r = root.endsWith('/') ? root : root + '/';
  return path === root || path.startsWith(r);
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
