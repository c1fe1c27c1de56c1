/**
 * `npm run bench`: generates a synthetic workspace and measures, in one
 * process, the cold index + findings time against the floor (only reading and
 * parsing the same files), their ratio, the time to answer "who owns this file
 * and what covers it" for every file, and peak memory.
 *
 * `npm run bench -- --code-first` measures the same for a code-first
 * workspace instead: prompts and tools inside TS/Python/Go/Ruby files, each
 * artifact located by `symbol`, `tool` or `region`. Its floor also parses
 * each code file once with the same tree-sitter parsers; the grammars are
 * loaded once before any timing (as the server does once per process) and
 * that load is reported on its own line.
 *
 * Targets are figures, not tests: a miss prints ✗ and exits 0, unless
 * `--check` is given (then a missed ratio exits 1).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Parser } from '@vscode/tree-sitter-wasm';
import { parseTree, type ParseError } from 'jsonc-parser';
import { defaultEvalFormat } from '../../server/src/core/evals/parse';
import { artifactFacts, intentStatus } from '../../server/src/core/explain';
import type { Finding } from '../../server/src/core/findings';
import { IndexUpdater } from '../../server/src/core/index/incremental';
import { buildIndex, IndexCache, type WorkspaceIndex } from '../../server/src/core/index/workspaceIndex';
import { codeLanguageOf, LANGUAGE_NAMES, sharedGrammars, withTree, type CodeLanguage } from '../../server/src/core/locate/code/grammars';
import { FindingsEngine } from '../../server/src/core/rules/engine';
import { computeFindings } from '../../server/src/core/rules/rules';
import { Parser as YamlParser } from 'yaml';
import { prefetchEvals } from '../../server/src/node/prefetch';
import { NodeHost, toPosix } from '../../server/src/node/nodeHost';
import { OverlayHost } from '../../server/src/workspace/overlayHost';
import { BENCH_MARKER_FILE, generateWorkspace, type GeneratedWorkspace } from './generate';
import { measureOwnership, type OwnershipFigures } from './ownership';
import { measureServer, type Percentiles, type ServerFigures } from './server';
import { CALENDAR_SECOND_RUN_TARGET_MS, measureCalendar, measureReport, REPORT_BUILD_TARGET_MS, REPORT_RENDER_TARGET_MS, REPORT_SIZE_TARGET } from './reportBench';
import { generateCodeFirstWorkspace, type CodeFirstWorkspace } from './generateCodeFirst';

const TARGET_RATIO = 1.2;
const CODE_FIRST_TARGET_RATIO = 1.3;
const USAGE = [
  'usage: node --expose-gc out/test/bench/bench.js [--artifacts N] [--eval-cases N] [--ui-files N] [--runs N] [--seed N] [--edits N] [--quick] [--dir PATH] [--keep] [--check]',
  '       node --expose-gc out/test/bench/bench.js --code-first [--code-files N] [--eval-cases N] [--runs N] [--seed N] [--dir PATH] [--keep] [--check]',
  '',
  '  --edits N        keystrokes sent to the language server over stdio (default 1000)',
  '  --quick          skip the language server, ownership, growth, report and calendar sections',
  '  --code-first     measure a code-first workspace instead: prompts and tools inside code files, located by',
  '                   symbol/tool/region (~60% TS routes, ~30% Python agents, ~10% Go/Ruby regions)',
  '  --code-files N   code files in it (default 1000); there --eval-cases defaults to 400 and --runs to 5',
].join('\n');

interface BenchOptions {
  readonly artifacts: number;
  readonly evalCases: number;
  readonly uiFiles: number;
  readonly codeFirst: boolean;
  readonly codeFiles: number;
  readonly runs: number;
  readonly seed: number;
  readonly dir?: string;
  readonly keep: boolean;
  readonly check: boolean;
  readonly edits: number;
  readonly quick: boolean;
}

class UsageError extends Error {}

function parseOptions(argv: string[]): BenchOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        artifacts: { type: 'string' },
        'eval-cases': { type: 'string' },
        'ui-files': { type: 'string' },
        'code-first': { type: 'boolean' },
        'code-files': { type: 'string' },
        runs: { type: 'string' },
        seed: { type: 'string' },
        dir: { type: 'string' },
        keep: { type: 'boolean' },
        check: { type: 'boolean' },
        edits: { type: 'string' },
        quick: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const count = (name: string, fallback: number, min: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
      throw new UsageError(`--${name} should be a whole number${min > 0 ? ` of at least ${min}` : ''}, not '${String(raw)}'.`);
    }
    return Number(raw);
  };
  const codeFirst = values['code-first'] === true;
  if (codeFirst) {
    for (const name of ['artifacts', 'ui-files']) {
      if (values[name] !== undefined) throw new UsageError(`--${name} is not used with --code-first (its artifacts come from --code-files).`);
    }
  } else if (values['code-files'] !== undefined) {
    throw new UsageError('--code-files is used only with --code-first.');
  }
  return {
    artifacts: count('artifacts', 2000, 1),
    evalCases: count('eval-cases', codeFirst ? 400 : 50000, 0),
    uiFiles: count('ui-files', 10000, 0),
    codeFirst,
    codeFiles: count('code-files', 1000, 1),
    runs: count('runs', codeFirst ? 5 : 3, 1),
    seed: count('seed', 1, 0),
    dir: typeof values.dir === 'string' ? values.dir : undefined,
    keep: values.keep === true,
    check: values.check === true,
    edits: count('edits', 1000, 1),
    quick: values.quick === true,
  };
}

// ---- measuring ------------------------------------------------------------------

const MiB = 1024 * 1024;
let peakRss = 0;

function sampleMemory(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

function collect(): void {
  globalThis.gc?.();
  globalThis.gc?.();
  sampleMemory();
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function cold(root: string): { index: WorkspaceIndex; findings: Finding[]; ms: number } {
  const t0 = performance.now();
  const index = buildIndex(root, new NodeHost(), {}, new IndexCache());
  if (!index) throw new Error(`No counterpart.yaml in ${root}.`);
  if (index.pendingGrammars.size) throw new Error(`The ${[...index.pendingGrammars].join(', ')} grammar was not loaded before timing.`);
  const findings = computeFindings(index);
  const ms = performance.now() - t0;
  sampleMemory();
  return { index, findings, ms };
}

/**
 * What the language server does after a keystroke in one file: bring the
 * index up to date (patched in place for a UI file, else rebuilt with the
 * warm cache) and recompute the findings whose inputs changed. Median of
 * `edits` edits to different files of `candidates`, each changed by `change`.
 */
