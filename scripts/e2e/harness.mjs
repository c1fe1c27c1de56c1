// The pieces of the end-to-end harness: a real VS Code server (from code-server's lib/vscode,
// run with Node 24) and a real headless Chromium (Debian's, driven by playwright-core).
// run.mjs strings them together to run a mocha suite inside the extension host; a
// "as a person sees it" script can reuse them to hover, read widgets and take screenshots:
//
//   import { startServer, launchBrowser, openWorkbench, waitForWorkbench, stopAll } from './harness.mjs';
//   const server = await startServer({ trust: true });
//   const browser = await launchBrowser();
//   const wb = await openWorkbench({ server, browser, workspace: '/abs/folder', extensionDevelopmentPath: '/abs/ext' });
//   await waitForWorkbench(wb.page);
//
// (look.mjs is a worked example: open a file, run a palette command, hover a word, screenshot.)
//   await wb.page.screenshot({ path: '/tmp/shot.png' });
//   await stopAll({ server, browser });
//
// Everything here is plain Node ESM so it runs before any TypeScript build.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { paths, readInstall, repoRoot, CHROMIUM_PATH } from './install.mjs';

export { paths, repoRoot };

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** Log lines that are expected offline (marketplace, telemetry, update and CDN look-ups) and say nothing about the tests. */
export const NOISE = [
  // failed look-ups of marketplace (code-server uses open-vsx), telemetry, update and CDN hosts
  /open-vsx\.org|marketplace\.visualstudio\.com|gallery\.vsassets\.io|vscode-unpkg|vscodeexperiments|exp-tas\.com/i,
  /update\.code\.visualstudio\.com|vscode-cdn\.net|vscode-sync|mobile\.events\.data\.microsoft\.com|dc\.services\.visualstudio\.com/i,
  /getaddrinfo (ENOTFOUND|EAI_AGAIN)|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/i,
  // workbench chatter that says nothing about the extension under test
  /^\[(AgentHost|AgentHost:remote|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)\]/,
  /No signed-in session resolved for resource: https:\/\/api\.github\.com/,
  /^Creating a socket \(renderer-|^Resolv(ing|ed) connection token \(/,
  /^Updating additional builtin extensions cache$/,
  // cancelled workbench calls while the extension host shuts down after the tests
  /^Canceled(: Canceled)*\s*\n\s+at .*\/static\/out\/vs\/code\/browser\/workbench\/workbench\.js/,
];

export function isNoise(line) {
  return NOISE.some((re) => re.test(line));
}

const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));

/** Resolves the installed Node 24 and VS Code server, or throws with the command to run. */
export function resolveInstall() {
  const marker = readInstall();
  if (!marker) {
    throw new Error(`The e2e parts are not installed. Run:\n    node ${path.relative(process.cwd(), path.join(repoRoot, 'scripts/e2e/install.mjs')) || 'scripts/e2e/install.mjs'}`);
  }
  return { node: paths.node24, serverMain: paths.serverMain, chromium: CHROMIUM_PATH, marker };
}

/** A free TCP port on 127.0.0.1 (the OS picks it; we release it just before the server binds). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `vscode-remote://<authority>/abs/path` for a local absolute path, each segment percent-encoded. */
export function remoteUri(authority, fsPath) {
  const abs = path.resolve(fsPath);
  const encoded = abs.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  return `vscode-remote://${authority}${encoded}`;
}

