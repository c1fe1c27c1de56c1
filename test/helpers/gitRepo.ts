import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli as run } from './cli';

/**
 * A small repository for the change tests: a manifest with two sides, a tool
 * description (pointer), a prompt in a fenced region, a whole-file prompt, an
 * eval set and UI markers; the base on main, the change on branch feature.
 */

export const HAS_GIT = spawnSync('git', ['--version'], { timeout: 10000 }).status === 0;

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'protocol.file.allow=always', ...args], { cwd, encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export function write(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

export const MANIFEST = `version: 1
owners:
  product:
    title: Product
    lead: "@dana"
    members: ["@dana", "@lee"]
    review: { github: "@acme/pms", url: https://chat.example.com/pms }
  platform:
    title: ML Platform
    lead: "@sam"
    members: ["@sam"]
artifacts:
  - id: refund-tool
    kind: tool-description
    files: tools/refund.json
    pointer: /description
    owner: platform
    intents: [refund-status]
  - id: escalation-prompt
    kind: system-prompt
    files: legacy/escalation.go
    region: escalation-prompt
    owner: platform
    intents: [refund-status]
  - id: old-prompt
    kind: system-prompt
    files: prompts/old.md
    owner: platform
  - id: evals
    kind: eval-set
    files: evals/*.jsonl
    owner: platform
    format: jsonl
intents:
  - id: refund-status
    title: Refund status
    owner: product
  - id: express-refund
    title: Express refund
    owner: product
surfaces:
  - files: src/**/*.tsx
    marker: 'data-intent="(?<intent>[a-z0-9-]+)"'
    owner: product
`;

const GO = (prompt: string, code: string): string => `package legacy

// counterpart:begin escalation-prompt
const prompt = "${prompt}"
// counterpart:end escalation-prompt

func run() { ${code} }
`;

export const BASE_FILES: Record<string, string> = {
  'counterpart.yaml': MANIFEST,
  'tools/refund.json': JSON.stringify({ name: 'create_refund', description: 'Creates a refund draft for an order.', strict: true }, null, 2),
  'legacy/escalation.go': GO('Hand over to a person when asked.', 'println("a")'),
  'prompts/old.md': 'You are the old support bot.\n',
  'evals/cases.jsonl': '{"input": "where is my refund", "intent": "refund-status"}\n',
  'src/Panel.tsx': '<button data-intent="refund-status">Refund?</button>\n<button data-intent="legacy-thing">Old</button>\n',
};

/** A repository at `dir` with the base committed on main, the head on branch `feature`, and the base's full commit. */
export function makeRepo(dir: string, sub = ''): { base: string; root: string } {
  const root = path.join(dir, sub);
  write(root, BASE_FILES);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  // The counterpart signs the tool at base.
  const signed = run(['sign', 'refund-tool', '--by', '@dana', '--no-git'], root);
  assert.equal(signed.code, 0, signed.err);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'signed');
  const base = git(dir, 'rev-parse', 'HEAD').trim();
  git(dir, 'checkout', '-q', '-b', 'feature');
  // The change: the tool's description, code outside the prompt's region, a renamed UI file, a deleted prompt, a new button.
  write(root, {
    'tools/refund.json': JSON.stringify({ name: 'create_refund', description: 'Creates a refund draft for an order. Only when the user has explicitly confirmed.', strict: false }, null, 2),
    'legacy/escalation.go': GO('Hand over to a person when asked.', 'println("b")'),
    'src/New.tsx': '<button data-intent="express-refund">Express</button>\n',
    'counterpart.yaml': MANIFEST.replace(/ {2}- id: old-prompt\n(?: {4}.*\n)+/, ''),
  });
  fs.mkdirSync(path.join(root, 'src/ui'));
  git(root, 'mv', 'src/Panel.tsx', 'src/ui/Panel.tsx');
  git(root, 'rm', '-q', 'prompts/old.md');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'head');
  return { base, root };
}