function edit(root: string, candidates: readonly string[], edits: number, change: (text: string, i: number) => string): number {
  const host = new OverlayHost(true);
  const updater = new IndexUpdater(root, {}, new IndexCache());
  const engine = new FindingsEngine();
  engine.update(updater.update(host).index); // the server's first build
  const times: number[] = [];
  for (let i = 0; i < edits && i < candidates.length; i++) {
    const rel = candidates[(i * 7919) % candidates.length];
    const abs = `${root}/${rel}`;
    host.setOpen(abs, change(fs.readFileSync(abs, 'utf8'), i));
    const t0 = performance.now();
    const { index, patched } = updater.update(host, new Set([rel]));
    if (index?.pendingGrammars.size) throw new Error('A grammar was not loaded before the edit.');
    engine.update(index, {}, patched);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** A keystroke in a UI file: one more button with a marker. */
const editUi = (text: string, i: number): string => `${text}\n<button data-intent="seat-upgrade-${i}">x</button>\n`;

/** A keystroke in an eval file: a case's description retyped, so its label changes. */
const editEval = (text: string, i: number): string => {
  const at = text.indexOf('description: ');
  return at < 0 ? `${text}\n# edit ${i}\n` : `${text.slice(0, at)}description: Edit ${i} ${text.slice(at + 'description: '.length)}`;
};

/** A keystroke in a code file's prompt: a few words typed at its start, so its located text and hash change. */
const editPrompt = (text: string, i: number): string => {
  const at = text.indexOf('You are ');
  if (at < 0) throw new Error('The edited file has no prompt.');
  return `${text.slice(0, at)}Edit ${i}: ${text.slice(at)}`;
};

/**
 * What the language server's heap holds after indexing, by structure: each
 * part is let go in turn and the heap measured after a full collection, so
 * a figure is what that part alone keeps alive. Built as the server builds
 * (its host tells revisions, so no file's text is held).
 */
function heapByStructure(root: string): string[] {
  if (!globalThis.gc) return [row('heap by structure', '—', 'run with node --expose-gc to measure it')];
  const live = (): number => {
    collect();
    return process.memoryUsage().heapUsed;
  };
  const base = live();
  let cache: IndexCache | undefined = new IndexCache();
  let updater: IndexUpdater | undefined = new IndexUpdater(root, {}, cache);
  let engine: FindingsEngine | undefined = new FindingsEngine();
  let index: WorkspaceIndex | undefined = updater.update(new OverlayHost(true)).index;
  engine.update(index);
  const parts: string[] = [];
  let last = live() - base;
  const total = last;
  const drop = (name: string, letGo: () => void): void => {
    letGo();
    const now = live() - base;
    parts.push(`${name} ${mib(Math.max(0, last - now))}`);
    last = now;
  };
  // The cache's entries by purpose (its map is private: reached here for measuring only).
  const entries = (cache as unknown as { entries: Map<string, unknown> }).entries;
  const purposeOf = (key: string): string => key.slice(0, key.indexOf('\u0000')).split(':')[0];
  const purposes = new Map<string, number>();
  for (const key of entries.keys()) purposes.set(purposeOf(key), (purposes.get(purposeOf(key)) ?? 0) + 1);
  for (const [purpose] of [...purposes].sort((a, b) => b[1] - a[1])) {
    drop(`cache '${purpose}'`, () => {
      for (const key of [...entries.keys()]) if (purposeOf(key) === purpose) entries.delete(key);
    });
  }
  drop('findings', () => { engine = undefined; updater = undefined; cache = undefined; });
  const ix = index as unknown as Record<string, unknown>;
  for (const name of ['fileEvalIntents', 'fileEvalCases', 'intentEvalCases', 'evalCases', 'fileMarkers', 'intentMarkers', 'markers', 'copy', 'fileCopy', 'intentCopy', 'contents', 'problems']) {
    drop(`index ${name}`, () => {
      const part = ix[name];
      if (part instanceof Map || part instanceof Set) part.clear();
      else if (Array.isArray(part)) part.length = 0;
    });
  }
  drop('index, the rest', () => { index = undefined; });
  const shown = parts.filter((p) => !/ 0 MiB$/.test(p));
  // What the build left behind elsewhere (interned strings, module caches) counts too: measured from what was let go.
  return [row('heap by structure', `${mib(total - last)} live`, `after indexing, as the server holds it: ${shown.join(', ')}`)];
}

type Parse = 'yaml' | 'json' | 'jsonl' | 'text' | 'code';

interface FloorEntry {
  readonly abs: string;
  readonly parse: Parse;
  /** For code: the tree-sitter parser the index parses it with. */
  readonly parser?: Parser;
  readonly language?: CodeLanguage;
}

/** What the index reads and with which parser, decided before any timing (code grammars must be loaded). */
function floorPlan(index: WorkspaceIndex): FloorEntry[] {
  const plan: FloorEntry[] = [];
  for (const file of index.watched) {
    const abs = path.join(index.root, file);
    if (!fs.existsSync(abs)) continue;
    let parse: Parse = 'text';
    const artifacts = index.artifactsOf(file);
    const evalSet = artifacts.find((a) => a.kind === 'eval-set');
    const language = codeLanguageOf(file);
    const dataFile = /\.(json|jsonc|ya?ml)$/i.test(file);
    if (file === index.manifestFile) parse = 'yaml';
    else if (file === index.ledgerFile) parse = 'json';
    else if (evalSet) {
      const format = evalSet.format ?? defaultEvalFormat(file);
      parse = format === 'jsonl' ? 'jsonl' : format === 'json' || file.endsWith('.json') ? 'json' : 'yaml';
    } else if (language && artifacts.some((a) => a.locator?.kind === 'symbol' || a.locator?.kind === 'tool' || (a.kind === 'tool-description' && !a.locator))) {
      // Parsed once per build whatever number of artifacts it holds (the outline is cached per file).
      parse = 'code';
    } else if (artifacts.some((a) => a.locator?.kind === 'pointer' || (a.locator?.kind === 'tool' && dataFile))) {
      parse = /\.ya?ml$/i.test(file) ? 'yaml' : 'json';
    }
    if (parse === 'code') {
      const grammar = sharedGrammars().parser(language!);
      if (!('parser' in grammar)) throw new Error(`The ${LANGUAGE_NAMES[language!]} grammar is not loaded.`);
      plan.push({ abs, parse, parser: grammar.parser, language });
    } else {
      plan.push({ abs, parse });
    }
  }
  return plan;
}

/** The floor: read each file and parse it with the index's parser, nothing else. */
function floor(plan: readonly FloorEntry[]): { ms: number; parseMs: number; sink: number } {
  let sink = 0;
  let parseMs = 0;
  const t0 = performance.now();
  for (const { abs, parse, parser } of plan) {
    const text = fs.readFileSync(abs, 'utf8');
    switch (parse) {
      case 'code': {
        const p0 = performance.now();
        const read = withTree(parser!, text, () => 1);
        sink += typeof read === 'number' ? read : 0;
        parseMs += performance.now() - p0;
        break;
      }
      case 'yaml': {
        // The fastest correct read of YAML: the parser's syntax tree, nothing composed.
        for (const token of new YamlParser().parse(text)) sink += token.offset;
        break;
      }
      case 'json': {
        const errors: ParseError[] = [];
        sink += parseTree(text, errors, { allowTrailingComma: true })?.length ?? 0;
        break;
      }
      case 'jsonl':
        for (const line of text.split(/\r\n|\r|\n/)) {
          if (line.trim()) sink += JSON.parse(line) ? 1 : 0;
        }
        break;
      case 'text':
        sink += text.length;
        break;
    }
  }
  const ms = performance.now() - t0;
  sampleMemory();
  return { ms, parseMs, sink };
}

/** "Who owns this file and what covers it", for every file in the folder. */
function lookup(index: WorkspaceIndex, files: readonly string[]): { ms: number; sink: number } {
  let sink = 0;
  const t0 = performance.now();
  for (const file of files) {
    for (const artifact of index.artifactsOf(file)) {
      const owner = index.owner(artifact.owner.value);
      const counterpart = index.counterpartOf(artifact);
      sink += artifactFacts(index, artifact).evalCases.length + (owner ? 1 : 0) + (counterpart ? 1 : 0);
    }
    const markers = index.fileMarkers.get(file);
    if (markers) for (const m of markers) sink += intentStatus(index, m.intent).evalCases.length;
  }
  const ms = performance.now() - t0;
  sampleMemory();
  return { ms, sink };
}

// ---- the language server, ownership, growth -------------------------------------

const ok = (met: boolean): string => (met ? '✓' : '✗');
const kb = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / MiB).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KB`);
const pct = (p: Percentiles, unit: (n: number) => string): string => `p50 ${unit(p.p50)}, p95 ${unit(p.p95)}, p99 ${unit(p.p99)}`;
const msf = (n: number): string => `${n < 10 ? n.toFixed(1) : int(n)} ms`;

function serverLines(s: ServerFigures): string[] {
  const startRatio = s.startMs / s.cliMs;
  return [
    `language server over stdio (${int(s.edits)} keystrokes in 20 open UI files; each flushed by a request, so no debounce)`,
    row('start → diagnostics', ms(s.startMs), `CLI cold check of the same folder ${int(s.cliMs)} ms (both whole processes): ${startRatio.toFixed(2)}×; goal ≤ 1.2×  ${ok(startRatio <= 1.2)}`),
    row('keystroke → diagnostics', pct(s.keystroke, msf), `max ${msf(s.keystroke.max)}; round trip, the pipe included`),
    row('  of which server work', pct(s.keystrokeServer, msf), `max ${msf(s.keystrokeServer.max)}; goal p50 ≤ 5 ms, p99 ≤ 20 ms  ${ok(s.keystrokeServer.p50 <= 5 && s.keystrokeServer.p99 <= 20)}`),
    row('published per keystroke', pct(s.bytesPerKeystroke, kb), `${pct(s.filesPerKeystroke, (n) => `${n} files`)}; goal: only files whose diagnostics changed`),
    row('hover', pct(s.hoverServer, msf), `server-side, 200 markers after a first one (${msf(s.firstHoverMs)}: the hover code compiling, once per process); round trip ${pct(s.hover, msf)}; goal p99 ≤ 2 ms server-side  ${ok(s.hoverServer.p99 <= 2)}`),
    row('lens resolve', pct(s.lensResolveServer, msf), `server-side (the code lens lists and resolves); round trip of a resolve ${pct(s.lensResolve, msf)}; largest resolved lens ${kb(s.largestLens)} (ids and counts; places fetched on click)`),
    row('server memory, idle', `${mib(s.rssSettledAfterIndex)} rss`, `after indexing, once idle 25 s (${mib(s.rssAfterIndex)} right after); after the keystrokes and lookups ${mib(s.rssSettledAfterEdits)} idle (${mib(s.rssAfterEdits)} right after); goal ≤ 150 MiB steady  ${ok(Math.max(s.rssSettledAfterIndex, s.rssSettledAfterEdits) <= 150 * MiB)}`),
    row('server memory, peak', `${mib(s.peakDuringEdits)} rss`, `while typing (sampled every 25 keystrokes); the process's high-water mark, cold build included, ${mib(s.peakRss)}; goal ≤ 250 MiB peak during edits  ${ok(s.peakDuringEdits <= 250 * MiB)}`),
  ];
}