/** A fresh temp folder with data/, user/ and extensions/ for one server run. */
export function makeDataDir(prefix = 'counterpart-e2e-') {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = {
    root,
    serverData: path.join(root, 'server-data'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
  };
  for (const d of [dirs.serverData, dirs.userData, dirs.extensions]) fs.mkdirSync(d, { recursive: true });
  return dirs;
}

function dataDirArgs(dirs) {
  return ['--server-data-dir', dirs.serverData, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

function killTree(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch { /* gone */ } }
}

/**
 * Installs a .vsix into the data dir's extensions folder with the server's own CLI.
 * Resolves with the server CLI's output.
 */
export async function installVsix(vsix, { dirs, log = console.log, timeoutMs = 120_000 } = {}) {
  const { node, serverMain } = resolveInstall();
  const file = path.resolve(vsix);
  if (!fs.existsSync(file)) throw new Error(`--vsix: no such file ${file}`);
  log(`[e2e] installing ${file} into ${dirs.extensions}`);
  const args = [serverMain, ...dataDirArgs(dirs), '--accept-server-license-terms', '--disable-telemetry', '--install-extension', file, '--force'];
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    const timer = setTimeout(() => { killTree(child, 'SIGKILL'); reject(new Error(`--install-extension timed out after ${timeoutMs / 1000}s\n${out}`)); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      const installed = fs.readdirSync(dirs.extensions).filter((n) => !n.startsWith('.') && n !== 'extensions.json');
      if (code !== 0 || installed.length === 0 || /failed|error/i.test(out) && !/successfully installed/i.test(out)) {
        reject(new Error(`installing ${file} failed (exit ${code}):\n${out}`));
      } else {
        for (const line of out.split(/\r?\n/)) if (line.trim()) log(`[e2e]   ${line.trim()}`);
        resolve(out);
      }
    });
  });
}

/**
 * Starts VS Code's server (server-main.js, not the code-server wrapper) on 127.0.0.1.
 * Options: trust (default true: --disable-workspace-trust), port (default: a free one),
 * dirs (default: a fresh temp dir, removed on stop), vsix (installed first), env (added to the
 * server's environment, which the extension host inherits), log, readyTimeoutMs, extraArgs, verbose.
 * Resolves with { port, authority, origin, dirs, process, stop(), output() }.
 */
