import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Minimatch } from 'minimatch';
import { formatDay, plural } from '../core/describe';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { contentHash, parseLedger } from '../core/ledger/ledger';
import { codeLanguageOf, sharedGrammars, type CodeLanguage } from '../core/locate/code/grammars';
import { locateTextIn } from '../core/locate/artifactText';
import { compileMarker } from '../core/manifest/marker';
import type { Artifact, Surface } from '../core/manifest/model';
import { scanMarkers } from '../core/index/scan';
import { LineIndex } from '../core/text';
import {
  defaultSince, groupByWeek,
  type ArtifactChangeEvent, type Calendar, type CalendarCommit, type CalendarEvent, type CalendarSignOff, type HistoryState, type IntentUiEvent, type SignOffEvent,
} from '../core/report/calendar';
import { LOG_FORMAT, NO_BLOB, parseLog, readBlobs, runGit, type LoggedCommit, type RawChange } from './gitHistory';
import { authorSide, Claims, readCache, readText, writeCache, type CalendarCache } from './calendarFacts';

export interface CalendarOptions {
  /** The first day to show; by default the Monday `weeks - 1` weeks before this week. */
  readonly since?: Date;
  /** How many weeks back when `since` is not given (default 8). */
  readonly weeks?: number;
  /** Where to keep what was read from each blob; by default `.git/counterpart-cache/`. */
  readonly cacheDir?: string;
  /** "Now", for tests. */
  readonly now?: Date;
}

/**
 * The release calendar of a folder from its git history: each change to an
 * artifact's located text, each intent added to or removed from a UI file,
 * and whether the other side signed that text (the ledger's history). What is
 * read from each blob is cached by blob id, so a second run reads no blob.
 * Never throws: without git, outside a repository or in a shallow clone, the
 * calendar says what history it could read.
 */
export async function readCalendar(folder: string, index: WorkspaceIndex, options: CalendarOptions = {}): Promise<Calendar> {
  const now = options.now ?? new Date();
  const since = options.since ?? defaultSince(now, options.weeks ?? 8);
  const empty = (history: HistoryState, note: string): Calendar => ({
    // No weeks at all: eight empty ones would read as eight quiet weeks, not as history nobody could read.
    since: since.toISOString(), until: now.toISOString(), weeks: [], history, note, commits: 0,
  });
  const probe = await runGit(folder, ['rev-parse', '--is-shallow-repository', '--git-common-dir', '--git-path', 'shallow']);
  if (!probe.ok) {
    return probe.missing
      ? empty('no-git', 'git is not installed here, so there is no history to show. The coverage map and the drift list do not need it.')
      : empty('no-repository', 'This folder is not in a git repository, so there is no history to show. The coverage map and the drift list do not need it.');
  }
  const [shallowLine, commonDir, shallowFile] = probe.out.toString('utf8').trim().split('\n');
  const shallow = shallowLine === 'true';
  // The oldest commits of a shallow clone show every file as added: they are where history starts, not changes.
  const boundary = new Set(shallow && shallowFile ? readText(path.resolve(folder, shallowFile)).split('\n').filter(Boolean) : []);
  const log = await runGit(folder, ['log', '-z', '--raw', '--no-abbrev', '-M', '--relative', `--format=${LOG_FORMAT}`, `--since=${since.toISOString()}`, '--', '.']);
  if (!log.ok) {
    return empty('complete', /does not have any commits|bad default revision/i.test(log.error) ? 'The repository has no commits yet.' : `git could not read the history (${log.error.split('\n')[0]}).`);
  }
  const commits = parseLog(log.out.toString('utf8')).filter((c) => !boundary.has(c.id)).reverse();
  const cacheFile = path.join(options.cacheDir ?? path.resolve(folder, commonDir ?? '.git', 'counterpart-cache'), 'calendar.json');
  const cache = readCache(cacheFile);
  const reader = new HistoryReader(folder, index, cache);
  const events = await reader.events(commits, now);
  if (cache.dirty) writeCache(cacheFile, cache);

  const roots = await runGit(folder, ['log', '--max-parents=0', '--format=%cI', 'HEAD']);
  const startsAt = roots.ok ? roots.out.toString('utf8').trim().split('\n').filter(Boolean).sort()[0] : undefined;
  const startsInside = startsAt !== undefined && Date.parse(startsAt) > since.getTime();
  let history: HistoryState = 'complete';
  let note: string;
  if (shallow) {
    history = 'shallow';
    note = `History starts at ${startsAt ? formatDay(startsAt) : 'an unknown date'}: this is a shallow clone, so earlier changes cannot be shown. Fetch the full history (git fetch --unshallow) to see them.`;
  } else if (startsInside) {
    note = `History starts at ${formatDay(startsAt)}, the first commit. Read ${plural(commits.length, 'commit')}.`;
  } else {
    note = `Read ${plural(commits.length, 'commit')} since ${formatDay(since.toISOString())}.`;
  }
  return {
    since: since.toISOString(),
    until: now.toISOString(),
    weeks: groupByWeek(events, since, now),
    history,
    note,
    startsAt: shallow || startsInside ? startsAt : undefined,
    commits: commits.length,
  };
}

