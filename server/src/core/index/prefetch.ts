import { defaultEvalFormat, defaultIntentField } from '../evals/parse';
import { readerFor, type EvalFileFacts, type EvalReader } from '../evals/readers';
import { evalsPurpose, isCodeFile } from '../evals/suite';
import { joinPath, type Host } from '../host';
import { DEFAULT_MANIFEST } from '../manifest/model';
import { parseManifest } from '../manifest/parse';
import { rawCase, type EvalIntent, type OwnIntents } from '../evals/cases';
import { intern, sharedRange, type Range } from '../text';
import { DEFAULT_MAX_FILE_SIZE, revisionKey } from './builder';
import { FileMatcher } from './fileMatcher';
import { readManifestText, type IndexCache, type IndexOptions } from './workspaceIndex';

/** One eval file a build will parse, and how: work that can be done ahead, apart from the build. */
export interface EvalRead {
  readonly file: string;
  readonly abs: string;
  readonly size: number;
  readonly reader: EvalReader;
  readonly paths: readonly string[];
  readonly purpose: string;
  /** Its revision's cache key; absent when the host gives none (the text itself is the key then). */
  readonly key?: string;
}

/**
 * The eval files the next build of this folder will parse: those the
 * manifest's eval sets name, not open in an editor (their text is not on
 * disk), not already in the cache, and of a size a build reads. Files a
 * config reaches through `file://` are left to the build.
 */
export function planEvalReads(root: string, host: Host, options: IndexOptions, cache: IndexCache): EvalRead[] {
  const manifestFile = options.manifestPath ?? DEFAULT_MANIFEST;
  const { text, unreadable } = readManifestText(root, host, manifestFile);
  if (unreadable !== undefined || text === undefined) return [];
  // The same entry the build reads the manifest through.
  const { manifest } = cache.get('manifest', manifestFile, text, () => parseManifest(text, manifestFile));
  const matcher = new FileMatcher(host.listFiles(root));
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const reads = new Map<string, EvalRead>();
  for (const artifact of manifest.artifacts) {
    if (artifact.kind !== 'eval-set' || artifact.locator) continue;
    for (const pattern of artifact.files) {
      for (const file of matcher.match(pattern.value)) {
        if (file === manifestFile || isCodeFile(file)) continue;
        const abs = joinPath(root, file);
        if (host.isOpen?.(abs)) continue;
        const stat = host.stat(abs);
        if (!stat?.isFile || stat.realPath !== undefined || stat.size > maxSize) continue;
        const format = artifact.format ?? defaultEvalFormat(file);
        const paths = artifact.intentField ?? [defaultIntentField(format)];
        const reader = readerFor(file, format);
        const purpose = evalsPurpose(reader, paths);
        const revision = host.revision?.(abs);
        const key = revision === undefined ? undefined : revisionKey(revision);
        if (key !== undefined && cache.lookup(purpose, file, key) !== undefined) continue;
        reads.set(`${purpose}\u0000${file}`, { file, abs, size: stat.size, reader, paths, purpose, key });
      }
    }
  }
  return [...reads.values()];
}

/**
 * Keeps facts read elsewhere (another process) where the build will look for
 * them. Strings come back as copies, so intents and paths are shared again.
 */
export function keepEvalFacts(cache: IndexCache, read: EvalRead, facts: EvalFileFacts, text: string | undefined): void {
  const key = read.key ?? text;
  if (key === undefined) return;
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
}
