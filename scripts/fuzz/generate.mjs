// Deterministic generator of hostile Counterpart workspaces for `npm run fuzz`.
//
// A case is a function of one 32-bit seed: it picks a realistic seed workspace
// (a copy of examples/support-bot or examples/code-first as they are in this
// checkout, or a small synthetic one), applies one to three mutators (byte
// flips, truncation, values of the wrong type, deep nesting, huge strings,
// alias bombs, hostile markers and globs, junk locators, looping file://
// references, malformed ledgers, links, FIFOs…) and picks the command to run.
// Nothing here runs Counterpart; scripts/fuzz.mjs does, in a child process.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { Random } from './random.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const MANIFEST = 'counterpart.yaml';
const LEDGER = '.counterpart/reviews.json';

// ---------------------------------------------------------------------------
// Seed workspaces

const SKIP = /(^|\/)(README\.md|tsconfig\.json|node_modules)$|\.d\.ts$/;

function readTree(dir, prefix = '', out = new Map()) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (SKIP.test(rel)) continue;
    if (e.isDirectory()) readTree(join(dir, e.name), rel, out);
    else if (e.isFile()) out.set(rel, readFileSync(join(dir, e.name), 'utf8'));
  }
  return out;
}

const MINIMAL = new Map([
  [
    MANIFEST,
    `version: 1
owners:
  product: { title: Product, lead: "@dana", members: [dana@acme.com] }
  platform: { title: ML Platform, lead: "@sam", members: [sam@acme.com] }
artifacts:
  - id: prompt
    kind: system-prompt
    files: prompts/system.md
    owner: platform
    intents: [refund-status]
  - id: tool
    kind: tool-description
    files: tools/refund.json
    pointer: /description
    owner: platform
    intents: [express-refund]
  - id: evals
    kind: eval-set
    files: evals/**/*.yaml
    owner: platform
  - id: lines
    kind: eval-set
    files: evals/cases.jsonl
    owner: platform
  - id: help
    kind: help-copy
    files: docs/*.md
    owner: product
  - id: model
    kind: model-config
    files: config/llm.yaml
    pointer: /model
    owner: platform
intents:
  - id: refund-status
    title: Refund status
    owner: product
    phrases: [refund status]
  - id: express-refund
    title: Express refund
    owner: product
    phrases: [express refund, instant refund]
surfaces:
  - files: src/**/*.tsx
    marker: 'data-intent="(?<intent>[a-z0-9-]+)"'
    owner: product
`,
  ],
  ['prompts/system.md', '# System\nYou help customers with refund status questions.\nNever promise a date.\n'],
  ['tools/refund.json', '{\n  "name": "refund",\n  "description": "Creates a refund draft. Only when the user has explicitly confirmed.",\n  "parameters": { "type": "object" }\n}\n'],
  [
    'evals/refunds.yaml',
    `description: refunds
prompts: [file://../prompts/system.md]
tests:
  - description: status
    vars: { message: "Where is my refund?" }
    metadata: { intent: refund-status }
  - file://more/*.yaml
`,
  ],
  ['evals/more/express.yaml', '- description: express\n  vars: { message: "Instant refund please" }\n  metadata: { intent: express-refund }\n'],
  ['evals/cases.jsonl', '{"intent":"refund-status","input":"refund?"}\n{"intent":"express-refund","input":"now"}\n'],
  ['docs/refunds.md', '# Refunds\nAsk for your refund status, or choose an express refund.\n'],
  ['config/llm.yaml', 'model: gpt-4.1-mini\ntemperature: 0.2\n'],
  ['src/Panel.tsx', 'export const Panel = () => (\n  <div>\n    <button data-intent="refund-status">Status</button>\n    <button data-intent="express-refund">Express</button>\n  </div>\n);\n'],
  [
    LEDGER,
    JSON.stringify(
      { version: 1, reviews: { tool: { hash: 'sha256:' + '0'.repeat(64), by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z', commit: '3f2a9c1', text: 'Creates a refund draft.' } } },
      null,
      2,
    ) + '\n',
  ],
]);

let corpus;
function seeds() {
  if (!corpus) {
    corpus = {
      'support-bot': readTree(join(REPO, 'examples/support-bot')),
      'code-first': readTree(join(REPO, 'examples/code-first')),
      minimal: MINIMAL,
    };
  }
  return corpus;
}

/** The files of one seed workspace, unmutated: support-bot, code-first or minimal. */
export function seedWorkspace(name) {
  return new Map(seeds()[name]);
}

// ---------------------------------------------------------------------------
// A case under construction

/** Files of the workspace: text or bytes, or { link }, { fifo }, { dir }. */
class Workspace {
  constructor(files) {
    this.entries = new Map([...files].map(([p, data]) => [p, { data }]));
  }
  paths() {
    return [...this.entries.keys()].filter((p) => this.entries.get(p).data !== undefined);
  }
  text(p) {
    const e = this.entries.get(p);
    if (!e || e.data === undefined) return undefined;
    return typeof e.data === 'string' ? e.data : e.data.toString('latin1');
  }
  set(p, data) {
    this.entries.set(p, { data });
  }
  link(p, target) {
    this.entries.set(p, { link: target });
  }
  fifo(p) {
    this.entries.set(p, { fifo: true });
  }
  dir(p) {
    this.entries.set(p, { dir: true });
  }
  delete(p) {
    this.entries.delete(p);
  }
  matching(re) {
    return this.paths().filter((p) => re.test(p));
  }
}

// ---------------------------------------------------------------------------
// Hostile values

const rep = (s, n) => s.repeat(Math.max(0, Math.ceil(n / s.length))).slice(0, n);

/** A big string; sizes around the caps that matter (1 KB, 10 KB, 32 KB, 64 KB, 1 MB). */
function hugeString(r, unit = 'x') {
  const n = r.pick([300, 1001, 4097, 10_000, 32_768, 65_537, 70_000, 200_000, 1_100_000]);
  return rep(unit, n);
}

const WEIRD_STRINGS = [
  '', ' ', '~', 'null', '0', '-1', '-', '*', '**', '.', '..', '/', '//', '\\',
  '../outside/secret.md', '../../../../../../etc/passwd', '/etc/passwd', 'C:\\Windows\\win.ini', '\\\\server\\share\\x',
  'file:///etc/passwd', 'file://../outside/secret.md', 'file://', 'http://example.com/x',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
  'NaN', 'Infinity', 'true', '\u0000', 'a\u0000b', '\n', '\t', '\r', '\u2028', '\u202e', '\ud800', '\udfff', '\uffff', '\ufeff',
  '😀😀😀', 'İı', 'ß', 'e\u0301', 'ＡＢＣ', '${x}', '{{x}}', '%s%s%n', "'", '"', '`', '#', '&a', '*a', '!!str', '? x', ': x', '- x', '|', '>',
  '[', ']', '{', '}', '{a,b}', '!(x)', '@(a|b)', '+(a)', '(?<intent>x)', '\\p{L}', '$&', '$1',
];

function weirdScalar(r) {
  return r.weighted([
    [6, () => r.pick(WEIRD_STRINGS)],
    [2, () => r.pick([0, -1, 1.5, 1e21, -0, 2 ** 53 + 1, Number.MAX_VALUE, Infinity, -Infinity, NaN])],
    [2, () => r.pick([true, false, null])],
    [2, () => hugeString(r, r.pick(['x', 'ab', 'é', '😀', 'a-', ' ', '\n', '{', '*', '\\']))],
    [2, () => r.pick([[], {}, [[]], [null], { a: { b: {} } }, [1, 'a', null, true], { __proto__: null, constructor: 1 }, { version: 1 }])],
  ])();
}

/** Flow-style nesting `[[[…]]]` or `{a: {a: …}}`, `depth` levels. */
function nestedFlow(r, depth) {
  return r.chance(0.5) ? rep('[', depth) + rep(']', depth) : rep('{a: ', depth * 4) + '1' + rep('}', depth);
}

// ---------------------------------------------------------------------------
// YAML structure helpers (manifest, promptfoo files)

function parseDoc(text) {
  // Huge or very deep documents are left to the byte-level mutators: parsing them here costs more than the case.
  if (text.length > 300_000 || flowDepth(text) > 200) return undefined;
  try {
    const doc = YAML.parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length || !doc.contents) return undefined;
    return doc;
  } catch {
    return undefined;
  }
}

function flowDepth(text) {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) max = Math.max(max, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return max;
}

function stringify(doc) {
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}

/** Every node of a parsed document with its path (keys and indexes). */
function nodePaths(doc) {
  const out = [];
  const walk = (node, path) => {
    out.push({ node, path });
    if (YAML.isMap(node)) {
      for (const pair of node.items) {
        const key = YAML.isScalar(pair.key) ? pair.key.value : pair.key;
        if (pair.value) walk(pair.value, [...path, key]);
      }
    } else if (YAML.isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return out.filter((n) => n.path.length > 0);
}

/** Edits the manifest as a YAML document; undefined when it does not parse any more. */
function editYaml(ws, file, fn) {
  const text = ws.text(file);
  if (text === undefined) return undefined;
  const doc = parseDoc(text);
  if (!doc) return undefined;
  const what = fn(doc);
  if (!what) return undefined;
  ws.set(file, stringify(doc));
  return what;
}

const seqItems = (doc, key) => {
  const node = doc.get(key);
  return YAML.isSeq(node) ? node.items : [];
};

function pickArtifact(doc, r, kinds) {
  const items = seqItems(doc, 'artifacts').filter((a) => YAML.isMap(a) && (!kinds || kinds.includes(a.get('kind'))));
  return items.length ? { node: items[r.int(items.length)] } : undefined;
}

// ---------------------------------------------------------------------------
// Mutators: (c, r) => a short description, or undefined when not applicable

const M = {};

// --- bytes and lines, on any file ---

function pickFile(c, r) {
  const paths = c.ws.paths();
  return r.weighted([
    [5, MANIFEST],
    [2, r.pick(paths.filter((p) => /^evals\/|\.jsonl$|\.csv$/.test(p)).concat([MANIFEST]))],
    [1, LEDGER],
    [2, r.pick(paths)],
  ]);
}

M.flipBytes = (c, r) => {
  const file = pickFile(c, r);
  const text = c.ws.text(file);
  if (!text) return undefined;
  const buf = Buffer.from(text, 'utf8');
  const n = r.range(1, 8);
  for (let i = 0; i < n; i++) {
    const at = r.int(buf.length);
    buf[at] = r.chance(0.5) ? buf[at] ^ (1 << r.int(8)) : r.pick([0x00, 0x0a, 0x0d, 0x09, 0x22, 0x27, 0x3a, 0x2d, 0x23, 0x26, 0x2a, 0x5b, 0x7b, 0x7d, 0x5d, 0x7c, 0x3e, 0xc3, 0xff, 0xfe, 0x80]);
  }
  c.ws.set(file, buf);
  return `flip ${n} bytes of ${file}`;
};

M.truncate = (c, r) => {
  const file = pickFile(c, r);
  const text = c.ws.text(file);
  if (text === undefined) return undefined;
  const buf = Buffer.from(text, 'utf8');
  const at = r.int(buf.length + 1);
  c.ws.set(file, buf.subarray(0, at));
  return `truncate ${file} at byte ${at}`;
};

M.lines = (c, r) => {
  const file = pickFile(c, r);
  const text = c.ws.text(file);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const i = r.int(lines.length);
  const n = r.range(1, 4);
  const op = r.pick(['delete', 'duplicate', 'swap', 'indent', 'dedent', 'tab', 'repeat']);
  switch (op) {
    case 'delete': lines.splice(i, n); break;
    case 'duplicate': lines.splice(i, 0, ...lines.slice(i, i + n)); break;
    case 'swap': { const j = r.int(lines.length); [lines[i], lines[j]] = [lines[j], lines[i]]; break; }
    case 'indent': lines[i] = ' '.repeat(r.range(1, 9)) + lines[i]; break;
    case 'dedent': lines[i] = lines[i].trimStart(); break;
    case 'tab': lines[i] = lines[i].replace(/^ +/, '\t'); break;
    case 'repeat': lines.splice(i, 0, ...Array(r.pick([100, 1000, 5000])).fill(lines[i])); break;
  }
  c.ws.set(file, lines.join('\n'));
  return `${op} line ${i + 1} of ${file}`;
};

const JUNK = ['\u0000', '\ufeff', '\ud800', '\u2028', '\u202e', '\r', '\t', '{{', '}}', ': ', '- ', '&a ', '*a ', '*zz ', '!!binary ', '!foo ', '%YAML 1.1\n', '---\n', '...\n', '"', "'", '[', ']', '{', '}', '#', '|', '>', '? ', '<<: ', '😀', 'e\u0301', '\\', '\u0085', '\x1b[31m'];

M.insertJunk = (c, r) => {
  const file = pickFile(c, r);
  const text = c.ws.text(file);
  if (text === undefined) return undefined;
  const n = r.range(1, 5);
  let out = text;
  for (let i = 0; i < n; i++) {
    const at = r.int(out.length + 1);
    out = out.slice(0, at) + r.pick(JUNK) + out.slice(at);
  }
  c.ws.set(file, out);
  return `insert ${n} junk tokens into ${file}`;
};

M.encoding = (c, r) => {
  const file = pickFile(c, r);
  const text = c.ws.text(file);
  if (text === undefined) return undefined;
  const op = r.pick(['crlf', 'cr', 'bom', 'bom+crlf', 'utf16le', 'utf16be', 'latin1', 'nul-every-char']);
  let data;
  switch (op) {
    case 'crlf': data = text.replace(/\n/g, '\r\n'); break;
    case 'cr': data = text.replace(/\n/g, '\r'); break;
    case 'bom': data = '\ufeff' + text; break;
    case 'bom+crlf': data = '\ufeff' + text.replace(/\n/g, '\r\n'); break;
    case 'utf16le': data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]); break;
    case 'utf16be': data = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]); break;
    case 'latin1': data = Buffer.from(text.replace(/e/g, 'é'), 'latin1'); break;
    case 'nul-every-char': data = text.split('').join('\u0000'); break;
  }
  c.ws.set(file, data);
  return `${op} ${file}`;
};