const NOTHING: Claimed = { artifacts: [], surfaces: [] };

interface TextVersion { readonly hash: string; readonly line: number }

interface SignOffSeen extends CalendarSignOff {
  readonly artifact: string;
  readonly hash: string;
  /** When it entered the ledger's history (committer date, or now for the working ledger). */
  readonly time: number;
}

interface Claimed { readonly artifacts: readonly Artifact[]; readonly surfaces: readonly Surface[] }

class HistoryReader {
  private readonly claims: Claims;
  private readonly markerKeys = new Map<Surface, string>();
  /** What each change touches: the manifest's patterns today, followed back through renames. */
  private readonly claimed = new Map<RawChange, Claimed>();

  constructor(private readonly folder: string, private readonly index: WorkspaceIndex, private readonly cache: CalendarCache) {
    this.claims = new Claims(index);
  }

  /**
   * From the newest commit back: a file renamed to a path an artifact claims
   * was that artifact's file before the rename, so its older changes count.
   */
  private claimAll(commits: readonly LoggedCommit[]): void {
    const before = new Map<string, { artifacts: Set<Artifact>; surfaces: Set<Surface> }>();
    const of = (file: string): { artifacts: Set<Artifact>; surfaces: Set<Surface> } => {
      const now = this.claims.of(file);
      const alias = before.get(file);
      return { artifacts: new Set([...now.artifacts, ...(alias?.artifacts ?? [])]), surfaces: new Set([...now.surfaces, ...(alias?.surfaces ?? [])]) };
    };
    for (let i = commits.length - 1; i >= 0; i--) {
      for (const change of commits[i].changes) {
        const next = of(change.newPath);
        const prev = change.oldPath === change.newPath ? next : of(change.oldPath);
        const artifacts = [...new Set([...next.artifacts, ...prev.artifacts])];
        const surfaces = [...new Set([...next.surfaces, ...prev.surfaces])];
        if (artifacts.length || surfaces.length) this.claimed.set(change, { artifacts, surfaces });
        if (change.status === 'R' && change.oldPath !== change.newPath && (next.artifacts.size || next.surfaces.size)) before.set(change.oldPath, next);
      }
    }
  }

  private claimsOf(change: RawChange): Claimed {
    return this.claimed.get(change) ?? NOTHING;
  }

  private textKey(blob: string, artifact: Artifact, file: string): string {
    const l = artifact.locator;
    // Whole files hash the same whatever the artifact; a locator's answer depends on it and the file's language.
    return l ? `${blob}|${l.kind}:${l.value}:${path.extname(file).toLowerCase()}` : `${blob}|file`;
  }

  private markerKey(blob: string, surface: Surface): string {
    let key = this.markerKeys.get(surface);
    if (!key) this.markerKeys.set(surface, (key = createHash('sha256').update(surface.marker.value).digest('hex').slice(0, 16)));
    return `${blob}|${key}`;
  }