export async function startServer(opts = {}) {
  const { trust = true, vsix, log = console.log, readyTimeoutMs = 90_000, extraArgs = [], verbose = false } = opts;
  const { node, serverMain } = resolveInstall();
  installSignalHandlers();
  const dirs = opts.dirs || makeDataDir();
  if (!opts.dirs) liveTempDirs.add(dirs.root);
  if (vsix) await installVsix(vsix, { dirs, log });
  const port = opts.port || (await freePort());
  const args = [
    serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    ...(trust ? ['--disable-workspace-trust'] : []),
    ...dataDirArgs(dirs),
    ...extraArgs,
  ];
  const env = { ...process.env, VSCODE_CLI: undefined, ELECTRON_RUN_AS_NODE: undefined, ...(opts.env || {}) };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  log(`[e2e] starting VS Code server on 127.0.0.1:${port} (data in ${dirs.root})`);
  const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
  let output = '';
  let stopped = false;

  const server = {
    port,
    authority: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    dirs,
    process: child,
    output: () => output,
    async stop({ keepData = false } = {}) {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        killTree(child, 'SIGTERM');
        const t = setTimeout(() => killTree(child, 'SIGKILL'), 3000);
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
        clearTimeout(t);
        killTree(child, 'SIGKILL'); // any stragglers in the group (extension host, pty host)
      }
      if (!keepData && !opts.dirs) {
        fs.rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
        liveTempDirs.delete(dirs.root);
      }
    },
  };
  liveServers.add(server);
  child.once('exit', () => liveServers.delete(server));

  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`VS Code server did not say "Web UI available" within ${readyTimeoutMs / 1000}s. Output:\n${output}`));
    }, readyTimeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      if (verbose) for (const l of text.split(/\r?\n/)) if (l.trim()) log(`[server] ${l}`);
      if (/Web UI available at/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited (${signal || code}) before it was ready. Output:\n${output}`));
    });
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
  }).catch(async (e) => { await server.stop(); throw e; });
  log(`[e2e] server ready at ${server.origin}`);
  return server;
}

/** Launches Debian's Chromium through playwright-core (never a downloaded browser). */
export async function launchBrowser({ headless = true, args = [] } = {}) {
  const { chromium } = requireFromRepo('playwright-core');
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless, args: [...CHROMIUM_ARGS, ...args] });
  liveBrowsers.add(browser);
  browser.once('disconnected', () => liveBrowsers.delete(browser));
  return browser;
}

/**
 * The workbench URL. workspace: a folder or a .code-workspace file (absolute or relative path);
 * extensionDevelopmentPath / extensionTestsPath: local paths (turned into vscode-remote URIs);
 * payload: extra [key, value] pairs.
 */
export function workbenchUrl(server, { workspace, extensionDevelopmentPath, extensionTestsPath, payload = [] } = {}) {
  const params = new URLSearchParams();
  if (workspace) {
    const uri = remoteUri(server.authority, workspace);
    params.set(/\.code-workspace$/i.test(workspace) ? 'workspace' : 'folder', uri);
  }
  const pairs = [];
  if (extensionDevelopmentPath) {
    for (const p of [].concat(extensionDevelopmentPath)) pairs.push(['extensionDevelopmentPath', remoteUri(server.authority, p)]);
  }
  if (extensionTestsPath) pairs.push(['extensionTestsPath', remoteUri(server.authority, extensionTestsPath)]);
  pairs.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true'], ...payload);
  params.set('payload', JSON.stringify(pairs));
  return `${server.origin}/?${params.toString()}`;
}

function formatLogArgs(args) {
  if (Array.isArray(args)) return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return typeof args === 'string' ? args : JSON.stringify(args);
}

/**
 * Opens the workbench in a new page. Before navigating it exposes codeAutomationLog (the
 * extension host's and workbench's console, noise filtered) and codeAutomationExit(code).
 * Resolves with { page, context, url, exited: Promise<number> }; `exited` settles when the
 * extension tests finish (only meaningful with extensionTestsPath).
 * Options: onLog(line, type) (default: print to stdout), showNoise, viewport.
 */
export async function openWorkbench({ server, browser, workspace, extensionDevelopmentPath, extensionTestsPath, payload, onLog, onRawLog, showNoise = false, viewport = { width: 1400, height: 900 }, log = console.log } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const print = onLog || ((line) => process.stdout.write(line.endsWith('\n') ? line : line + '\n'));
  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = formatLogArgs(args);
    if (onRawLog) onRawLog(type, text);
    // Filter whole messages: a noisy error's stack-trace lines go with it.
    if (!showNoise && isNoise(text)) return;
    for (const line of text.split(/\r?\n/)) print(line, type);
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    resolveExit(typeof code === 'number' ? code : Number(code) || 0);
  });
  page.on('pageerror', (err) => {
    const line = `[page error] ${err.message}`;
    if (showNoise || !isNoise(line)) log(line);
  });
  const url = workbenchUrl(server, { workspace, extensionDevelopmentPath, extensionTestsPath, payload });
  log(`[e2e] opening ${url}`);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return { page, context, url, exited };
}

/** Waits for the workbench to be laid out (the editor area and status bar exist). */
export async function waitForWorkbench(page, { timeoutMs = 60_000 } = {}) {
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: timeoutMs });
}

const liveServers = new Set();
const liveTempDirs = new Set();
function removeTempDirs() {
  for (const d of liveTempDirs) {
    try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  liveTempDirs.clear();
}
const liveBrowsers = new Set();

/** Closes the given (or all still-open) browsers and servers. Safe to call twice. */
export async function stopAll({ server, browser } = {}) {
  const browsers = browser ? [browser] : [...liveBrowsers];
  const servers = server ? [server] : [...liveServers];
  await Promise.all(browsers.map((b) => Promise.race([b.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))])));
  await Promise.all(servers.map((s) => s.stop().catch(() => {})));
}

/**
 * Everything run.mjs does: server, browser, workbench with extensionTestsPath, wait for
 * codeAutomationExit, clean up. Resolves with the tests' exit code (2 on timeout).
 */
export async function runExtensionTests({ extensionDevelopmentPath, extensionTestsPath, workspace, vsix, trust = true, screenshotsDir, timeoutSec = 300, log = console.log, onLog, verbose = false, showNoise = false, env = {} }) {
  const started = Date.now();
  let server;
  let browser;
  let wb;
  let timer;
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  installSignalHandlers();
  const dirs = makeDataDir();
  liveTempDirs.add(dirs.root);
  try {
    if (vsix) await installVsix(vsix, { dirs, log });
    const extensionPath = vsix ? installedExtensionDir(dirs) : extensionDevelopmentPath;
    const extensionId = extensionIdOf(extensionPath);
    server = await startServer({
      trust, log, verbose, dirs,
      env: {
        COUNTERPART_E2E_WORKSPACE: path.resolve(workspace),
        COUNTERPART_E2E_TRUSTED: trust ? '1' : '0',
        COUNTERPART_E2E_MODE: vsix ? 'vsix' : 'development',
        ...(extensionId ? { COUNTERPART_E2E_EXTENSION_ID: extensionId, COUNTERPART_E2E_EXTENSION_PATH: path.resolve(extensionPath) } : {}),
        ...env,
      },
    });
    browser = await launchBrowser();
    wb = await openWorkbench({
      server, browser, workspace, log, showNoise, onLog,
      // The workbench only runs extensionTestsPath in extension-development mode, so with a
      // vsix point extensionDevelopmentPath at an empty folder: development mode, yet only the
      // installed build is loaded.
      extensionDevelopmentPath: vsix ? emptyDevelopmentFolder(dirs) : extensionDevelopmentPath,
      extensionTestsPath,
    });
    const timedOut = new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutSec * 1000); });
    const serverDied = new Promise((r) => server.process.once('exit', (c, s) => r(`server-exit:${s || c}`)));
    const result = await Promise.race([wb.exited, timedOut, serverDied]);
    if (screenshotsDir) {
      fs.mkdirSync(screenshotsDir, { recursive: true });
      const file = path.join(screenshotsDir, `workbench-${result === 0 ? 'pass' : 'end'}.png`);
      await wb.page.screenshot({ path: file, timeout: 10_000 }).then(() => log(`[e2e] screenshot ${file}`), (e) => log(`[e2e] screenshot failed: ${e.message}`));
    }
    if (result === 'timeout') {
      log(`[e2e] TIMEOUT: the extension tests did not finish within ${timeoutSec}s (no codeAutomationExit).`);
      log('[e2e] Check that the workbench loaded the payload (server started with --enable-smoke-test-driver) and that run() settles.');
      return 2;
    }
    if (typeof result === 'string') {
      log(`[e2e] the VS Code server died (${result}) before the tests finished. Output:\n${server.output()}`);
      return 3;
    }
    log(`[e2e] extension tests exited with code ${result} after ${elapsed()}`);
    return result;
  } finally {
    clearTimeout(timer);
    await stopAll({ server, browser });
    fs.rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
    liveTempDirs.delete(dirs.root);
  }
}

/** An empty folder (no package.json) to stand for extensionDevelopmentPath. */
export function emptyDevelopmentFolder(dirs) {
  const dir = path.join(dirs.root, 'no-development-extension');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** `<publisher>.<name>` from an extension folder's package.json, or undefined. */
export function extensionIdOf(dir) {
  if (!dir) return undefined;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return pkg.publisher && pkg.name ? `${pkg.publisher}.${pkg.name}` : undefined;
  } catch {
    return undefined;
  }
}

/** The single extension folder that installVsix put into dirs.extensions. */
export function installedExtensionDir(dirs) {
  const names = fs.readdirSync(dirs.extensions).filter((n) => !n.startsWith('.') && fs.statSync(path.join(dirs.extensions, n)).isDirectory());
  return names.length === 1 ? path.join(dirs.extensions, names[0]) : undefined;
}

// Clean up on Ctrl-C / kill so no server or browser outlives the run. Installed by startServer.
let handlersInstalled = false;
let signalled = false;
export function installSignalHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, async () => {
      if (signalled) process.exit(130);
      signalled = true;
      console.error(`[e2e] ${sig}: stopping the server and browser`);
      await stopAll();
      removeTempDirs();
      process.exit(130);
    });
  }
  // Last resort (process.exit elsewhere): kill server process groups synchronously.
  process.on('exit', () => {
    for (const s of liveServers) killTree(s.process, 'SIGKILL');
    removeTempDirs();
  });
}