// --- manifest structure ---

M.wrongType = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const nodes = nodePaths(doc);
    if (!nodes.length) return undefined;
    const { path } = r.pick(nodes);
    const value = weirdScalar(r);
    doc.setIn(path, doc.createNode(value));
    return `manifest ${path.join('.')} = ${describe(value)}`;
  });

M.dropKey = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const nodes = nodePaths(doc);
    if (!nodes.length) return undefined;
    const { path } = r.pick(nodes);
    doc.deleteIn(path);
    return `manifest drop ${path.join('.')}`;
  });

M.renameKey = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const maps = nodePaths(doc).filter((n) => YAML.isMap(n.node) && n.node.items.length);
    if (YAML.isMap(doc.contents)) maps.push({ node: doc.contents, path: [] });
    const { node, path } = r.pick(maps);
    const pair = r.pick(node.items);
    const name = r.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'ID', 'Id', 'id ', 'x-extra', hugeString(r, 'k'), '😀', '0', 'null', '<<']);
    const old = YAML.isScalar(pair.key) ? pair.key.value : '?';
    pair.key = doc.createNode(name);
    return `manifest rename ${[...path, old].join('.')} to ${describe(name)}`;
  });

M.duplicateItem = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const seqs = nodePaths(doc).filter((n) => YAML.isSeq(n.node) && n.node.items.length);
    if (!seqs.length) return undefined;
    const { node, path } = r.pick(seqs);
    const item = r.pick(node.items);
    const times = r.pick([1, 1, 2, 50]);
    for (let i = 0; i < times; i++) node.items.push(item.clone ? item.clone() : item);
    return `manifest duplicate an item of ${path.join('.')} ${times}×`;
  });