  /** Reads every blob whose facts are not cached yet, in one git call, and caches their facts. */
  private async fill(commits: readonly LoggedCommit[]): Promise<void> {
    const wanted = new Map<string, (text: string) => void | 'pending'>();
    const languages = new Set<CodeLanguage>();
    const want = (blob: string, compute: (text: string) => void | 'pending'): void => {
      if (blob === NO_BLOB) return;
      const before = wanted.get(blob);
      wanted.set(blob, before ? (t) => (before(t) === 'pending' ? 'pending' : compute(t)) : compute);
    };
    const { cache, index } = this;
    for (const commit of commits) {
      for (const change of commit.changes) {
        const claimed = this.claimsOf(change);
        const ledger = change.newPath === index.ledgerFile;
        if (!claimed.artifacts.length && !claimed.surfaces.length && !ledger) continue;
        for (const [blob, file] of [[change.oldBlob, change.oldPath], [change.newBlob, change.newPath]] as const) {
          if (blob === NO_BLOB) continue;
          for (const artifact of claimed.artifacts) {
            const key = this.textKey(blob, artifact, file);
            if (key in cache.texts) continue;
            const language = artifact.locator && (artifact.locator.kind === 'symbol' || artifact.locator.kind === 'tool') ? codeLanguageOf(file) : undefined;
            if (language) languages.add(language);
            want(blob, (text) => {
              const found = locateTextIn(index, artifact, file, text);
              if (found === 'pending') return 'pending';
              cache.texts[key] = found ? [contentHash([{ path: file, text: found.text }]), found.line] : 0;
              cache.dirty = true;
              return undefined;
            });
          }
          for (const surface of claimed.surfaces) {
            const key = this.markerKey(blob, surface);
            if (key in cache.markers) continue;
            want(blob, (text) => {
              const compiled = compileMarker(surface.marker.value);
              const first = new Map<string, number>();
              if (compiled.ok) for (const m of scanMarkers(text, file, compiled.pattern, surface.index, new LineIndex(text))) if (!first.has(m.intent)) first.set(m.intent, m.range.start.line);
              cache.markers[key] = [...first];
              cache.dirty = true;
            });
          }
          if (ledger && file === index.ledgerFile && !(blob in cache.ledgers)) {
            want(blob, (text) => {
              const { ledger } = parseLedger(text, file);
              cache.ledgers[blob] = [...ledger.reviews.entries()].map(([id, r]) => [id, r.hash, r.by, r.side, r.at]);
              cache.dirty = true;
            });
          }
        }
      }
    }
    if (!wanted.size) return;
    if (languages.size) await sharedGrammars().load(languages);
    const blobs = await readBlobs(this.folder, [...wanted.keys()]);
    if (!blobs) return;
    for (const [blob, compute] of wanted) {
      const bytes = blobs.get(blob);
      if (bytes && !bytes.subarray(0, 8000).includes(0)) compute(bytes.toString('utf8'));
    }
  }

  private text(blob: string, artifact: Artifact, file: string): TextVersion | undefined {
    if (blob === NO_BLOB) return undefined;
    const v = this.cache.texts[this.textKey(blob, artifact, file)];
    return v ? { hash: v[0], line: v[1] } : undefined;
  }

  async events(commits: readonly LoggedCommit[], now: Date): Promise<CalendarEvent[]> {
    this.claimAll(commits);
    await this.fill(commits);
    const { index, cache } = this;
    const signOffs: SignOffSeen[] = [];
    const seen = new Set<string>();
    const addSignOffs = (entries: readonly [string, string, string, string, string][], commit: string | undefined, time: number): void => {
      for (const [artifact, hash, by, side, at] of entries) {
        const key = [artifact, hash, by, side, at].join('\0');
        if (seen.has(key)) continue;
        seen.add(key);
        signOffs.push({ artifact, hash, by, side, at, commit, time });
      }
    };
    const changes: ArtifactChangeEvent[] = [];
    const out: CalendarEvent[] = [];
    for (const c of commits) {
      const commit: CalendarCommit = { id: c.id, short: c.short, at: c.at, subject: c.subject, author: { name: c.authorName, email: c.authorEmail, side: authorSide(index, c.authorName, c.authorEmail) } };
      for (const change of c.changes) {
        if (change.newPath === index.ledgerFile && cache.ledgers[change.newBlob]) {
          addSignOffs(cache.ledgers[change.newBlob], c.short, Date.parse(c.at));
          out.push(...this.signOffEvents(commit, change));
        }
        changes.push(...this.artifactChanges(commit, change));
        out.push(...this.intentChanges(commit, change));
      }
    }
    // Sign-offs recorded but not committed yet count too: the ledger as it is on disk.
    addSignOffs([...index.ledger.reviews.entries()].map(([id, r]) => [id, r.hash, r.by, r.side, r.at]), undefined, now.getTime());
    // Each change is judged up to the artifact's next change: walked from the newest, that is the last one seen.
    const nextChange = new Map<string, number>();
    const judged: ArtifactChangeEvent[] = [];
    for (let i = changes.length - 1; i >= 0; i--) {
      const change = changes[i];
      judged.push(this.judge(change, signOffs, nextChange.get(change.artifact) ?? Infinity));
      nextChange.set(change.artifact, Date.parse(change.commit.at));
    }
    return [...out, ...judged.reverse()];
  }

