import type { LocatorSpec } from '../manifest/model';
import { CODE_LANGUAGES_SAID, codeLanguageOf } from './code/grammars';
import { describeValue, followName, readOutline, syntaxNote } from './code/read';
import { locatedAt, type LocateContext, type LocateResult, type Locator, type SourceFile } from './locator';

/**
 * `symbol: name(.key)*`: a module- or class-level binding in TS/JS or Python,
 * then keys into object literals, dicts, calls' object arguments and keyword
 * arguments. The value reached must be text.
 */
export class SymbolLocator implements Locator {
  readonly notFound = 'symbol-not-found' as const;
  private readonly path: string[];

  constructor(
    readonly spec: LocatorSpec,
    private readonly ctx: LocateContext,
  ) {
    this.path = spec.value.split('.');
  }

  unsupported(file: string): string | undefined {
    return codeLanguageOf(file) ? undefined : `symbol reads ${CODE_LANGUAGES_SAID} files, and ${file} is none of those. Mark the text with comments and use 'region' instead.`;
  }

  locate(source: SourceFile): LocateResult {
    const read = readOutline(this.ctx, source);
    if ('pending' in read) return read;
    if ('problem' in read) return { missing: read.problem };
    const { outline } = read;
    const [first, ...keys] = this.path;
    let value = outline.bindings.get(first);
    if (!value) return { missing: `nothing named '${first}' is defined at the top level${syntaxNote(outline, source)}` };
    let walked = first;
    for (const key of keys) {
      value = followName(outline, value);
      if (value.kind !== 'object') return { missing: `'${walked}' is ${describeValue(value)}, so it has no '${key}'` };
      const next = value.props.get(key);
      if (!next) return { missing: `'${walked}' has no '${key}'${syntaxNote(outline, source)}` };
      value = next;
      walked += `.${key}`;
    }
    value = followName(outline, value);
    if (value.kind === 'object' && value.doc) value = value.doc;
    if (value.kind !== 'text') return { missing: `'${walked}' is ${describeValue(value)}, not text` };
    return { found: locatedAt(value.text, value.start, value.end, source.lines) };
  }
}