function ownershipLines(o: OwnershipFigures): string[] {
  const libs = o.libraries.map((l) => `${l.name} ${int(l.msPer100k)} ms (${(l.msPer100k / o.ms).toFixed(0)}×; timed on ${int(l.sample)} paths)`).join(', ');
  return [row('owner of every path', ms(o.ms), `${int(o.paths)} paths against ${int(o.globs)} globs, from a listing in path order as hosts list (sorting one in another order: ${int(o.sortMs)} ms more), ${int(o.owned)} owned; goal ≤ 250 ms  ${ok(o.ms <= 250)}; ${libs}`)];
}

/** Cold index + findings at other sizes of the same workspace: the growth should be a straight line. */
function growthLines(options: BenchOptions, oneX: number): string[] {
  const scales = [0.25, 0.5, 2];
  const figures = new Map<number, number>([[1, oneX]]);
  for (const scale of scales) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpart-bench-scale-'));
    try {
      generateWorkspace(dir, { artifacts: Math.round(options.artifacts * scale), evalCases: Math.round(options.evalCases * scale), uiFiles: Math.round(options.uiFiles * scale), seed: options.seed });
      const root = toPosix(dir);
      for (const f of new NodeHost().listFiles(root)) fs.readFileSync(path.join(dir, f));
      cold(root); // JIT and page cache
      collect();
      figures.set(scale, Math.min(cold(root).ms, cold(root).ms));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const sorted = [...figures].sort((a, b) => a[0] - b[0]);
  const per = sorted.map(([scale, t]) => t / scale);
  const spread = Math.max(...per) / Math.min(...per);
  return [row('cold index at 0.25–2×', sorted.map(([scale, t]) => `${scale}× ${int(t)} ms`).join(', '), `time per 1× of size varies ${spread.toFixed(2)}× across sizes; goal: linear (≤ 1.5×)  ${ok(spread <= 1.5)}`)];
}

// ---- the workspace folder ---------------------------------------------------------

function prepareFolder(options: BenchOptions): { dir: string; remove: boolean } {
  if (!options.dir) return { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'counterpart-bench-')), remove: !options.keep };
  const dir = path.resolve(options.dir);
  if (fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir);
    if (entries.length && !entries.includes(BENCH_MARKER_FILE)) {
      throw new UsageError(`${dir} is not empty and was not written by this benchmark; pick an empty or new folder.`);
    }
    // Ours from an earlier run: start over so no file of another size lingers.
    for (const e of entries) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  return { dir, remove: false };
}