  /** The sign-offs a commit added to the ledger (new entries, or an entry signed again). */
  private signOffEvents(commit: CalendarCommit, change: RawChange): SignOffEvent[] {
    const key = (e: readonly string[]): string => e.join('\0');
    const before = new Set((change.status === 'A' ? [] : this.cache.ledgers[change.oldBlob] ?? []).map(key));
    const out: SignOffEvent[] = [];
    for (const entry of this.cache.ledgers[change.newBlob] ?? []) {
      if (before.has(key(entry))) continue;
      const [artifact, , by, side] = entry;
      const known = this.index.artifactsById.get(artifact);
      out.push({ type: 'signed-off', commit, artifact, kind: known?.kind, owner: known?.owner.value, by, side, place: { file: change.newPath, line: 0 } });
    }
    return out;
  }

  private artifactChanges(commit: CalendarCommit, change: RawChange): ArtifactChangeEvent[] {
    const { index } = this;
    const out: ArtifactChangeEvent[] = [];
    for (const artifact of this.claimsOf(change).artifacts) {
      const before = change.status === 'A' ? undefined : this.text(change.oldBlob, artifact, change.oldPath);
      const after = change.status === 'D' ? undefined : this.text(change.newBlob, artifact, change.newPath);
      if (before?.hash === after?.hash) continue;
      const removed = !after;
      out.push({
        type: 'artifact-changed',
        commit,
        artifact: artifact.id,
        kind: artifact.kind,
        owner: artifact.owner.value,
        counterpart: index.counterpartOf(artifact)?.id,
        place: { file: removed ? change.oldPath : change.newPath, line: (after ?? before)?.line ?? 0 },
        renamedFrom: change.status === 'R' && change.oldPath !== change.newPath ? change.oldPath : undefined,
        change: !before ? 'added' : removed ? 'removed' : 'changed',
        unreviewed: true,
        // The hash of the new text, kept until `judge` has compared it with the sign-offs.
        ...({ hash: after?.hash } as object),
      });
    }
    return out;
  }

  /**
   * Whether the other side from the author signed this change: for a
   * one-file artifact, a sign-off of exactly this text; for one of several
   * files (or a removal), a sign-off recorded after it and before the next change.
   */
  private judge(event: ArtifactChangeEvent, signOffs: readonly SignOffSeen[], nextChange: number): ArtifactChangeEvent {
    const { hash, ...clean } = event as ArtifactChangeEvent & { hash?: string };
    const author = event.commit.author.side;
    const reviewer = author !== undefined && author === event.counterpart ? event.owner : event.counterpart;
    const otherSide = (s: SignOffSeen): boolean => (reviewer !== undefined ? s.side === reviewer : s.side !== author);
    const oneFile = (this.index.contents.get(event.artifact)?.files.length ?? 1) <= 1 && !this.index.artifactsById.get(event.artifact)?.files.some((f) => new Minimatch(f.value).hasMagic());
    const time = Date.parse(event.commit.at);
    const match = oneFile && hash
      ? signOffs.find((s) => s.artifact === event.artifact && s.hash === hash && otherSide(s))
      : signOffs.find((s) => s.artifact === event.artifact && s.time >= time && s.time < nextChange && otherSide(s));
    const signedBy = match ? { by: match.by, side: match.side, at: match.at, commit: match.commit } : undefined;
    return { ...clean, signedBy, unreviewed: !signedBy };
  }

  private intentChanges(commit: CalendarCommit, change: RawChange): IntentUiEvent[] {
    const out: IntentUiEvent[] = [];
    for (const surface of this.claimsOf(change).surfaces) {
      const before = new Map(change.status === 'A' || change.oldBlob === NO_BLOB ? [] : this.cache.markers[this.markerKey(change.oldBlob, surface)] ?? []);
      const after = new Map(change.status === 'D' || change.newBlob === NO_BLOB ? [] : this.cache.markers[this.markerKey(change.newBlob, surface)] ?? []);
      const owner = surface.owner.value;
      const declared = (intent: string): boolean => this.index.manifest.intents.has(intent);
      for (const [intent, line] of after) {
        if (!before.has(intent)) out.push({ type: 'intent-added', commit, intent, declared: declared(intent), place: { file: change.newPath, line }, owner });
      }
      for (const [intent, line] of before) {
        // Removed: the line is where it was, in the old file.
        if (!after.has(intent)) out.push({ type: 'intent-removed', commit, intent, declared: declared(intent), place: { file: change.status === 'D' ? change.oldPath : change.newPath, line: change.status === 'D' ? line : 0 }, owner });
      }
    }
    return out;
  }
}
