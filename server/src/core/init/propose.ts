// `counterpart init`: walks a folder's file list, decides what each file is,
// and hands what it found to manifestText.ts to write out.

import { scanCode } from './codeScan';
import { describe, type Found, render } from './manifestText';
import { toolsInData } from './toolLists';

/** A proposed manifest: its YAML text, and one sentence on what was found. */
export interface Proposal {
  readonly text: string;
  readonly summary: string;
}

const MAX_READ = 256 * 1024;
const UI_FILE = /\.(tsx|jsx|vue|svelte|html|astro)$/;
const MARKER_ATTRS = ['data-intent', 'data-ai-intent', 'data-feature'];

/** Code Counterpart can locate a `symbol` or `tool` in (the manifest's list). */
const JS_FILE = /\.(ts|tsx|js|mjs|cjs)$/;
const PY_FILE = /\.py$/;
/** Folders of generated, vendored or installed code: nothing in them is proposed. */
const SKIP_DIRS = new Set([
  'node_modules', 'bower_components', 'jspm_packages', 'vendor', 'third_party', 'dist', 'build', 'out', 'target', 'coverage',
  '__pycache__', 'site-packages', 'venv', 'htmlcov',
]);
/** Test code: its prompt-like strings are fixtures, not the product's prompts. */
const TEST_CODE = /(^|\/)(__tests__|__mocks__|tests?|spec|fixtures?)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$|\.d\.ts$|\.min\.js$/;
/** JSON and YAML files that are never tool lists, even when they mention parameters. */
const NOT_TOOLS = /^(package(-lock)?\.json|npm-shrinkwrap\.json|pnpm-lock\.ya?ml|composer\.(json|lock)|[jt]sconfig.*\.json|(docker-)?compose.*\.ya?ml|pubspec\.ya?ml|mkdocs\.ya?ml|\.?pre-commit-config\.ya?ml)$/;

/**
 * A starter manifest from what a folder holds: prompt files and prompts kept
 * in code, promptfoo configs and JSONL evals, tool lists in JSON, YAML and
 * code, help docs, model config and `data-intent`-style markers. It only
 * reads text, never runs anything. Everything it guesses is marked for a person.
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
    const segments = lower.split('/').slice(0, -1);
    if (segments.some((s) => SKIP_DIRS.has(s))) continue;
    // Hidden folders hold CI, editor and tool settings (.github/workflows, .vscode);
    // the one thing taken from them is a GitHub Models prompt file.
    if (segments.some((s) => s.startsWith('.'))) {
      if (/\.prompt\.ya?ml$/.test(name)) found.prompts.push({ file });
      continue;
    }
    const isCode = JS_FILE.test(name) || PY_FILE.test(name);
    if (!isCode && isPromptFile(lower, name)) {
      found.prompts.push({ file });
      continue;
    }
    const evalRoot = evalFolder(dir);
    if (evalRoot !== undefined || name.startsWith('promptfooconfig')) {
      const ext = /\.(ya?ml)$/.exec(name)?.[1];
      if (ext) {
        const text = small(read(file));
        if (text && /^tests:|^- (description|vars):/m.test(text)) {
          // A glob only ever starts at an eval folder; a config anywhere else is named alone,
          // so a root promptfooconfig.yaml never becomes `**/*.yaml` (CI files, lockfiles…).
          if (evalRoot !== undefined) addTo(evalDirs, evalRoot, ext);
          else found.evals.push({ glob: file, format: 'promptfoo', id: dir ? undefined : 'evals' });
        }
        if (text) collectIntents(text, /intent:\s*\[?\s*([a-z0-9-]+)/g, found.intents);
        continue;
      }
      if (/\.jsonl$/.test(name) && evalRoot !== undefined) {
        addTo(evalDirs, evalRoot, 'jsonl');
        const text = small(read(file));
        if (text) collectIntents(text, /"intent"\s*:\s*"([a-z0-9-]+)"/g, found.intents);
        continue;
      }
    }
    if (/\.(json|ya?ml)$/.test(name) && !NOT_TOOLS.test(name)) {
      const text = small(read(file));
      const tools = text ? toolsInData(text, name.endsWith('.json')) : [];
      if (tools.length) {
        for (const t of tools) found.tools.push({ file, ...t });
        continue;
      }
    }
    if (isCode && !TEST_CODE.test(lower)) {
      const text = small(read(file));
      const inCode = text ? scanCode(text, PY_FILE.test(name) ? 'py' : 'js') : { prompts: [], tools: [] };
      for (const symbol of inCode.prompts) found.prompts.push({ file, symbol });
      for (const tool of inCode.tools) found.tools.push({ file, tool, inCode: true });
      // A file named like a system prompt with no prompt we can point at is proposed whole, as before.
      if (!inCode.prompts.length && !inCode.tools.length && /system[-_.]?prompt/.test(name)) found.prompts.push({ file });
      if (!UI_FILE.test(name)) continue;
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
    // Never empty: evalFolder only returns folders that end in an eval folder.
    for (const ext of ['yaml', 'yml']) if (formats.has(ext)) found.evals.push({ glob: `${dir}/**/*.${ext}`, format: 'promptfoo' });
    if (formats.has('jsonl')) found.evals.push({ glob: `${dir}/**/*.jsonl`, format: 'jsonl' });
  }
  for (const dir of helpDirs) found.help.push(dir ? `${dir}/*.md` : '*.md');
  for (const [glob, attribute] of uiGlobs) found.surfaces.push({ glob, attribute });
  return { text: render(found), summary: describe(found) };
}

/** Prompt files kept whole: `*.prompt(.md|.txt|…)`, `.prompty`, GitHub Models `*.prompt.yml`, `prompts.txt`, files in a prompts folder. */
function isPromptFile(lower: string, name: string): boolean {
  return (
    /\.prompt(\.(md|txt|j2|jinja|ya?ml))?$/.test(name) ||
    name.endsWith('.prompty') ||
    name === 'prompts.txt' ||
    (/(^|\/)prompts?\//.test(lower) && /\.(md|txt|j2|jinja|prompt)$/.test(name)) ||
    /system[-_.]?prompt/.test(name)
  );
}

/** The eval folder a file's folder is in (`evals`, `tests/evals`, `src/eval`…), or undefined outside one. */
function evalFolder(dir: string): string | undefined {
  const segments = dir.split('/');
  const i = segments.findIndex((s) => /^(evals?|evaluations?)$/i.test(s));
  return i < 0 ? undefined : segments.slice(0, i + 1).join('/');
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  // Group eval files by their top eval folder, so one glob covers a suite.
  const set = map.get(key) ?? new Set();
  set.add(value);
  map.set(key, set);
}

function small(text: string | undefined): string | undefined {
  return text !== undefined && text.length <= MAX_READ && !text.includes('\u0000') ? text : undefined;
}

function collectIntents(text: string, re: RegExp, into: Set<string>): void {
  for (const m of text.matchAll(re)) into.add(m[1]);
}
