import { counterpartBlock, existingBlock, replaceBlock } from '../core/codeowners/block';
import { checkCodeowners } from '../core/codeowners/check';
import { CODEOWNERS_LOCATIONS, parseCodeowners } from '../core/codeowners/parse';
import { plural } from '../core/describe';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { findCodeowners, ignoredCodeowners, readCodeowners, repositoryOf, writeCodeowners, type Repository } from '../node/codeownersFile';
import { Git } from '../node/git';
import { NodeHost } from '../node/nodeHost';
import type { Io } from './commands';
import { displayPath } from './formats';
import { UsageError } from './main';

export type CodeownersMode = 'print' | 'check' | 'write';

/** Where GitHub would read a new CODEOWNERS first. */
const NEW_FILE = CODEOWNERS_LOCATIONS[0];

/**
 * `counterpart codeowners`: prints the Counterpart block for CODEOWNERS,
 * checks the CODEOWNERS GitHub uses against the manifest (`--check`), or
 * writes the block into it (`--write`).
 */
export function runCodeowners(io: Io, index: WorkspaceIndex, o: { mode: CodeownersMode; format: 'text' | 'json' }): number {
  const repo = repositoryOf(index.root, new Git(index.root));
  const files = new NodeHost().listFiles(index.root);
  const block = counterpartBlock(index, repo.prefix, files);
  for (const { artifact, why } of block.skipped) io.err(`note: '${artifact.id}' gets no CODEOWNERS rule: ${why}.\n`);
  const shown = (rel: string): string => displayPath(repo.top, rel, io.cwd);
  if (o.mode === 'print') {
    if (o.format === 'json') io.out(`${JSON.stringify({ block: block.lines, owners: Object.fromEntries(block.owners) }, null, 2)}\n`);
    else io.out(`${block.lines.join('\n')}\n`);
    return 0;
  }
  const rel = findCodeowners(repo.top);
  if (o.mode === 'write') return write(io, repo, rel ?? NEW_FILE, block.key, block.lines, shown, () => check(io, index, repo, rel ?? NEW_FILE, files, o.format, true));
  if (!rel) {
    const message = `There is no CODEOWNERS file (GitHub looks for ${CODEOWNERS_LOCATIONS.join(', ')}), so GitHub asks no one to review the ${plural(block.owners.size, 'file')} of the artifacts. 'counterpart codeowners --write' creates ${NEW_FILE} with a rule for each.`;
    if (o.format === 'json') io.out(`${JSON.stringify({ codeowners: null, contradictions: [], problems: [], message }, null, 2)}\n`);
    else io.out(`${message}\n`);
    return 1;
  }
  return check(io, index, repo, rel, files, o.format, false);
}

function check(io: Io, index: WorkspaceIndex, repo: Repository, rel: string, files: readonly string[], format: 'text' | 'json', afterWrite: boolean): number {
  const read = readCodeowners(repo.top, rel);
  if (!read.ok) throw new UsageError(read.problem);
  const codeowners = parseCodeowners(read.text);
  const found = checkCodeowners(index, codeowners, repo.prefix, files, (file) => displayPath(index.root, file, io.cwd));
  const shown = displayPath(repo.top, rel, io.cwd);
  const block = counterpartBlock(index, repo.prefix, files);
  const current = existingBlock(read.text, block.key);
  const stale = !current || current.join('\n') !== block.lines.join('\n');
  if (format === 'json' && !afterWrite) {
    io.out(`${JSON.stringify({
      codeowners: shown,
      contradictions: found.map((c) => ({ file: displayPath(repo.top, c.file, io.cwd), artifact: c.artifact.id, line: c.rule ? c.rule.line + 1 : null, column: c.rule ? c.rule.column + 1 : null, pattern: c.rule?.pattern ?? null, message: c.message })),
      problems: codeowners.problems.map((p) => ({ line: p.line + 1, column: p.column + 1, message: p.message })),
      blockUpToDate: !stale,
    }, null, 2)}\n`);
    return found.length ? 1 : 0;
  }
  // One write per stream, as `check` does: a reader that stops early (| head) then ends it cleanly.
  const out: string[] = [];
  const err: string[] = [];
  for (const c of found) (afterWrite ? err : out).push(`${afterWrite ? 'warning: ' : ''}${shown}${c.rule ? `:${c.rule.line + 1}:${c.rule.column + 1}` : ''}  ${c.message}\n`);
  let code = 0;
  if (afterWrite) {
    if (found.length) err.push(`Rules after the Counterpart block in ${shown} override it for ${plural(new Set(found.map((c) => c.file)).size, 'file')}; move the block to the end of the file.\n`);
  } else {
    for (const p of codeowners.problems) out.push(`${shown}:${p.line + 1}:${p.column + 1}  note: ${p.message}\n`);
    for (const other of ignoredCodeowners(repo.top, rel)) out.push(`note: GitHub reads ${shown} and ignores ${displayPath(repo.top, other, io.cwd)}; merge its rules into ${shown} or delete it.\n`);
    const files = new Set(found.map((c) => c.file)).size;
    if (found.length) {
      out.push(`${plural(files, 'file')} of the artifacts in ${index.manifestFile} ${files === 1 ? 'does' : 'do'} not get the counterpart's review on GitHub. 'counterpart codeowners --write' adds rules that ask for it.\n`);
      code = 1;
    } else {
      if (stale) out.push(`note: ${current ? `The Counterpart block in ${shown} is out of date with ${index.manifestFile}` : `${shown} has no Counterpart block`}; 'counterpart codeowners --write' ${current ? 'updates' : 'adds'} it.\n`);
      out.push(`${shown} asks the counterpart to review every file of the whole-file artifacts in ${index.manifestFile}.\n`);
    }
  }
  if (err.length) io.err(err.join(''));
  if (out.length) io.out(out.join(''));
  return code;
}

function write(io: Io, repo: Repository, rel: string, key: string, lines: readonly string[], shown: (rel: string) => string, recheck: () => number): number {
  const exists = findCodeowners(repo.top) === rel;
  let text = '';
  if (exists) {
    const read = readCodeowners(repo.top, rel);
    if (!read.ok) throw new UsageError(`${read.problem} Nothing was written.`);
    text = read.text;
  }
  const edit = replaceBlock(text, key, lines, shown(rel));
  if (!edit.ok) throw new UsageError(edit.problem);
  if (edit.text === text) {
    io.out(`${shown(rel)} already has the Counterpart block the manifest asks for; nothing to change.\n`);
    return recheck();
  }
  const written = writeCodeowners(repo.top, rel, edit.text);
  if (!written.ok) throw new UsageError(written.problem);
  io.out(`${!exists ? 'Created' : edit.replaced ? 'Updated the Counterpart block in' : 'Added the Counterpart block at the end of'} ${shown(rel)}. Commit it so GitHub asks each counterpart.\n`);
  return recheck();
}