// ---- output ---------------------------------------------------------------------

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => `${int(n)} ms`.padStart(9);
const mib = (bytes: number): string => `${int(bytes / MiB)} MiB`;
const size = (bytes: number): string => (bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(1)} GB` : `${(bytes / MiB).toFixed(1)} MB`);
const row = (label: string, value: string, note = ''): string => `${label.padEnd(24)}${value}${note ? `   ${note}` : ''}`;
const list = (values: readonly number[]): string => values.map((v) => int(v)).join(', ');

function findingSummary(findings: readonly Finding[]): string {
  const byCode = new Map<string, number>();
  for (const f of findings) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
  return [...byCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${int(n)}`).join(', ');
}

// ---- main -------------------------------------------------------------------------

async function run(options: BenchOptions): Promise<number> {
  const { dir, remove } = prepareFolder(options);
  try {
    return options.codeFirst ? await measureCodeFirst(options, dir, remove) : await measure(options, dir, remove);
  } finally {
    if (remove) fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Runs {
  readonly colds: number[];
  readonly floors: number[];
  readonly floorParses: number[];
  readonly lookups: number[];
  readonly heapAfterCold: number;
  readonly sink: number;
}

/** Cold builds as the CLI and the language server make them: eval files parsed in child processes first. */
async function timeThreaded(root: string, runs: number): Promise<{ colds: number[]; processes: number; sink: number }> {
  const colds: number[] = [];
  let processes = 0;
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    collect();
    const t0 = performance.now();
    const cache = new IndexCache();
    const host = new NodeHost();
    processes = (await prefetchEvals(root, host, {}, cache)).processes;
    const index = buildIndex(root, host, {}, cache);
    if (!index) throw new Error(`No counterpart.yaml in ${root}.`);
    sink += computeFindings(index).length;
    colds.push(performance.now() - t0);
    sampleMemory();
  }
  return { colds, processes, sink };
}

/** `runs` cold builds and floors, alternating which goes first, each after a gc. */
function timeRuns(root: string, plan: readonly FloorEntry[], files: readonly string[], runs: number): Runs {
  const colds: number[] = [];
  const floors: number[] = [];
  const floorParses: number[] = [];
  const lookups: number[] = [];
  let heapAfterCold = 0;
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const doCold = (): void => {
      collect();
      const result = cold(root);
      colds.push(result.ms);
      collect();
      heapAfterCold = Math.max(heapAfterCold, process.memoryUsage().heapUsed);
      const l = lookup(result.index, files);
      lookups.push(l.ms);
      sink += l.sink + result.findings.length;
    };
    const doFloor = (): void => {
      collect();
      const f = floor(plan);
      floors.push(f.ms);
      floorParses.push(f.parseMs);
      sink += f.sink;
    };
    // Alternate the order, so neither side always runs right after the other.
    if (r % 2 === 0) {
      doCold();
      doFloor();
    } else {
      doFloor();
      doCold();
    }
  }
  collect();
  return { colds, floors, floorParses, lookups, heapAfterCold, sink };
}

