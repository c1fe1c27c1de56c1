import { createHash } from 'node:crypto';
import type { RE2JS } from 're2js';
import type { Intent } from '../manifest/model';
import { intern, type LineIndex, type Range } from '../text';

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

/** No file names intents more often than this (UI markers, copy phrases); past it, everything would be flooded. */
export const MARKERS_PER_FILE = 1000;

/** Finds every marker in `text` (in linear time, see compileMarker); the range is the intent group's exact span. */
export function scanMarkers(text: string, file: string, pattern: RE2JS, surfaceIndex: number, lines: LineIndex): Marker[] {
  const out: Marker[] = [];
  const m = pattern.matcher(text);
  while (out.length < MARKERS_PER_FILE && m.find()) {
    const intent = m.group('intent');
    if (!intent) continue;
    out.push({ file, range: lines.range(m.start('intent'), m.end('intent')), intent: intern(intent), surfaceIndex });
  }
  return out.slice();
}

interface PhraseNode {
  readonly next: Map<string, PhraseNode>;
  /** The intent whose phrase ends here. */
  intent?: string;
}

/**
 * All intents' phrases in one trie of lower-cased characters (a space in a
 * phrase matches any run of white space). Scanning tries, at each place that
 * does not continue a word, the longest phrase that ends where a word ends:
 * time linear in the text (times the longest phrase), whatever the phrases,
 * with nothing to compile however many there are.
 */
export class PhraseMatcher {
  /** Identifies the phrases, for caches of what they found. */
  readonly key: string;
  private readonly root: PhraseNode = { next: new Map() };
  private readonly empty: boolean;

  constructor(intents: Iterable<Intent>) {
    const seen = new Set<string>();
    const named: string[] = [];
    for (const intent of intents) {
      for (const p of intent.phrases) {
        const phrase = normalizePhrase(p.value);
        if (!phrase || seen.has(phrase)) continue;
        seen.add(phrase);
        let node = this.root;
        for (const c of phrase) {
          const key = c === ' ' ? ' ' : lower(c);
          let child = node.next.get(key);
          if (!child) {
            child = { next: new Map() };
            node.next.set(key, child);
          }
          node = child;
        }
        node.intent ??= intent.id;
        named.push(`${phrase}\u0000${node.intent}`);
      }
    }
    this.empty = seen.size === 0;
    // A digest, not the phrases themselves: the key is part of every cached copy scan's entry, and
    // thousands of phrases make a long string. Which intent a phrase names is part of it.
    this.key = createHash('sha256').update(named.sort().join('\u0001')).digest('base64');
  }

  scan(text: string, file: string, artifact: string, lines: LineIndex): CopyMention[] {
    const out: CopyMention[] = [];
    if (this.empty) return out;
    const n = text.length;
    for (let i = 0; i < n && out.length < MARKERS_PER_FILE; i++) {
      if (i > 0 && isWordChar(text[i - 1])) continue;
      let node: PhraseNode | undefined = this.root;
      let best = -1;
      let intent: string | undefined;
      let j = i;
      while (node && j < n) {
        const c = text[j];
        if (WHITE.test(c)) {
          node = node.next.get(' ');
          while (j < n && WHITE.test(text[j])) j++;
        } else {
          node = node.next.get(lower(c));
          j++;
        }
        if (node?.intent && (j >= n || !isWordChar(text[j]))) {
          best = j;
          intent = node.intent;
        }
      }
      if (best > i && intent) {
        out.push({ file, range: lines.range(i, best), phrase: intern(text.slice(i, best)), intent, artifact });
        i = best - 1;
      }
    }
    return out;
  }
}

const WHITE = /\s/;
const WORD = /[\p{L}\p{N}]/u;

function isWordChar(c: string): boolean {
  return WORD.test(c);
}

/** A character lower-cased, kept as it is when lower-casing would change its length. */
function lower(c: string): string {
  const l = c.toLowerCase();
  return l.length === c.length ? l : c;
}

function normalizePhrase(p: string): string {
  return p.trim().replace(/\s+/g, ' ');
}
