import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { capital } from '../describe';
import { DEFAULT_SEVERITY, type Finding, type FindingCode } from '../findings';
import { parseYamlSafely } from '../safeYaml';
import { LineIndex, type Range } from '../text';
import { leavesFolder } from '../paths';
import { compileMarker } from './marker';
import {
  ARTIFACT_KINDS,
  DEFAULT_LEDGER,
  EVAL_FORMATS,
  LOCATOR_KINDS,
  type Artifact,
  type ArtifactKind,
  type EvalFormat,
  type Intent,
  type Located,
  type LocatorKind,
  type LocatorSpec,
  type Manifest,
  type Owner,
  type Surface,
} from './model';

export interface ParsedManifest {
  readonly manifest: Manifest;
  readonly findings: Finding[];
  readonly lines: LineIndex;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Bounds on what one manifest may ask for, each far above real use; past them, a finding instead of minutes of work. */
const GLOB_MAX = 1000;
const BRACES_MAX = 10;
const PHRASE_MAX = 200;
const ARTIFACTS_MAX = 10_000;
const ID_MAX = 100;

type FieldSpec = Readonly<Record<string, 'required' | 'optional'>>;

const TOP_FIELDS: FieldSpec = { version: 'required', owners: 'required', artifacts: 'required', intents: 'optional', surfaces: 'optional', reviews: 'optional' };
const OWNER_FIELDS: FieldSpec = { title: 'required', lead: 'required', members: 'optional', review: 'optional' };
const REVIEW_FIELDS: FieldSpec = { github: 'optional', url: 'optional' };
const ARTIFACT_FIELDS: FieldSpec = {
  id: 'required', kind: 'required', files: 'required', owner: 'required', counterpart: 'optional',
  pointer: 'optional', symbol: 'optional', tool: 'optional', region: 'optional',
  intents: 'optional', format: 'optional', intentField: 'optional', exercises: 'optional',
};
const INTENT_FIELDS: FieldSpec = { id: 'required', title: 'optional', owner: 'optional', phrases: 'optional' };
const SURFACE_FIELDS: FieldSpec = { files: 'required', marker: 'required', owner: 'required' };

/** The fields each part of the manifest allows; the JSON Schema must say the same. */
export const MANIFEST_FIELDS = { top: TOP_FIELDS, owner: OWNER_FIELDS, artifact: ARTIFACT_FIELDS, intent: INTENT_FIELDS, surface: SURFACE_FIELDS } as const;

/**
 * Reads a manifest. Never throws on user input: every problem becomes a
 * finding at its range, and every entry that is whole is kept.
 */
export function parseManifest(text: string, file: string): ParsedManifest {
  const lines = new LineIndex(text);
  const reader = new ManifestReader(lines, file);
  const parsed = parseYamlSafely(text);
  for (const p of parsed.problems) reader.report('manifest-syntax', lines.range(p.start, p.end), p.message);
  const manifest = parsed.ok ? reader.read(parsed.doc) : reader.empty();
  return { manifest, findings: reader.findings, lines };
}

interface Field {
  readonly key: Node;
  readonly value: Node | null;
}

class ManifestReader {
  readonly findings: Finding[] = [];
  private doc: Document.Parsed | undefined;

  constructor(
    private readonly lines: LineIndex,
    private readonly file: string,
  ) {}

  report(code: FindingCode, range: Range, message: string, subject?: Finding['subject']): void {
    this.findings.push({ code, severity: DEFAULT_SEVERITY[code], message, file: this.file, range, subject });
  }

  empty(): Manifest {
    return { owners: new Map(), artifacts: [], intents: new Map(), surfaces: [], reviews: { value: DEFAULT_LEDGER, range: this.lines.range(0, 0) } };
  }

  read(doc: Document.Parsed): Manifest {
    this.doc = doc;
    const root = this.resolve(doc.contents);
    if (!root || !isMap(root)) {
      if (root || this.findings.length === 0) {
        this.report('manifest-schema', root ? this.rangeOf(root) : this.lines.range(0, 0), 'The manifest should be a set of fields starting with "version: 1", "owners:" and "artifacts:".');
      }
      return this.empty();
    }
    const top = this.fields(root, TOP_FIELDS, 'the manifest');
    const version = this.readVersion(top.get('version'));
    const owners = this.readOwners(top.get('owners'));
    const intents = this.readIntents(top.get('intents'), owners);
    const artifacts = this.readArtifacts(top.get('artifacts'), owners, intents);
    const surfaces = this.readSurfaces(top.get('surfaces'), owners);
    const reviewsField = top.get('reviews');
    let reviews: Located<string> = { value: DEFAULT_LEDGER, range: this.lines.range(0, 0) };
    if (reviewsField) {
      const path = this.path(reviewsField.value, 'reviews', reviewsField.key);
      if (path) reviews = path;
    }
    return { version, owners, artifacts, intents, surfaces, reviews };
  }

