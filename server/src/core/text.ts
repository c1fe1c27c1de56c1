/** Zero-based line and UTF-16 character, as LSP counts them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** Shared positions and empty ranges, by line and character (`line * 512 + character`). */
const positions = new Map<number, Position>();
const emptyRanges = new Map<number, Range>();
const SHARED_MAX = 200_000;

/** One object per line and character, made the first time it is asked for while the table has room. */
function cell<T>(table: Map<number, T>, line: number, character: number, make: () => T): T {
  if (line >= 1 << 20 || character >= 512) return make();
  const key = line * 512 + character;
  let v = table.get(key);
  if (v === undefined) {
    v = make();
    if (table.size < SHARED_MAX) table.set(key, v);
  }
  return v;
}

/**
 * The position at a line and character, one shared object for each: a
 * workspace's eval cases, intents and markers hold hundreds of thousands of
 * positions, and most of them are the same few thousand (line 40,
 * character 4). Positions and ranges are never changed, so sharing is safe.
 */
export function at(line: number, character: number): Position {
  return cell(positions, line, character, () => ({ line, character }));
}

/** The empty range at a position, shared as `at` shares positions: where each eval case starts. */
function emptyAt(position: Position): Range {
  return cell(emptyRanges, position.line, position.character, () => ({ start: position, end: position }));
}

/** A range made elsewhere (parsed from JSON), with its positions shared as `LineIndex` shares them. */
export function sharedRange(range: Range): Range {
  const start = at(range.start.line, range.start.character);
  const end = at(range.end.line, range.end.character);
  return start === end ? emptyAt(start) : { start, end };
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
    return at(lo, o - this.starts[lo]);
  }

  offset(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)];
    return Math.min(start + position.character, this.lineEnd(position.line));
  }

  range(start: number, end: number): Range {
    const from = this.position(start);
    return end === start ? emptyAt(from) : { start: from, end: this.position(end) };
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
