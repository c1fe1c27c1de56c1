#!/usr/bin/env node
// npm run fuzz -- [--count N] [--seed S] [--only SEED,…] [--mutator NAME] [--jobs J]
//                  [--timeout MS] [--slow MS] [--fail-slow] [--out DIR] [--json FILE] [--quiet]
//
// Runs the built CLI (dist/cli.js, copied when the run starts) on generated
// hostile workspaces (scripts/fuzz/generate.mjs), one child process per case,
// J at a time (default: one per core), each killed after --timeout ms (5000).
// Case i of a run is case seed mixSeed(S, i); --only <case seed> regenerates
// exactly that case. A case fails on: a crash (signal, exit code not 0/1/2),
// a timeout (the first --rerun of them run again alone), "something went wrong
// inside Counterpart", a stack trace, over 4 KB on stderr, an exit 2 that is
// not one 'counterpart: …' line or that rejects a manifest present as a file
// (a rejection must be a finding), JSON/SARIF that does not parse, a finding
// without a file and a 1-based range or outside the folder, a message over
// 2,000 characters (a huge input echoed), reading or writing the files just
// outside the folder. Reported but not failing: slow cases (over --slow ms,
// 2000, when run alone; failing with --fail-slow) and outputs over 16 MB.
// Failing cases are kept under --out/failures/<seed>/ (ws/, case.json,
// repro.sh). Exit code 1 when any case failed, 2 on bad options.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, statSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, symlinkSync, cpSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCase, MANIFEST, MUTATOR_NAMES } from './fuzz/generate.mjs';
import { mixSeed } from './fuzz/random.mjs';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const BUILT = join(REPO, 'dist/cli.js');
const STDERR_LIMIT = 4096;
const MESSAGE_LIMIT = 2000;
const KEEP_OUTPUT = 64 << 20;
const HUGE_OUTPUT = 16 << 20;
/** Reported, but not failures: a busy machine makes cases slow, and a huge output may be what was asked for. */
const NOTES = new Set(['slow', 'huge-output']);

