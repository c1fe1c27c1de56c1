import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** The repository, its built CLI and the example the CLI tests run on. */
export const REPO = path.resolve(__dirname, '../../..');
export const CLI = path.join(REPO, 'dist/cli.js');
export const EXAMPLE = path.join(REPO, 'examples/support-bot');

/** Runs the built CLI as a user would, without colours; its exit code and both streams. */
export function runCli(args: readonly string[], cwd = REPO, env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