async function measure(options: BenchOptions, dir: string, removing: boolean): Promise<number> {
  const root = toPosix(dir);
  const genStart = performance.now();
  const ws: GeneratedWorkspace = generateWorkspace(dir, options);
  const genMs = performance.now() - genStart;
  const files = new NodeHost().listFiles(root);
  if (!globalThis.gc) console.error('note: run with node --expose-gc for steadier figures (no gc between phases now).');

  // One untimed read of every file, so cold and floor both meet a warm page cache.
  for (const f of files) fs.readFileSync(path.join(dir, f));
  collect();

  // First build: JIT-cold, kept out of the medians; it also tells the floor what to read.
  const warm = ((): { plan: FloorEntry[]; firstMs: number; findings: number; summary: string; evalCases: number; markers: number; copy: number; prompts: string[]; evalFiles: string[]; copyFiles: string[] } => {
    const first = cold(root);
    lookup(first.index, files); // warm the lookup path too
    return {
      plan: floorPlan(first.index),
      firstMs: first.ms,
      findings: first.findings.length,
      summary: findingSummary(first.findings),
      evalCases: first.index.evalCases.length,
      markers: first.index.markers.length,
      copy: first.index.copy.length,
      // Prompt files only their prompt reads: what a platform engineer types into.
      prompts: [...first.index.contents.values()]
        .filter((c) => c.artifact.kind === 'system-prompt' && c.files.length === 1 && (first.index.matchedBy.get(c.files[0])?.length ?? 0) === 1 && !first.index.fileSurfaces.has(c.files[0]))
        .map((c) => c.files[0]),
      // YAML eval files one set reads: what a platform engineer adds cases to.
      evalFiles: [...first.index.contents.values()]
        .filter((c) => c.artifact.kind === 'eval-set')
        .flatMap((c) => c.files.filter((f) => f.endsWith('.yaml') && (first.index.matchedBy.get(f)?.length ?? 0) === 1)),
      // Help pages one help-copy artifact reads: what a product manager writes.
      copyFiles: [...first.index.contents.values()]
        .filter((c) => c.artifact.kind === 'help-copy')
        .flatMap((c) => c.files.filter((f) => (first.index.matchedBy.get(f)?.length ?? 0) === 1 && !first.index.fileSurfaces.has(f))),
    };
  })();
  const { plan } = warm;
  const readBytes = plan.reduce((n, p) => n + fs.statSync(p.abs).size, 0);
  collect();
  floor(plan); // warm the parsers
  collect();

  const { colds, floors, lookups, heapAfterCold, sink } = timeRuns(root, plan, files, options.runs);
  const threaded = await timeThreaded(root, options.runs);

  collect();
  const ui = files.filter((f) => f.endsWith('.tsx'));
  const editMs = edit(root, ui, 50, editUi);
  const promptEditMs = edit(root, warm.prompts, 50, (text, i) => `${text}\nAlways answer in English (${i}).\n`);
  const evalEditMs = edit(root, warm.evalFiles, 50, editEval);
  const copyEditMs = edit(root, warm.copyFiles, 50, (text, i) => `${text}\nYou can always ask us about it (${i}).\n`);
  const oneThreadMs = median(colds);
  const coldMs = median(threaded.colds);
  const floorMs = median(floors);
  const lookupMs = median(lookups);
  const ratio = coldMs / floorMs;
  const ok = ratio <= TARGET_RATIO;
  const maxRss = process.resourceUsage().maxRSS * 1024; // kilobytes on every platform Node supports
  const of = options.runs > 1 ? `(median of ${options.runs}: ${list(colds)})` : '(1 run)';

  const lines = [
    `Counterpart benchmark — ${int(options.artifacts)} artifacts, ${int(options.evalCases)} eval cases, ${int(options.uiFiles)} UI files (${int(files.length)} files, ${size(ws.bytes)})`,
    row('workspace', `generated in ${(genMs / 1000).toFixed(1)} s`, `${dir}${removing ? ' (removed at the end)' : ''}`),
    row('index read', `${int(plan.length)} files, ${size(readBytes)}`, `${int(ws.evalFiles)} eval files, ${int(ws.globArtifacts)} glob artifacts`),
    row('cold index + findings', ms(coldMs), `as the CLI and the server build: eval files parsed in ${threaded.processes} child process${threaded.processes === 1 ? '' : 'es'} first (median of ${threaded.colds.length}: ${list(threaded.colds)})`),
    row('  in one thread', ms(oneThreadMs), `${of}; first, JIT-cold build ${int(warm.firstMs)} ms; ${(oneThreadMs / floorMs).toFixed(2)}× the floor`),
    row('floor (read + parse)', ms(floorMs), `one thread reads every file and parses it the fastest correct way: YAML to its syntax tree, JSON, code with tree-sitter ${options.runs > 1 ? `(median of ${options.runs}: ${list(floors)})` : '(1 run)'}`),
    row('ratio', `${ratio.toFixed(2)}`.padStart(9), `target ≤ ${TARGET_RATIO}  ${ok ? '✓' : '✗'} (${os.availableParallelism?.() ?? os.cpus().length} cores)`),
    row('edit one UI file', msf(editMs).padStart(9), `(index patched + findings of what it touched, in process, as the language server does; median of 50)`),
    row('edit one prompt file', msf(promptEditMs).padStart(9), `(the prompt read again in place + its review findings, in process; median of 50 of ${int(warm.prompts.length)} prompt files)`),
    row('edit one help page', msf(copyEditMs).padStart(9), `(a sentence typed: its help copy read again in place + the findings of the intents it names, in process; median of 50 of ${int(warm.copyFiles.length)} help pages)`),
    row('edit one eval file', msf(evalEditMs).padStart(9), `(a case's description retyped: its set read again in place + the findings of the intents it holds, in process; median of 50 of ${int(warm.evalFiles.length)} YAML eval files)`),
    row('lookup, every file', ms(lookupMs), `(${(lookupMs * 1000 / Math.max(1, files.length)).toFixed(1)} µs per file, ${int(files.length)} files)`),
    row('findings', int(warm.findings).padStart(9), `(${warm.summary})`),
    row('index holds', `${int(warm.evalCases)} eval cases, ${int(warm.markers)} markers, ${int(warm.copy)} copy mentions`,
      `${int(ws.intents)} intents (${int(ws.uncoveredIntents)} uncovered, ${int(ws.unhandledIntents)} unhandled), ${int(ws.reviewed)} reviewed (${int(ws.stale)} stale)`),
    row('peak memory', `${mib(Math.max(peakRss, maxRss))} rss`.padStart(9), `(max sampled rss ${mib(peakRss)}, maxRSS ${mib(maxRss)}; heap after cold build ${mib(heapAfterCold)})`),
  ];
  console.log(lines.join('\n'));
  console.log(heapByStructure(root).join('\n'));
  if (!options.quick) {
    console.log(serverLines(await measureServer(root, ui, options.edits)).join('\n'));
    console.log(ownershipLines(await measureOwnership(options.seed)).join('\n'));
    console.log(growthLines(options, coldMs).join('\n'));
  }
  if (warm.evalCases !== ws.evalCases || warm.markers !== ws.markers) {
    console.log(`warning: generated ${int(ws.evalCases)} eval cases and ${int(ws.markers)} markers but the index found ${int(warm.evalCases)} and ${int(warm.markers)}.`);
  }
  if (sink + threaded.sink === -1) console.log(''); // keeps the measured work observable
  if (!options.quick) await printReportFigures(root, options.runs);
  return options.check && !ok ? 1 : 0;
}