const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    jobs: { type: 'string' },
    timeout: { type: 'string', default: '5000' },
    slow: { type: 'string', default: '2000' },
    out: { type: 'string', default: join(REPO, 'out/fuzz') },
    mutator: { type: 'string' },
    'fail-slow': { type: 'boolean', default: false },
    'max-saved': { type: 'string', default: '200' },
    tmp: { type: 'string' },
    json: { type: 'string' },
    'node-flags': { type: 'string', default: '' },
    rerun: { type: 'string', default: '20' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  console.log(text.slice(1, text.findIndex((l) => l.startsWith('import'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
if (!existsSync(BUILT)) {
  console.error(`fuzz: ${BUILT} is missing; run 'npm run build' first.`);
  process.exit(2);
}
if (opts.mutator && !MUTATOR_NAMES.includes(opts.mutator)) {
  console.error(`fuzz: --mutator must be one of ${MUTATOR_NAMES.join(', ')}.`);
  process.exit(2);
}

for (const name of ['count', 'seed', 'timeout', 'slow', 'rerun', 'max-saved', ...(opts.jobs ? ['jobs'] : [])]) {
  if (!/^\d+$/.test(opts[name])) {
    console.error(`fuzz: --${name} needs a whole number, not '${opts[name]}'.`);
    process.exit(2);
  }
}
const count = Number(opts.count);
const runSeed = Number(opts.seed) >>> 0;
const jobs = Number(opts.jobs ?? availableParallelism());
const timeoutMs = Number(opts.timeout);
const slowMs = Number(opts.slow);
const seeds = opts.only ? opts.only.split(',').map((s) => Number(s) >>> 0) : Array.from({ length: count }, (_, i) => mixSeed(runSeed, i));
const failDir = resolve(opts.out, 'failures');
if (!opts.only) rmSync(failDir, { recursive: true, force: true });
const nodeFlags = opts['node-flags'].split(/\s+/).filter(Boolean);
// Thousands of small folders are written and removed: in memory when the system offers it.
const scratch = opts.tmp ?? (isWritableDir('/dev/shm') ? '/dev/shm' : tmpdir());
const work = mkdtempSync(join(scratch, 'counterpart-fuzz-'));
// The CLI as built when the run starts (with its parsers beside it), so a rebuild during the run changes nothing.
const CLI = join(work, 'cli', 'cli.js');
mkdirSync(join(work, 'cli'));
cpSync(BUILT, CLI);
if (existsSync(join(REPO, 'dist/wasm'))) cpSync(join(REPO, 'dist/wasm'), join(work, 'cli', 'wasm'), { recursive: true });
const log = (s) => {
  if (!opts.quiet) process.stdout.write(s);
};

// ---------------------------------------------------------------------------
// Writing a case to disk

function materialize(c, dir) {
  const ws = join(dir, 'ws');
  const outside = join(dir, 'outside');
  mkdirSync(ws, { recursive: true });
  mkdirSync(outside, { recursive: true });
  for (const [name, data] of c.outside) writeFileSync(join(outside, name), data);
  symlinkSync('secret.md', join(outside, 'link.yaml'));
  const fifos = [];
  // Directories first, then files, then links (a link may point at a later file).
  const entries = [...c.ws.entries].sort(([, a], [, b]) => rank(a) - rank(b));
  for (const [rel, e] of entries) {
    const abs = join(ws, rel);
    try {
      if (e.dir) mkdirSync(abs, { recursive: true });
      else if (e.data !== undefined) {
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, e.data);
      } else if (e.link !== undefined) {
        mkdirSync(dirname(abs), { recursive: true });
        rmSync(abs, { force: true, recursive: true });
        symlinkSync(e.link, abs);
      } else if (e.fifo) {
        mkdirSync(dirname(abs), { recursive: true });
        rmSync(abs, { force: true, recursive: true });
        fifos.push(abs);
      }
    } catch {
      // A path the mutations made impossible (a file where a folder should be): leave it out.
    }
  }
  if (fifos.length) spawnSync('mkfifo', fifos);
  return { ws, outside };
}

function isWritableDir(dir) {
  try {
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** CPU seconds of this process and of the children it has reaped (Linux; 0 elsewhere). */
function cpuSeconds() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    const tick = 100;
    return { self: (Number(f[11]) + Number(f[12])) / tick, children: (Number(f[13]) + Number(f[14])) / tick };
  } catch {
    const u = process.cpuUsage();
    return { self: (u.user + u.system) / 1e6, children: 0 };
  }
}

const running = new Set();
process.on('SIGINT', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
  rmSync(work, { recursive: true, force: true });
  process.exit(130);
});

const rank = (e) => (e.dir ? 0 : e.data !== undefined ? 1 : 2);

function snapshot(dir) {
  const out = [];
  const walk = (d, prefix) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix + e.name;
      if (e.isDirectory()) walk(join(d, e.name), rel + '/');
      else if (e.isSymbolicLink()) out.push(`${rel} -> link`);
      else out.push(`${rel} ${lstatSync(join(d, e.name)).size} ${readFileSync(join(d, e.name)).toString('base64').slice(0, 200)}`);
    }
  };
  walk(dir, '');
  return out.sort().join('\n');
}

// ---------------------------------------------------------------------------
// Running one case

function run(argv, cwd) {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, CLI, ...argv], {
      cwd,
      detached: true, // its own process group, so a kill also takes any git it started
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NO_COLOR: '1', GIT_CEILING_DIRECTORIES: scratch },
    });
    running.add(child.pid);
    const out = { stdout: [], stderr: [], stdoutBytes: 0, stderrBytes: 0 };
    const take = (name) => (chunk) => {
      if (out[`${name}Bytes`] < KEEP_OUTPUT) out[name].push(chunk);
      out[`${name}Bytes`] += chunk.length;
    };
    child.stdout.on('data', take('stdout'));
    child.stderr.on('data', take('stderr'));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      done({ code: null, signal: null, spawnError: err.message, ms: performance.now() - started, timedOut, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      done({
        code,
        signal,
        timedOut,
        ms: performance.now() - started,
        stdout: Buffer.concat(out.stdout).toString('utf8'),
        stderr: Buffer.concat(out.stderr).toString('utf8'),
        stdoutBytes: out.stdoutBytes,
        stderrBytes: out.stderrBytes,
      });
    });
  });
}

