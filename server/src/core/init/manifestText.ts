// The proposed manifest as YAML, and the one-line summary of what was found.

import { globBase } from '../paths';
import { wordsOf } from './codeText';

/** A system prompt: a whole file, or the text bound to `symbol` inside code. */
export interface PromptFound {
  readonly file: string;
  readonly symbol?: string;
}

/** A tool description: by JSON pointer in a one-tool file, or by the tool's name. */
export interface ToolFound {
  readonly file: string;
  readonly pointer?: string;
  readonly tool?: string;
  readonly inCode?: boolean;
}

/** Everything a folder was found to hold, in the order it becomes artifacts. */
export interface Found {
  prompts: PromptFound[];
  evals: { glob: string; format: string; id?: string }[];
  tools: ToolFound[];
  help: string[];
  models: { file: string; pointer: string }[];
  surfaces: { glob: string; attribute: string }[];
  intents: Set<string>;
}

/** `s` as a YAML scalar: bare when YAML reads it back as the same text, quoted otherwise. */
function q(s: string): string {
  const plain =
    /^[A-Za-z0-9_./*@-]+$/.test(s) &&
    !s.startsWith('*') &&
    !s.startsWith('@') &&
    // Words and numbers YAML would read as something other than text.
    !/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(s) &&
    !/^[-+.]?[0-9]/.test(s) &&
    !/^[-.]/.test(s);
  return plain ? s : JSON.stringify(s);
}

function unique(raw: string, used: Set<string>): string {
  let id = raw.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'artifact';
  if (!/^[a-z0-9]/.test(id)) id = `a-${id}`;
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}

function idFrom(file: string, used: Set<string>): string {
  const base = (file.split('/').pop() ?? file).replace(/\.[^.]+$/, '').replace(/\.(prompt|system)$/, '');
  const parent = file.split('/').slice(-2, -1)[0] ?? '';
  return unique(base === 'system' || base === 'index' ? `${parent}-${base}` : base, used);
}

/** Words that say only "this is a prompt"; a prompt named with nothing else takes its file's name first. */
const GENERIC_WORDS = new Set(['system', 'prompt', 'prompts', 'instruction', 'instructions', 'message', 'msg', 'template', 'tmpl', 'default', 'main', 'base', 'preamble', 'persona']);
const GENERIC_FILES = new Set(['route', 'index', 'main', 'app', 'server', 'page', 'handler', 'handlers', 'agent', 'agents', 'prompt', 'prompts', '__init__', 'api', 'config', 'constants', 'lib', 'src', 'utils']);

/** `supportAgent.instructions` → support-agent-prompt; `systemPrompt` in app/api/chat/route.ts → chat-system-prompt. */
function promptId(file: string, symbol: string, used: Set<string>): string {
  const [first, ...rest] = symbol.split('.');
  let words = wordsOf(first);
  if (rest.length) {
    if (words[words.length - 1] !== 'prompt') words.push('prompt');
  } else if (words.every((w) => GENERIC_WORDS.has(w))) {
    const parts = file.split('/');
    const stem = (parts.pop() ?? '').replace(/\.[^.]+$/, '');
    const where = [stem, ...parts.reverse()].find((p) => p && !GENERIC_FILES.has(p.toLowerCase()));
    if (where) words = [...wordsOf(where), ...words];
  }
  return unique(words.join('-'), used);
}

/** `cancelOrder` → cancel-order-tool; `lookup_order` → lookup-order-tool. */
function toolId(name: string, used: Set<string>): string {
  const words = wordsOf(name);
  if (words[words.length - 1] !== 'tool') words.push('tool');
  return unique(words.join('-'), used);
}

/** The manifest YAML for what was found: every guess marked with a TODO for a person. */
export function render(f: Found): string {
  const used = new Set<string>();
  const lines: string[] = [
    '# Counterpart manifest: who owns each AI artifact, and who reviews it.',
    '# Written by `counterpart init` from what this folder holds. Check every guess,',
    '# fill in the leads and members, then run `counterpart check`.',
    'version: 1',
    '',
    'owners:',
    '  product:',
    '    title: Product',
    '    lead: "@product-lead"        # TODO: who product questions go to',
    '    members: []                  # TODO: git emails or @handles of the product side',
    '  platform:',
    '    title: ML Platform',
    '    lead: "@platform-lead"       # TODO: who platform questions go to',
    '    members: []                  # TODO: git emails or @handles of the platform side',
    '',
    'artifacts:',
  ];
  const artifact = (id: string, kind: string, files: string, owner: string, extra: string[] = []): void => {
    lines.push(`  - id: ${id}`, `    kind: ${kind}`, `    files: ${q(files)}`, ...extra.map((e) => `    ${e}`), `    owner: ${owner}`);
  };
  const fileId = (files: string, fallback: string): string => idFrom(files.includes('*') ? globBase(files).replace(/\/$/, '') || fallback : files, used);
  const intents = [...f.intents].sort();
  const intentsTodo = `intents: []                 # TODO: the intents this prompt is tuned for${intents.length ? ` (seen: ${intents.join(', ')})` : ''}`;
  for (const p of f.prompts) {
    if (p.symbol) artifact(promptId(p.file, p.symbol, used), 'system-prompt', p.file, 'platform', [`symbol: ${q(p.symbol)}`, intentsTodo]);
    else artifact(fileId(p.file, 'system-prompt'), 'system-prompt', p.file, 'platform', [intentsTodo]);
  }
  for (const e of f.evals) artifact(e.id ? unique(e.id, used) : fileId(e.glob, 'eval-set'), 'eval-set', e.glob, 'platform', [`format: ${e.format}`]);
  for (const t of f.tools) {
    if (t.tool !== undefined) artifact(toolId(t.tool, used), 'tool-description', t.file, 'platform', [`tool: ${q(t.tool)}`]);
    else artifact(fileId(t.file, 'tool-description'), 'tool-description', t.file, 'platform', [`pointer: ${t.pointer}`]);
  }
  for (const m of f.models) artifact(fileId(m.file, 'model-config'), 'model-config', m.file, 'platform', [`pointer: ${m.pointer}`]);
  for (const h of f.help) artifact(fileId(h, 'help-copy'), 'help-copy', h, 'product');
  if (lines[lines.length - 1] === 'artifacts:') lines.push('  []                              # TODO: no prompt, eval, tool or help file was recognised');
  lines.push('');
  if (intents.length) {
    lines.push('intents:');
    for (const id of intents) lines.push(`  - id: ${id}`, `    title: ${q(id.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()))}`, '    owner: product', '    phrases: []                 # TODO: how help copy names it');
    lines.push('');
  }
  if (f.surfaces.length) {
    lines.push('surfaces:');
    for (const s of f.surfaces) lines.push(`  - files: ${q(s.glob)}`, `    marker: '${s.attribute}="(?<intent>[a-z0-9-]+)"'`, '    owner: product');
    lines.push('');
  }
  lines.push('reviews: .counterpart/reviews.json');
  return lines.join('\n') + '\n';
}

/** One sentence saying how much of each kind was found, for the command's output. */
export function describe(f: Found): string {
  const inCode = (n: number): string => (n ? ` (${n} in code)` : '');
  const parts = [
    [f.prompts.length, 'system prompt', inCode(f.prompts.filter((p) => p.symbol).length)],
    [f.evals.length, 'eval set', ''],
    [f.tools.length, 'tool description', inCode(f.tools.filter((t) => t.inCode).length)],
    [f.models.length, 'model setting', ''],
    [f.help.length, 'help-copy folder', ''],
    [f.intents.size, 'intent', ''],
    [f.surfaces.length, 'UI surface', ''],
  ] as const;
  const seen = parts.filter(([n]) => n > 0).map(([n, what, where]) => `${n} ${what}${n === 1 ? '' : 's'}${where}`);
  return seen.length ? `found ${seen.join(', ')}.` : 'found nothing recognisable; the manifest is a skeleton to fill in.';
}
