import { createHash } from 'node:crypto';
import { parseTree, type ParseError } from 'jsonc-parser';
import { DEFAULT_SEVERITY, type Finding } from '../findings';
import { findExcessiveJsonNesting } from '../safeYaml';
import { LineIndex, normalizeEol } from '../text';

/** One counterpart sign-off, as the ledger stores it. */
export interface Review {
  readonly hash: string;
  readonly by: string;
  readonly side: string;
  readonly at: string;
  readonly commit?: string;
  /** The reviewed value of a small artifact, so a diff needs no git. */
  readonly text?: string;
  /**
   * A tool description's condition sentences as reviewed, kept whatever its
   * size, so a changed rule for calling the tool is told without git.
   */
  readonly conditions?: readonly string[];
}

export interface Ledger {
  readonly reviews: ReadonlyMap<string, Review>;
  /**
   * Entries that could not be read as a review, by artifact id, as their JSON
   * text: written back unchanged, so a sign-off of another artifact never drops them.
   */
  readonly kept?: ReadonlyMap<string, string>;
  /** The ledger file exists but is not valid JSON: writing it now would lose past reviews. */
  readonly unreadable?: boolean;
  /**
   * Why the file at the ledger's path must be neither read nor written as the
   * ledger (it is not a ledger, an artifact's file, outside the folder…).
   */
  readonly refused?: string;
}

export interface ParsedLedger {
  readonly ledger: Ledger;
  readonly findings: Finding[];
}

/** Far above any real ledger (a few hundred bytes a sign-off): a larger file is not read, nor written. */
export const LEDGER_MAX_SIZE = 10 * 1024 * 1024;

/** Artifacts up to this size keep their reviewed text in the ledger. */
export const LEDGER_TEXT_LIMIT = 4096;

export const EMPTY_LEDGER: Ledger = { reviews: new Map() };

/** Hash of one artifact's content: LF line endings; several files by path order. */
export function contentHash(parts: readonly { readonly path: string; readonly text: string }[]): string {
  const h = createHash('sha256');
  if (parts.length === 1) {
    h.update(normalizeEol(parts[0].text));
  } else {
    for (const p of [...parts].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      h.update(p.path).update('\0').update(normalizeEol(p.text)).update('\0');
    }
  }
  return `sha256:${h.digest('hex')}`;
}

/**
 * Reads the ledger. A malformed entry is a `ledger-syntax` finding and counts
 * as no review, but is kept as written; text that is JSON but not a ledger
 * (an object with "version": 1 and a "reviews" object) is refused whole.
 */
export function parseLedger(text: string, file: string): ParsedLedger {
  // An empty file holds no review to lose: it is an empty ledger.
  if (!text.trim()) return { ledger: { reviews: new Map() }, findings: [] };
  return wellFormedLedger(text) ?? parseLedgerWithPlaces(text, file);
}

/** Why a JSON file that is not a ledger is not used as one: one sentence, for the manifest and for sign. */
export function notALedgerMessage(file: string): string {
  return `Counterpart will not use ${file} as the review ledger: it is not one (a JSON object with "version": 1 and "reviews"), and recording a review would overwrite it. Point \`reviews:\` at a .json file of its own, such as .counterpart/reviews.json.`;
}

/**
 * The common case, fast: a ledger that is valid JSON with every entry whole
 * needs no syntax tree (the tree is built only to say where a problem is).
 */
function wellFormedLedger(text: string): ParsedLedger | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const root = value as { version?: unknown; reviews?: unknown } | null;
  if (typeof root !== 'object' || root === null || Array.isArray(root) || root.version !== 1) return undefined;
  const entries = root.reviews;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return undefined;
  const reviews = new Map<string, Review>();
  for (const [id, entry] of Object.entries(entries as Record<string, unknown>)) {
    const e = entry as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return undefined;
    const { hash, by, side, at, commit, text: reviewedText, conditions } = e;
    if (typeof hash !== 'string' || typeof by !== 'string' || typeof side !== 'string' || typeof at !== 'string') return undefined;
    reviews.set(id, {
      hash, by, side, at,
      commit: typeof commit === 'string' ? commit : undefined,
      text: typeof reviewedText === 'string' ? reviewedText : undefined,
      ...(Array.isArray(conditions) ? { conditions: conditions.filter((c): c is string => typeof c === 'string') } : {}),
    });
  }
  return { ledger: { reviews }, findings: [] };
}

