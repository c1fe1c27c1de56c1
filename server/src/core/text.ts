/** Zero-based line and UTF-16 character, as LSP counts them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/**
 * Turns offsets into line/character positions. Line breaks are `\n`, `\r\n`
 * and a lone `\r`, the same set editors use, so CRLF files get the columns a
 * person sees.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offset(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)];
    return Math.min(start + position.character, this.lineEnd(position.line));
  }

  range(start: number, end: number): Range {
    const from = this.position(start);
    // An empty range shares its one position: eval cases and markers hold tens of thousands.
    return { start: from, end: end === start ? from : this.position(end) };
  }

  /** Offset just before the line break that ends `line`. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The whole first line without its break: where file-level findings sit. */
  firstLineRange(): Range {
    return this.range(0, this.lineEnd(0));
  }

  lineText(line: number): string {
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }
}

/**
 * A copy of a string that shares no memory with the text it was cut from: a
 * slice of 13 characters or more keeps its whole file alive otherwise.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

const interned = new Map<string, string>();

/**
 * An intent as written, as one shared string of its own: a value parsed out
 * of a file is a slice that keeps the whole file's text alive, and the same
 * few intents are written thousands of times.
 */
export function intern(s: string): string {
  let v = interned.get(s);
  if (v === undefined) {
    v = detach(s);
    if (interned.size < 100_000) interned.set(v, v);
  }
  return v;
}

/** Line endings made LF, the form hashes are computed over. */
export function normalizeEol(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export const START_OF_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** By file, then start position: the order people read places in. */
export function comparePlaces(a: { readonly file: string; readonly range: Range }, b: { readonly file: string; readonly range: Range }): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

export function containsPosition(range: Range, pos: Position): boolean {
  return !before(pos, range.start) && !before(range.end, pos);
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