  private readVersion(field: Field | undefined): number | undefined {
    if (!field) return undefined;
    const node = this.resolve(field.value);
    if (!isScalar(node) || typeof node.value !== 'number') {
      this.report('manifest-schema', this.rangeOf(field.value ?? field.key), 'version should be the number 1.');
      return undefined;
    }
    if (node.value !== 1) {
      this.report('manifest-schema', this.rangeOf(node), `This manifest says version ${node.value}; Counterpart reads version 1.`);
    }
    return node.value;
  }

  private readOwners(field: Field | undefined): Map<string, Owner> {
    const owners = new Map<string, Owner>();
    if (!field) return owners;
    const node = this.resolve(field.value);
    if (!isMap(node)) {
      this.report('manifest-schema', this.rangeOf(field.value ?? field.key), 'owners should list the sides, e.g. "product:" and "platform:", each with a title and a lead.');
      return owners;
    }
    const seen = new Set<string>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node;
      const id = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (id === undefined || seen.has(id)) continue; // duplicate keys are reported as syntax
      seen.add(id);
      const value = this.resolve(pair.value as Node | null);
      if (!isMap(value)) {
        this.report('manifest-schema', this.rangeOf((pair.value as Node | null) ?? keyNode), `Owner '${id}' should have a title and a lead.`);
        continue;
      }
      const f = this.fields(value, OWNER_FIELDS, `owner '${id}'`, keyNode);
      const title = this.str(f.get('title'), 'title');
      const lead = this.str(f.get('lead'), 'lead');
      const members = this.strList(f.get('members'), 'members').map((m) => m.value);
      let review: Owner['review'] = {};
      const reviewField = f.get('review');
      if (reviewField) {
        const r = this.resolve(reviewField.value);
        if (isMap(r)) {
          const rf = this.fields(r, REVIEW_FIELDS, 'review', reviewField.key);
          review = { github: this.str(rf.get('github'), 'github')?.value, url: this.str(rf.get('url'), 'url')?.value };
        } else {
          this.report('manifest-schema', this.rangeOf(reviewField.value ?? reviewField.key), 'review should have "github:" and/or "url:".');
        }
      }
      owners.set(id, { id, idRange: this.rangeOf(keyNode), title: title?.value ?? id, lead: lead?.value, members, review });
    }
    return owners;
  }

  private readIntents(field: Field | undefined, owners: Map<string, Owner>): Map<string, Intent> {
    const intents = new Map<string, Intent>();
    for (const entry of this.entries(field, 'intents', 'intent')) {
      const f = this.fields(entry, INTENT_FIELDS, 'this intent');
      const id = this.id(f.get('id'), 'intent');
      if (!id) continue;
      const first = intents.get(id.value);
      if (first) {
        this.report('duplicate-id', id.range, `Intent '${id.value}' is already declared on line ${first.idRange.start.line + 1}. Each intent is declared once.`, { intent: id.value });
        continue;
      }
      const owner = this.ownerRef(f.get('owner'), owners);
      const title = this.str(f.get('title'), 'title')?.value;
      const phrases = this.strList(f.get('phrases'), 'phrases').filter((p) => this.withinCap(p, PHRASE_MAX, 'A phrase'));
      intents.set(id.value, { id: id.value, idRange: id.range, title, owner, phrases });
    }
    return intents;
  }

