import { contentHash, serializeLedger, type Review } from '../../server/src/core/ledger/ledger';
import { AREAS, BENCH_MARKER_FILE, capital, FILLER, LOCALES, MODELS, NOUNS, pascal, Random, SITUATIONS, VERBS, words, Writer, yamlString } from './generate';

/**
 * Writes a synthetic code-first Counterpart workspace: the prompts and tools
 * live inside code files, and every artifact names the part of its file it is
 * with a locator.
 *
 * - ~60% Next.js route handlers on the AI SDK (`app/api/…/route.ts`), each
 *   with a `systemPrompt` template literal and two `tool({ description })`;
 * - ~30% Python agents on the OpenAI Agents SDK (`agents/…/*.py`), each with
 *   `Agent(instructions=…)` (inline or a module constant) and one
 *   `@function_tool` whose docstring is its description;
 * - ~10% legacy Go and Ruby workers whose prompt (and sometimes a tool
 *   description) is fenced by `counterpart:begin/end` comments;
 *
 * plus a manifest with one artifact per located thing, a few dozen intents,
 * one promptfoo eval file, some unrelated library files and a review ledger
 * (partly in step, partly stale). About 1 tool in 100 was renamed in code
 * and not in the manifest, so `symbol-not-found` is exercised too. Every
 * choice comes from a seeded generator: the same flags give the same bytes.
 */
export interface CodeFirstOptions {
  readonly codeFiles: number;
  readonly evalCases: number;
  readonly seed: number;
}

export interface CodeFirstWorkspace {
  readonly files: number;
  readonly bytes: number;
  readonly tsFiles: number;
  readonly pyFiles: number;
  readonly regionFiles: number;
  readonly artifacts: number;
  readonly byLocator: Readonly<Record<'symbol' | 'tool' | 'region', number>>;
  /** Artifacts whose locator names something the code no longer has. */
  readonly notFound: number;
  readonly intents: number;
  readonly uncoveredIntents: number;
  readonly evalCases: number;
  readonly reviewed: number;
  readonly stale: number;
  /** Code files an edit can be made in (TS routes and Python agents), relative. */
  readonly editable: readonly string[];
}

interface Intent {
  readonly id: string;
  readonly title: string;
  readonly phrases: string[];
  readonly covered: boolean;
}

interface LocatedArtifact {
  readonly id: string;
  readonly kind: 'system-prompt' | 'tool-description';
  readonly file: string;
  readonly locator: 'symbol' | 'tool' | 'region';
  readonly value: string;
  readonly intents: readonly string[];
  /** The text the locator finds, exactly; undefined when it finds nothing. */
  readonly text: string | undefined;
  /** For tools: the description as reviewed when the review is stale (a condition added or dropped). */
  readonly older?: string;
}

const SERVICES = ['orders', 'billing', 'shipping', 'accounts', 'bookings', 'payments', 'returns', 'loyalty'];

