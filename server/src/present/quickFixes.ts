import { defaultEvalFormat, defaultIntentField } from '../core/evals/parse';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import type { Artifact } from '../core/manifest/model';
import { LineIndex, type Range } from '../core/text';

/** One text change in one file of the folder. */
export interface FileEdit {
  readonly file: string;
  readonly range: Range;
  readonly newText: string;
}

type Read = (file: string) => string | undefined;

/** Declares an intent at the end of the manifest's `intents:` list (or adds the list). */
export function declareIntentEdit(index: WorkspaceIndex, read: Read, intent: string, ownerId: string | undefined): FileEdit | undefined {
  const text = read(index.manifestFile);
  if (text === undefined) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const title = intent.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  const entry = (indent: string): string[] => [`${indent}- id: ${intent}`, `${indent}  title: ${title}`, ...(ownerId ? [`${indent}  owner: ${ownerId}`] : []), `${indent}  phrases: []`];
  const start = lines.findIndex((l) => /^intents:\s*(#.*)?$/.test(l));
  if (start < 0) {
    const lastLine = lines.length - 1;
    const prefix = lines[lastLine] === '' ? '' : eol;
    return { file: index.manifestFile, range: point(lastLine, lines[lastLine].length), newText: `${prefix}intents:${eol}${entry('  ').join(eol)}${eol}` };
  }
  const first = lines.slice(start + 1).find((l) => l.trimStart().startsWith('- '));
  const indent = first ? first.slice(0, first.indexOf('-')) : '  ';
  const end = blockEnd(lines, start);
  return { file: index.manifestFile, range: point(end, lines[end].length), newText: eol + entry(indent).join(eol) };
}

/** The last line of the indented block under the top-level key on `start` (comments and blanks after it excluded). */
function blockEnd(lines: readonly string[], start: number): number {
  let end = start;
  for (let l = start + 1; l < lines.length; l++) {
    const line = lines[l];
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line) && !line.startsWith('- ')) break;
    end = l;
  }
  return end;
}

/** Adds an intent to an artifact's `intents` list in the manifest (flow or block style). */
export function addIntentToArtifactEdit(index: WorkspaceIndex, read: Read, artifact: Artifact, intent: string): FileEdit | undefined {
  const text = read(index.manifestFile);
  if (text === undefined) return undefined;
  const last = artifact.intents[artifact.intents.length - 1];
  if (last) {
    const lines = new LineIndex(text);
    const end = lines.offset(last.range.end);
    const after = text.slice(end).match(/^\s*([\],])/);
    const before = text.slice(0, lines.offset(last.range.start)).match(/(\[|,)\s*$/);
    if (after || before) return { file: index.manifestFile, range: { start: last.range.end, end: last.range.end }, newText: `, ${intent}` };
    const line = lines.lineText(last.range.start.line);
    const dash = line.slice(0, line.indexOf('-') + 1);
    return { file: index.manifestFile, range: { start: last.range.end, end: last.range.end }, newText: `\n${dash} ${intent}` };
  }
  const line = artifact.idRange.start.line;
  const lines = text.split(/\r?\n/);
  const keyColumn = Math.max(0, lines[line].indexOf('id:'));
  return { file: index.manifestFile, range: point(line, lines[line].length), newText: `\n${' '.repeat(keyColumn)}intents: [${intent}]` };
}

/** A starter eval case for an intent, in the eval set's own format, appended to its first file. */
export function starterEvalCaseEdit(index: WorkspaceIndex, read: Read, intent: string): { edit: FileEdit; artifact: Artifact } | undefined {
  for (const artifact of index.artifactsOfKind('eval-set')) {
    const file = index.contents.get(artifact.id)?.files[0];
    const text = file ? read(file) : undefined;
    if (!file || text === undefined) continue;
    const format = artifact.format ?? defaultEvalFormat(file);
    const field = (artifact.intentField?.[0] ?? defaultIntentField(format)).split('.');
    const lines = text.split(/\r?\n/);
    const lastLine = lines.length - 1;
    const endsWithBreak = lines[lastLine] === '';
    const at = point(lastLine, lines[lastLine].length);
    if (format === 'jsonl') {
      const value: Record<string, unknown> = { input: 'TODO: what the user says', expected: 'TODO: what a good answer does' };
      setPath(value, field, intent);
      return { artifact, edit: { file, range: at, newText: `${endsWithBreak ? '' : '\n'}${JSON.stringify(value)}\n` } };
    }
    if (format === 'json' || file.endsWith('.json')) {
      const close = text.lastIndexOf(']');
      if (close < 0) continue;
      const li = new LineIndex(text);
      const value: Record<string, unknown> = { description: `TODO: a ${intent} request`, vars: { message: 'TODO: what the user says' } };
      setPath(value, field, intent);
      const hasItems = /[}\]"\d]\s*$/.test(text.slice(0, close).replace(/\[\s*$/, ''));
      const pos = li.position(close);
      return { artifact, edit: { file, range: { start: pos, end: pos }, newText: `${hasItems ? ',' : ''}\n  ${JSON.stringify(value)}\n` } };
    }
    const bare = (lines.find((l) => l.trim() && !l.trim().startsWith('#')) ?? '').startsWith('- ');
    const testsLine = lines.findIndex((l) => /^tests:\s*(#.*)?$/.test(l));
    const meta = field.slice(0, -1);
    const caseLines = (pad: string): string[] => [
      `${pad}- description: "TODO: a ${intent} request"`,
      `${pad}  vars:`,
      `${pad}    message: "TODO: what the user says"`,
      `${pad}  assert:`,
      `${pad}    - type: llm-rubric`,
      `${pad}      value: "TODO: what a good answer does"`,
      ...meta.map((k, i) => `${pad}  ${'  '.repeat(i)}${k}:`),
      `${pad}  ${'  '.repeat(meta.length)}${field[field.length - 1]}: ${intent}`,
    ];
    if (bare) return { artifact, edit: { file, range: at, newText: `${endsWithBreak ? '' : '\n'}${caseLines('').join('\n')}\n` } };
    if (testsLine < 0) return { artifact, edit: { file, range: at, newText: `${endsWithBreak ? '' : '\n'}tests:\n${caseLines('  ').join('\n')}\n` } };
    const item = lines.slice(testsLine + 1).find((l) => l.trimStart().startsWith('- '));
    const end = blockEnd(lines, testsLine);
    return { artifact, edit: { file, range: point(end, lines[end].length), newText: `\n${caseLines(item ? item.slice(0, item.indexOf('-')) : '  ').join('\n')}` } };
  }
  return undefined;
}

function setPath(obj: Record<string, unknown>, path: string[], value: string): void {
  let o = obj;
  for (const key of path.slice(0, -1)) {
    o[key] = o[key] ?? {};
    o = o[key] as Record<string, unknown>;
  }
  o[path[path.length - 1]] = value;
}

function point(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}