  private readArtifacts(field: Field | undefined, owners: Map<string, Owner>, intents: Map<string, Intent>): Artifact[] {
    const artifacts: Artifact[] = [];
    const byId = new Map<string, Artifact>();
    const entries = this.entries(field, 'artifacts', 'artifact');
    if (entries.length > ARTIFACTS_MAX) {
      this.report('manifest-schema', this.rangeOf(entries[ARTIFACTS_MAX]), `This manifest lists ${entries.length.toLocaleString('en-US')} artifacts; Counterpart reads the first ${ARTIFACTS_MAX.toLocaleString('en-US')}. Split the folder into several manifests.`);
    }
    for (const entry of entries.slice(0, ARTIFACTS_MAX)) {
      const f = this.fields(entry, ARTIFACT_FIELDS, 'this artifact');
      const id = this.id(f.get('id'), 'artifact');
      const kind = this.oneOf(f.get('kind'), ARTIFACT_KINDS, 'kind') as ArtifactKind | undefined;
      const files = this.paths(f.get('files'), 'files');
      const owner = this.ownerRef(f.get('owner'), owners);
      const counterpart = this.ownerRef(f.get('counterpart'), owners);
      const locator = this.locator(f);
      const format = this.oneOf(f.get('format'), EVAL_FORMATS, 'format') as EvalFormat | undefined;
      const intentFieldList = this.strList(f.get('intentField'), 'intentField').map((p) => p.value);
      const intentField = intentFieldList.length ? intentFieldList : undefined;
      const exercises = f.get('exercises') ? this.strList(f.get('exercises'), 'exercises') : undefined;
      if (exercises && kind && kind !== 'eval-set') {
        this.report('manifest-schema', this.rangeOf(f.get('exercises')!.key), `Only an eval set has 'exercises': the system prompts its cases run against.`, { artifact: id?.value });
      }
      const artifactIntents = this.strList(f.get('intents'), 'intents');
      for (const ref of artifactIntents) {
        if (!intents.has(ref.value)) {
          this.report('unknown-intent', ref.range, `Intent '${ref.value}' is not declared under intents, so nobody owns it. Declare it or fix the spelling.`, { intent: ref.value, artifact: id?.value });
        }
      }
      if (!id || !kind || !owner) continue;
      if (!counterpart && owners.size > 2) {
        this.report('manifest-schema', id.range, `Artifact '${id.value}' needs a counterpart: with more than two owners Counterpart cannot tell who reviews it.`, { artifact: id.value });
      }
      const first = byId.get(id.value);
      if (first) {
        this.report('duplicate-id', id.range, `Artifact id '${id.value}' is already used on line ${first.idRange.start.line + 1}. Give this one its own id.`, { artifact: id.value });
        continue;
      }
      const artifact: Artifact = {
        id: id.value, idRange: id.range, kind, files, locator, owner, counterpart,
        intents: artifactIntents, format, intentField, exercises: kind === 'eval-set' ? exercises : undefined, range: this.rangeOf(entry),
      };
      byId.set(id.value, artifact);
      artifacts.push(artifact);
    }
    for (const artifact of artifacts) {
      for (const ref of artifact.exercises ?? []) {
        const target = byId.get(ref.value);
        if (!target) {
          const ids = [...byId.values()].filter((a) => a.kind === 'system-prompt').map((a) => a.id);
          this.report('unknown-artifact', ref.range, `'${ref.value}' is not an artifact of this manifest, so '${artifact.id}' cannot say it runs it.${ids.length ? ` System prompts: ${ids.join(', ')}.` : ''}`, { artifact: artifact.id });
        } else if (target.kind !== 'system-prompt') {
          this.report('manifest-schema', ref.range, `'${ref.value}' is a ${target.kind}; exercises lists the system prompts this eval set's cases run against.`, { artifact: artifact.id });
        }
      }
    }
    return artifacts;
  }

  private readSurfaces(field: Field | undefined, owners: Map<string, Owner>): Surface[] {
    const surfaces: Surface[] = [];
    for (const entry of this.entries(field, 'surfaces', 'surface')) {
      const f = this.fields(entry, SURFACE_FIELDS, 'this surface');
      const files = this.paths(f.get('files'), 'files');
      const owner = this.ownerRef(f.get('owner'), owners);
      const marker = this.str(f.get('marker'), 'marker');
      if (!marker || !owner) continue;
      const compiled = compileMarker(marker.value);
      if (!compiled.ok) {
        this.report('bad-marker', marker.range, compiled.problem);
        continue;
      }
      surfaces.push({ index: surfaces.length, files, marker, owner });
    }
    return surfaces;
  }

  // ---- building blocks -------------------------------------------------

  /** List entries that are mappings; anything else is reported and skipped. */
  private entries(field: Field | undefined, name: string, singular: string): Node[] {
    if (!field) return [];
    const node = this.resolve(field.value);
    if (node === undefined && field.value === null) return [];
    if (!isSeq(node)) {
      this.report('manifest-schema', this.rangeOf(field.value ?? field.key), `${name} should be a list, one "- " entry per ${singular}.`);
      return [];
    }
    const out: Node[] = [];
    for (const item of node.items) {
      const entry = this.resolve(item as Node | null);
      if (isMap(entry)) out.push(entry);
      else this.report('manifest-schema', this.rangeOf((item as Node | null) ?? node), `Each entry under ${name} should be a set of fields (id, …).`);
    }
    return out;
  }

