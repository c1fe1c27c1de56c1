import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import type { Range } from '../core/text';

/** Token types and modifiers the server reports; the client contributes colours for them. */
export const TOKEN_TYPES = ['intent'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'undeclared', 'uncovered', 'promise'] as const;

type Modifier = (typeof TOKEN_MODIFIERS)[number];

export interface BoundaryToken {
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly modifiers: readonly Modifier[];
}

/**
 * Boundary references a static grammar cannot know: intent ids at UI markers,
 * in eval cases and in the manifest, and intent phrases in help copy. Sorted,
 * one line each (a phrase broken over lines gives a token per line).
 */
export function boundaryTokens(index: WorkspaceIndex, file: string, lineLength: (line: number) => number): BoundaryToken[] {
  const declared = index.manifest.intents;
  const state = (intent: string): Modifier[] => {
    if (!declared.has(intent)) return ['undeclared'];
    return index.intentEvalCases.has(intent) ? [] : ['uncovered'];
  };
  const out: BoundaryToken[] = [];
  const add = (range: Range, modifiers: Modifier[]): void => {
    for (let line = range.start.line; line <= range.end.line; line++) {
      const start = line === range.start.line ? range.start.character : 0;
      const end = line === range.end.line ? range.end.character : lineLength(line);
      if (end > start) out.push({ line, character: start, length: end - start, modifiers });
    }
  };
  if (file === index.manifestFile) {
    for (const intent of declared.values()) add(unquoted(intent.idRange, intent.id), ['declaration', ...state(intent.id)]);
    for (const artifact of index.manifest.artifacts) for (const ref of artifact.intents) add(unquoted(ref.range, ref.value), state(ref.value));
  }
  for (const m of index.fileMarkers.get(file) ?? []) add(m.range, state(m.intent));
  for (const i of index.fileEvalIntents.get(file)?.intents ?? []) add(unquoted(i.range, i.value), state(i.value));
  for (const c of index.fileCopy.get(file) ?? []) add(c.range, ['promise', ...state(c.intent)]);
  return out.sort((a, b) => a.line - b.line || a.character - b.character);
}

/** A quoted value's range without its quotes, so only the id is coloured. */
function unquoted(range: Range, value: string): Range {
  const width = range.end.character - range.start.character;
  if (range.start.line === range.end.line && width === value.length + 2) {
    return { start: { line: range.start.line, character: range.start.character + 1 }, end: { line: range.end.line, character: range.end.character - 1 } };
  }
  return range;
}

/** LSP's relative encoding: five integers per token. */
export function encodeTokens(tokens: readonly BoundaryToken[]): number[] {
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of tokens) {
    const deltaLine = t.line - line;
    const deltaChar = deltaLine === 0 ? t.character - char : t.character;
    const mods = t.modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0);
    data.push(deltaLine, deltaChar, t.length, 0, mods);
    line = t.line;
    char = t.character;
  }
  return data;
}
