import * as fs from 'node:fs';
import * as path from 'node:path';
import { capital, formatDay, kindNoun, locatorPhrase, plural, sideName, someOf } from '../core/describe';
import { artifactFacts, intentStatus } from '../core/explain';
import { compareFindings, type Finding } from '../core/findings';
import { comparePlaces } from '../core/text';
import { proposeManifest } from '../core/init/propose';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { DEFAULT_MANIFEST } from '../core/manifest/model';
import { composeReviewRequest } from '../core/review/compose';
import { signReview } from '../core/review/sign';
import { computeFindings, whoActs } from '../core/rules/rules';
import { previousReviewedText, reviewedTextFromGit } from '../node/previous';
import { Git } from '../node/git';
import { NodeHost, toPosix, writeFileAtomic } from '../node/nodeHost';
import { updateLedger } from '../node/ledgerStore';
import { findManifestFolder, loadIndex, realFolder } from '../node/workspace';
import { count, displayPath, formatGithub, formatJson, formatSarif, formatText, type Format } from './formats';
import { UsageError } from './main';

/** What a command may touch of the outside world: given, so tests run it in-process. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTty: boolean;
  readonly version: string;
  out(s: string): void;
  err(s: string): void;
  now(): Date;
}

/** The index of the folder that holds the manifest; a usage error when there is none. */
export async function open(folder: string, manifest: string | undefined): Promise<WorkspaceIndex> {
  const root = realFolder(folder);
  if (!root) throw new UsageError(`${folder} is not a folder.`);
  const index = await loadIndex(root, { manifestPath: manifest });
  if (!index) {
    throw new UsageError(`No ${manifest ?? DEFAULT_MANIFEST} in ${folder}. Create one with 'counterpart init${folder === process.cwd() ? '' : ` ${folder}`}'.`);
  }
  return index;
}

function openAbove(folder: string, manifest: string | undefined): Promise<WorkspaceIndex> {
  const root = findManifestFolder(folder, manifest);
  if (!root) throw new UsageError(`No ${manifest ?? DEFAULT_MANIFEST} in ${folder} or any folder above it.`);
  return open(root, manifest);
}

export async function runCheck(io: Io, o: { folder: string; format: Format; maxWarnings: number; manifest?: string; identity?: string; color: boolean }): Promise<number> {
  const index = await open(o.folder, o.manifest);
  const git = new Git(index.root);
  const findings = computeFindings(index, { identity: o.identity, reviewedText: reviewedTextFromGit(index, git) });
  const items = findings.map((finding) => ({ finding, path: displayPath(index.root, finding.file, io.cwd) }));
  const counts = count(findings);
  switch (o.format) {
    case 'text': io.out(formatText(items, counts, o.color, index.manifest.intents, whoActs(index))); break;
    case 'json': io.out(formatJson(items, counts, displayPath(index.root, '', io.cwd))); break;
    case 'sarif': {
      // Code scanning reads paths from the repository's top, wherever the command ran.
      const srcRoot = sarifRoot(index.root, git);
      io.out(formatSarif(findings.map((finding) => ({ finding, path: displayPath(index.root, finding.file, srcRoot) })), io.version, srcRoot));
      break;
    }
    case 'github': io.out(formatGithub(items, counts)); break;
  }
  const over = counts.errors > 0 || (o.maxWarnings >= 0 && counts.warnings > o.maxWarnings);
  return over ? 1 : 0;
}

/** The git top-level folder holding `root`; `root` itself outside git (or when git is missing). */
export function sarifRoot(root: string, git: Git): string {
  const top = git.topLevel();
  if (!top) return root;
  let real: string;
  try {
    real = toPosix(fs.realpathSync(top));
  } catch {
    return root;
  }
  const rel = path.relative(real, root);
  return rel.split(/[\\/]/)[0] !== '..' && !path.isAbsolute(rel) ? real : root;
}