// ---------------------------------------------------------------------------
// What must hold

const STACK = /^\s+at (?:async )?\S.*(?::\d+:\d+\)?|\(native\)|\(<anonymous>\)|\(node:[^)]*\))\s*$/m;
const UNCAUGHT = /^(?:Uncaught )?(?:\w*Error|TypeError|RangeError|SyntaxError|ReferenceError)(?: \[\w+\])?: |node:internal|FATAL ERROR|JavaScript heap out of memory|Segmentation fault|Aborted/m;
const INTERNAL = /something went wrong inside Counterpart/;

function judge(c, res, files) {
  const problems = [];
  const add = (kind, detail) => problems.push({ kind, detail: String(detail).replace(/\s+/g, ' ').slice(0, 300) });
  const command = c.argv[0];
  const both = res.stdout + '\n' + res.stderr;
  if (res.spawnError) add('crash', `could not start: ${res.spawnError}`);
  else if (res.timedOut) add('timeout', `killed after ${timeoutMs} ms`);
  else if (res.signal) add('crash', `killed by ${res.signal}`);
  else if (![0, 1, 2].includes(res.code)) add('crash', `exit code ${res.code}: ${firstLine(res.stderr)}`);
  if (INTERNAL.test(both)) add('internal-error', both.match(/something went wrong inside Counterpart \((.*)\)/s)?.[1] ?? firstLine(res.stderr));
  if (STACK.test(both)) add('stack-trace', both.match(UNCAUGHT)?.[0] ? errorLine(both) : both.match(STACK)[0]);
  else if (UNCAUGHT.test(res.stderr)) add('stack-trace', errorLine(res.stderr));
  if (res.stderrBytes > STDERR_LIMIT) add('stderr-too-big', `${res.stderrBytes} bytes: ${res.stderr.slice(0, 120)}`);
  const leak = /OUTSIDE-SECRET|outside-secret/i.exec(res.stdout);
  if (leak) add('read-outside', `output quotes a file outside the folder: …${res.stdout.slice(Math.max(0, leak.index - 100), leak.index + 20)}`);
  if (files.outsideBefore !== files.outsideAfter) add('write-outside', 'a file outside the folder changed');
  if (res.timedOut || res.signal) return problems;
  if (res.code === 2) {
    const lines = res.stderr.split('\n').filter(Boolean);
    if (lines.length !== 1 || !lines[0].startsWith('counterpart: ')) add('exit2-unclear', `stderr has ${lines.length} lines: ${res.stderr.slice(0, 200)}`);
    if (command === 'check' && files.manifestIsFile && !INTERNAL.test(res.stderr)) add('rejected-without-finding', firstLine(res.stderr));
  }
  if (command === 'check' && (res.code === 0 || res.code === 1)) {
    const format = c.argv[c.argv.indexOf('--format') + 1];
    if (res.stdoutBytes > HUGE_OUTPUT) add('huge-output', `${(res.stdoutBytes / 1e6).toFixed(0)} MB of ${format} on stdout`);
    if ((format === 'json' || format === 'sarif') && res.stdoutBytes <= KEEP_OUTPUT) {
      let parsed;
      try {
        parsed = JSON.parse(res.stdout);
      } catch (err) {
        add('bad-json', `${err.message}; output starts ${res.stdout.slice(0, 80)}`);
      }
      const findings = format === 'json' ? parsed?.findings : parsed?.runs?.[0]?.results;
      if (parsed && !Array.isArray(findings)) add('bad-json', 'no findings list');
      for (const f of Array.isArray(findings) ? findings : []) {
        const where = format === 'json' ? f : { file: f.locations?.[0]?.physicalLocation?.artifactLocation?.uri, line: f.locations?.[0]?.physicalLocation?.region?.startLine, column: f.locations?.[0]?.physicalLocation?.region?.startColumn, endLine: f.locations?.[0]?.physicalLocation?.region?.endLine ?? f.locations?.[0]?.physicalLocation?.region?.startLine, endColumn: f.locations?.[0]?.physicalLocation?.region?.endColumn ?? 1, message: f.message?.text, code: f.ruleId };
        const pos = (n) => Number.isInteger(n) && n >= 1;
        if (typeof where.file !== 'string' || !where.file || !pos(where.line) || !pos(where.column) || !pos(where.endLine) || !pos(where.endColumn) || where.endLine < where.line || (where.endLine === where.line && where.endColumn < where.column)) {
          add('finding-without-range', `${where.code}: ${JSON.stringify({ file: where.file, line: where.line, column: where.column, endLine: where.endLine, endColumn: where.endColumn })}`);
        } else if (format === 'json' && (where.file.startsWith('../') || where.file.startsWith('/') || /^[A-Za-z]:/.test(where.file))) {
          add('finding-outside', `${where.code} at ${where.file}`);
        }
        if (typeof where.message !== 'string' || !where.message) add('finding-without-message', where.code);
        else if (where.message.length > MESSAGE_LIMIT) add('long-message', `${where.code}: ${where.message.length} characters: ${where.message.slice(0, 100)}`);
      }
      if (format === 'json' && parsed?.summary && res.code === 1 && parsed.summary.errors === 0 && !findings?.length) add('exit1-without-finding', JSON.stringify(parsed.summary));
    }
  }
  return problems;
}

