import type { FileInfo, Host } from '../core/host';
import { computeChangeSet, type ChangeSet, type ReadText } from '../core/changes/changeSet';
import { changedLines, findingsOfChange, type ChangedLines } from '../core/changes/touched';
import type { Finding } from '../core/findings';
import { buildIndexLoaded, type WorkspaceIndex } from '../core/index/workspaceIndex';
import { computeFindings, type RuleOptions } from '../core/rules/rules';
import { Git } from './git';
import { NodeHost } from './nodeHost';
import { reviewedTextFromGit } from './previous';

/** The base a change is compared with, or one sentence saying why it cannot be read. */
export type BaseCommit = { readonly commit: string; readonly label: string } | { readonly problem: string };

/** What depth a shallow clone needs, said the same way everywhere. */
const DEPTH_ADVICE = 'Counterpart fetches nothing: fetch the base first (with actions/checkout, `fetch-depth: 0`; a pull request\'s merge commit needs only `fetch-depth: 2`, which holds its base as the first parent).';

/**
 * The commit to compare with: `base` as given, else where HEAD left the
 * default branch (their merge base). Never fetches; a shallow clone that does
 * not hold the base is told, with the depth it needs.
 */
export function resolveBase(git: Git, base: string | undefined): BaseCommit {
  if (!git.inWorkTree()) {
    return { problem: git.missing ? 'git is not installed here, so Counterpart cannot tell what changed.' : 'This folder is not in a git repository, so Counterpart cannot tell what changed.' };
  }
  if (base !== undefined) {
    const commit = git.commitOf(base);
    if (commit) return { commit, label: base };
    if (git.isShallow()) return { problem: `This is a shallow clone and it does not hold ${quote(base)}, so Counterpart cannot tell what changed. ${DEPTH_ADVICE}` };
    return { problem: `There is no commit ${quote(base)} in this repository, so Counterpart cannot tell what changed. Name a branch, tag or commit it holds.` };
  }
  const branch = git.defaultBranch();
  if (!branch) return { problem: 'Counterpart could not find the default branch (no origin/HEAD, origin/main, main or master), so it cannot tell what changed. Name the base, e.g. --changed origin/main.' };
  if (!git.commitOf('HEAD')) return { problem: 'This repository has no commit yet, so there is nothing to compare with.' };
  const commit = git.mergeBase('HEAD', branch);
  if (commit) return { commit, label: `${branch} (merge base ${commit.slice(0, 7)})` };
  if (git.isShallow()) return { problem: `This is a shallow clone that does not reach back to where HEAD left ${branch}, so Counterpart cannot tell what changed. ${DEPTH_ADVICE}` };
  return { problem: `HEAD and ${branch} share no history, so Counterpart cannot tell what changed. Name the base, e.g. --changed ${branch}.` };
}

function quote(rev: string): string {
  return `'${rev.length > 80 ? `${rev.slice(0, 80)}…` : rev}'`;
}

/**
 * The folder as it is at a commit, for the index: the files git holds there,
 * read from git, never from the working tree.
 */
export class CommitHost implements Host {
  private readonly files = new Map<string, { oid: string; size: number }>();
  private readonly texts = new Map<string, string>();
  private readonly prefix: string;

  constructor(private readonly git: Git, root: string, tree: readonly { path: string; oid: string; size: number }[]) {
    this.prefix = root.endsWith('/') ? root : `${root}/`;
    for (const f of tree) this.files.set(f.path, f);
  }

  /**
   * Reads these files (relative to the folder) in one git call, so the base of
   * a folder with a thousand eval files is not a thousand git processes.
   */
  prefetch(files: Iterable<string>, maxSize: number): void {
    const oids = new Set<string>();
    for (const f of files) {
      const entry = this.files.get(f);
      if (entry && entry.size <= maxSize && !this.texts.has(entry.oid)) oids.add(entry.oid);
    }
    for (const [oid, text] of this.git.blobs([...oids])) this.texts.set(oid, text);
  }

  private blob(oid: string): string | undefined {
    return this.texts.get(oid) ?? this.git.blob(oid);
  }

  private rel(p: string): string | undefined {
    return p.startsWith(this.prefix) ? p.slice(this.prefix.length) : undefined;
  }

  listFiles(): string[] {
    return [...this.files.keys()];
  }

  stat(p: string): FileInfo | undefined {
    const entry = this.files.get(this.rel(p) ?? '');
    return entry ? { size: entry.size, isFile: true } : undefined;
  }

  readText(p: string): string | undefined {
    const entry = this.files.get(this.rel(p) ?? '');
    return entry ? this.blob(entry.oid) : undefined;
  }

  /** A file relative to the folder, as it is at the commit. */
  read(file: string): string | undefined {
    const entry = this.files.get(file);
    return entry ? this.blob(entry.oid) : undefined;
  }
}

/** Files over this size are left to the index to refuse (it skips files over 2 MB), not read ahead. */
const PREFETCH_MAX = 2 * 1024 * 1024;

/** A change, read: what it does to the boundary, and how to tell its findings from older ones. */
export interface ReadChange {
  readonly base: { readonly commit: string; readonly label: string };
  readonly changes: ChangeSet;
  readonly baseIndex: WorkspaceIndex | undefined;
  /** The findings the change causes or touches, out of `findings` (the folder's findings now). */
  filter(findings: readonly Finding[]): Finding[];
}

/**
 * Reads the base commit of a change under `index.root` and compares it with the
 * working tree. A problem (no git, a shallow clone without the base) is one sentence.
 */
export async function readChange(index: WorkspaceIndex, base: string | undefined, options: { manifestPath?: string; rules?: RuleOptions } = {}): Promise<ReadChange | { problem: string }> {
  const git = new Git(index.root);
  const resolved = resolveBase(git, base);
  if ('problem' in resolved) return resolved;
  const tree = git.listTree(resolved.commit);
  const diff = git.changesSince(resolved.commit);
  if (!tree || !diff) return { problem: `git could not read ${quote(resolved.label)} in this clone, so Counterpart cannot tell what changed.` };
  const host = new CommitHost(git, index.root, tree);
  // The files the index reads now, and where renamed ones were, are most of what the base needs.
  const wanted = [...index.watched].flatMap((f) => [f, diff.renamed.get(f) ?? f]);
  host.prefetch(wanted, PREFETCH_MAX);
  const baseIndex = await buildIndexLoaded(index.root, host, { manifestPath: options.manifestPath, grammars: index.locateContext?.grammars });
  const now = new NodeHost();
  const headRead: ReadText = (file) => now.readText(`${index.root}/${file}`);
  const baseRead: ReadText = (file) => host.read(file);
  const changes = computeChangeSet({
    baseLabel: resolved.label,
    head: { index, read: headRead },
    base: { index: baseIndex, read: baseRead },
    renamed: diff.renamed,
  });
  const lineCache = new Map<string, ChangedLines | undefined>();
  const lines = (file: string): ChangedLines | undefined => {
    if (!diff.changed.has(file)) return undefined;
    if (!lineCache.has(file)) {
      const after = headRead(file);
      lineCache.set(file, after === undefined ? undefined : changedLines(baseRead(diff.renamed.get(file) ?? file), after));
    }
    return lineCache.get(file);
  };
  const before = baseIndex ? computeFindings(baseIndex, { ...options.rules, reviewedText: reviewedTextFromGit(baseIndex, git) }) : undefined;
  return {
    base: resolved,
    changes,
    baseIndex,
    filter: (findings) => findingsOfChange({ now: findings, before, changes, renamed: diff.renamed, lines }),
  };
}
