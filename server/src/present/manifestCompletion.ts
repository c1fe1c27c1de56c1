import { ARTIFACT_KINDS, EVAL_FORMATS } from '../core/manifest/model';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { kindNoun } from '../core/describe';

export interface CompletionChoice {
  readonly label: string;
  readonly detail?: string;
  readonly kind: 'owner' | 'kind' | 'intent' | 'path' | 'format';
}

/**
 * What to offer at a place in the manifest, from the line so far and the key
 * it sits under: owners after `owner:`, kinds after `kind:`, declared intents
 * inside `intents:` of an artifact, workspace paths after `files:`.
 */
export function manifestCompletions(index: WorkspaceIndex, lines: readonly string[], line: number, character: number): { choices: CompletionChoice[]; replaceFrom: number } {
  const before = (lines[line] ?? '').slice(0, character);
  const word = /[^\s,[\]{}:'"]*$/.exec(before)?.[0] ?? '';
  const replaceFrom = character - word.length;
  const key = keyFor(lines, line, before);
  const none = { choices: [], replaceFrom };
  switch (key) {
    case 'owner':
    case 'counterpart':
      return { choices: [...index.manifest.owners.values()].map((o) => ({ label: o.id, detail: `${o.title}${o.lead ? ` (${o.lead})` : ''}`, kind: 'owner' })), replaceFrom };
    case 'kind':
      return { choices: ARTIFACT_KINDS.map((k) => ({ label: k, detail: kindNoun(k), kind: 'kind' })), replaceFrom };
    case 'format':
      return { choices: EVAL_FORMATS.map((f) => ({ label: f, kind: 'format' })), replaceFrom };
    case 'intents': {
      if (isTopLevelList(lines, line)) return none;
      return { choices: [...index.manifest.intents.values()].map((i) => ({ label: i.id, detail: i.title, kind: 'intent' })), replaceFrom };
    }
    case 'files': {
      const files = index.watched.size ? [...new Set(listed(index))] : [];
      return { choices: files.filter((f) => f.startsWith(word.replace(/^\.\//, ''))).slice(0, 500).map((f) => ({ label: f, kind: 'path' })), replaceFrom };
    }
    default:
      return none;
  }
}

/** The key a value at the cursor belongs to: on the same line, or the list it is an item of. */
function keyFor(lines: readonly string[], line: number, before: string): string | undefined {
  const same = /^\s*(?:-\s+)?([A-Za-z]+):\s*(?:\[[^\]]*)?[^:]*$/.exec(before);
  if (same && before.includes(':')) return same[1];
  if (/^\s*-\s*[^:]*$/.test(before)) {
    const indent = before.search(/\S/);
    for (let l = line - 1; l >= 0; l--) {
      const text = lines[l];
      if (!text.trim() || text.trim().startsWith('#')) continue;
      const ind = text.search(/\S/);
      if (ind < indent || (ind === indent && !text.trim().startsWith('-'))) {
        const m = /^\s*(?:-\s+)?([A-Za-z]+):\s*$/.exec(text);
        return m?.[1];
      }
    }
  }
  return undefined;
}

/** True when the `intents:` above is the top-level list of declarations, not an artifact's field. */
function isTopLevelList(lines: readonly string[], line: number): boolean {
  for (let l = line; l >= 0; l--) {
    const m = /^(\s*)(?:-\s+)?intents:/.exec(lines[l]);
    if (m) return m[1].length === 0 && !lines[l].trimStart().startsWith('-');
  }
  return false;
}

function listed(index: WorkspaceIndex): string[] {
  return [...index.watched].filter((f) => f !== index.manifestFile).sort();
}