/** The boundary report at this scale, and the release calendar on 1,000 commits: figures beside their goals. */
async function printReportFigures(root: string, runs: number): Promise<void> {
  collect();
  const built = cold(root);
  const r = await measureReport(built.index, built.findings, runs);
  const c = await measureCalendar(1000);
  const mark = (good: boolean): string => (good ? '✓' : '✗');
  console.log([
    row('report model', ms(r.buildMs), `${int(r.intents)} intents × ${int(r.artifacts)} artifacts; goal with the HTML < ${int(REPORT_BUILD_TARGET_MS)} ms  ${mark(r.buildMs + r.htmlMs < REPORT_BUILD_TARGET_MS)}`),
    row('report HTML', ms(r.htmlMs), `${size(r.bytes)}; goal < ${size(REPORT_SIZE_TARGET)}  ${mark(r.bytes < REPORT_SIZE_TARGET)}`),
    r.renderMs === undefined
      ? row('report in Chromium', '      n/a', r.renderNote)
      : row('report in Chromium', ms(r.renderMs), `load to first frame after it, ${r.renderNote}; goal < ${int(REPORT_RENDER_TARGET_MS)} ms  ${mark(r.renderMs < REPORT_RENDER_TARGET_MS)}`),
    c.note
      ? row('calendar', '      n/a', c.note)
      : row('calendar, second run', ms(c.secondMs), `${int(c.commits)} commits, ${int(c.events)} events; first run ${int(c.firstMs)} ms (reads the blobs); goal < ${int(CALENDAR_SECOND_RUN_TARGET_MS)} ms  ${mark(c.secondMs < CALENDAR_SECOND_RUN_TARGET_MS)}`),
  ].join('\n'));
}