export function generateCodeFirstWorkspace(root: string, options: CodeFirstOptions): CodeFirstWorkspace {
  const random = new Random(options.seed);
  const out = new Writer(root);
  const tsCount = Math.round(options.codeFiles * 0.6);
  const pyCount = Math.round(options.codeFiles * 0.3);
  const regionCount = Math.max(0, options.codeFiles - tsCount - pyCount);

  // ---- intents ----
  const combos: [string, string][] = [];
  for (const v of VERBS) for (const n of NOUNS) combos.push([v, n]);
  random.shuffle(combos);
  const intents: Intent[] = [];
  const intentCount = Math.min(combos.length, Math.max(12, Math.round(options.codeFiles / 16)));
  for (let i = 0; i < intentCount; i++) {
    const [verb, noun] = combos[i];
    const phrase = `${verb} ${words(noun)}`;
    intents.push({ id: `${verb}-${noun}`, title: capital(phrase), phrases: random.chance(0.5) ? [phrase, `${verb} my ${words(noun)}`] : [phrase], covered: random.chance(0.85) });
  }
  const covered = intents.filter((i) => i.covered);

  const artifacts: LocatedArtifact[] = [];
  const editable: string[] = [];
  let notFound = 0;

  // ---- TS route handlers: systemPrompt + two AI SDK tools ----
  for (let r = 0; r < tsCount; r++) {
    const area = AREAS[r % AREAS.length];
    const served = random.sample(intents, random.int(2, 5));
    const file = `app/api/${area}/${served[0].id}-${r + 1}/route.ts`;
    const prompt = promptLines(area, served, random).join('\n');
    const tools = served.slice(0, 2).map((intent) => {
      const name = toolName(intent);
      const d = toolDescription(intent, random);
      // Renamed in code, not in the manifest: the locator finds nothing.
      const renamed = random.chance(0.01);
      return { name, codeName: renamed ? `${name}V2` : name, intent, d, renamed };
    });
    out.write(file, routeTs(area, r, prompt, tools.map((t) => ({ name: t.codeName, description: t.d.current, intent: t.intent })), random));
    editable.push(file);
    const base = `route-${r + 1}`;
    artifacts.push({ id: `${base}-prompt`, kind: 'system-prompt', file, locator: 'symbol', value: 'systemPrompt', intents: served.map((i) => i.id), text: prompt });
    for (const t of tools) {
      if (t.renamed) notFound++;
      artifacts.push({
        id: `${base}-${kebab(t.name)}`, kind: 'tool-description', file, locator: 'tool', value: t.name, intents: [t.intent.id],
        text: t.renamed ? undefined : t.d.current, older: t.d.older,
      });
    }
  }

  // ---- Python agents: Agent(instructions=…) + one @function_tool ----
  for (let p = 0; p < pyCount; p++) {
    const area = AREAS[(p + 3) % AREAS.length];
    const served = random.sample(intents, random.int(1, 4));
    const agent = `${area}_agent_${p + 1}`;
    const file = `agents/${area}/${agent}.py`;
    const instructions = promptLines(area, served, random).map((l) => l.replace(/\$\{brand\}/g, 'Acme'));
    const intent = served[0];
    const fn = toolName(intent).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const override = random.chance(0.2) ? `${fn}_v2` : undefined;
    const d = toolDescription(intent, random);
    const docLines = [d.current, '', `Situations to expect: ${random.sample(SITUATIONS, 2).join('; ')}.`, '', 'Args:', '    reference: The order, booking or invoice number, as the customer gave it.', '    amount_cents: The amount in cents, when there is one.'];
    const olderDoc = [d.older, ...docLines.slice(1)].join('\n');
    const style = random.chance(0.5) ? 'inline' : 'constant';
    const { text: instructionsText, source } = pythonAgent(agent, area, p, instructions, style, fn, override, docLines, random);
    out.write(file, source);
    editable.push(file);
    artifacts.push({ id: `agent-${p + 1}-instructions`, kind: 'system-prompt', file, locator: 'symbol', value: `${agent}.instructions`, intents: served.map((i) => i.id), text: instructionsText });
    artifacts.push({ id: `agent-${p + 1}-${kebab(fn)}`, kind: 'tool-description', file, locator: 'tool', value: override ?? fn, intents: [intent.id], text: docLines.join('\n'), older: olderDoc });
  }

  // ---- legacy workers: prompts fenced by counterpart:begin/end comments ----
  for (let g = 0; g < regionCount; g++) {
    const area = AREAS[(g + 7) % AREAS.length];
    const served = random.sample(intents, random.int(1, 3));
    const ruby = random.chance(0.3);
    const file = ruby ? `legacy/${area}/worker_${g + 1}.rb` : `legacy/${area}/worker_${g + 1}.go`;
    const prompt = promptLines(area, served, random).map((l) => l.replace(/\$\{brand\}/g, 'Acme'));
    const withTool = random.chance(0.5);
    const d = toolDescription(served[0], random);
    const { source, promptText, toolText } = ruby ? rubyWorker(area, g, prompt, withTool ? d.current : undefined) : goWorker(area, g, prompt, withTool ? d.current : undefined);
    out.write(file, source);
    artifacts.push({ id: `worker-${g + 1}-prompt`, kind: 'system-prompt', file, locator: 'region', value: `${area}-prompt-${g + 1}`, intents: served.map((i) => i.id), text: promptText });
    if (withTool && toolText !== undefined) {
      // The reviewed text of a region tool is its whole region, so the older one differs in the same lines.
      const older = ruby ? rubyWorker(area, g, prompt, d.older).toolText : goWorker(area, g, prompt, d.older).toolText;
      artifacts.push({ id: `worker-${g + 1}-tool`, kind: 'tool-description', file, locator: 'region', value: `${area}-tool-${g + 1}`, intents: [served[0].id], text: toolText, older });
    }
  }

  // ---- one promptfoo eval file ----
  const cases: string[] = [];
  for (let c = 0; c < options.evalCases && covered.length; c++) {
    const intent = random.pick(covered);
    const situation = random.pick(SITUATIONS);
    cases.push(
      `  - description: ${yamlString(`${intent.title} ${situation} (#${c + 1})`)}`,
      '    vars:',
      `      message: ${yamlString(`Hi, I'd like to ${random.pick(intent.phrases)} ${situation}. Can you help?`)}`,
      `      locale: ${random.pick(LOCALES)}`,
      '    assert:',
      '      - type: icontains',
      `        value: ${intent.phrases[0].split(' ')[0]}`,
      '      - type: llm-rubric',
      '        value: Answers in one or two sentences and names the next step',
      `    metadata: { intent: ${intent.id} }`,
    );
  }
  out.write('evals/promptfooconfig.yaml', [
    '# End-to-end cases for the Acme assistants: each message goes through POST /api/chat.',
    'description: Acme assistants',
    'prompts:',
    '  - "{{message}}"',
    'providers:',
    '  - id: http',
    '    config:',
    '      url: http://localhost:3000/api/chat',
    '      method: POST',
    'tests:',
    ...cases,
    '',
  ].join('\n'));

  // ---- unrelated files: listed by the index, never read ----
  for (let d = 0; d < Math.round(options.codeFiles / 10); d++) {
    const service = SERVICES[d % SERVICES.length];
    out.write(`lib/${service}/helper-${d + 1}.ts`, [
      `// Helper ${d + 1} for the ${service} service: not an AI artifact.`,
      `export async function find${pascal(service)}${d + 1}(reference: string): Promise<{ reference: string; status: string } | undefined> {`,
      `  const res = await fetch(\`\${process.env.${service.toUpperCase()}_URL}/\${encodeURIComponent(reference)}\`);`,
      '  return res.ok ? res.json() : undefined;',
      '}',
      '',
    ].join('\n'));
  }
  out.write('README.md', '# Acme assistants\n\nSynthetic code-first workspace written by the Counterpart benchmark.\n');
  out.write('package.json', JSON.stringify({ name: 'acme-assistants', private: true, version: '0.0.0' }, null, 2) + '\n');

  // ---- manifest and ledger ----
  out.write('counterpart.yaml', manifestYaml(intents, artifacts, options));
  let reviewed = 0;
  let stale = 0;
  const reviews = new Map<string, Review>();
  for (const a of artifacts) {
    if (a.text === undefined || !random.chance(0.65)) continue;
    // About one review in sixteen is stale, and the third one always is, so even small runs have some.
    const isStale = reviewed % 16 === 2;
    const text = isStale ? a.older ?? `${a.text}\nAn earlier draft said more here.` : a.text;
    reviews.set(a.id, {
      hash: contentHash([{ path: a.file, text }]),
      by: '@dana',
      side: 'product',
      at: new Date(Date.UTC(2026, random.int(0, 9), random.int(1, 28), random.int(8, 18))).toISOString().replace('.000Z', 'Z'),
      commit: random.hex(7),
      text: text.length <= 4096 ? text : undefined,
    });
    reviewed++;
    if (isStale) stale++;
  }
  out.write('.counterpart/reviews.json', serializeLedger({ reviews }));
  out.write(BENCH_MARKER_FILE, `${JSON.stringify({ codeFirst: true, ...options })}\n`);

  const byLocator = { symbol: 0, tool: 0, region: 0 };
  for (const a of artifacts) byLocator[a.locator]++;
  return {
    files: out.files,
    bytes: out.bytes,
    tsFiles: tsCount,
    pyFiles: pyCount,
    regionFiles: regionCount,
    artifacts: artifacts.length,
    byLocator,
    notFound,
    intents: intents.length,
    uncoveredIntents: intents.filter((i) => !i.covered).length,
    evalCases: cases.length / 10,
    reviewed,
    stale,
    editable,
  };
}

// ---- pieces of code ----------------------------------------------------------------

function kebab(name: string): string {
  return name.replace(/_/g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `refund-gift-card` → `refundGiftCard`. */
function toolName(intent: Intent): string {
  const [verb, ...rest] = intent.id.split('-');
  return verb + rest.map(capital).join('');
}

/** A prompt as lines; `${brand}` is a template placeholder in TS and replaced elsewhere. */
function promptLines(area: string, served: readonly Intent[], random: Random): string[] {
  const lines = [
    `You are \${brand}'s ${area} assistant. You help customers in the web app and the mobile app.`,
    random.pick(FILLER),
    '',
    'Intents you handle:',
  ];
  for (const intent of served) {
    lines.push(`- ${intent.id}: when the customer wants to ${intent.phrases[0]}, collect what the tool needs, call it, and report the outcome.`);
  }
  lines.push('', 'Rules:');
  for (const rule of random.sample(FILLER, random.int(3, 6))) lines.push(`- ${rule}`);
  lines.push('', `Tone: warm, brief, specific. Situations to expect: ${random.sample(SITUATIONS, 3).join('; ')}.`);
  return lines;
}

function toolDescription(intent: Intent, random: Random): { current: string; older: string } {
  const does = `Starts the "${intent.title.toLowerCase()}" flow for the signed-in customer and returns its status and a reference.`;
  const when = `Only call this tool when the customer explicitly asks to ${intent.phrases[0]}.`;
  const confirm = random.chance(0.5) ? 'Always confirm the amount and the account with the customer before calling it.' : 'Confirm the reference with the customer first.';
  const never = 'Never call it for orders older than 90 days.';
  const current = `${does} ${when} ${confirm}`;
  const older = random.chance(0.5) ? `${does} ${when}` : `${does} ${when} ${confirm} ${never}`;
  return { current, older };
}

/** A single-quoted TS string literal. */
function sq(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function routeTs(area: string, n: number, prompt: string, tools: readonly { name: string; description: string; intent: Intent }[], random: Random): string {
  const service = SERVICES[n % SERVICES.length];
  const finder = `find${pascal(service)}`;
  const trim = random.chance(0.15);
  const lines = [
    `// The ${area} assistant (route ${n + 1}): a Next.js route handler on the Vercel AI SDK.`,
    "import { openai } from '@ai-sdk/openai';",
    "import { streamText, tool } from 'ai';",
    "import { z } from 'zod';",
    `import { ${finder}, update${pascal(service)} } from '@/lib/${service}';`,
    '',
    "const brand = process.env.BRAND_NAME ?? 'Acme';",
    '',
    `export const maxDuration = ${random.pick([15, 30, 60])};`,
    '',
    `export const systemPrompt = \`${prompt}\`${trim ? '.trim()' : ''};`,
    '',
    'export async function POST(req: Request) {',
    '  const { messages, sessionId } = await req.json();',
    '  if (!Array.isArray(messages) || messages.length === 0) {',
    "    return new Response('Send at least one message.', { status: 400 });",
    '  }',
    `  console.log(\`[${area}] session \${sessionId ?? 'anonymous'}: \${messages.length} messages\`);`,
    '',
    '  const result = streamText({',
    `    model: openai(${sq(random.pick(MODELS))}),`,
    '    system: systemPrompt,',
    '    messages,',
    `    maxSteps: ${random.int(2, 5)},`,
    '    tools: {',
  ];
  for (const t of tools) {
    lines.push(
      `      ${t.name}: tool({`,
      `        description: ${sq(t.description)},`,
      '        parameters: z.object({',
      "          reference: z.string().describe('Order, booking or invoice number, as the customer gave it'),",
      ...(random.chance(0.6) ? ["          amount: z.number().min(0).optional().describe('Amount in the account currency'),"] : []),
      ...(random.chance(0.4) ? ["          reason: z.enum(['damaged', 'late', 'wrong-item', 'changed-mind', 'other']).optional(),"] : []),
      '        }),',
      '        execute: async ({ reference, ...rest }) => {',
      `          const found = await ${finder}(reference);`,
      `          if (!found) return { ok: false, error: 'Nothing found for that reference' };`,
      `          await update${pascal(service)}(found.reference, { intent: ${sq(t.intent.id)}, ...rest });`,
      '          return { ok: true, status: found.status };',
      '        },',
      '      }),',
    );
  }
  lines.push('    },', '  });', '', '  return result.toDataStreamResponse();', '}', '');
  return lines.join('\n');
}

/** A double-quoted Python string literal (the escapes Python and JSON share). */
function pq(s: string): string {
  return JSON.stringify(s);
}

function pythonAgent(agent: string, area: string, n: number, instructions: readonly string[], style: 'inline' | 'constant', fn: string, override: string | undefined, docLines: readonly string[], random: Random): { text: string; source: string } {
  const service = SERVICES[n % SERVICES.length];
  let text: string;
  const head = [
    `"""The ${area} agent ${n + 1} (OpenAI Agents SDK). The chat hands ${area} requests here."""`,
    '',
    'import logging',
    '',
    'from agents import Agent, Runner, function_tool',
    '',
    'log = logging.getLogger(__name__)',
    '',
    `MAX_AMOUNT_CENTS = ${random.pick(['50_000', '100_000', '25_000'])}`,
    '',
  ];
  let instructionsArg: string[];
  if (style === 'constant') {
    // A module constant, triple-quoted; the agent names it.
    text = instructions.join('\n');
    head.push(`INSTRUCTIONS = """${text}"""`, '');
    instructionsArg = ['    instructions=INSTRUCTIONS,'];
  } else {
    // Implicit concatenation inside parentheses, one line a string.
    const parts = instructions.map((l, i) => (i < instructions.length - 1 ? `${l}\n` : l));
    text = parts.join('');
    instructionsArg = ['    instructions=(', ...parts.map((p) => `        ${pq(p)}`), '    ),'];
  }
  const doc = [`    """${docLines[0]}`, ...docLines.slice(1).map((l) => (l ? `    ${l}` : '')), '    """'];
  const lines = [
    ...head,
    '',
    `def _call_${service}(reference: str, amount_cents: int) -> dict:`,
    `    # Stands in for the ${service} service in this workspace.`,
    '    return {"reference": reference, "amount_cents": amount_cents, "status": "accepted"}',
    '',
    '',
    override ? `@function_tool(name_override=${pq(override)})` : '@function_tool',
    `def ${fn}(reference: str, amount_cents: int = 0) -> str:`,
    ...doc,
    '    if amount_cents < 0 or amount_cents > MAX_AMOUNT_CENTS:',
    '        return "Not done: the amount is out of range."',
    `    result = _call_${service}(reference, amount_cents)`,
    `    log.info("${fn} %s: %s", reference, result["status"])`,
    '    return f"Done: {result[\'status\']} for {reference}."',
    '',
    '',
    `${agent} = Agent(`,
    `    name=${pq(`${capital(area)} ${n + 1}`)},`,
    ...instructionsArg,
    `    tools=[${fn}],`,
    `    model=${pq(random.pick(MODELS))},`,
    ')',
    '',
    'if __name__ == "__main__":',
    `    result = Runner.run_sync(${agent}, ${pq(`Hi, ${random.pick(SITUATIONS)}.`)})`,
    '    print(result.final_output)',
    '',
  ];
  return { text, source: lines.join('\n') };
}

function goWorker(area: string, n: number, prompt: readonly string[], tool: string | undefined): { source: string; promptText: string; toolText?: string } {
  const promptRegion = [`const ${area}Prompt = \`${prompt.join('\n')}\``];
  const toolRegion = tool === undefined ? undefined : [`const ${area}ToolDescription = ${JSON.stringify(tool)}`];
  const lines = [
    `// Package worker${n + 1} runs the ${area} requests of the old ticketing worker.`,
    `package worker${n + 1}`,
    '',
    'import (',
    '\t"fmt"',
    '\t"strings"',
    ')',
    '',
    `// counterpart:begin ${area}-prompt-${n + 1}`,
    ...promptRegion,
    `// counterpart:end ${area}-prompt-${n + 1}`,
    '',
  ];
  if (toolRegion) lines.push(`// counterpart:begin ${area}-tool-${n + 1}`, ...toolRegion, `// counterpart:end ${area}-tool-${n + 1}`, '');
  lines.push(
    '// Ticket is what the worker files for the model.',
    'type Ticket struct {',
    '\tQueue  string',
    '\tPrompt string',
    '\tChat   string',
    '}',
    '',
    '// NewTicket builds the model request for one chat.',
    'func NewTicket(queue string, transcript []string) Ticket {',
    '\tif queue == "" {',
    `\t\tqueue = "${area}-tier-2"`,
    '\t}',
    '\tchat := strings.Join(transcript, "\\n")',
    '\tfmt.Printf("sending %d messages to %s\\n", len(transcript), queue)',
    `\treturn Ticket{Queue: queue, Prompt: ${area}Prompt, Chat: chat}`,
    '}',
    '',
  );
  return { source: lines.join('\n'), promptText: promptRegion.join('\n').replace(/\n$/, ''), toolText: toolRegion?.join('\n') };
}

function rubyWorker(area: string, n: number, prompt: readonly string[], tool: string | undefined): { source: string; promptText: string; toolText?: string } {
  const promptRegion = [`  PROMPT = <<~TEXT`, ...prompt.map((l) => (l ? `    ${l}` : '')), '  TEXT'];
  const toolRegion = tool === undefined ? undefined : [`  TOOL_DESCRIPTION = ${JSON.stringify(tool)}`];
  const lines = [
    `# The ${area} worker ${n + 1}: hands requests of the old ticketing system to the model.`,
    "require 'json'",
    '',
    `module ${capital(area)}Worker${n + 1}`,
    `  # counterpart:begin ${area}-prompt-${n + 1}`,
    ...promptRegion,
    `  # counterpart:end ${area}-prompt-${n + 1}`,
    '',
  ];
  if (toolRegion) lines.push(`  # counterpart:begin ${area}-tool-${n + 1}`, ...toolRegion, `  # counterpart:end ${area}-tool-${n + 1}`, '');
  lines.push(
    '  def self.ticket(queue, transcript)',
    `    queue = "${area}-tier-2" if queue.nil? || queue.empty?`,
    '    { queue: queue, prompt: PROMPT, chat: transcript.join("\\n") }.to_json',
    '  end',
    'end',
    '',
  );
  return { source: lines.join('\n'), promptText: promptRegion.join('\n'), toolText: toolRegion?.join('\n') };
}

function manifestYaml(intents: readonly Intent[], artifacts: readonly LocatedArtifact[], options: CodeFirstOptions): string {
  const lines = [
    `# Synthetic code-first workspace for the Counterpart benchmark (seed ${options.seed}).`,
    `# ${options.codeFiles} code files, ${artifacts.length} located artifacts, ${options.evalCases} eval cases.`,
    'version: 1',
    '',
    'owners:',
    '  product:',
    '    title: Product',
    '    lead: "@dana"',
    '    members: [dana@acme.com, "@lee", lee@acme.com]',
    '    review: { github: "@acme/product-pms" }',
    '  platform:',
    '    title: ML Platform',
    '    lead: "@sam"',
    '    members: [sam@acme.com, "@kim", kim@acme.com]',
    '    review: { github: "@acme/ml-platform" }',
    '',
    'intents:',
  ];
  for (const i of intents) {
    lines.push(`  - id: ${i.id}`, `    title: ${yamlString(i.title)}`, '    owner: product', `    phrases: [${i.phrases.join(', ')}]`);
  }
  lines.push('', 'artifacts:');
  for (const a of artifacts) {
    lines.push(`  - id: ${a.id}`, `    kind: ${a.kind}`, `    files: ${a.file}`, `    ${a.locator}: ${a.value}`, '    owner: platform');
    if (a.intents.length) lines.push(`    intents: [${a.intents.join(', ')}]`);
  }
  lines.push(
    '  - id: support-evals',
    '    kind: eval-set',
    '    files: evals/promptfooconfig.yaml',
    '    owner: platform',
    '    format: promptfoo',
    '',
    'reviews: .counterpart/reviews.json',
    '',
  );
  return lines.join('\n');
}
