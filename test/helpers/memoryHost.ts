import type { FileInfo, Host } from '../../server/src/core/host';
import { buildIndex, IndexCache, type IndexOptions, type WorkspaceIndex } from '../../server/src/core/index/workspaceIndex';
import { computeFindings, type RuleOptions } from '../../server/src/core/rules/rules';
import type { Finding } from '../../server/src/core/findings';
import type { Position } from '../../server/src/core/text';

export const ROOT = '/ws';

/** Files in memory; `sizes` overrides what stat reports, `reads` records what was read. */
export class MemoryHost implements Host {
  readonly files = new Map<string, string>();
  readonly sizes = new Map<string, number>();
  readonly links = new Map<string, string>();
  readonly reads: string[] = [];
  /** Which files an editor has open; none unless a test says so. */
  isOpen?: (path: string) => boolean;

  private revisions: Map<string, number> | undefined;
  private lastRevision = 0;

  constructor(files: Record<string, string> = {}, readonly root = ROOT) {
    for (const [k, v] of Object.entries(files)) this.files.set(`${root}/${k}`, v);
  }

  /** From now on, tells each file's revision, as the language server's host does: a new one after each set or delete. */
  withRevisions(): this {
    this.revisions = new Map();
    return this;
  }

  revision(path: string): string | undefined {
    if (!this.revisions) return undefined;
    let revision = this.revisions.get(path);
    if (revision === undefined) this.revisions.set(path, (revision = ++this.lastRevision));
    return `memory-${revision}`;
  }

  set(rel: string, text: string): void {
    this.files.set(`${this.root}/${rel}`, text);
    this.revisions?.delete(`${this.root}/${rel}`);
  }

  delete(rel: string): void {
    this.files.delete(`${this.root}/${rel}`);
    this.revisions?.delete(`${this.root}/${rel}`);
  }

  listFiles(root: string): string[] {
    const prefix = root.endsWith('/') ? root : `${root}/`;
    return [...this.files.keys(), ...this.links.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
  }

  stat(path: string): FileInfo | undefined {
    const link = this.links.get(path);
    if (link !== undefined) return { size: 10, isFile: true, realPath: link };
    const text = this.files.get(path);
    if (text === undefined) return undefined;
    return { size: this.sizes.get(path) ?? Buffer.byteLength(text), isFile: true };
  }

  readText(path: string): string | undefined {
    this.reads.push(path);
    return this.files.get(path);
  }
}

/** Builds the index of an in-memory folder; fails the test when there is no manifest. */
export function indexOf(files: Record<string, string> | MemoryHost, options: IndexOptions = {}, cache = new IndexCache()): WorkspaceIndex {
  const host = files instanceof MemoryHost ? files : new MemoryHost(files);
  const index = buildIndex(host.root, host, options, cache);
  if (!index) throw new Error('no manifest in the fixture');
  return index;
}

export function findingsOf(files: Record<string, string> | MemoryHost, rules: RuleOptions = {}): Finding[] {
  return computeFindings(indexOf(files), rules);
}

/** Findings with one code, as "file:line:col" (1-based) → message, for exact assertions. */
export function at(findings: readonly Finding[], code: string): string[] {
  return findings.filter((f) => f.code === code).map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`);
}

/**
 * Removes a `|` caret from `text` and returns where it was, so tests say
 * `data-intent="seat-|upgrade"` instead of counting columns.
 */
export function caret(text: string): { text: string; position: Position } {
  const i = text.indexOf('|');
  if (i < 0) throw new Error('no caret in fixture');
  const before = text.slice(0, i);
  const lines = before.split('\n');
  return { text: before + text.slice(i + 1), position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

/** A small, valid manifest; pass extra YAML to append. */
export function manifest(extra = ''): string {
  return `version: 1
owners:
  product:
    title: Product
    lead: "@dana"
    members: [dana@acme.com, "@lee"]
    review: { github: "@acme/product-pms", url: "https://chat.example.com/product" }
  platform:
    title: ML Platform
    lead: "@sam"
    members: [sam@acme.com]
artifacts:
  - id: support-prompt
    kind: system-prompt
    files: prompts/system.md
    owner: platform
    intents: [refund-status]
  - id: refund-tool
    kind: tool-description
    files: tools/refund.json
    pointer: /description
    owner: platform
    intents: [express-refund]
  - id: evals
    kind: eval-set
    files: evals/*.yaml
    owner: platform
  - id: help
    kind: help-copy
    files: docs/*.md
    owner: product
intents:
  - id: refund-status
    title: Refund status
    owner: product
    phrases: [refund status]
  - id: express-refund
    title: Express refund
    owner: product
    phrases: [express refund]
surfaces:
  - files: src/**/*.tsx
    marker: 'data-intent="(?<intent>[a-z0-9-]+)"'
    owner: product
${extra}`;
}

/** The files that go with `manifest()`. */
export function baseFiles(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'counterpart.yaml': manifest(),
    'prompts/system.md': 'You are a support assistant.\nHelp with refund status.\n',
    'tools/refund.json': '{\n  "name": "create_refund",\n  "description": "Creates a refund draft.",\n  "parameters": {}\n}\n',
    'evals/cases.yaml': 'tests:\n  - description: where is my refund\n    vars: { message: "where is my refund" }\n    metadata: { intent: refund-status }\n',
    'docs/help.md': '# Help\nCheck your refund status any time.\n',
    'src/Panel.tsx': '<button data-intent="refund-status">Status</button>\n',
    ...overrides,
  };
}

/** "file:line:col" (1-based) of the `nth` occurrence of `needle` in `text`. */
export function where(file: string, text: string, needle: string, nth = 0): string {
  let i = -1;
  for (let n = 0; n <= nth; n++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`'${needle}' not in fixture`);
  }
  const before = text.slice(0, i).split(/\r\n|\n/);
  return `${file}:${before.length}:${before[before.length - 1].length + 1}`;
}