const firstLine = (s) => (s.split('\n').find((l) => l.trim()) ?? '').slice(0, 300);
const errorLine = (s) => (s.split('\n').find((l) => UNCAUGHT.test(l)) ?? firstLine(s)).slice(0, 300);

/** What makes two failures the same: the kind and the message with numbers and quotes blurred. */
function signature(p, c) {
  let d = p.detail
    .replace(/(?:\/tmp|\/dev\/shm)\/[^\s'")]+/g, '<tmp>')
    .replace(/"[^"]*"|'[^']*'/g, '"…"')
    .replace(/\d[\d,.]*/g, 'N')
    .slice(0, 110);
  // A message quoting a huge input is one defect per finding code, whatever the input.
  if (p.kind === 'long-message') d = p.detail.split(':')[0];
  if (p.kind === 'timeout' || p.kind === 'slow') d = c.mutations.map((m) => m.replace(/"[^"]*"|'[^']*'/g, '"…"').replace(/\d[\d,.]*/g, 'N').replace(/ (at|of|into|in) \S+/g, '').slice(0, 60)).join(' + ');
  return `${p.kind}: ${d}`;
}

// ---------------------------------------------------------------------------
// The pool

const results = [];
let saved = 0;
const savedPerSignature = new Map();
let next = 0;
const started = performance.now();
let lastReport = started;

async function worker() {
  while (next < seeds.length) {
    const i = next++;
    const seed = seeds[i];
    const c = generateCase(seed, opts.mutator);
    const dir = join(work, String(seed));
    const { ws, outside } = materialize(c, dir);
    const outsideBefore = snapshot(outside);
    let manifestIsFile = false;
    try {
      manifestIsFile = lstatSync(join(ws, MANIFEST)).isFile();
    } catch {}
    const res = await run(c.argv, ws);
    const outsideAfter = snapshot(outside);
    const problems = judge(c, res, { outsideBefore, outsideAfter, manifestIsFile });
    if (res.ms > slowMs && !res.timedOut) problems.push({ kind: 'slow', detail: `${Math.round(res.ms)} ms` });
    const failing = problems.filter(isFailure);
    const entry = { seed, base: c.base, mutations: c.mutations, argv: c.argv, code: res.code, signal: res.signal, timedOut: res.timedOut, ms: res.ms, problems, stderr: res.stderr.slice(0, 2000), stdoutHead: res.stdout.slice(0, 2000) };
    results.push(entry);
    if (problems.length) keep(entry, dir);
    rmSync(dir, { recursive: true, force: true });
    if (!opts.quiet && (failing.length || opts.only)) log(`  ${failing.length ? '✗' : '✓'} seed ${seed} (${c.base}; ${c.mutations.join('; ')}) → ${res.timedOut ? 'timeout' : res.signal ?? `exit ${res.code}`} in ${Math.round(res.ms)} ms${problems.length ? `: ${problems.map((p) => `${p.kind} ${p.detail}`).join(' | ').slice(0, 400)}` : ''}\n`);
    const now = performance.now();
    if (now - lastReport > 10_000) {
      lastReport = now;
      log(`  … ${results.length}/${seeds.length} cases, ${(results.length / ((now - started) / 1000)).toFixed(1)}/s\n`);
    }
  }
}

function isFailure(p) {
  return !NOTES.has(p.kind) || (p.kind === 'slow' && opts['fail-slow']);
}

function keep(entry, dir) {
  const sig = signature(entry.problems[0], entry);
  const n = savedPerSignature.get(sig) ?? 0;
  savedPerSignature.set(sig, n + 1);
  if (n >= 3 || saved >= Number(opts['max-saved'])) return;
  saved++;
  const target = join(failDir, String(entry.seed));
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  try {
    cpSync(dir, target, { recursive: true, verbatimSymlinks: true, filter: (src) => !isFifo(src) });
  } catch {}
  writeFileSync(join(target, 'case.json'), JSON.stringify(entry, null, 2) + '\n');
  writeFileSync(
    join(target, 'repro.sh'),
    `#!/bin/sh\n# ${entry.mutations.join('\n# ')}\n# (FIFOs are not copied; regenerate with: npm run fuzz -- --only ${entry.seed})\ncd "$(dirname "$0")/ws" && node ${JSON.stringify(BUILT)} ${entry.argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')}\n`,
  );
}

function isFifo(p) {
  try {
    return lstatSync(p).isFIFO();
  } catch {
    return false;
  }
}

const built = statSync(BUILT).mtime.toISOString().replace(/\.\d+Z$/, 'Z');
const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout?.trim() || 'unknown';
process.stdout.write(`fuzz: ${seeds.length} case(s)${opts.only ? '' : ` from seed ${runSeed}`}, ${jobs} at a time, ${timeoutMs} ms limit; dist/cli.js built ${built} (HEAD ${head}), node ${process.version}\n`);
const cpuBefore = cpuSeconds();
let wall;
let cpuAfter;
const reruns = [];
try {
  await Promise.all(Array.from({ length: Math.min(jobs, seeds.length) }, worker));
  wall = (performance.now() - started) / 1000;
  cpuAfter = cpuSeconds();
  // A busy machine makes cases slow: run each slow or timed-out case again, alone, to tell.
  const suspects = results.filter((r) => r.problems.some((p) => p.kind === 'slow' || p.kind === 'timeout')).sort((a, b) => b.ms - a.ms).slice(0, Number(opts.rerun));
  if (suspects.length && !opts.only) log(`  rerunning ${suspects.length} slow case(s) alone…\n`);
  for (const r of opts.only ? [] : suspects) {
    const c = generateCase(r.seed, opts.mutator);
    const dir = join(work, `rerun-${r.seed}`);
    const { ws } = materialize(c, dir);
    const again = await run(c.argv, ws);
    rmSync(dir, { recursive: true, force: true });
    r.rerunMs = again.timedOut ? Infinity : again.ms;
    reruns.push(r);
    const alone = again.timedOut ? `killed at ${timeoutMs} ms again` : `${Math.round(again.ms)} ms`;
    if (again.timedOut) {
      for (const p of r.problems) if (p.kind === 'timeout' || p.kind === 'slow') p.detail += `; alone: ${alone}`;
    } else if (again.ms > slowMs) {
      // Finished when run alone, but still too slow: a slow case, not a hang.
      r.problems = r.problems.filter((p) => p.kind !== 'timeout' && p.kind !== 'slow');
      r.problems.push({ kind: 'slow', detail: `${Math.round(r.ms)} ms in the pool; alone: ${alone}` });
    } else {
      r.problems = r.problems.filter((p) => p.kind !== 'timeout' && p.kind !== 'slow');
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// The report

const histogram = {};
for (const r of results) {
  const k = r.timedOut ? 'killed at the limit' : r.signal ? r.signal : String(r.code);
  histogram[k] = (histogram[k] ?? 0) + 1;
}
const byKind = {};
for (const r of results) for (const p of new Set(r.problems.map((p) => p.kind))) byKind[p] = (byKind[p] ?? 0) + 1;
const distinct = new Map();
for (const r of results) {
  for (const p of r.problems) {
    const sig = signature(p, r);
    const d = distinct.get(sig) ?? { count: 0, example: r };
    d.count++;
    if (r.ms < d.example.ms || JSON.stringify(r.mutations).length < JSON.stringify(d.example.mutations).length) d.example = r;
    distinct.set(sig, d);
  }
}
const sorted = [...results].sort((a, b) => b.ms - a.ms);
const ms = sorted.map((r) => r.ms).reverse();
const pct = (q) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0);
const n = (k) => byKind[k] ?? 0;
const failed = results.filter((r) => r.problems.some(isFailure));

const lines = [
  '',
  `cases run:        ${results.length} in ${wall.toFixed(1)} s (${(results.length / wall).toFixed(1)} cases/s, ${jobs} at a time)`,
  `CPU time:         ${(cpuAfter.children - cpuBefore.children).toFixed(1)} s in the CLI processes, ${(cpuAfter.self - cpuBefore.self).toFixed(1)} s generating and checking (${((cpuAfter.children - cpuBefore.children + cpuAfter.self - cpuBefore.self) / availableParallelism()).toFixed(1)} s on ${availableParallelism()} idle cores)`,
  `exit codes:       ${Object.entries(histogram).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}`,
  `commands:         ${Object.entries(results.reduce((a, r) => ((a[r.argv[0]] = (a[r.argv[0]] ?? 0) + 1), a), {})).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  `crashes:          ${n('crash')}`,
  `internal errors:  ${n('internal-error')}`,
  `stack traces:     ${n('stack-trace')}`,
  `timeouts (>${timeoutMs} ms): ${n('timeout')}`,
  `slow (>${slowMs} ms):   ${n('slow')}${reruns.length ? ` (slow and killed cases are run again alone: ${reruns.length} rerun, ${reruns.filter((r) => r.rerunMs <= slowMs).length} of them were only slow on a busy machine)` : ''}`,
  `other failures:   ${Object.entries(byKind).filter(([k]) => !['crash', 'internal-error', 'stack-trace', 'timeout'].includes(k) && !NOTES.has(k)).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
  `huge outputs (>${HUGE_OUTPUT >> 20} MB): ${n('huge-output')}`,
  `time per case:    median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, p99 ${pct(0.99)} ms`,
  sorted[0] ? `slowest case:     ${Math.round(sorted[0].ms)} ms, seed ${sorted[0].seed} (${sorted[0].base}; ${sorted[0].mutations.join('; ')}; ${sorted[0].argv[0]}) — npm run fuzz -- --only ${sorted[0].seed}` : '',
];
if (distinct.size) {
  lines.push('', `distinct failures (${distinct.size}):`);
  for (const [sig, d] of [...distinct].sort((a, b) => b[1].count - a[1].count)) {
    lines.push(`  ${String(d.count).padStart(5)}×  ${sig}`);
    lines.push(`          e.g. --only ${d.example.seed}: ${d.example.base}; ${d.example.mutations.join('; ')}; ${d.example.argv.slice(0, 2).join(' ')}`);
  }
}
if (failed.length) lines.push('', `${failed.length} failing case(s); up to 3 of each kind kept in ${failDir}`);
lines.push(failed.length ? 'FAIL' : 'PASS', '');
process.stdout.write(lines.join('\n'));
if (opts.json) writeFileSync(opts.json, JSON.stringify({ seed: runSeed, count: results.length, wall, results: results.map(({ stdoutHead, stderr, ...r }) => r) }, null, 1));
process.exitCode = failed.length ? 1 : 0;
