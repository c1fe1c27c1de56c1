import type { Artifact } from '../core/manifest/model';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { resolvePointer } from '../core/index/pointer';
import { LineIndex } from '../core/text';
import type { Git } from './git';

/**
 * The artifact's text as last reviewed, from git at the ledger's commit, when
 * the ledger does not keep the text itself. Only for single-file artifacts.
 */
export function previousReviewedText(index: WorkspaceIndex, artifact: Artifact, git: Git): { previousText: string; previousSource: string } | undefined {
  const review = index.ledger.reviews.get(artifact.id);
  const files = index.contents.get(artifact.id)?.files ?? [];
  if (!review?.commit || review.text !== undefined || files.length !== 1) return undefined;
  const old = git.show(review.commit, files[0]);
  if (old === undefined) return undefined;
  if (!artifact.pointer) return { previousText: old, previousSource: `git ${review.commit}` };
  const value = resolvePointer(old, files[0], artifact.pointer.value, new LineIndex(old));
  return value.ok ? { previousText: value.value.text, previousSource: `git ${review.commit}` } : undefined;
}