/**
 * The code-first workspace. As the language server does: a first build finds
 * which grammars the manifest needs, they are loaded (once per process, timed
 * on its own), then every timed build parses with them loaded.
 */
async function measureCodeFirst(options: BenchOptions, dir: string, removing: boolean): Promise<number> {
  const root = toPosix(dir);
  const genStart = performance.now();
  const ws: CodeFirstWorkspace = generateCodeFirstWorkspace(dir, { codeFiles: options.codeFiles, evalCases: options.evalCases, seed: options.seed });
  const genMs = performance.now() - genStart;
  const files = new NodeHost().listFiles(root);
  if (!globalThis.gc) console.error('note: run with node --expose-gc for steadier figures (no gc between phases now).');

  for (const f of files) fs.readFileSync(path.join(dir, f));
  collect();

  // The server's first build: no grammar loaded yet, so it says which it needs.
  const b0 = performance.now();
  const pending = [...(buildIndex(root, new NodeHost(), {}, new IndexCache())?.pendingGrammars ?? [])].sort();
  const beforeLoadMs = performance.now() - b0;
  const l0 = performance.now();
  await sharedGrammars().load(pending);
  const loadMs = performance.now() - l0;
  for (const language of pending) {
    const grammar = sharedGrammars().parser(language);
    if (!('parser' in grammar)) throw new Error(`The ${LANGUAGE_NAMES[language]} grammar did not load: ${'problem' in grammar ? grammar.problem : 'still pending'}.`);
  }
  collect();

  // First build with the grammars: JIT-cold, kept out of the medians; it also tells the floor what to read.
  const first = cold(root);
  lookup(first.index, files);
  const plan = floorPlan(first.index);
  const codeParsed = plan.filter((p) => p.parse === 'code');
  const byLanguage = new Map<string, number>();
  for (const p of codeParsed) byLanguage.set(LANGUAGE_NAMES[p.language!], (byLanguage.get(LANGUAGE_NAMES[p.language!]) ?? 0) + 1);
  const locators = { symbol: 0, tool: 0, region: 0 };
  let located = 0;
  for (const content of first.index.contents.values()) {
    const kind = content.artifact.locator?.kind;
    if (kind === 'symbol' || kind === 'tool' || kind === 'region') {
      locators[kind]++;
      if (content.located.length) located++;
    }
  }
  const counts = new Map<string, number>();
  for (const f of first.findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  const summary = findingSummary(first.findings);
  const evalCases = first.index.evalCases.length;
  const firstMs = first.ms;
  const readBytes = plan.reduce((n, p) => n + fs.statSync(p.abs).size, 0);
  collect();
  floor(plan); // warm the parsers
  collect();

  const { colds, floors, floorParses, lookups, heapAfterCold, sink } = timeRuns(root, plan, files, options.runs);

  collect();
  const editMs = edit(root, ws.editable, 5, editPrompt);
  const coldMs = median(colds);
  const floorMs = median(floors);
  const parseMs = median(floorParses);
  const lookupMs = median(lookups);
  const ratio = coldMs / floorMs;
  const ok = ratio <= CODE_FIRST_TARGET_RATIO;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const of = (values: readonly number[]): string => (options.runs > 1 ? `(median of ${options.runs}: ${list(values)})` : '(1 run)');
  const languages = [...byLanguage].map(([l, n]) => `${int(n)} ${l}`).join(', ');

  const lines = [
    `Counterpart benchmark, code-first — ${int(options.codeFiles)} code files (${int(ws.tsFiles)} TS routes, ${int(ws.pyFiles)} Python agents, ${int(ws.regionFiles)} Go/Ruby region files), ${int(ws.artifacts)} located artifacts, ${int(options.evalCases)} eval cases (${int(files.length)} files, ${size(ws.bytes)})`,
    row('workspace', `generated in ${(genMs / 1000).toFixed(1)} s`, `${dir}${removing ? ' (removed at the end)' : ''}`),
    row('index read', `${int(plan.length)} files, ${size(readBytes)}`, `${int(codeParsed.length)} parsed with tree-sitter (${languages}); artifacts by symbol ${int(locators.symbol)}, tool ${int(locators.tool)}, region ${int(locators.region)}`),
    row('grammar load', ms(loadMs), `(${pending.map((l) => LANGUAGE_NAMES[l]).join(', ') || 'none'}; once per process, before the timed builds; the build that asked for them took ${int(beforeLoadMs)} ms)`),
    row('cold index + findings', ms(coldMs), `${of(colds)}; first, JIT-cold build ${int(firstMs)} ms`),
    row('floor (read + parse)', ms(floorMs), `${of(floors)}; of which tree-sitter parse ${int(parseMs)} ms`),
    row('ratio', `${ratio.toFixed(2)}`.padStart(9), `target ≤ ${CODE_FIRST_TARGET_RATIO}  ${ok ? '✓' : '✗'}`),
    row('edit one code file', msf(editMs).padStart(9), `(words typed into a prompt; its artifacts read again in place + findings of what changed, as the language server does; median of 5)`),
    row('lookup, every file', ms(lookupMs), `(${(lookupMs * 1000 / Math.max(1, files.length)).toFixed(1)} µs per file, ${int(files.length)} files)`),
    row('findings', int(first.findings.length).padStart(9), `(${summary})`),
    row('index holds', `${int(located)} of ${int(ws.artifacts)} located, ${int(evalCases)} eval cases`,
      `${int(ws.intents)} intents (${int(ws.uncoveredIntents)} uncovered), ${int(ws.reviewed)} reviewed (${int(ws.stale)} stale), ${int(ws.notFound)} renamed in code`),
    row('peak memory', `${mib(Math.max(peakRss, maxRss))} rss`.padStart(9), `(max sampled rss ${mib(peakRss)}, maxRSS ${mib(maxRss)}; heap after cold build ${mib(heapAfterCold)})`),
  ];
  console.log(lines.join('\n'));
  // The generator knows what each locator should find and which reviews are in step: say when the index disagrees.
  const expected: [string, number, number][] = [
    ['located artifacts', ws.artifacts - ws.notFound, located],
    ['eval cases', ws.evalCases, evalCases],
    ['symbol-not-found', ws.notFound, counts.get('symbol-not-found') ?? 0],
    ['changed-since-review', ws.stale, counts.get('changed-since-review') ?? 0],
    // Every located artifact without a review, and the eval set (never reviewed).
    ['never-reviewed', ws.artifacts - ws.notFound - ws.reviewed + 1, counts.get('never-reviewed') ?? 0],
  ];
  for (const [what, want, got] of expected) {
    if (want !== got) console.log(`warning: expected ${int(want)} ${what} but the index has ${int(got)}.`);
  }
  if (sink === -1) console.log('');
  return options.check && !ok ? 1 : 0;
}

async function main(): Promise<void> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
    if (options === 'help') {
      console.log(USAGE);
      return;
    }
    process.exitCode = await run(options);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    process.exitCode = 2;
  }
}

void main();