export async function runExplain(io: Io, o: { file: string; manifest?: string }): Promise<number> {
  if (!fs.existsSync(o.file)) throw new UsageError(`${o.file} does not exist.`);
  const index = await openAbove(o.file, o.manifest);
  const real = toPosix(fs.realpathSync(o.file));
  const rel = path.posix.relative(index.root, real);
  const findings = computeFindings(index, { reviewedText: reviewedTextFromGit(index, new Git(index.root)) }).filter((f) => f.file === rel);
  io.out(explainFile(index, rel, findings));
  return 0;
}

/** The hover, in a terminal: who owns the file, who reviews it, what depends on it. */
export function explainFile(index: WorkspaceIndex, file: string, findings: readonly Finding[]): string {
  const out: string[] = [file, ''];
  const artifacts = index.artifactsOf(file);
  if (file === index.manifestFile) out.push('This is the Counterpart manifest: it names the artifacts, their owners and the intents.');
  for (const artifact of artifacts) {
    const facts = artifactFacts(index, artifact);
    out.push(`${capital(kindNoun(artifact.kind))} '${artifact.id}'${artifact.locator ? ` (${locatorPhrase(artifact.locator).replace(/`/g, '')})` : ''}`);
    out.push(`  Owner:        ${sideName(facts.owner)}`);
    const channel = facts.counterpart ? [facts.counterpart.review.github, facts.counterpart.review.url].filter(Boolean).join(', ') : '';
    out.push(`  Counterpart:  ${sideName(facts.counterpart, 'none declared')}${channel ? ` — review requests go to ${channel}` : ''}`);
    const r = facts.review;
    out.push(`  Last review:  ${r.state === 'never-reviewed' ? 'never reviewed by the counterpart' : r.state === 'unknown' ? 'unknown (files unreadable)' : `${r.review.by} on ${formatDay(r.review.at)} — ${r.state === 'in-step' ? 'unchanged since' : 'CHANGED since then'}`}`);
    if (facts.intents.length) {
      out.push(`  Intents:`);
      for (const i of facts.intents) {
        const notes: string[] = [plural(i.evalCases.length, 'eval case')];
        if (!i.evalCases.length) notes.push('UNCOVERED');
        if (!i.declared) notes.push('not declared');
        if (i.markers.length) notes.push(`surfaced in ${plural(i.markers.length, 'place')}`);
        if (!i.prompts.length) notes.push('no system prompt tuned for it');
        out.push(`    ${i.id}${i.declared?.title ? ` (${i.declared.title})` : ''}: ${notes.join(', ')}`);
      }
    }
    if (facts.evalCases.length) {
      out.push(`  Eval cases:`);
      for (const c of facts.evalCases.slice(0, 20)) out.push(`    ${c.file}:${c.range.start.line + 1}  ${c.label}`);
      if (facts.evalCases.length > 20) out.push(`    … and ${facts.evalCases.length - 20} more`);
    }
    if (facts.markers.length && artifact.kind !== 'eval-set') {
      out.push(`  UI surfaces:`);
      for (const m of [...facts.markers].sort(comparePlaces).slice(0, 20)) out.push(`    ${m.file}:${m.range.start.line + 1}  ${m.intent}`);
    }
    out.push('');
  }
  const markers = index.fileMarkers.get(file) ?? [];
  if (markers.length) {
    const surface = index.manifest.surfaces[markers[0].surfaceIndex];
    const owner = index.owner(surface?.owner.value);
    out.push(`UI code owned by ${sideName(owner)}; counterpart ${sideName(owner ? index.otherSide(owner.id) : undefined, 'none declared')}.`);
    out.push('Intents surfaced here:');
    for (const m of markers) {
      const s = intentStatus(index, m.intent);
      const notes = [plural(s.evalCases.length, 'eval case')];
      if (!s.declared) notes.push('NOT DECLARED');
      else if (!s.evalCases.length) notes.push('UNCOVERED');
      notes.push(s.prompts.length ? `prompt: ${s.prompts.map((p) => p.id).join(', ')}` : 'no system prompt tuned for it');
      if (s.tools.length) notes.push(`tools: ${s.tools.map((t) => t.id).join(', ')}`);
      out.push(`  line ${m.range.start.line + 1}: ${m.intent} — ${notes.join(', ')}`);
    }
    out.push('');
  }
  const cases = index.fileEvalCases.get(file) ?? [];
  if (!artifacts.length && cases.length) {
    // A case file reached through a promptfoo config's file://: it belongs to that eval set.
    const sets = [...new Set(cases.map((c) => c.evalSet))];
    for (const id of sets) {
      const artifact = index.artifactsById.get(id);
      const owner = artifact ? index.owner(artifact.owner.value) : undefined;
      const own = cases.filter((c) => c.evalSet === id);
      out.push(`Eval cases of eval set '${id}' (owned by ${sideName(owner)}), reached through file:// from its config: ${plural(own.length, 'case')}.`);
      for (const c of own.slice(0, 20)) out.push(`    line ${c.range.start.line + 1}: ${c.label}${c.intents.length ? ` — ${c.intents.map((i) => i.value).join(', ')}` : ' — no intent'}`);
      if (own.length > 20) out.push(`    … and ${own.length - 20} more`);
    }
    out.push('');
  }
  if (!artifacts.length && !markers.length && !cases.length && file !== index.manifestFile) {
    out.push(`No artifact or surface in ${index.manifestFile} covers this file, so no one is recorded as its owner.`, '');
  }
  if (findings.length) {
    out.push(`Open findings (${findings.length}):`);
    for (const f of [...findings].sort(compareFindings)) out.push(`  ${f.range.start.line + 1}:${f.range.start.character + 1}  ${f.severity}  ${f.message}  [${f.code}]`);
  } else {
    out.push('No open findings.');
  }
  return out.join('\n') + '\n';
}

export async function runReview(io: Io, o: { id: string; folder: string; manifest?: string; git: boolean }): Promise<number> {
  const index = await openAbove(o.folder, o.manifest);
  const artifact = index.artifactsById.get(o.id);
  if (!artifact) throw new UsageError(`There is no artifact '${o.id.length > 60 ? `${o.id.slice(0, 60)}…` : o.id}' in ${index.manifestFile}. Artifacts: ${someOf([...index.artifactsById.keys()])}.`);
  const previous = o.git ? previousReviewedText(index, artifact, new Git(index.root)) : undefined;
  const request = composeReviewRequest(index, o.id, previous ?? (o.git ? {} : { withoutGit: '--no-git was given' }));
  io.out(request!.markdown);
  return 0;
}

export async function runSign(io: Io, o: { id: string; by: string; folder: string; manifest?: string; git: boolean; force: boolean }): Promise<number> {
  const index = await openAbove(o.folder, o.manifest);
  const commit = o.git ? new Git(index.root).headCommit() : undefined;
  const input = { artifactId: o.id, by: o.by, at: io.now(), commit, force: o.force };
  // Refuse what the index already shows to be wrong before taking the lock; then sign the ledger as it is on disk now.
  const first = signReview(index, input);
  const result = first.ok ? updateLedger(index, (current) => signReview(index, input, current)) : first;
  if (!result.ok) throw new UsageError(result.problem + (result.canForce ? ' Use --force to record it anyway.' : ''));
  if (result.warning) io.err(`warning: ${result.warning}\n`);
  io.out(`${result.message}\nThe ledger ${index.ledgerFile} is updated; commit it so everyone sees the sign-off.\n`);
  return 0;
}

export function runInit(io: Io, o: { folder: string; manifest?: string }): number {
  const root = realFolder(o.folder);
  if (!root) throw new UsageError(`${o.folder} is not a folder.`);
  const target = path.join(root, o.manifest ?? DEFAULT_MANIFEST);
  if (fs.existsSync(target)) throw new UsageError(`${displayPath(root, o.manifest ?? DEFAULT_MANIFEST, io.cwd)} already exists; Counterpart never overwrites it.`);
  const host = new NodeHost();
  const proposal = proposeManifest(host.listFiles(root), (rel) => host.readText(path.join(root, rel)));
  writeFileAtomic(target, proposal.text);
  io.out(`Wrote ${displayPath(root, o.manifest ?? DEFAULT_MANIFEST, io.cwd)}: ${proposal.summary}\nFill in the owners' leads and members, then run 'counterpart check'.\n`);
  return 0;
}