  /** The fields of a mapping, reporting unknown and missing ones. First of duplicated keys wins. */
  private fields(node: Node, spec: FieldSpec, where: string, anchor?: Node): Map<string, Field> {
    const out = new Map<string, Field>();
    if (!isMap(node)) return out;
    for (const pair of node.items) {
      const key = pair.key as Node;
      const name = isScalar(key) ? String(key.value) : undefined;
      if (name === undefined) {
        this.report('manifest-schema', this.rangeOf(key), `Keys in ${where} should be plain names.`);
        continue;
      }
      if (out.has(name)) continue;
      if (!(name in spec)) {
        const guess = closest(name, Object.keys(spec));
        this.report('manifest-schema', this.rangeOf(key), `'${name}' is not a field of ${where}.${guess ? ` Did you mean '${guess}'?` : ''} Allowed: ${Object.keys(spec).join(', ')}.`);
        continue;
      }
      out.set(name, { key, value: (pair.value as Node | null) ?? null });
    }
    for (const [name, need] of Object.entries(spec)) {
      if (need === 'required' && !out.has(name)) {
        this.report('manifest-schema', this.rangeOf(anchor ?? node.items[0]?.key as Node ?? node), `${capital(where)} is missing '${name}'.`);
      }
    }
    return out;
  }

