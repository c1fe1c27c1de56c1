import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Artifact } from '../manifest/model';
import { LineIndex } from '../text';
import { codeLanguageOf, sharedGrammars } from './code/grammars';
import { readProse } from './code/read';
import { firstLineOf, type LocateContext } from './locator';
import { createLocator } from './locators';

/** A throwaway cache: other versions of a file are read once, never kept. */
const NO_CACHE = { get: <T>(_purpose: string, _file: string, _text: string, compute: () => T): T => compute() };

function context(index: WorkspaceIndex): LocateContext {
  return { cache: NO_CACHE, grammars: index.locateContext?.grammars ?? sharedGrammars() };
}

/**
 * An artifact's text in another version of one of its files (as it was at
 * the review's commit, say), located the same way the index locates it now.
 * Undefined when the locator finds nothing there (or its grammar is not loaded).
 */
export function artifactTextIn(index: WorkspaceIndex, artifact: Artifact, file: string, fileText: string): string | undefined {
  if (!artifact.locator) return fileText;
  const result = createLocator(artifact.locator, context(index)).locate({ file, text: fileText, lines: new LineIndex(fileText) });
  return 'found' in result ? result.found.text : undefined;
}

/**
 * The part of an artifact's text that can state a tool's contract: all of
 * located text, but only the prose (comments, docstrings, strings) of a
 * whole code file, so an `if` statement is never read as a condition.
 */
export function contractText(index: WorkspaceIndex, artifact: Artifact, file: string, artifactText: string): string | undefined {
  if (artifact.locator || !codeLanguageOf(file)) return artifactText;
  const read = readProse(context(index), { file, text: artifactText, lines: new LineIndex(artifactText) });
  return 'prose' in read ? read.prose : undefined;
}

/**
 * Like `artifactTextIn`, with the 0-based line the text starts on, for a
 * version of a file from history; `pending` when the file's grammar is not
 * loaded yet (load it and ask again).
 */
export function locateTextIn(index: WorkspaceIndex, artifact: Artifact, file: string, fileText: string): { text: string; line: number } | 'pending' | undefined {
  if (!artifact.locator) return { text: fileText, line: 0 };
  const lines = new LineIndex(fileText);
  const result = createLocator(artifact.locator, context(index)).locate({ file, text: fileText, lines });
  if ('pending' in result) return 'pending';
  return 'found' in result ? { text: result.found.text, line: firstLineOf(result.found, lines).start.line } : undefined;
}
