import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');
export const EXAMPLE = path.join(REPO, 'examples/support-bot');
export const CLI = path.join(REPO, 'dist/cli.js');

const PEOPLE = {
  sam: ['Sam Okafor', 'sam@acme.com'],
  dana: ['Dana Reyes', 'dana@acme.com'],
} as const;

function git(cwd: string, args: readonly string[], env: Record<string, string> = {}): void {
  const r = spawnSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, ...env } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, entry.name);
    const b = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(a, b);
    else fs.copyFileSync(a, b);
  }
}

/**
 * The support-bot example with six weeks of history, as both sides would
 * have written it: platform tightens the refund tool (nobody on product signs
 * it), product adds the express-refund button, platform edits the handoff
 * prompt and product signs exactly that text. Dates count back from `now`.
 */
export function demoRepository(now = new Date()): { dir: string; dispose(): void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-report-')));
  const ws = path.join(dir, 'support-bot');
  copyDir(EXAMPLE, ws);
  const read = (rel: string): string => fs.readFileSync(path.join(ws, rel), 'utf8');
  const write = (rel: string, text: string): void => fs.writeFileSync(path.join(ws, rel), text);
  const final = {
    tool: read('tools/refund.json'),
    panel: read('src/ui/RefundPanel.tsx'),
    handoff: read('prompts/support/handoff.prompt'),
    ledger: read('.counterpart/reviews.json'),
  };
  git(dir, ['init', '-q']);
  const day = 24 * 60 * 60 * 1000;
  const commit = (who: keyof typeof PEOPLE, daysAgo: number, message: string, paths: string[]): void => {
    const [name, email] = PEOPLE[who];
    const date = new Date(now.getTime() - daysAgo * day).toISOString();
    git(dir, ['add', '--', ...paths]);
    git(dir, ['commit', '-q', '-m', message], { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  };
  // As it was six weeks ago.
  write('tools/refund.json', final.tool.replace(/"description": "Creates a refund draft for an order\.[^"]*"/, '"description": "Creates a refund draft for an order."'));
  write('src/ui/RefundPanel.tsx', final.panel.replace(/data-intent="(express-refund|price-match)"/g, 'data-variant="$1"'));
  write('prompts/support/handoff.prompt', final.handoff.replace('temperature: 0.1', 'temperature: 0.3'));
  fs.renameSync(path.join(ws, '.counterpart/reviews.json'), path.join(dir, 'reviews.json'));
  commit('sam', 42, 'Support bot: prompts, tools, evals and model', ['support-bot/counterpart.yaml', 'support-bot/prompts', 'support-bot/tools', 'support-bot/evals', 'support-bot/config']);
  commit('dana', 36, 'Support UI and help center pages', ['support-bot']);
  write('tools/refund.json', final.tool);
  commit('sam', 22, 'Refund tool: call it only after explicit confirmation', ['support-bot/tools/refund.json']);
  write('src/ui/RefundPanel.tsx', final.panel);
  commit('dana', 15, 'Refund panel: express refund and price match buttons', ['support-bot/src/ui/RefundPanel.tsx']);
  write('prompts/support/handoff.prompt', final.handoff);
  commit('sam', 8, 'Handoff prompt: lower temperature', ['support-bot/prompts/support/handoff.prompt']);
  fs.mkdirSync(path.join(ws, '.counterpart'), { recursive: true });
  fs.renameSync(path.join(dir, 'reviews.json'), path.join(ws, '.counterpart/reviews.json'));
  commit('dana', 6, 'Counterpart sign-offs from the weekly review', ['support-bot/.counterpart/reviews.json']);
  return { dir: ws, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
