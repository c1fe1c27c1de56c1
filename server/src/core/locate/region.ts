import type { LocatorSpec } from '../manifest/model';
import { locatedAt, type LocateResult, type Locator, type SourceFile } from './locator';

/**
 * `region: label`: the lines between a comment holding `counterpart:begin
 * label` and one holding `counterpart:end label`, in a file of any language.
 */
export class RegionLocator implements Locator {
  readonly notFound = 'symbol-not-found' as const;
  private readonly begin: RegExp;
  private readonly end: RegExp;

  constructor(readonly spec: LocatorSpec) {
    const label = spec.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.begin = new RegExp(`counterpart:begin\\s+${label}(?![\\w.-])`);
    this.end = new RegExp(`counterpart:end\\s+${label}(?![\\w.-])`);
  }

  unsupported(): undefined {
    return undefined;
  }

  locate(source: SourceFile): LocateResult {
    const { text, lines } = source;
    let first = -1;
    for (let line = 0; line < lines.lineCount; line++) {
      const content = lines.lineText(line);
      if (first < 0) {
        if (this.begin.test(content)) first = line + 1;
      } else if (this.end.test(content)) {
        const start = lines.offset({ line: first, character: 0 });
        const stop = line > first ? lines.lineEnd(line - 1) : start;
        return { found: locatedAt(text.slice(start, stop), start, stop, lines) };
      }
    }
    return {
      missing: first < 0
        ? `no comment says 'counterpart:begin ${this.spec.value}'`
        : `'counterpart:begin ${this.spec.value}' on line ${first} has no 'counterpart:end ${this.spec.value}' after it`,
    };
  }
}