function parseLedgerWithPlaces(text: string, file: string): ParsedLedger {
  const findings: Finding[] = [];
  const lines = new LineIndex(text);
  const report = (start: number, end: number, message: string): void => {
    findings.push({ code: 'ledger-syntax', severity: DEFAULT_SEVERITY['ledger-syntax'], message, file, range: lines.range(start, end) });
  };
  const reviews = new Map<string, Review>();
  const deep = findExcessiveJsonNesting(text);
  if (deep !== undefined) {
    report(deep, deep + 1, 'The review ledger nests far deeper than a ledger does, so no past reviews could be read. Restore it from version control.');
    return { ledger: { reviews, unreadable: true }, findings };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !root) {
    const at = errors[0]?.offset ?? 0;
    report(at, at + 1, 'The review ledger is not valid JSON, so no past reviews could be read. Fix it or restore it from version control.');
    return { ledger: { reviews, unreadable: true }, findings };
  }
  const props = root.type === 'object' ? new Map((root.children ?? []).map((p) => [String(p.children?.[0]?.value), p.children?.[1]])) : new Map<string, undefined>();
  const entries = props.get('reviews');
  if (root.type !== 'object' || props.get('version')?.value !== 1 || entries?.type !== 'object') {
    // Valid JSON, but not a ledger: some other file, never to be overwritten by a sign-off.
    return { ledger: { reviews, refused: notALedgerMessage(file) }, findings };
  }
  const kept = new Map<string, string>();
  for (const prop of entries.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const id = String(keyNode.value);
    const fields = new Map((valueNode.children ?? []).map((p) => [String(p.children?.[0]?.value), p.children?.[1]?.value]));
    const hash = fields.get('hash');
    const by = fields.get('by');
    const side = fields.get('side');
    const at = fields.get('at');
    if (valueNode.type !== 'object' || typeof hash !== 'string' || typeof by !== 'string' || typeof side !== 'string' || typeof at !== 'string') {
      report(valueNode.offset, valueNode.offset + valueNode.length, `The review of '${id}' needs text fields hash, by, side and at; until it has them it counts as no review (it is kept as written).`);
      kept.set(id, text.slice(valueNode.offset, valueNode.offset + valueNode.length));
      reviews.delete(id);
      continue;
    }
    const commit = fields.get('commit');
    const reviewedText = fields.get('text');
    const conditionsNode = valueNode.children?.find((p) => p.children?.[0]?.value === 'conditions')?.children?.[1];
    const conditions = conditionsNode?.type === 'array' ? (conditionsNode.children ?? []).map((c) => c.value).filter((c): c is string => typeof c === 'string') : undefined;
    reviews.set(id, {
      hash, by, side, at,
      commit: typeof commit === 'string' ? commit : undefined,
      text: typeof reviewedText === 'string' ? reviewedText : undefined,
      ...(conditions ? { conditions } : {}),
    });
    kept.delete(id);
  }
  return { ledger: kept.size ? { reviews, kept } : { reviews }, findings };
}

/** The ledger with one review recorded; other entries, readable or not, untouched. */
export function recordReview(ledger: Ledger, artifactId: string, review: Review): Ledger {
  const reviews = new Map(ledger.reviews);
  reviews.set(artifactId, review);
  // A new sign-off of an artifact replaces its unreadable entry; the others stay as written.
  const kept = new Map(ledger.kept ?? []);
  kept.delete(artifactId);
  return kept.size ? { reviews, kept } : { reviews };
}

/**
 * Stable, diff-friendly JSON: entries sorted by artifact id, two-space indent.
 * Unreadable entries are written back exactly as they were read.
 */
export function serializeLedger(ledger: Ledger): string {
  const kept = ledger.kept ?? new Map<string, string>();
  const ids = [...new Set([...ledger.reviews.keys(), ...kept.keys()])].sort();
  if (!ids.length) return '{\n  "version": 1,\n  "reviews": {}\n}\n';
  const entries = ids.map((id) => {
    const r = ledger.reviews.get(id);
    const value = r
      ? JSON.stringify({
        hash: r.hash, by: r.by, side: r.side, at: r.at,
        ...(r.commit ? { commit: r.commit } : {}),
        ...(r.text !== undefined ? { text: r.text } : {}),
        ...(r.conditions !== undefined ? { conditions: r.conditions } : {}),
      }, null, 2).replace(/\n/g, '\n    ')
      : kept.get(id)!;
    return `    ${JSON.stringify(id)}: ${value}`;
  });
  return `{\n  "version": 1,\n  "reviews": {\n${entries.join(',\n')}\n  }\n}\n`;
}
