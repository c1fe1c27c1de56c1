import * as path from 'node:path';
import { DEFAULT_SEVERITY, FINDING_CODES, type Finding, type Severity } from '../core/findings';
import { plural } from '../core/describe';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface Located {
  readonly finding: Finding;
  /** Path as printed: relative to the current folder, forward slashes. */
  readonly path: string;
}

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
  readonly notes: number;
}

export function count(findings: readonly Finding[]): Counts {
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else notes++;
  }
  return { errors, warnings, notes };
}

export function displayPath(root: string, file: string, cwd: string): string {
  const rel = path.relative(cwd, path.join(root, file)).split(path.sep).join('/');
  return rel || '.';
}

const LABEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };

/** Grouped by file, one line per finding: `line:col  severity  message  code`. */
export function formatText(items: readonly Located[], counts: Counts, color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = (s: Severity): string => {
    const label = LABEL[s].padEnd(7);
    return s === 'error' ? paint('31', label) : s === 'warning' ? paint('33', label) : paint('36', label);
  };
  const out: string[] = [];
  let current: string | undefined;
  for (const { finding: f, path: p } of items) {
    if (p !== current) {
      if (current !== undefined) out.push('');
      out.push(paint('4', p));
      current = p;
    }
    const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`.padEnd(8);
    out.push(`  ${pos}${sev(f.severity)}  ${f.message}  ${paint('2', f.code)}`);
  }
  if (items.length) out.push('');
  out.push(summary(counts));
  return out.join('\n') + '\n';
}

export function summary(c: Counts): string {
  if (c.errors + c.warnings + c.notes === 0) return 'No findings: both sides are in step.';
  return `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${plural(c.notes, 'note')}.`;
}

export function formatJson(items: readonly Located[], counts: Counts, folder: string): string {
  return JSON.stringify({
    folder,
    summary: counts,
    findings: items.map(({ finding: f, path: p }) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      file: p,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      ...(f.subject ? { subject: f.subject } : {}),
    })),
  }, null, 2) + '\n';
}

const SARIF_LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

const RULE_TEXT: Readonly<Record<string, string>> = {
  'manifest-syntax': 'The manifest is not valid YAML here.',
  'manifest-schema': 'The manifest has a field that is unknown, missing or of the wrong kind.',
  'unknown-owner': 'An owner is named that is not declared.',
  'unknown-intent': 'The manifest names an intent that is not declared.',
  'duplicate-id': 'Two entries share one id.',
  'bad-marker': 'A surface marker is not a valid pattern with an (?<intent>…) group.',
  'conflicting-owners': 'One file is claimed by artifacts with different owners.',
  'no-files': 'A path or glob matches no file.',
  'uncovered-intent': 'An intent has no eval case.',
  'undeclared-intent': 'UI code or an eval case names an intent that is not declared.',
  'unhandled-intent': 'An intent is surfaced or promised, but no system prompt is tuned for it.',
  'copy-promise': 'Help copy promises an intent that is unhandled or uncovered.',
  'changed-since-review': 'The artifact changed since the counterpart last reviewed it.',
  'never-reviewed': 'The counterpart has never reviewed the artifact.',
  'tool-contract-change': 'The conditions for calling a tool changed since review.',
  'foreign-edit': 'The artifact is owned by the other side.',
  'file-skipped': 'A file was too large, binary, or a link out of the folder, so it was skipped.',
  'eval-syntax': 'An eval file could not be read.',
  'ledger-syntax': 'The review ledger could not be read.',
  'pointer-not-found': 'A JSON pointer names nothing in its file.',
};

/** SARIF 2.1.0 as GitHub code scanning and reviewdog read it; columns are 1-based UTF-16. */
export function formatSarif(items: readonly Located[], version: string): string {
  const rules = FINDING_CODES.map((id) => ({
    id,
    name: id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: RULE_TEXT[id] },
    defaultConfiguration: { level: SARIF_LEVEL[DEFAULT_SEVERITY[id]] },
  }));
  const results = items.map(({ finding: f, path: p }) => {
    const startColumn = f.range.start.character + 1;
    const sameLine = f.range.end.line === f.range.start.line;
    const endColumn = sameLine ? Math.max(f.range.end.character + 1, startColumn + 1) : f.range.end.character + 1;
    return {
      ruleId: f.code,
      ruleIndex: FINDING_CODES.indexOf(f.code),
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: encodeURI(p), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.range.start.line + 1, startColumn, endLine: f.range.end.line + 1, endColumn },
        },
      }],
    };
  });
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Counterpart', version, informationUri: 'https://github.com/counterpart-dev/counterpart', rules } }, results }],
  }, null, 2) + '\n';
}

/** GitHub Actions workflow commands: one annotation per finding. */
export function formatGithub(items: readonly Located[], counts: Counts): string {
  const out = items.map(({ finding: f, path: p }) => {
    const kind = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    const props = [
      `file=${escapeProperty(p)}`,
      `line=${f.range.start.line + 1}`,
      `col=${f.range.start.character + 1}`,
      `endLine=${f.range.end.line + 1}`,
      `endColumn=${f.range.end.character + 1}`,
      `title=${escapeProperty(`Counterpart: ${f.code}`)}`,
    ];
    return `::${kind} ${props.join(',')}::${escapeData(f.message)}`;
  });
  out.push(summary(counts));
  return out.join('\n') + '\n';
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