M.version = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const v = r.pick(['1', 1.0, 2, 0, -1, '1.0', 'v1', null, [1], { v: 1 }, 1e100, '١']);
    doc.set('version', doc.createNode(v));
    return `manifest version = ${describe(v)}`;
  });

M.topLevelJunk = (c, r) => {
  const text = c.ws.text(MANIFEST) ?? '';
  const v = r.pick([
    '',
    '# only a comment\n',
    '---\n',
    '--- |\n  text\n',
    'null\n',
    '[1, 2, 3]\n',
    '"a string"\n',
    '42\n',
    `${text}\n---\n${text}`,
    `%YAML 1.1\n---\n${text}`,
    `%YAML 9.9\n---\n${text}`,
    `%TAG ! tag:example.com,2000:\n---\n${text}`,
    `!!map\n${text}`,
    `--- !foo\n${text}`,
    `${text}\n...\n${hugeString(r, 'garbage ')}`,
    `? [a, b]\n: c\n${text}`,
    `${text}\nx-binary: !!binary ${Buffer.from('hello').toString('base64')}\nx-set: !!set {a, b}\nx-omap: !!omap [a: 1]\nx-ts: !!timestamp 2001-12-14t21:59:43.10-05:00\nx-fn: !!js/function "function(){}"\nx-re: !!js/regexp /a+/\n`,
  ]);
  c.ws.set(MANIFEST, v);
  return `manifest replaced by a ${v.length}-character document oddity`;
};

M.deepNesting = (c, r) => {
  const file = r.weighted([[5, MANIFEST], [2, 'evals'], [2, 'json'], [1, LEDGER]]);
  const depth = r.pick([99, 100, 101, 150, 1000, 10_000, 100_000]);
  const block = r.chance(0.3);
  if (file === MANIFEST) {
    const text = c.ws.text(MANIFEST) ?? '';
    const nest = block
      ? r.chance(0.5)
        ? Array.from({ length: Math.min(depth, 3000) }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1'
        : 'x-deep:\n' + rep('- ', Math.min(depth, 20000) * 2) + '1'
      : `x-deep: ${nestedFlow(r, depth)}`;
    const where = r.pick(['end', 'start', 'intents']);
    const out = where === 'start' ? `${nest}\n${text}` : where === 'end' ? `${text}\n${nest}\n` : text.replace(/intents: \[/, `intents: [${nestedFlow(r, depth)}, `);
    c.ws.set(MANIFEST, out);
    return `manifest nested ${depth} deep (${block ? 'block' : 'flow'}, ${where})`;
  }
  if (file === 'evals') {
    const target = r.pick(c.ws.matching(/^evals\/.*\.(ya?ml|jsonl|json|csv)$/).concat(['evals/deep.yaml']));
    const nest = target.endsWith('.jsonl') || target.endsWith('.json') ? rep('[', depth) + rep(']', depth) : r.chance(0.5) ? nestedFlow(r, depth) : `- ${rep('- ', Math.min(depth, 20000))}1`;
    c.ws.set(target, target.endsWith('.jsonl') ? `${c.ws.text(target) ?? ''}\n${nest}\n` : nest);
    return `${target} nested ${depth} deep`;
  }
  if (file === LEDGER) {
    c.ws.set(LEDGER, `{"version":1,"reviews":{"prompt":${rep('[', depth)}${rep(']', depth)}}}`);
    return `ledger nested ${depth} deep`;
  }
  const target = r.pick(c.ws.matching(/\.json$/).filter((p) => p !== LEDGER).concat(['tools/refund.json']));
  c.ws.set(target, `{"name":"x","description":${rep('{"a":', depth * 5)}1${rep('}', depth)}}`);
  return `${target} nested ${depth} deep`;
};

M.hugeValue = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const scalars = nodePaths(doc).filter((n) => YAML.isScalar(n.node));
    if (!scalars.length) return undefined;
    const { path } = r.pick(scalars);
    const s = hugeString(r, r.pick(['x', 'a-', 'é', '*', '{a,b}', '**/', '(', '\\', '😀', 'it\'s "x" ', '\n', ' ', '\t"\'']));
    doc.setIn(path, s);
    return `manifest ${path.join('.')} = ${s.length}-character string`;
  });

// --- YAML aliases and anchors ---

