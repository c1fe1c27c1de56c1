import { globBase } from '../paths';

export interface Proposal {
  readonly text: string;
  readonly summary: string;
}

interface Found {
  prompts: string[];
  evals: { glob: string; format: string }[];
  tools: { file: string; pointer: string }[];
  help: string[];
  models: { file: string; pointer: string }[];
  surfaces: { glob: string; attribute: string }[];
  intents: Set<string>;
}

const MAX_READ = 256 * 1024;
const UI_FILE = /\.(tsx|jsx|vue|svelte|html|astro)$/;
const MARKER_ATTRS = ['data-intent', 'data-ai-intent', 'data-feature'];

/**
 * A starter manifest from what a folder holds: prompt-like files, promptfoo
 * configs and JSONL evals, tool JSON, help docs, model config and
 * `data-intent`-style markers. Everything it guesses is marked for a person.
 */
export function proposeManifest(files: readonly string[], read: (file: string) => string | undefined): Proposal {
  const found: Found = { prompts: [], evals: [], tools: [], help: [], models: [], surfaces: [], intents: new Set() };
  const evalDirs = new Map<string, Set<string>>();
  const helpDirs = new Set<string>();
  const uiGlobs = new Map<string, string>();
  for (const file of [...files].sort()) {
    const lower = file.toLowerCase();
    const name = lower.split('/').pop() ?? lower;
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    if (/\.prompt(\.(md|txt|j2|jinja))?$/.test(name) || (/(^|\/)prompts?\//.test(lower) && /\.(md|txt|j2|jinja|prompt)$/.test(name)) || /system[-_.]?prompt/.test(name)) {
      found.prompts.push(file);
      continue;
    }
    if (/(^|\/)(evals?|tests?\/evals?)\//.test(lower) || name.startsWith('promptfooconfig')) {
      if (/\.(ya?ml)$/.test(name)) {
        const text = small(read(file));
        if (text && /^tests:|^- (description|vars):/m.test(text)) addTo(evalDirs, dir, 'yaml');
        if (text) collectIntents(text, /intent:\s*\[?\s*([a-z0-9-]+)/g, found.intents);
        continue;
      }
      if (/\.jsonl$/.test(name)) {
        addTo(evalDirs, dir, 'jsonl');
        const text = small(read(file));
        if (text) collectIntents(text, /"intent"\s*:\s*"([a-z0-9-]+)"/g, found.intents);
        continue;
      }
    }
    if (name.endsWith('.json')) {
      const text = small(read(file));
      const pointer = text ? toolPointer(text) : undefined;
      if (pointer) {
        found.tools.push({ file, pointer });
        continue;
      }
    }
    if (/\.(md|mdx)$/.test(name) && /(^|\/)(help|help-center|faq|onboarding|docs\/help|support)\//.test(lower)) {
      helpDirs.add(dir);
      continue;
    }
    if (/(^|\/)(config\/)?(llm|model|models|ai)\.(ya?ml|json)$/.test(lower)) {
      const text = small(read(file)) ?? '';
      if (/^\s*"?model"?\s*:/m.test(text)) found.models.push({ file, pointer: '/model' });
      continue;
    }
    if (UI_FILE.test(name)) {
      const text = small(read(file));
      if (!text) continue;
      for (const attr of MARKER_ATTRS) {
        const re = new RegExp(`${attr}="([a-z0-9-]+)"`, 'g');
        const before = found.intents.size;
        let hit = false;
        for (const m of text.matchAll(re)) {
          found.intents.add(m[1]);
          hit = true;
        }
        if (hit || found.intents.size > before) {
          const ext = name.slice(name.lastIndexOf('.'));
          const top = file.split('/')[0];
          const glob = file.includes('/') ? `${top}/**/*${ext}` : `*${ext}`;
          if (!uiGlobs.has(glob)) uiGlobs.set(glob, attr);
        }
      }
    }
  }
  for (const [dir, formats] of evalDirs) {
    const base = dir ? `${dir}/` : '';
    if (formats.has('yaml')) found.evals.push({ glob: `${base}**/*.yaml`, format: 'promptfoo' });
    if (formats.has('jsonl')) found.evals.push({ glob: `${base}**/*.jsonl`, format: 'jsonl' });
  }
  for (const dir of helpDirs) found.help.push(dir ? `${dir}/*.md` : '*.md');
  for (const [glob, attribute] of uiGlobs) found.surfaces.push({ glob, attribute });
  return { text: render(found), summary: describe(found) };
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  // Group eval files by their top eval folder, so one glob covers a suite.
  const top = key.replace(/^(.*?(?:^|\/)evals?)(\/.*)?$/, '$1');
  const set = map.get(top) ?? new Set();
  set.add(value);
  map.set(top, set);
}

function small(text: string | undefined): string | undefined {
  return text !== undefined && text.length <= MAX_READ && !text.includes('\u0000') ? text : undefined;
}

function collectIntents(text: string, re: RegExp, into: Set<string>): void {
  for (const m of text.matchAll(re)) into.add(m[1]);
}

/** Where a tool's description sits, for OpenAI-, Anthropic- and MCP-style tool JSON. */
function toolPointer(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const obj = value as Record<string, unknown> | null;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const isTool = (o: Record<string, unknown>): boolean => typeof o.description === 'string' && ('parameters' in o || 'input_schema' in o || 'inputSchema' in o);
  if (isTool(obj)) return '/description';
  const fn = obj.function as Record<string, unknown> | undefined;
  if (fn && typeof fn === 'object' && isTool(fn)) return '/function/description';
  return undefined;
}

function q(s: string): string {
  return /^[A-Za-z0-9_./*@-]+$/.test(s) && !s.startsWith('*') && !s.startsWith('@') ? s : JSON.stringify(s);
}

function idFrom(file: string, used: Set<string>): string {
  const base = (file.split('/').pop() ?? file).replace(/\.[^.]+$/, '').replace(/\.(prompt|system)$/, '');
  const parent = file.split('/').slice(-2, -1)[0] ?? '';
  let id = (base === 'system' || base === 'index' ? `${parent}-${base}` : base).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'artifact';
  if (!/^[a-z0-9]/.test(id)) id = `a-${id}`;
  let unique = id;
  for (let n = 2; used.has(unique); n++) unique = `${id}-${n}`;
  used.add(unique);
  return unique;
}

function render(f: Found): string {
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
  const artifact = (kind: string, files: string, owner: string, extra: string[] = []): void => {
    lines.push(`  - id: ${idFrom(files.includes('*') ? globBase(files).replace(/\/$/, '') || kind : files, used)}`, `    kind: ${kind}`, `    files: ${q(files)}`, ...extra.map((e) => `    ${e}`), `    owner: ${owner}`);
  };
  const intents = [...f.intents].sort();
  for (const p of f.prompts) artifact('system-prompt', p, 'platform', [`intents: []                 # TODO: the intents this prompt is tuned for${intents.length ? ` (seen: ${intents.join(', ')})` : ''}`]);
  for (const e of f.evals) artifact('eval-set', e.glob, 'platform', [`format: ${e.format}`]);
  for (const t of f.tools) artifact('tool-description', t.file, 'platform', [`pointer: ${t.pointer}`]);
  for (const m of f.models) artifact('model-config', m.file, 'platform', [`pointer: ${m.pointer}`]);
  for (const h of f.help) artifact('help-copy', h, 'product');
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

function describe(f: Found): string {
  const parts = [
    [f.prompts.length, 'system prompt'],
    [f.evals.length, 'eval set'],
    [f.tools.length, 'tool description'],
    [f.models.length, 'model setting'],
    [f.help.length, 'help-copy folder'],
    [f.intents.size, 'intent'],
    [f.surfaces.length, 'UI surface'],
  ] as const;
  const seen = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`);
  return seen.length ? `found ${seen.join(', ')}.` : 'found nothing recognisable; the manifest is a skeleton to fill in.';
}