  private str(field: Field | undefined, name: string): Located<string> | undefined {
    if (!field) return undefined;
    const node = this.resolve(field.value);
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
      return { value: String(node.value), range: this.rangeOf(node) };
    }
    this.report('manifest-schema', this.rangeOf(field.value ?? field.key), `${name} should be text.`);
    return undefined;
  }

  /** A string or a list of strings. */
  private strList(field: Field | undefined, name: string): Located<string>[] {
    if (!field) return [];
    const node = this.resolve(field.value);
    if (isScalar(node) && typeof node.value === 'string') return [{ value: node.value, range: this.rangeOf(node) }];
    if (isSeq(node)) {
      const out: Located<string>[] = [];
      for (const item of node.items) {
        const v = this.resolve(item as Node | null);
        if (isScalar(v) && typeof v.value === 'string') out.push({ value: v.value, range: this.rangeOf(v) });
        else this.report('manifest-schema', this.rangeOf((item as Node | null) ?? node), `Each entry of ${name} should be text.`);
      }
      return out;
    }
    if (node === undefined && field.value === null) return [];
    this.report('manifest-schema', this.rangeOf(field.value ?? field.key), `${name} should be text or a list of text.`);
    return [];
  }

  private id(field: Field | undefined, what: string): Located<string> | undefined {
    const id = this.str(field, 'id');
    if (id && id.value.length > ID_MAX) {
      this.report('manifest-schema', id.range, `An id may be at most ${ID_MAX} characters long; this one has ${id.value.length.toLocaleString('en-US')}, starting '${id.value.slice(0, 40)}…'.`);
      return undefined;
    }
    if (id && !ID_PATTERN.test(id.value)) {
      this.report('manifest-schema', id.range, `The ${what} id '${id.value}' should use lower-case letters, digits and dashes, like 'express-refund'.`);
      return undefined;
    }
    return id;
  }

  private oneOf(field: Field | undefined, allowed: readonly string[], name: string): string | undefined {
    const v = this.str(field, name);
    if (!v) return undefined;
    if (allowed.includes(v.value)) return v.value;
    const guess = closest(v.value, allowed);
    this.report('manifest-schema', v.range, `'${v.value}' is not a ${name}.${guess ? ` Did you mean '${guess}'?` : ''} Use one of: ${allowed.join(', ')}.`);
    return undefined;
  }

  private ownerRef(field: Field | undefined, owners: Map<string, Owner>): Located<string> | undefined {
    const ref = this.str(field, field ? String((field.key as { value?: unknown }).value) : 'owner');
    if (ref && !owners.has(ref.value)) {
      const known = [...owners.keys()];
      this.report('unknown-owner', ref.range, `'${ref.value}' is not one of the owners declared at the top${known.length ? ` (${known.join(', ')})` : ''}.`);
    }
    return ref;
  }

  private paths(field: Field | undefined, name: string): Located<string>[] {
    return this.strList(field, name).filter((p) => this.withinCap(p, GLOB_MAX, 'A path or pattern') && this.fewBraces(p) && this.checkInside(p));
  }

  /** Refuses a value longer than `max`, quoting only its start. */
  private withinCap(p: Located<string>, max: number, what: string): boolean {
    if (p.value.length <= max) return true;
    this.report('manifest-schema', p.range, `${what} may be at most ${max.toLocaleString('en-US')} characters long; this one has ${p.value.length.toLocaleString('en-US')}, starting "${p.value.slice(0, 40)}…".`);
    return false;
  }

  /** Each {a,b} group multiplies the patterns a glob stands for: a few are plenty. */
  private fewBraces(p: Located<string>): boolean {
    const braces = (p.value.match(/\{/g) ?? []).length;
    // {1..1000000} is one group standing for a million patterns.
    const range = /\{\s*(-?\d+)\s*\.\.\s*(-?\d+)/.exec(p.value);
    if (range && Math.abs(Number(range[2]) - Number(range[1])) >= 100) {
      this.report('manifest-schema', p.range, `This pattern counts from ${range[1].slice(0, 12)} to ${range[2].slice(0, 12)}; a {a..b} range may stand for at most 100 values. Use * instead.`);
      return false;
    }
    if (braces <= BRACES_MAX) return true;
    this.report('manifest-schema', p.range, `This pattern has ${braces} {…} groups; at most ${BRACES_MAX} are read, since each one multiplies the patterns to try. Use ** or a list of paths instead.`);
    return false;
  }

  private path(node: Node | null, name: string, key: Node): Located<string> | undefined {
    const p = this.str({ key, value: node }, name);
    return p && this.withinCap(p, GLOB_MAX, 'A path') && this.checkInside(p) ? p : undefined;
  }

  private checkInside(p: Located<string>): boolean {
    if (!leavesFolder(p.value)) return true;
    this.report('manifest-schema', p.range, `'${p.value}' points outside the manifest's folder. Paths and globs must stay inside it.`);
    return false;
  }

  /** The one locator of an artifact (pointer, symbol, tool or region); a second one is an error. */
  private locator(f: Map<string, Field>): LocatorSpec | undefined {
    let found: LocatorSpec | undefined;
    for (const kind of LOCATOR_KINDS) {
      const field = f.get(kind);
      if (!field) continue;
      const v = this.str(field, kind);
      if (!v) continue;
      if (found) {
        this.report('manifest-schema', this.rangeOf(field.key), `An artifact has one locator: it already says '${found.kind}: ${found.value}', so '${kind}' was ignored. Split it into two artifacts if both are meant.`);
        continue;
      }
      const problem = locatorProblem(kind, v.value);
      if (problem) {
        this.report('manifest-schema', v.range, problem);
        continue;
      }
      found = { kind, value: v.value, range: v.range };
    }
    return found;
  }

  private resolve(node: Node | null | undefined): Node | undefined {
    let n: unknown = node ?? undefined;
    // Follow aliases a bounded number of times: an alias never expands here.
    for (let i = 0; i < 8 && isAlias(n); i++) n = this.doc ? n.resolve(this.doc) : undefined;
    if (isAlias(n)) return undefined;
    return n as Node | undefined;
  }

  private rangeOf(node: Node | null | undefined): Range {
    const r = node?.range;
    if (!r) return this.lines.range(0, 0);
    return this.lines.range(r[0], Math.max(r[1], r[0]));
  }
}

const SYMBOL_PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** Longer locator values are refused: no name, tool or label is this long. */
const LOCATOR_MAX = 200;

function locatorProblem(kind: LocatorKind, value: string): string | undefined {
  if (value.length > LOCATOR_MAX) return `A ${kind} may be at most ${LOCATOR_MAX} characters long; this one has ${value.length.toLocaleString('en-US')}, starting '${value.slice(0, 40)}…'.`;
  switch (kind) {
    case 'pointer':
      return value !== '' && !value.startsWith('/') ? `The pointer '${value}' should start with '/', like '/description'.` : undefined;
    case 'symbol':
      return SYMBOL_PATH.test(value) ? undefined : `'${value}' is not a name path: write a name, then '.key' steps, like 'systemPrompt' or 'refund_agent.instructions'.`;
    case 'tool':
      return value.trim() && !/[\r\n]/.test(value) ? undefined : 'tool should be the name the tool is registered under, like issue_refund.';
    case 'region':
      return /^[\w.-]+$/.test(value) ? undefined : `A region label uses letters, digits, '-', '_' and '.', like 'legacy-prompt', so it can be written after 'counterpart:begin' in a comment.`;
  }
}

/** The allowed name within two edits of `name`, for "did you mean". */
function closest(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
