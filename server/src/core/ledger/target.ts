import { FileMatcher } from '../index/fileMatcher';
import type { WorkspaceIndex } from '../index/workspaceIndex';

/**
 * The one sentence for a path that a link leads out of the folder: said when
 * Counterpart declines to read the ledger there, and when it declines to write
 * a sign-off or a review request there.
 */
export function outsideFolderMessage(what: string, file: string, real: string): string {
  return `${what} ${file} leads to ${real}, outside the workspace folder, through a link. Counterpart reads and writes nothing outside the folder, so it did not use it. Replace the link with a real folder or file inside the workspace.`;
}

/** A link whose target does not exist: writing through it would create a file wherever it points. */
export function brokenLinkMessage(what: string, file: string, link: string): string {
  return `${what} ${file} goes through the link ${link}, which leads nowhere, so Counterpart did not write it. Remove the link or make it point to a folder inside the workspace.`;
}

const NOT_JSON = (file: string): string =>
  `The review ledger must be a .json file, and ${file} is not, so Counterpart does not use it. Point \`reviews:\` at a .json file of its own, such as .counterpart/reviews.json.`;

/**
 * Why the review ledger may not live at `file` (relative; with links resolved,
 * pass both spellings): it is not a .json file, or it is a file the manifest
 * gives another job (the manifest, an artifact's file, UI code, eval cases),
 * which recording a review would overwrite. `undefined` when it may.
 *
 * `globs` also matches the file against every artifact's and surface's
 * patterns, so a file that does not exist yet but would be claimed once
 * written is refused too (worth it before a write, not on every keystroke).
 */
export function ledgerPathProblem(index: WorkspaceIndex, files: readonly string[], globs = false): string | undefined {
  for (const file of new Set(files)) {
    if (!/\.json$/i.test(file)) return NOT_JSON(files[0]);
  }
  for (const file of new Set(files)) {
    const job = jobOf(index, file, globs);
    if (job) {
      const named = file === files[0] ? files[0] : `${files[0]} (really ${file})`;
      return `Counterpart will not use ${named} as the review ledger: ${job}, and recording a review would overwrite it. Point \`reviews:\` at a .json file of its own, such as .counterpart/reviews.json.`;
    }
  }
  return undefined;
}

/** What a file already is to the manifest, as the end of a sentence; `undefined` when nothing. */
function jobOf(index: WorkspaceIndex, file: string, globs: boolean): string | undefined {
  if (file === index.manifestFile) return 'it is the manifest';
  const artifact = index.artifactsOf(file)[0] ?? (globs ? matching(index.manifest.artifacts, file) : undefined);
  if (artifact) return `it is a file of the artifact '${artifact.id}'`;
  if (index.fileSurfaces.has(file) || (globs && matching(index.manifest.surfaces, file))) return 'it is UI code a surface of the manifest names';
  if (index.referencedEvalFiles.has(file)) return 'it holds eval cases';
  return undefined;
}

function matching<T extends { readonly files: readonly { readonly value: string }[] }>(items: readonly T[], file: string): T | undefined {
  const one = new FileMatcher([file]);
  return items.find((item) => item.files.some((p) => one.match(p.value).length > 0));
}
