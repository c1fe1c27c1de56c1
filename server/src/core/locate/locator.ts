import type { FindingCode } from '../findings';
import type { LocatorSpec } from '../manifest/model';
import type { LineIndex, Range } from '../text';
import type { CodeLanguage, Grammars } from './code/grammars';

/** The part of a file that is an artifact: its text and where it is written. */
export interface LocatedText {
  /** The artifact's text: a string's value, a template's source, the lines of a region. */
  readonly text: string;
  /** Offsets of what is written in the file (a string with its quotes, a region's lines). */
  readonly start: number;
  readonly end: number;
  readonly range: Range;
}

/** One file as a locator reads it. */
export interface SourceFile {
  readonly file: string;
  readonly text: string;
  readonly lines: LineIndex;
  /** What identifies this text in a cache (a revision the host gives); the text itself when absent. */
  readonly key?: string;
}

export type LocateResult =
  | { readonly found: LocatedText }
  /** Searched and not there; `why` says so in plain words. */
  | { readonly missing: string }
  /** The grammar this file needs is still loading: ask again once it is. */
  | { readonly pending: CodeLanguage };

/** Per-file results kept between builds; a file whose text is unchanged is not read again. */
export interface FileCache {
  /** `key` is the file's text, or a token standing for it (SourceFile.key). */
  get<T>(purpose: string, file: string, key: string, compute: () => T): T;
}

export interface LocateContext {
  readonly cache: FileCache;
  readonly grammars: Grammars;
  /**
   * The top-level names `symbol` locators ask for in a file, so its outline
   * reads only those (and what they refer to). Left out, every name is read.
   */
  readonly wantedNames?: (file: string) => ReadonlySet<string>;
}

/**
 * "Which part of this file is the artifact, and what does it say?" One
 * question with one answer per kind of locator (pointer, symbol, tool,
 * region); the index, rules, ledger and presenters ask only this.
 */
export interface Locator {
  readonly spec: LocatorSpec;
  /** The finding raised when the locator matches nothing. */
  readonly notFound: FindingCode;
  /** Why this locator cannot read `file` (a manifest error), or undefined when it can. */
  unsupported(file: string): string | undefined;
  locate(source: SourceFile): LocateResult;
}

/** The first line of located text: where its findings, hover and lens sit. */
export function firstLineOf(located: LocatedText, lines: LineIndex): Range {
  const start = located.range.start;
  const end = located.range.end.line === start.line ? located.range.end : { line: start.line, character: lines.lineEnd(start.line) - lines.offset({ line: start.line, character: 0 }) };
  return { start, end };
}

/** A located text from offsets. */
export function locatedAt(text: string, start: number, end: number, lines: LineIndex): LocatedText {
  return { text, start, end, range: lines.range(start, end) };
}
