import type { LocateContext, SourceFile } from '../locator';
import { codeLanguageOf, parseBudgetMs, TOO_SLOW, withTree, type CodeLanguage } from './grammars';
import { outlineOf, proseOf, type CodeOutline, type CodeValue } from './outline';

export type OutlineResult =
  | { readonly outline: CodeOutline; readonly language: CodeLanguage }
  | { readonly pending: CodeLanguage }
  | { readonly problem: string };

const EMPTY: CodeOutline = { bindings: new Map(), tools: new Map() };

/** A code file's outline, parsed once per content; pending while its grammar loads. */
export function readOutline(ctx: LocateContext, source: SourceFile): OutlineResult {
  const language = codeLanguageOf(source.file);
  if (!language) return { problem: `${source.file} is not a file Counterpart can parse` };
  const grammar = ctx.grammars.parser(language);
  if ('pending' in grammar) return { pending: language };
  if ('problem' in grammar) return { problem: grammar.problem };
  const wanted = ctx.wantedNames?.(source.file);
  const purpose = `outline:${language}:${wanted ? [...wanted].sort().join(',') : '*'}`;
  const outline = ctx.cache.get(purpose, source.file, source.key ?? source.text, () => withTree(grammar.parser, source.text, (tree) => outlineOf(tree, language, source.text, wanted)) ?? EMPTY);
  if (outline === TOO_SLOW) return { problem: tooSlow(source) };
  return { outline, language };
}

/** A code file's prose (comments, docstrings, strings), read once per content when a whole-file tool needs it. */
export function readProse(ctx: LocateContext, source: SourceFile): { readonly prose: string } | { readonly pending: CodeLanguage } | { readonly problem: string } {
  const language = codeLanguageOf(source.file);
  if (!language) return { problem: `${source.file} is not a file Counterpart can parse` };
  const grammar = ctx.grammars.parser(language);
  if ('pending' in grammar) return { pending: language };
  if ('problem' in grammar) return { problem: grammar.problem };
  const prose = ctx.cache.get(`prose:${language}`, source.file, source.key ?? source.text, () => withTree(grammar.parser, source.text, (tree) => proseOf(tree, language)) ?? '');
  return prose === TOO_SLOW ? { problem: tooSlow(source) } : { prose };
}

function tooSlow(source: SourceFile): string {
  const seconds = (parseBudgetMs(source.text.length) / 1000).toFixed(1).replace(/\.0$/, '');
  return `Counterpart stopped reading ${source.file} after ${seconds} seconds: the parser cannot make sense of it (is it minified or generated?)`;
}

/** Follows a bare name to what the module binds it to, a few steps at most. */
export function followName(outline: CodeOutline, value: CodeValue): CodeValue {
  let v = value;
  for (let i = 0; i < 4 && v.kind === 'name'; i++) {
    const next = outline.bindings.get(v.name);
    if (!next) break;
    v = next;
  }
  return v;
}

/** "a function call", "a number": what a value is, for messages. */
export function describeValue(value: CodeValue): string {
  switch (value.kind) {
    case 'text': return 'text';
    case 'object': return value.callee ? `a call to ${value.callee}()` : 'an object';
    case 'name': return `the name '${value.name}', which is not bound to text in this file`;
    case 'other': return `${/^[aeiou]/.test(value.what) ? 'an' : 'a'} ${value.what.replace(/_/g, ' ')}`;
  }
}

/** Appended to a "not found" reason when the file does not parse: the error may be why. */
export function syntaxNote(outline: CodeOutline, source: SourceFile): string {
  const e = outline.syntaxError;
  return e ? ` (the file does not parse: ${e.problem} on line ${source.lines.position(e.offset).line + 1})` : '';
}
