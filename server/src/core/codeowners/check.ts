import { capital, kindNoun, sideName } from '../describe';
import { FileMatcher } from '../index/fileMatcher';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Artifact, Owner } from '../manifest/model';
import { sidesOf, wholeFiles } from './block';
import { winningRule, type Codeowners, type CodeownersRule } from './parse';
import { namesOfSide } from './sides';

/** Where CODEOWNERS and the manifest disagree about one file of one artifact. */
export interface CodeownersContradiction {
  /** The artifact's file, from the repository's top. */
  readonly file: string;
  readonly artifact: Artifact;
  /** The rule that decides the file's owners (the last that matches); none when no rule does. */
  readonly rule?: CodeownersRule;
  readonly message: string;
}

/**
 * For every file of every whole-file artifact with a counterpart: who GitHub
 * asks, by the CODEOWNERS rule that wins for it, and a contradiction when
 * that leaves the counterpart out (only the owning side, someone on neither
 * side, or no one at all). `prefix` is the manifest's folder from the
 * repository's top; `files` the folder's listing; `shown` how a file of the
 * folder is written in messages (as it is, by default).
 */
export function checkCodeowners(index: WorkspaceIndex, codeowners: Codeowners, prefix: string, files: readonly string[], shown: (file: string) => string = (f) => f): CodeownersContradiction[] {
  const matcher = new FileMatcher(files);
  const out: CodeownersContradiction[] = [];
  for (const artifact of index.manifest.artifacts) {
    if (artifact.locator) continue;
    const { owner, counterpart } = sidesOf(index, artifact);
    if (!owner || !counterpart) continue;
    for (const local of wholeFiles(index, artifact, matcher)) {
      const file = prefix + local;
      const rule = winningRule(codeowners, file);
      const message = contradiction(artifact, shown(local), owner, counterpart, rule);
      if (message) out.push({ file, artifact, rule, message });
    }
  }
  return out;
}

function contradiction(artifact: Artifact, file: string, owner: Owner, counterpart: Owner, rule: CodeownersRule | undefined): string | undefined {
  const what = `${capital(kindNoun(artifact.kind))} '${artifact.id}' (${file})`;
  const reviewer = `${sideName(counterpart)}, its counterpart`;
  if (!rule) return `${what}: no rule in CODEOWNERS covers this file, so GitHub asks no one to review it, not ${reviewer}.`;
  if (!rule.owners.length) return `${what}: the rule '${rule.pattern}' leaves this file without owners, so GitHub asks no one to review it, not ${reviewer}.`;
  const counterpartNames = namesOfSide(counterpart);
  if (rule.owners.some((n) => counterpartNames.has(n.toLowerCase()))) return undefined;
  const ownerNames = namesOfSide(owner);
  const mine = rule.owners.filter((n) => ownerNames.has(n.toLowerCase()));
  const others = rule.owners.filter((n) => !ownerNames.has(n.toLowerCase()));
  const who = !mine.length
    ? `only ${list(others)}, on neither side, and not ${sideName(owner)}, its owner, nor ${reviewer}`
    : !others.length
      ? `only ${owner.title} (${list(mine)}), its owner, never ${reviewer}`
      : `${owner.title} (${list(mine)}), its owner, and ${list(others)}, never ${reviewer}`;
  return `${what}: by the rule '${rule.pattern}', GitHub asks ${who}.`;
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
