import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** What the text format needs to know of an intent: its title, when it is declared. */
export type IntentTitles = ReadonlyMap<string, { readonly title?: string }>;

/**
 * How each intent finding reads in the summary line of its intent, in this
 * order; other codes that name an intent follow, by their code.
 */
const INTENT_FACTS: ReadonlyArray<readonly [string, string]> = [
  ['unknown-intent', 'listed by an artifact but not declared'],
  ['undeclared-intent', 'named in UI code or an eval case but not declared'],
  ['uncovered-intent', 'no eval case covers it'],
  ['unhandled-intent', 'no system prompt is tuned for it'],
  ['copy-promise', 'help copy promises it'],
];

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * For a person at a terminal. First one block per intent: a line that says
 * once what is wrong with it and in how many places, then those places
 * (`path:line:col  severity  codes`). Then the other findings grouped by file,
 * one line each: `line:col  severity  message  code`. Then the counts.
 */
export function formatText(items: readonly Located[], counts: Counts, color: boolean, intents: IntentTitles = new Map(), whoActs: (code: Finding['code']) => string | undefined = () => undefined): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = (s: Severity): string => {
    const label = LABEL[s].padEnd(7);
    return s === 'error' ? paint('31', label) : s === 'warning' ? paint('33', label) : paint('36', label);
  };
  const byIntent = new Map<string, Located[]>();
  const rest: Located[] = [];
  for (const item of items) {
    const intent = item.finding.subject?.intent;
    if (intent) {
      const list = byIntent.get(intent) ?? [];
      list.push(item);
      byIntent.set(intent, list);
    } else {
      rest.push(item);
    }
  }
  const worst = (list: readonly Located[]): number => Math.min(...list.map((x) => SEVERITY_RANK[x.finding.severity]));
  const blocks = [...byIntent].sort(([a, la], [b, lb]) => worst(la) - worst(lb) || (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  for (const [intent, list] of blocks) {
    if (out.length) out.push('');
    const title = intents.get(intent)?.title;
    out.push(`${paint('1', `Intent ${intent}${title ? ` (${title})` : ''}`)}: ${intentFacts(list)}`);
    const ask = askLine(list, whoActs);
    if (ask) out.push(`  ${ask}`);
    // One line per place; two findings at one place share it.
    const places = new Map<string, { severity: Severity; codes: string[] }>();
    for (const { finding: f, path: p } of list) {
      const key = `${p}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const place = places.get(key);
      if (!place) places.set(key, { severity: f.severity, codes: [f.code] });
      else {
        if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[place.severity]) place.severity = f.severity;
        if (!place.codes.includes(f.code)) place.codes.push(f.code);
      }
    }
    const width = Math.max(...[...places.keys()].map((k) => k.length));
    for (const [key, place] of places) out.push(`  ${key.padEnd(width)}  ${sev(place.severity)}  ${paint('2', place.codes.join(', '))}`);
  }
  let current: string | undefined;
  for (const { finding: f, path: p } of rest) {
    if (p !== current) {
      if (out.length) out.push('');
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

/** "Ask ML Platform (@sam) for an eval case and a prompt.": who acts on an intent's findings, once. */
function askLine(list: readonly Located[], whoActs: (code: Finding['code']) => string | undefined): string | undefined {
  const WHAT: Partial<Record<Finding['code'], string>> = {
    // A copy promise always comes with the missing case or prompt it is about: those say who to ask.
    'uncovered-intent': 'an eval case', 'unhandled-intent': 'a system prompt tuned for it',
    'undeclared-intent': 'its declaration', 'unknown-intent': 'its declaration',
  };
  const byWho = new Map<string, Set<string>>();
  for (const { finding: f } of list) {
    const who = whoActs(f.code);
    const what = WHAT[f.code];
    if (!who || !what) continue;
    byWho.set(who, (byWho.get(who) ?? new Set()).add(what));
  }
  const parts = [...byWho].map(([who, whats]) => `${who} for ${[...whats].join(' and ')}`);
  return parts.length ? `Ask ${parts.join('; ask ')}.` : undefined;
}

/** "no eval case covers it (3 places), no system prompt is tuned for it (2 places)". */
function intentFacts(list: readonly Located[]): string {
  const perCode = new Map<string, number>();
  for (const { finding: f } of list) perCode.set(f.code, (perCode.get(f.code) ?? 0) + 1);
  const known = INTENT_FACTS.filter(([code]) => perCode.has(code)).map(([code, fact]) => `${fact} (${plural(perCode.get(code)!, 'place')})`);
  const other = [...perCode.keys()].filter((code) => !INTENT_FACTS.some(([c]) => c === code)).sort().map((code) => `${code} (${plural(perCode.get(code)!, 'place')})`);
  return [...known, ...other].join(', ');
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

const RULE_TEXT: Readonly<Partial<Record<string, string>>> = {
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
  'symbol-not-found': 'A symbol, tool or region the manifest names is not found in its file.',
  'unknown-artifact': 'An eval set names an artifact the manifest does not have.',
  'untagged-cases': 'Some eval cases carry no intent, so they cover none.',
  'eval-in-code': 'An eval config or case generator is code, which Counterpart never runs.',
  'file-skipped': 'A file was too large, binary, or a link out of the folder, so it was skipped.',
  'eval-syntax': 'An eval file could not be read.',
  'ledger-syntax': 'The review ledger could not be read.',
  'pointer-not-found': 'A JSON pointer names nothing in its file.',
};

/**
 * SARIF 2.1.0 as GitHub code scanning and reviewdog read it; columns are
 * 1-based UTF-16. Each item's `path` is relative to `srcRoot` (the repository's
 * top folder), which the log names as `%SRCROOT%`.
 */
export function formatSarif(items: readonly Located[], version: string, srcRoot: string): string {
  const rules = FINDING_CODES.map((id) => ({
    id,
    name: id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: RULE_TEXT[id] ?? `Counterpart finding '${id}'.` },
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
          artifactLocation: { uri: relativeUri(p), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.range.start.line + 1, startColumn, endLine: f.range.end.line + 1, endColumn },
        },
      }],
    };
  });
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'Counterpart', version, informationUri: 'https://github.com/counterpart-dev/counterpart', rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: folderUri(srcRoot), description: { text: 'The top folder of the repository (or of the checked folder, outside git).' } } },
      results,
    }],
  }, null, 2) + '\n';
}

/** A relative path as a URI reference: `?`, `#` and a `:` that could pass for a scheme are escaped too. */
export function relativeUri(p: string): string {
  return encodeURI(p).replace(/[?#:]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `file:///…/` for a folder: always with the trailing slash SARIF needs for a base. */
export function folderUri(folder: string): string {
  const href = pathToFileURL(folder).href;
  return href.endsWith('/') ? href : `${href}/`;
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