function aliasBombText(levels, width) {
  const lines = [`x-b0: &b0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`x-b${i}: &b${i} [${Array(width).fill(`*b${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

M.aliases = (c, r) => {
  const op = r.pick(['bomb-manifest', 'bomb-eval', 'bomb-model', 'alias-model', 'self', 'missing', 'merge', 'many', 'anchor-on-key']);
  const text = c.ws.text(MANIFEST) ?? '';
  const levels = r.range(2, 10);
  const width = r.range(2, 10);
  const top = (s) => text.replace(/^version:.*$/m, (v) => `${v}\n${s}`);
  switch (op) {
    case 'bomb-manifest': {
      const target = r.pick(['members', 'intents', 'phrases', 'files']);
      let out = top(aliasBombText(levels, width));
      out = out.replace(new RegExp(`(\\n\\s+${target}:) [^\\n]*`), `$1 *b${levels - 1}`);
      c.ws.set(MANIFEST, out);
      return `manifest alias bomb ${width}^${levels} used as ${target}`;
    }
    case 'bomb-eval': {
      const target = r.pick(c.ws.matching(/^evals\/.*\.ya?ml$/).concat(['evals/bomb.yaml']));
      c.ws.set(target, `${aliasBombText(levels, width)}\ntests: *b${levels - 1}\ndefaultTest: { metadata: { intent: *b${levels - 1} } }\n`);
      return `${target} alias bomb ${width}^${levels}`;
    }
    case 'bomb-model':
    case 'alias-model': {
      const target = c.ws.matching(/^config\/.*\.ya?ml$/)[0] ?? 'config/llm.yaml';
      c.ws.set(target, op === 'alias-model' ? `defaults: &m gpt-4.1-mini\nmodel: *m\n` : `${aliasBombText(levels, width)}\nmodel: *b${levels - 1}\n`);
      return `${target}: model is an alias (${op})`;
    }
    case 'self':
      c.ws.set(MANIFEST, top(r.pick(['x-self: &s [*s]', 'x-self: &s {a: *s}', 'x-a: &a *a', 'x-a: &a [&b [*a, *b]]'])));
      return 'manifest self-referencing alias';
    case 'missing':
      c.ws.set(MANIFEST, text.replace(/(\n\s+owner:) \w+/, '$1 *nowhere'));
      return 'manifest alias to a missing anchor';
    case 'merge':
      c.ws.set(
        MANIFEST,
        text.replace(/\nartifacts:\n/, `\nx-base: &base { kind: system-prompt, owner: platform, files: "**", intents: [refund-status] }\nartifacts:\n  - { <<: *base, id: merged }\n  - { <<: [*base, *base], id: merged2, <<: *base }\n`),
      );
      return 'manifest merge keys';
    case 'many': {
      const n = r.pick([100, 101, 1000, 20000]);
      c.ws.set(MANIFEST, top(`x-one: &one 1\nx-many: [${Array(n).fill('*one').join(', ')}]`));
      return `manifest ${n} aliases of one anchor`;
    }
    case 'anchor-on-key':
      c.ws.set(MANIFEST, text.replace(/\n(\s+)- id: /, '\n$1- &k id: ').replace(/\nintents:\n/, '\nintents:\n  - *k : x\n'));
      return 'manifest anchor on a key, alias as a key';
  }
  return undefined;
};

// --- surface markers ---

const EVIL_MARKERS = [
  ['data-intent="(?<intent>(?:[a-z0-9]|[a-z-])+)"', 'data-intent="', 'expressrefundforreturningcustomersxy'],
  ['data-intent="(?<intent>(?:[a-z]+)+)"', 'data-intent="', 'a'],
  ['(?<intent>(a+)+)$', '', 'a'],
  ['(?<intent>(a|aa)+)b', '', 'a'],
  ['(?<intent>(.*)*)X', '', 'y'],
  ['(?<intent>(?:x+x+)+)y', '', 'x'],
  ['(?<intent>[a-z-]+)(?:-[a-z]+)*"', 'data-intent="', 'ab-'],
  ['(?<intent>\\w+)\\s*=\\s*(\\w+\\s*)*;', 'x = ', 'a '],
  ['(?<intent>(?:a|a)*)$', '', 'a'],
  ['data-intent="(?<intent>[^"]*)*"', 'data-intent="', 'abc'],
  ['(?<intent>(\\w+\\s?)+)$', '', 'word '],
  ['(?<intent>.*.*.*.*.*=)', '', 'x'],
];

const ODD_MARKERS = [
  '(?<intent>)', '(?<intent>a*)', '(?<intent>x?)', '(?<intent>\\b)', '(?<intent>^)', '(?<intent>$)', '(?<intent>(?=a))', '(?<intent>.)|',
  '(?<intent>a)\\k<intent>', '(?<intent>a)\\1', '(a)(?<intent>\\1)', '(?<=x)(?<intent>a)', '(?<!x)(?<intent>a)', '(?=(?<intent>a))',
  '(?i)(?<intent>a)', '(?s)(?<intent>.)', '(?<intent>\\p{L}+)', '(?<intent>\\P{Lu})', '(?<intent>[\\d-z])', '(?<intent>a{1000000})', '(?<intent>a{2,1})',
  '(?<intent>(?<intent>a))', '(?<Intent>a)', '(?<intent>a)(?<intent2>b)', '(?<intent>\\u{10FFFF})', '(?<intent>[^])', '(?<intent>[])', '(?<intent>a', '(?<intent>a))',
  '(?<intent>*)', '(?<intent>a**)', '(?<intent>\\)', '(?<intent>[[:alpha:]]+)', '(?<intent>\\Qa\\E)', '(?P<intent>a)', "(?'intent'a)", '(?<intent>a)(?#comment)',
  '(?<intent>a)++', '(?<intent>a)*+', '(?<intent>(?>a+))', '(?<intent>\\X)', '(?<intent>\\R)', '(?<intent>a)\\z', '(?<intent>a)\\Z', '\\A(?<intent>a)',
  '(?<intent>\\cJ)', '(?<intent>\\0)', '(?<intent>\\x{41})', '(?<intent>\\N{DIGIT ONE})', '(?<intent>[a-z&&[^b]])', '(?<intent>(?(1)a|b))',
  '(?<intent>\u0000)', '(?<intent>\ud800)', '(?<intent>😀+)', '(?<intent>.)', '(?<intent>[\\s\\S]+)', '(?<intent>(?:(?:(?:a)))){0,100000}',
];

M.marker = (c, r) => {
  const op = r.weighted([[4, 'evil'], [4, 'odd'], [2, 'long'], [1, 'nested-groups'], [1, 'many-surfaces']]);
  let marker;
  let ui;
  if (op === 'evil') {
    const [m, prefix, unit] = r.pick(EVIL_MARKERS);
    marker = m;
    const n = r.pick([30, 34, 40, 64, 1000, 20000]);
    ui = `export const X = () => <button ${prefix}${rep(unit, n)}\n`;
  } else if (op === 'odd') {
    marker = r.pick(ODD_MARKERS);
    ui = `<div data-intent="refund-status">${rep('a', r.pick([10, 1000, 20_000]))}</div>\n`;
  } else if (op === 'long') {
    const n = r.pick([999, 1000, 1001, 10_000, 32_768, 65_536, 70_000]);
    marker = r.chance(0.5) ? `data-intent="(?<intent>${rep('a|', n)}b)"` : `(?<intent>[a-z]+)${rep('x', n)}`;
    ui = '<div data-intent="refund-status"/>\n';
  } else if (op === 'nested-groups') {
    const n = r.pick([100, 1000, 10_000, 30_000]);
    marker = `(?<intent>${rep('(', n)}a${rep(')', n)})`;
    ui = '<div>aaaa</div>\n';
  } else {
    const n = r.pick([100, 500, 2000]);
    return editYaml(c.ws, MANIFEST, (doc) => {
      const surfaces = Array.from({ length: n }, (_, i) => ({ files: `src/**/*.tsx`, marker: `data-i${i}="(?<intent>[a-z-]+)"`, owner: 'product' }));
      doc.set('surfaces', doc.createNode(surfaces));
      return `manifest with ${n} surfaces`;
    });
  }
  const uiFile = r.pick(c.ws.matching(/\.tsx$/).concat(['src/ui/Fuzz.tsx']));
  const ok = editYaml(c.ws, MANIFEST, (doc) => {
    const surfaces = seqItems(doc, 'surfaces').filter(YAML.isMap);
    if (surfaces.length) r.pick(surfaces).set('marker', marker);
    else doc.set('surfaces', doc.createNode([{ files: '**/*.tsx', marker, owner: 'product' }]));
    return true;
  });
  if (!ok) return undefined;
  c.ws.set(uiFile, (r.chance(0.5) ? c.ws.text(uiFile) ?? '' : '') + ui);
  return `marker ${describe(marker)} with ${describe(ui)} in ${uiFile}`;
};

// --- copy phrases ---

M.phrases = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const intents = seqItems(doc, 'intents').filter(YAML.isMap);
    if (!intents.length) return undefined;
    const op = r.pick(['many', 'huge', 'regex', 'empty', 'types', 'unicode', 'overlap', 'repeated']);
    let phrases;
    switch (op) {
      case 'many': phrases = Array.from({ length: r.pick([100, 1000, 5000]) }, (_, i) => `ordinary phrase number ${i} about refunds`); break;
      case 'huge': phrases = [rep(r.pick(['a', 'refund ', 'é', '.*']), r.pick([1001, 10_000, 65_536, 200_000]))]; break;
      case 'regex': phrases = ['.*', '(a+)+$', '[', '\\', '$&', '(?<intent>x)', 'a|b', '^', '\\b', '{1,2}', '*', '+', '?']; break;
      case 'empty': phrases = ['', ' ', '\n', '\t', '\u0000', '\ufeff']; break;
      case 'types': phrases = [1, null, true, [], {}, ['nested'], { a: 'b' }]; break;
      case 'unicode': phrases = ['İ', 'ı', 'ß', 'ẞ', 'ﬁ', 'e\u0301', '\u212a', 'Σ', 'ς', '😀', '\u202e', 'ＲＥＦＵＮＤ', '\ud800']; break;
      case 'overlap': phrases = Array.from({ length: 300 }, (_, i) => rep('a', i + 1)); break;
      case 'repeated': {
        // One ordinary phrase, promised many times over in one help page.
        phrases = ['express refund'];
        const help = c.ws.matching(/\.md$/)[0] ?? 'docs/help.md';
        c.ws.set(help, rep('Choose express refund at checkout.\n', 35 * r.pick([100, 1000, 3000, 10_000])));
        break;
      }
    }
    r.pick(intents).set('phrases', doc.createNode(phrases));
    if (op === 'huge' || op === 'overlap' || op === 'regex') {
      const help = c.ws.matching(/\.md$/)[0] ?? 'docs/help.md';
      c.ws.set(help, rep(r.pick(['a', 'refund ', 'aaaa aaaa ']), r.pick([1000, 100_000, 1_000_000])));
    }
    return `phrases: ${op}`;
  });

// --- globs and paths ---

function hostileGlob(r) {
  return r.pick([
    () => rep('a/', r.pick([1000, 32_768, 65_537, 70_000])) + '*.md',
    () => rep('*', r.pick([1000, 70_000])),
    () => rep('{a,b}', r.range(10, 24)) + '.md',
    () => rep('{a,{b,', r.pick([50, 500, 5000])) + 'c' + rep('}}', r.pick([50, 500, 5000])),
    () => rep('**/', r.pick([50, 500, 5000])) + '*.md',
    () => rep('?', r.pick([1000, 70_000])),
    () => rep('[', r.pick([1, 100, 10_000])),
    () => '[' + rep('a-z', 10_000) + ']',
    () => rep('+(a|', r.pick([10, 100, 1000])) + 'b' + rep(')', r.pick([10, 100, 1000])),
    () => rep('!(', 500) + 'x' + rep(')', 500),
    () => '{1..1000000}',
    () => '{a..z}{a..z}{a..z}{a..z}{a..z}',
    () => '{' + Array.from({ length: 10_000 }, (_, i) => `f${i}`).join(',') + '}',
    () => r.pick(['..', '../**', '../outside/*', '/etc/*', '/**', 'C:/**', '//server/share/*', '~/*', 'file:///etc/passwd', './../*', 'a/../../*', '**/../../*', '\u0000', '', ' ', '\\*', '\\', '#', '!**', '!', '**/*/../../..']),
  ])();
}

M.globs = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const holders = [...seqItems(doc, 'artifacts'), ...seqItems(doc, 'surfaces')].filter(YAML.isMap);
    if (!holders.length) return undefined;
    const target = r.pick(holders);
    const op = r.pick(['one', 'list', 'many', 'reviews']);
    let value;
    if (op === 'one') value = hostileGlob(r);
    else if (op === 'list') value = Array.from({ length: r.range(2, 10) }, () => hostileGlob(r));
    else if (op === 'many') value = Array.from({ length: r.pick([100, 1000, 3000]) }, (_, i) => `docs/**/file-${i}-{a,b}.md`);
    else {
      value = hostileGlob(r);
      doc.set('reviews', value);
      return `reviews: ${describe(value)}`;
    }
    target.set('files', doc.createNode(value));
    return `files: ${describe(value)}`;
  });

M.ledgerPath = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const v = r.pick([...c.ws.paths().filter((p) => !p.startsWith('.counterpart')), '.counterpart', '.', '', 'counterpart.yaml', '../outside/ledger.json', '/etc/passwd', 'x.json', 'reviews.yaml', '.counterpart/reviews.json/', 'fifo.json', 'link-out.json']);
    doc.set('reviews', v);
    if (v === 'fifo.json') c.ws.fifo(v);
    if (v === 'link-out.json') c.ws.link(v, '../outside/ledger.json');
    return `reviews: ${describe(v)}`;
  });

// --- locators ---

const JUNK_LOCATORS = [
  '', '.', '..', 'a..b', '.a', 'a.', '__proto__', 'constructor', 'constructor.prototype', 'toString', 'prototype.x', '0', '-1', '1e3', 'a.0.b', 'a[0]', "a['b']",
  '/', '//', '/~', '/~2', '/~01', '/a~1b', '#/description', '/description/', '/-', '/0', '/__proto__', '/constructor/prototype', 'description', 'ö', '\n', 'a\u0000b', 'a.*b', '(?:', '$', '^',
  'systemPrompt.trim', 'systemPrompt.x.y.z', 'helpCopy', 'lookupOrder', 'tools.lookupOrder.description', 'refund_agent.instructions.x', 'escalation-prompt', 'counterpart:begin',
  'track_parcel', 'issue_refund', 'model', 'description',
];

M.locator = (c, r) =>
  editYaml(c.ws, MANIFEST, (doc) => {
    const picked = pickArtifact(doc, r);
    if (!picked) return undefined;
    const kind = r.pick(['symbol', 'tool', 'region', 'pointer']);
    const value = r.weighted([
      [6, () => r.pick(JUNK_LOCATORS)],
      [1, () => rep('a.', r.pick([1000, 10_000, 70_000])) + 'a'],
      [1, () => rep('/a', r.pick([1000, 10_000, 70_000]))],
      [1, () => hugeString(r)],
      [1, () => weirdScalar(r)],
    ])();
    const node = picked.node;
    if (r.chance(0.7)) for (const k of ['symbol', 'tool', 'region', 'pointer']) node.delete(k);
    node.set(kind, doc.createNode(value));
    if (r.chance(0.3)) node.set('files', r.pick(c.ws.paths().concat(['**/*', '**', 'fifo.ts', 'bin.py', 'link-out.ts'])));
    if (node.get('files') === 'fifo.ts') c.ws.fifo('fifo.ts');
    if (node.get('files') === 'bin.py') c.ws.set('bin.py', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff)));
    if (node.get('files') === 'link-out.ts') c.ws.link('link-out.ts', '../outside/code.ts');
    return `artifact ${describe(node.get('id'))} ${kind}: ${describe(value)}`;
  });

// --- code files behind locators ---

function hostileCode(r, lang) {
  const n = r.pick([100, 1000, 10_000, 50_000]);
  if (lang === 'py') {
    return r.pick([
      () => `instructions = ${rep('(', n)}"x"${rep(')', n)}\n`,
      () => `refund_agent = Agent(name="R", instructions=${Array(n).fill('"a"').join(' ')})\n`,
      () => `a = b\nb = a\nrefund_agent = Agent(instructions=a)\n`,
      () => `refund_agent = Agent(instructions=refund_agent.instructions)\n`,
      () => `refund_agent = Agent(instructions=${Array(n).fill('"a"').join(' + ')})\n`,
      () => `@function_tool\ndef issue_refund():\n    """${rep('doc ', n * 10)}"""\n`,
      () => `def issue_refund(:\n  """unterminated\n`,
      () => rep('class A:\n', 1) + Array.from({ length: Math.min(n, 5000) }, (_, i) => ' '.repeat(i + 1) + `def f${i}():`).join('\n') + '\n',
      () => `x = f"${rep('{', n)}"\n`,
      () => rep('data-intent="refund-status" ', n * 20),
      () => rep('a-b="c" (', n * 10),
      () => `refund_agent = Agent(instructions=${rep('[', n)}${rep(']', n)})\n`,
    ])();
  }
  return r.pick([
    () => `export const systemPrompt = ${rep('(', n)}'x'${rep(')', n)};\n`,
    () => `export const systemPrompt = ${Array(n).fill("'a'").join(' + ')};\n`,
    () => `export const systemPrompt = ${rep('`${', Math.min(n, 5000))}x${rep('}`', Math.min(n, 5000))};\n`,
    () => `const a = b;\nconst b = a;\nexport const systemPrompt = a;\n`,
    () => `export const systemPrompt = systemPrompt;\n`,
    () => `export const systemPrompt = 'x'${rep('.trim()', n)};\n`,
    () => `export const systemPrompt = [${Array(n).fill("'a'").join(', ')}].join('\\n');\n`,
    () => `export const helpCopy = { ${rep('a: { ', n)}b: 'x'${rep(' }', n)} };\n`,
    () => `const tools = { lookupOrder: tool({ description: ${rep('{', n)} }) };\n`,
    () => `export const systemPrompt = \`${rep('unterminated template ', n)}\n`,
    () => rep('data-intent="refund-status" ', n * 20),
    () => rep('<a b={', n * 10),
    () => rep('@x ', n * 10),
    () => `export const ${rep('a', 70_000)} = 'x';\n`,
    () => `server.registerTool(${Array(Math.min(n, 5000)).fill('"read_file", { description: "x" }').join(', ')});\n`,
    () => `${rep('a.', n)}b = 1;\nexport const systemPrompt = dedent\`${rep('  line\n', n)}\`;\n`,
    () => rep('// counterpart:begin escalation-prompt\n', Math.min(n, 20000)) + rep('// counterpart:end escalation-prompt\n', r.int(3)),
  ])();
}

M.code = (c, r) => {
  const files = c.ws.matching(/\.(ts|tsx|py|go|js)$/);
  const file = files.length ? r.pick(files) : r.pick(['app/api/chat/route.ts', 'agents/refunds.py']);
  c.ws.set(file, hostileCode(r, file.endsWith('.py') ? 'py' : 'ts'));
  return `${file}: hostile code`;
};

// Text the code parsers recover from slowly (tree-sitter error recovery), in a file a `symbol` or `tool` reads.
const PARSER_STRESS = ['data-intent="refund-status" ', 'a-b="c" ', '<a b={', ') (', 'def (', '@x ', '"""x ', '$ ', ': = ', 'lambda: ('];

M.parserStress = (c, r) => {
  const lang = r.pick(['py', 'ts', 'tsx', 'js']);
  const file = `stress/code.${lang}`;
  const unit = r.pick(PARSER_STRESS);
  const size = r.pick([10_000, 50_000, 100_000, 300_000]);
  const text = c.ws.text(MANIFEST);
  if (text === undefined || !/^artifacts:\s*$/m.test(text)) return undefined;
  const locator = r.pick(['symbol: systemPrompt', 'tool: lookup_order', 'symbol: refund_agent.instructions']);
  c.ws.set(file, rep(unit, size));
  c.ws.set(MANIFEST, text.replace(/^artifacts:\s*$/m, `artifacts:\n  - { id: stress, kind: system-prompt, files: ${file}, ${locator}, owner: platform }\n`));
  return `${file}: ${size} characters of ${JSON.stringify(unit)} behind ${locator}`;
};

// --- eval files ---

M.evals = (c, r) => {
  const yamls = c.ws.matching(/^evals\/.*\.ya?ml$/);
  const file = yamls.length ? r.pick(yamls) : 'evals/fuzz.yaml';
  const dir = posix.dirname(file);
  const self = posix.basename(file);
  const op = r.pick(['self-loop', 'pair-loop', 'glob-self', 'outside', 'absolute', 'long-ref', 'tests-type', 'vars-type', 'intent-type', 'many-cases', 'csv', 'jsonl', 'json', 'intentField', 'format', 'prompts', 'exercises', 'fifo', 'dir-ref']);
  switch (op) {
    case 'self-loop':
      c.ws.set(file, `tests: file://${self}\n`);
      break;
    case 'pair-loop':
      c.ws.set(file, `tests:\n  - file://loop-b.yaml\n`);
      c.ws.set(`${dir}/loop-b.yaml`, `- file://${self}\n- file://loop-b.yaml\n`);
      break;
    case 'glob-self':
      c.ws.set(file, `tests:\n  - file://**/*.yaml\n  - file://*\n  - file://${rep('{a,b}', 20)}\n`);
      break;
    case 'outside':
      c.ws.set(file, `prompts: [file://../../outside/secret.md]\ntests:\n  - file://../../outside/cases.yaml\n  - file://${rep('../', 30)}etc/passwd\n  - file://../../outside/link.yaml\n`);
      break;
    case 'absolute':
      c.ws.set(file, `tests:\n  - file:///etc/passwd\n  - file:///dev/zero\n  - file:///proc/self/fd/0\n  - file://C:/x.yaml\n  - file://\\\\server\\share\\x.yaml\n`);
      break;
    case 'long-ref':
      c.ws.set(file, `tests:\n  - file://${rep('a/', r.pick([1000, 40_000]))}x.yaml\n  - "file://${rep('%00', 100)}"\n  - file://\n  - file://.\n  - file://..\n`);
      break;
    case 'tests-type':
      c.ws.set(file, `tests: ${r.pick(['42', 'null', 'true', '"file://"', '{a: 1}', '[1, 2, null, [], "x"]', '[[[]]]', '!!binary aGVsbG8=', '"*.yaml"'])}\n`);
      break;
    case 'vars-type':
      c.ws.set(file, `tests:\n  - vars: ${r.pick(['42', 'null', '[1]', '"file://../../outside/secret.md"', `"${rep('v', 100_000)}"`, '{message: [1, {a: b}]}'])}\n    description: ${r.pick(['1', 'null', '[]', '{}', `"${rep('d', 100_000)}"`])}\n    metadata: { intent: refund-status }\n`);
      break;
    case 'intent-type':
      c.ws.set(file, `tests:\n  - metadata: { intent: ${r.pick(['42', 'null', '[]', '{}', '[[a]]', '[1, null, refund-status]', '""', '__proto__', 'constructor', `"${rep('i', 70_000)}"`, '[' + Array(5000).fill('refund-status').join(', ') + ']'])} }\n`);
      break;
    case 'many-cases':
      c.ws.set(file, 'tests:\n' + rep(`  - metadata: { intent: refund-status }\n    vars: { m: x }\n`, 60 * r.pick([100, 1000, 5000])));
      break;
    case 'csv': {
      const csv = r.pick([
        () => 'message,__metadata:intent\n"unterminated,refund-status\n',
        () => '\ufeffmessage,__metadata:intent\r\nhi,refund-status\r\n',
        () => `message,__metadata:intent\n${rep('a', 2_000_000)},x\n`,
        () => Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',') + '\n1\n',
        () => 'message,__metadata:intent\n' + rep('x,refund-status\n', 50_000),
        () => ',,,,\n,,,,\n',
        () => '"a""b",__metadata:intent\n"""""",x\n',
        () => 'message\r__metadata:intent\rx\r',
        () => '__metadata:intent,__metadata:intent\nx,y\n',
        () => '__proto__,constructor,__metadata:__proto__\n1,2,3\n',
        () => '\u0000\u0000\u0000',
      ])();
      c.ws.set(`${dir}/fuzz.csv`, csv);
      c.ws.set(file, `tests: file://fuzz.csv\n`);
      break;
    }
    case 'jsonl':
    case 'json': {
      const target = r.pick(c.ws.matching(op === 'jsonl' ? /\.jsonl$/ : /^evals\/.*\.json$/).concat([`evals/fuzz.${op}`]));
      const body = r.pick([
        () => '{"intent":"refund-status"\n{"intent":\n',
        () => '\u0000{}\n',
        () => '[]\n1\n"x"\nnull\ntrue\n',
        () => '{"intent":' + rep('[', 100_000) + '\n',
        () => '{"__proto__":{"intent":"x"},"intent":"refund-status"}\n',
        () => '{"intent":{"toString":"x"}}\n{"intent":[1,2,[3]]}\n',
        () => rep('{"intent":"refund-status","input":"x"}\n', 50 * r.pick([10, 1000, 20_000])),
        () => rep('{', 3_000_000),
        () => `{"intent":"${rep('x', 1_500_000)}"}\n`,
        () => '{"intent":"a"}\r\n{"intent":"b"}\r\n\r\n',
        () => '{"a":1,"a":2,"intent":"refund-status","intent":"dup"}\n',
        () => '{"intent":"refund-status"} trailing\n',
        () => '\ufeff{"intent":"refund-status"}\n',
      ])();
      c.ws.set(target, body);
      if (!c.ws.text(MANIFEST)?.includes(target)) {
        editYaml(c.ws, MANIFEST, (doc) => {
          const arts = doc.get('artifacts');
          if (YAML.isSeq(arts)) arts.items.push(doc.createNode({ id: 'fuzz-evals', kind: 'eval-set', files: target, owner: 'platform', format: op }));
          return true;
        });
      }
      return `${target}: malformed ${op}`;
    }
    case 'intentField':
    case 'format':
      return editYaml(c.ws, MANIFEST, (doc) => {
        const picked = pickArtifact(doc, r, ['eval-set']) ?? pickArtifact(doc, r);
        if (!picked) return undefined;
        const v =
          op === 'format'
            ? r.pick(['promptfoo', 'jsonl', 'json', 'csv', 'yaml', '', 'PROMPTFOO', 1, null, []])
            : r.pick(['', '.', '..', 'a..b', '__proto__', '__proto__.intent', 'constructor.name', 'metadata.__proto__', 'vars.0', 'length', rep('a.', 10_000) + 'a', 'metadata.intent.', '.metadata', 'toString', 1, null, ['a']]);
        picked.node.set(op, doc.createNode(v));
        return `eval set ${op}: ${describe(v)}`;
      });
    case 'prompts':
      c.ws.set(file, `prompts:\n  - ${r.pick(['file://../app/api/chat/route.ts:', 'file://../app/api/chat/route.ts:__proto__', 'file://' + self, 'file://../prompts/*', `file://${rep('x', 70_000)}`, 'file://../../outside/secret.md', '{{message}}', '42', 'file://../counterpart.yaml:version'])}\n  - ${r.pick(['null', '[]', '{id: file://x, label: 1}', '{raw: 1}'])}\ntests:\n  - metadata: { intent: refund-status }\n`);
      break;
    case 'exercises':
      return editYaml(c.ws, MANIFEST, (doc) => {
        const picked = pickArtifact(doc, r, ['eval-set']) ?? pickArtifact(doc, r);
        if (!picked) return undefined;
        const v = r.pick([['__proto__'], ['nope'], [], 'support-prompt', 1, null, [[]], Array(1000).fill('support-prompt'), [picked.node.get('id')]]);
        picked.node.set('exercises', doc.createNode(v));
        return `exercises: ${describe(v)}`;
      });
    case 'fifo':
      c.ws.set(file, 'tests: file://pipe.yaml\n');
      c.ws.fifo(`${dir}/pipe.yaml`);
      break;
    case 'dir-ref':
      c.ws.set(file, 'tests:\n  - file://.\n  - file://sub\n  - file://sub/\n');
      c.ws.dir(`${dir}/sub`);
      break;
  }
  return `${file}: ${op}`;
};

// --- the ledger ---

M.ledger = (c, r) => {
  const entry = (o) => JSON.stringify({ version: 1, reviews: o });
  const ids = [...(c.ws.text(MANIFEST) ?? '').matchAll(/- id: ([\w-]+)/g)].map((m) => m[1]);
  const id = ids.length ? r.pick(ids) : 'prompt';
  const v = r.pick([
    () => '',
    () => 'null',
    () => '[]',
    () => '"x"',
    () => '{',
    () => '{"version":2,"reviews":{}}',
    () => '{"version":"1","reviews":{}}',
    () => '{"version":1}',
    () => '{"version":1,"reviews":[]}',
    () => '{"version":1,"reviews":null}',
    () => entry({ [id]: null }),
    () => entry({ [id]: [] }),
    () => entry({ [id]: 'sha256:x' }),
    () => entry({ [id]: { hash: 42, by: [], side: {}, at: 'yesterday', commit: '--output=/tmp/pwned' } }),
    () => entry({ [id]: { hash: 'sha256:' + rep('f', 64), by: '@dana', side: 'product', at: '2026-99-99T99:99:99Z', commit: '-c core.pager=touch /tmp/x' } }),
    () => entry({ [id]: { hash: 'sha256:' + rep('0', 64), by: '@dana', side: 'product', at: '2026-01-01T00:00:00Z', text: rep('reviewed line\n', r.pick([1000, 20_000, 200_000])) } }),
    () => entry({ [id]: { hash: 'sha256:' + rep('0', 64), by: '@dana', side: 'product', at: '2026-01-01T00:00:00Z', text: 1, conditions: [1, null, { a: 1 }, rep('only ', 10_000)] } }),
    () => entry({ __proto__: { hash: 'x' }, constructor: { hash: 'y' }, toString: { hash: 'z' } }).replace('{"constructor"', '{"__proto__":{"hash":"x"},"constructor"'),
    () => entry(Object.fromEntries(Array.from({ length: r.pick([1000, 50_000]) }, (_, i) => [`a${i}`, { hash: 'sha256:x', by: '@x', side: 'product', at: '2026-01-01T00:00:00Z' }]))),
    () => `{"version":1,"reviews":{"${id}":{"hash":"a"},"${id}":{"hash":"b"}}}`,
    () => '\ufeff{"version":1,"reviews":{}}',
    () => '{"version":1,"reviews":{}} trailing',
    () => `{"version":1,"reviews":{"${id}":{"hash":"sha256:${rep('0', 64)}","by":"@dana","side":"product","at":"2026-01-01T00:00:00Z","text":"${rep('\\u0000', 1000)}"}}}`,
    () => Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    () => rep('{"a":', 100_000),
  ])();
  const how = r.pick(['file', 'file', 'file', 'dir', 'counterpart-file', 'link-out', 'link-loop', 'fifo', 'huge']);
  switch (how) {
    case 'file': c.ws.set(LEDGER, v); break;
    case 'dir': c.ws.delete(LEDGER); c.ws.dir(LEDGER); break;
    case 'counterpart-file': c.ws.delete(LEDGER); c.ws.set('.counterpart', 'not a folder'); break;
    case 'link-out': c.ws.delete(LEDGER); c.ws.link(LEDGER, '../../outside/ledger.json'); break;
    case 'link-loop': c.ws.delete(LEDGER); c.ws.link(LEDGER, 'reviews.json'); break;
    case 'fifo': c.ws.delete(LEDGER); c.ws.fifo(LEDGER); break;
    case 'huge': c.ws.set(LEDGER, `{"version":1,"reviews":{"${id}":{"hash":"x","text":"${rep('a', r.pick([2_100_000, 5_000_000]))}"}}}`); break;
  }
  return how === 'file' ? `ledger = ${describe(typeof v === 'string' ? v : '<bytes>')}` : `ledger: ${how}`;
};

// --- the file system ---

M.fs = (c, r) => {
  const op = r.pick(['fifo-claimed', 'link-loop', 'link-parent', 'link-out', 'link-dev', 'dangling', 'dir-as-file', 'weird-names', 'binary', 'too-big', 'many-files', 'counterpart-dir-link', 'manifest-link', 'empty-file']);
  const claimed = c.ws.paths().filter((p) => p !== MANIFEST && !p.startsWith('.counterpart'));
  const file = claimed.length ? r.pick(claimed) : 'docs/x.md';
  const dir = posix.dirname(file) === '.' ? 'docs' : posix.dirname(file);
  switch (op) {
    case 'fifo-claimed': c.ws.delete(file); c.ws.fifo(file); break;
    case 'link-loop': c.ws.link(`${dir}/loop`, '.'); c.ws.link(`${dir}/a`, 'b'); c.ws.link(`${dir}/b`, 'a'); break;
    case 'link-parent': c.ws.link(`${dir}/up`, r.pick(['..', '../..', rep('../', dir.split('/').length)])); break;
    case 'link-out': c.ws.delete(file); c.ws.link(file, r.pick(['/etc/passwd', '/etc', `${rep('../', dir.split('/').length + 1)}outside/secret.md`, `${rep('../', dir.split('/').length + 1)}outside`])); break;
    case 'link-dev': c.ws.delete(file); c.ws.link(file, r.pick(['/dev/zero', '/dev/urandom', '/dev/stdin', '/proc/self/mem', '/proc/self/fd/1'])); break;
    case 'dangling': c.ws.delete(file); c.ws.link(file, 'does-not-exist'); break;
    case 'dir-as-file': c.ws.delete(file); c.ws.dir(file); break;
    case 'weird-names':
      for (const n of ['a\nb.md', ' .md', '-.md', '*.md', '[a].md', '{a,b}.md', '😀.md', 'e\u0301.md', '\\.md', '#.md', '%00.md', 'CON.md', rep('n', 250) + '.md']) c.ws.set(`${dir}/${n}`, 'refund status\n');
      break;
    case 'binary': c.ws.set(file, Buffer.from(Array.from({ length: r.pick([100, 10_000, 300_000]) }, (_, i) => (i * 2654435761) >>> 24))); break;
    case 'too-big': c.ws.set(file, rep(r.pick(['refund status ', 'data-intent="refund-status" ', '{"intent":"x"}\n', 'a']), r.pick([1_999_000, 2_100_000, 3_000_000]))); break;
    case 'many-files': for (let i = 0; i < r.pick([200, 2000]); i++) c.ws.set(`${dir}/gen/f${i}${posix.extname(file)}`, c.ws.text(file) ?? ''); break;
    case 'counterpart-dir-link': c.ws.delete(LEDGER); c.ws.link('.counterpart', r.pick(['../outside', '/tmp', '.', 'missing'])); break;
    case 'manifest-link': c.ws.delete(MANIFEST); c.ws.link(MANIFEST, r.pick(['../outside/counterpart.yaml', MANIFEST, 'docs', '/dev/zero'])); break;
    case 'empty-file': c.ws.set(file, ''); break;
  }
  return `fs ${op} at ${file}`;
};

// --- scale ---

M.scale = (c, r) => {
  // Written as text: building 10,000 nodes through the YAML API costs more than running the case.
  const text = c.ws.text(MANIFEST);
  if (text === undefined || !/^artifacts:\s*$/m.test(text)) return undefined;
  const op = r.pick(['artifacts', 'intents', 'intent-refs']);
  const n = r.chance(0.1) ? 10_000 : r.pick([1000, 3000]);
  const list = (f) => Array.from({ length: n }, (_, i) => f(i)).join('');
  let out;
  if (op === 'artifacts') out = text.replace(/^artifacts:\s*$/m, `artifacts:\n${list((i) => `  - { id: a-${i}, kind: help-copy, files: "**/*.md", owner: ${i % 2 ? 'product' : 'platform'} }\n`)}`);
  else if (op === 'intents') out = text.replace(/^intents:\s*$/m, `intents:\n${list((i) => `  - { id: i-${i}, title: Intent ${i}, owner: product, phrases: [phrase ${i}] }\n`)}`);
  else out = text.replace(/^(\s+)intents: \[/m, `$1intents: [${list((i) => `i-${i}, `)}`);
  if (out === text) return undefined;
  c.ws.set(MANIFEST, out);
  return `scale: ${n} ${op}`;
};

// ---------------------------------------------------------------------------
// Cases

const MUTATORS = [
  [8, 'flipBytes'], [5, 'truncate'], [6, 'lines'], [5, 'insertJunk'], [3, 'encoding'],
  [10, 'wrongType'], [4, 'dropKey'], [3, 'renameKey'], [3, 'duplicateItem'], [2, 'version'], [3, 'topLevelJunk'],
  [4, 'deepNesting'], [4, 'hugeValue'], [5, 'aliases'], [8, 'marker'], [4, 'phrases'], [6, 'globs'], [2, 'ledgerPath'],
  [6, 'locator'], [4, 'code'], [1, 'parserStress'], [9, 'evals'], [6, 'ledger'], [5, 'fs'], [1, 'scale'],
];

/** Names of every mutator, for --mutator. */
export const MUTATOR_NAMES = MUTATORS.map(([, n]) => n);

/**
 * The case for one seed: { seed, base, mutations, ws, outside, argv }.
 * `only` forces one mutator (for exploring).
 */
export function generateCase(seed, only) {
  const r = new Random(seed);
  const base = r.weighted([[45, 'support-bot'], [49, 'minimal'], [6, 'code-first']]);
  const c = { seed, base, mutations: [], ws: new Workspace(seeds()[base]), argv: [] };
  const n = r.weighted([[55, 1], [30, 2], [15, 3]]);
  for (let i = 0; i < n; i++) {
    const name = only ?? r.weighted(MUTATORS);
    let what;
    try {
      what = M[name](c, r);
    } catch (err) {
      what = undefined; // a mutator that does not fit this workspace
    }
    if (what) c.mutations.push(`${name}: ${what}`);
  }
  if (!c.mutations.length) c.mutations.push(`flipBytes: ${M.flipBytes(c, r) ?? 'none'}`);
  // Files just outside the checked folder, which nothing may read or write.
  c.outside = new Map([
    ['secret.md', 'OUTSIDE-SECRET refund status express refund\n'],
    ['ledger.json', JSON.stringify({ version: 1, reviews: { prompt: { hash: 'sha256:outside', by: '@evil', side: 'product', at: '2026-01-01T00:00:00Z' } } })],
    ['cases.yaml', '- metadata: { intent: outside-secret }\n  description: OUTSIDE-SECRET\n'],
    ['counterpart.yaml', 'version: 1\nowners: {}\nx-outside-secret: 1\n'],
    ['code.ts', "export const systemPrompt = 'OUTSIDE-SECRET';\n"],
  ]);
  c.argv = command(c, r);
  return c;
}

function command(c, r) {
  const ids = [...(c.ws.text(MANIFEST) ?? '').matchAll(/- id: ([^\s,}]+)/g)].map((m) => m[1]);
  const files = c.ws.paths();
  return r.weighted([
    [80, () => ['check', '.', '--format', 'json', '--max-warnings=-1']],
    [4, () => ['check', '.', '--format', r.pick(['text', 'sarif', 'github'])]],
    [7, () => ['review', ids.length && r.chance(0.8) ? r.pick(ids) : r.pick(['nope', '__proto__', 'constructor']), '--folder', '.', '--no-git']],
    [4, () => ['explain', r.pick(files.length ? files : [MANIFEST])]],
    [3, () => ['sign', ids.length ? r.pick(ids) : 'prompt', '--by', r.pick(['@dana', 'dana@acme.com', '@sam', '@nobody']), '--folder', '.', '--no-git', ...(r.chance(0.5) ? ['--force'] : [])]],
    [2, () => {
      c.ws.delete(MANIFEST);
      return ['init', '.'];
    }],
  ])();
}

/** A short, printable description of a value. */
export function describe(v) {
  let s;
  if (typeof v === 'string') s = JSON.stringify(v.length > 60 ? `${v.slice(0, 40)}…(${v.length} chars)` : v);
  else if (Buffer.isBuffer(v)) s = `<${v.length} bytes>`;
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
    if (typeof v === 'number' && !Number.isFinite(v)) s = String(v);
    if (s.length > 80) s = `${s.slice(0, 60)}…(${s.length} chars)`;
  }
  return s;
}
