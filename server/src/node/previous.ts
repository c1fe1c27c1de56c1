import type { Artifact } from '../core/manifest/model';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { artifactTextIn } from '../core/locate/artifactText';
import type { Git } from './git';

/**
 * The artifact's text as last reviewed, from git at the ledger's commit (the
 * located part of the file, found the same way as now), when the ledger does
 * not keep the text itself. Only for single-file artifacts.
 */
export function previousReviewedText(index: WorkspaceIndex, artifact: Artifact, git: Git): { previousText: string; previousSource: string } | undefined {
  const review = index.ledger.reviews.get(artifact.id);
  const files = index.contents.get(artifact.id)?.files ?? [];
  if (!review?.commit || review.text !== undefined || files.length !== 1) return undefined;
  const old = git.show(review.commit, files[0]);
  if (old === undefined) return undefined;
  const text = artifactTextIn(index, artifact, files[0], old);
  return text === undefined ? undefined : { previousText: text, previousSource: `git ${review.commit}` };
}

/**
 * For the rules: the reviewed text from git, asked at most once per artifact,
 * commit, file and locator (pass the same `seen` across rebuilds to keep it so).
 */
export function reviewedTextFromGit(index: WorkspaceIndex, git: Git, seen = new Map<string, string | undefined>()): (artifact: Artifact) => string | undefined {
  return (artifact) => {
    const commit = index.ledger.reviews.get(artifact.id)?.commit ?? '';
    const files = index.contents.get(artifact.id)?.files.join('\u0000') ?? '';
    const key = [artifact.id, commit, files, artifact.locator?.kind, artifact.locator?.value].join('\u0001');
    if (!seen.has(key)) seen.set(key, previousReviewedText(index, artifact, git)?.previousText);
    return seen.get(key);
  };
}
