import type { Intent } from '../manifest/model';
import type { LineIndex, Range } from '../text';

/** One place in UI code where a surface marker names an intent. */
export interface Marker {
  readonly file: string;
  readonly range: Range;
  /** The intent's id (or the text as written, when it names no declared intent). */
  readonly intent: string;
  readonly surfaceIndex: number;
  /** The text as written, when it named the intent by its title or a phrase. */
  readonly written?: string;
}

/** A phrase in help copy that names an intent. */
export interface CopyMention {
  readonly file: string;
  readonly range: Range;
  readonly phrase: string;
  readonly intent: string;
  readonly artifact: string;
}

/** Finds every marker in `text`; the range is the intent group's exact span. */
export function scanMarkers(text: string, file: string, regex: RegExp, surfaceIndex: number, lines: LineIndex): Marker[] {
  const out: Marker[] = [];
  const re = new RegExp(regex.source, 'gd');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) re.lastIndex++;
    const span = m.indices?.groups?.intent;
    const intent = m.groups?.intent;
    if (!span || !intent) continue;
    out.push({ file, range: lines.range(span[0], span[1]), intent, surfaceIndex });
  }
  return out;
}

/** All intents' phrases as one case-insensitive pattern, longest first. */
export class PhraseMatcher {
  readonly regex: RegExp | undefined;
  private readonly byPhrase = new Map<string, string>();

  constructor(intents: Iterable<Intent>) {
    for (const intent of intents) {
      for (const p of intent.phrases) {
        const key = normalizePhrase(p.value);
        if (key && !this.byPhrase.has(key)) this.byPhrase.set(key, intent.id);
      }
    }
    const alternatives = [...this.byPhrase.keys()]
      .sort((a, b) => b.length - a.length)
      .map((p) => p.split(' ').map(escapeRegex).join('\\s+'));
    this.regex = alternatives.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu') : undefined;
  }

  scan(text: string, file: string, artifact: string, lines: LineIndex): CopyMention[] {
    if (!this.regex) return [];
    const out: CopyMention[] = [];
    const re = new RegExp(this.regex.source, this.regex.flags);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const intent = this.byPhrase.get(normalizePhrase(m[0]));
      if (intent) out.push({ file, range: lines.range(m.index, m.index + m[0].length), phrase: m[0], intent, artifact });
    }
    return out;
  }
}

function normalizePhrase(p: string): string {
  return p.trim().replace(/\s+/g, ' ').toLowerCase();
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
