import assert from 'node:assert/strict';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { proposeManifest } from '../../server/src/core/init/propose';
import { sharedGrammars } from '../../server/src/core/locate/code/grammars';
import { parseManifest } from '../../server/src/core/manifest/parse';
import { computeFindings } from '../../server/src/core/rules/rules';
import { indexOf, MemoryHost } from '../helpers/memoryHost';

interface Proposed {
  id: string;
  kind: string;
  files: string;
  owner: string;
  symbol?: string;
  tool?: string;
  pointer?: string;
  format?: string;
}

function propose(files: Record<string, string>): { text: string; summary: string; artifacts: Proposed[] } {
  const proposal = proposeManifest(Object.keys(files), (file) => files[file]);
  const doc = parse(proposal.text) as { artifacts: Proposed[] };
  return { ...proposal, artifacts: doc.artifacts };
}

/** The located part of each artifact, as `kind files locator`. */
function located(artifacts: readonly Proposed[]): string[] {
  return artifacts.map((a) => `${a.kind} ${a.files}${a.symbol ? ` symbol:${a.symbol}` : ''}${a.tool ? ` tool:${a.tool}` : ''}${a.pointer ? ` pointer:${a.pointer}` : ''}`);
}

/** The manifest reads without a single finding, and its ids are unique and well formed. */
function assertValid(text: string, artifacts: readonly Proposed[]): void {
  const ids = artifacts.map((a) => a.id);
  assert.equal(new Set(ids).size, ids.length, `ids are unique: ${ids.join(', ')}`);
  for (const id of ids) assert.match(id, /^[a-z0-9][a-z0-9-]*$/);
  assert.deepEqual(parseManifest(text, 'counterpart.yaml').findings, []);
}

const AI_SDK_ROUTE = `// A Next.js route handler on the Vercel AI SDK.
import { openai } from '@ai-sdk/openai';
import { convertToModelMessages, streamText, tool, type UIMessage } from 'ai';
import { z } from 'zod';
import { cancel, lookup } from '@/lib/orders';

export const maxDuration = 30;
const PROMPT_FILE = 'prompts/unused.md';

export const systemPrompt = \`You are the assistant for \${process.env.SHOP ?? 'Acme'}'s support desk.
Answer questions about orders and deliveries. Never guess an order's details: look it up.\`;

export async function POST(req: Request) {
  const { messages }: { messages: UIMessage[] } = await req.json();
  const prompt = 'a local, not a module constant';
  const result = streamText({
    model: openai('gpt-4.1-mini'),
    system: systemPrompt,
    messages: convertToModelMessages(messages),
    tools: {
      getOrderStatus: tool({
        description: 'Looks up an order by its number and returns its status.',
        inputSchema: z.object({ orderId: z.string().describe("The order number, like 'A-10293'") }),
        execute: async ({ orderId }) => lookup(orderId),
      }),
      // Cancelling is irreversible, so the description says when.
      cancelOrder: tool({
        description:
          'Cancels an order that has not shipped. ' +
          'Only when the user has explicitly confirmed the order number.',
        inputSchema: z.object({ orderId: z.string(), reason: z.string().optional() }),
        async execute({ orderId, reason }) {
          return cancel(orderId, reason);
        },
      }),
    },
  });
  console.log(prompt);
  return result.toUIMessageStreamResponse();
}
`;

const AGENTS_JS = `import { Agent, tool } from '@openai/agents';
import { z } from 'zod';

const supportInstructions = [
  'You are a support agent.',
  'Be brief.',
].join('\\n');

export const refundTool = tool({
  name: 'issue_refund',
  description: 'Issues a refund after the customer confirmed the amount.',
  parameters: z.object({ orderId: z.string(), cents: z.number() }),
  execute: async () => 'done',
});

export const supportAgent = new Agent({
  name: 'Support',
  instructions: \`You help customers of Acme with their orders.
Hand refunds over to the refunds agent.\`,
  tools: [refundTool],
});

const TRIAGE_PROMPT = 'Decide which agent should answer.';
export const triageAgent = new Agent({ name: 'Triage', instructions: TRIAGE_PROMPT, handoffs: [supportAgent] });
export const plannerAgent = new Agent({ name: 'Planner', instructions: supportInstructions });
`;

const AGENTS_PY = `"""The refunds agent, on the OpenAI Agents SDK."""
from agents import Agent, Runner, function_tool

MAX_REFUND_CENTS = 50_000

ESCALATION_PROMPT = """When a customer is angry or asks for a person,
apologise once and hand over to a human."""

GREETING_PROMPT = textwrap.dedent("""
    not text a locator reads: a call
""")


def _charge(order_id: str) -> str:
    return f"RF-{order_id}"


@function_tool
def lookup_order(order_id: str) -> str:
    """Look up an order's status and delivery date by its number."""
    return _charge(order_id)


@function_tool(strict_mode=False)
async def issue_refund(order_id: str, amount_cents: int) -> str:
    """Refund part or all of an order.

    Only issue a refund after the customer has confirmed the amount.
    """
    return _charge(order_id)


@function_tool(name_override="escalate_to_human", description_override="Hands the chat to a person.")
def escalate(reason: str) -> str:
    return reason


refund_agent = Agent(
    name="Refunds",
    instructions=(
        "You handle refund requests for Acme. "
        "Always confirm the amount before issuing a refund."
    ),
    tools=[lookup_order, issue_refund, escalate],
)

triage_agent = Agent[dict](name="Triage", instructions=ESCALATION_PROMPT, handoffs=[refund_agent])

if __name__ == "__main__":
    print(Runner.run_sync(refund_agent, "My mug arrived broken.").final_output)
`;

const LANGCHAIN_PY = `from langchain_core.tools import tool
from langchain.agents import create_agent

SYSTEM_PROMPT = (
    "You are a shop assistant. "
    'Use the tools whenever you need facts about orders.'
)


@tool("search-orders", return_direct=False)
def search_orders(query: str) -> list[dict]:
    """Search orders by customer email or order number."""
    return []


@tool
def get_weather(city: str) -> str:
    """Return the current weather for a city, for delivery estimates."""
    return "sunny"


def not_a_tool(x: int) -> int:
    """Has a docstring but no decorator."""
    return x


agent = create_agent(model="openai:gpt-4.1", tools=[search_orders, get_weather], system_prompt=SYSTEM_PROMPT)
`;

const MCP_TOOLS = JSON.stringify(
  {
    tools: [
      { name: 'track_parcel', description: 'Returns the carrier and tracking link of a shipped order.', inputSchema: { type: 'object', properties: { order: { type: 'string' } } } },
      { name: 'reschedule_delivery', description: 'Moves a delivery to another day. Only before the parcel is out for delivery.', inputSchema: { type: 'object' } },
    ],
  },
  null,
  2,
);

const ANTHROPIC_TOOLS = `# Tools for the Claude-based triage bot.
- name: get_order
  description: Fetch an order by its number.
  input_schema:
    type: object
    properties:
      order_id: { type: string }
    required: [order_id]
- name: "true"
  description: A tool whose name YAML would read as a boolean if left bare.
  input_schema: { type: object }
`;

const OPENAI_TOOLS = JSON.stringify([
  { type: 'function', function: { name: 'create_ticket', description: 'Opens a support ticket.', parameters: { type: 'object', properties: {} } } },
  { type: 'function', function: { name: 'closeTicket', description: 'Closes a ticket the user says is solved.', parameters: { type: 'object' } } },
]);

const PROMPTY = `---
name: Support reply
description: Drafts a reply to a support email
model:
  api: chat
  configuration:
    type: azure_openai
    azure_deployment: gpt-4o
inputs:
  email:
    type: string
---
system:
You draft short, friendly replies to customer emails for Acme.

user:
{{email}}
`;

const GITHUB_MODELS_PROMPT = `name: Summarise a ticket
model: openai/gpt-4o-mini
messages:
  - role: system
    content: You summarise support tickets in two sentences.
  - role: user
    content: '{{ticket}}'
`;

const CI = `name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pnpm install --frozen-lockfile
      - run: pnpm test
`;

const PNPM_LOCK = `lockfileVersion: '9.0'
settings:
  autoInstallPeers: true
importers:
  .:
    dependencies:
      ai:
        specifier: ^5.0.0
        version: 5.0.0
`;

const COMPOSE = `services:
  app:
    build: .
    environment:
      - description=not a tool
`;

const PROMPTFOO_ROOT = `description: Support bot regression
prompts: [file://prompts/support.txt]
providers: [openai:gpt-4.1-mini]
tests: file://evals/cases/*.yaml
`;

const EVAL_CASES = `- description: Refund for a damaged mug
  vars: { message: my mug arrived broken }
  metadata: { intent: refund-request }
`;

// A small code-first repository: prompts and tools live in code and in an MCP tool list, no prompt files.
const CLINIC_ROUTE = `import { openai } from '@ai-sdk/openai';
import { streamText, tool } from 'ai';
import { z } from 'zod';
import { findBooking, moveBooking } from '@/lib/bookings';

export const systemPrompt = \`You are the booking assistant for \${process.env.CLINIC_NAME ?? 'the clinic'}.
Only change an appointment after the patient has confirmed the new time.\`;

export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = streamText({
    model: openai('gpt-4.1-mini'),
    system: systemPrompt,
    messages,
    tools: {
      findAppointment: tool({
        description: "Finds a patient's next appointment by their booking reference.",
        inputSchema: z.object({ reference: z.string() }),
        execute: async ({ reference }) => findBooking(reference),
      }),
      rescheduleAppointment: tool({
        description: 'Moves an appointment to a new slot. Only when the patient has confirmed the slot.',
        inputSchema: z.object({ reference: z.string(), slot: z.string() }),
        execute: async ({ reference, slot }) => moveBooking(reference, slot),
      }),
    },
  });
  return result.toUIMessageStreamResponse();
}
`;

const CLINIC_AGENT_PY = `from agents import Agent, function_tool


@function_tool
def list_free_slots(day: str) -> list[str]:
    """List the free appointment slots on a day, as HH:MM times."""
    return []


triage_agent = Agent(
    name="Triage",
    instructions="You decide whether a message is about bookings or billing, and hand it over.",
    tools=[list_free_slots],
)
`;

const CLINIC_MCP_TOOLS = JSON.stringify(
  {
    tools: [
      { name: 'send_reminder', description: 'Texts the patient a reminder the day before an appointment.', inputSchema: { type: 'object', properties: { reference: { type: 'string' } } } },
      { name: 'cancel_booking', description: 'Cancels a booking. Only when the patient asked to cancel.', inputSchema: { type: 'object' } },
    ],
  },
  null,
  2,
);

describe('counterpart init: proposing a manifest', () => {
  it('finds the prompt and the tools of an AI SDK route handler', () => {
    const { text, summary, artifacts } = propose({ 'app/api/chat/route.ts': AI_SDK_ROUTE, 'package.json': '{"name":"shop"}' });
    assert.deepEqual(located(artifacts), [
      'system-prompt app/api/chat/route.ts symbol:systemPrompt',
      'tool-description app/api/chat/route.ts tool:getOrderStatus',
      'tool-description app/api/chat/route.ts tool:cancelOrder',
    ]);
    assert.deepEqual(artifacts.map((a) => a.id), ['chat-system-prompt', 'get-order-status-tool', 'cancel-order-tool']);
    assert.ok(artifacts.every((a) => a.owner === 'platform'));
    assert.equal(summary, 'found 1 system prompt (1 in code), 2 tool descriptions (2 in code).');
    assertValid(text, artifacts);
  });

  it('finds tool factories, whose key in the tools object is the name the model sees', () => {
    const factory = `import { tool } from 'ai';\nexport const createDocument = ({ session, dataStream }: CreateDocumentProps) =>\n  tool({\n    description: 'Create a document for writing activities.',\n    inputSchema: z.object({ title: z.string() }),\n  });\n`;
    const { text, artifacts } = propose({ 'lib/ai/tools/create-document.ts': factory });
    assert.deepEqual(located(artifacts), ['tool-description lib/ai/tools/create-document.ts tool:createDocument']);
    assertValid(text, artifacts);
  });

  it('finds tools registered with the MCP TypeScript SDK', () => {
    const server = `const server = new McpServer({ name: "files", version: "1.0.0" });\nserver.registerTool(\n  "read_file",\n  { description: "Reads a file.", inputSchema: {} },\n  handler,\n);\nserver.tool("echo", "Echoes back.", {}, async () => ({ content: [] }));\n`;
    const { text, artifacts } = propose({ 'src/server.ts': server });
    assert.deepEqual(located(artifacts), ['tool-description src/server.ts tool:read_file', 'tool-description src/server.ts tool:echo']);
    assertValid(text, artifacts);
  });

  it('finds agents by their instructions, following a name to a constant in the same file', () => {
    const { text, artifacts } = propose({ 'src/agents.ts': AGENTS_JS });
    assert.deepEqual(located(artifacts), [
      'system-prompt src/agents.ts symbol:TRIAGE_PROMPT',
      'system-prompt src/agents.ts symbol:supportAgent.instructions',
      // `name:` names an OpenAI Agents JS tool; supportInstructions is a call (`.join`), not text.
      'tool-description src/agents.ts tool:issue_refund',
    ]);
    assert.deepEqual(artifacts.map((a) => a.id), ['triage-prompt', 'support-agent-prompt', 'issue-refund-tool']);
    assertValid(text, artifacts);
  });

  it('finds an OpenAI Agents SDK file: the agent\'s instructions, prompt constants and @function_tool functions', () => {
    const { text, artifacts } = propose({ 'agents/refunds.py': AGENTS_PY });
    assert.deepEqual(located(artifacts), [
      'system-prompt agents/refunds.py symbol:ESCALATION_PROMPT',
      'system-prompt agents/refunds.py symbol:refund_agent.instructions',
      'tool-description agents/refunds.py tool:lookup_order',
      'tool-description agents/refunds.py tool:issue_refund',
      'tool-description agents/refunds.py tool:escalate_to_human',
    ]);
    assert.deepEqual(artifacts.map((a) => a.id), ['escalation-prompt', 'refund-agent-prompt', 'lookup-order-tool', 'issue-refund-tool', 'escalate-to-human-tool']);
    assertValid(text, artifacts);
  });

  it('finds LangChain @tool functions by the name they are given, and a parenthesised prompt', () => {
    const { text, summary, artifacts } = propose({ 'chains/shop_assistant.py': LANGCHAIN_PY });
    assert.deepEqual(located(artifacts), [
      'system-prompt chains/shop_assistant.py symbol:SYSTEM_PROMPT',
      'tool-description chains/shop_assistant.py tool:search-orders',
      'tool-description chains/shop_assistant.py tool:get_weather',
    ]);
    assert.deepEqual(artifacts.map((a) => a.id), ['shop-assistant-system-prompt', 'search-orders-tool', 'get-weather-tool']);
    assert.equal(summary, 'found 1 system prompt (1 in code), 2 tool descriptions (2 in code).');
    assertValid(text, artifacts);
  });

  it('names each tool of an MCP, Anthropic or OpenAI tool list, and keeps a pointer for a one-tool file', () => {
    const single = JSON.stringify({ type: 'function', name: 'create_refund', description: 'Creates a refund draft.', parameters: { type: 'object' } });
    const { text, summary, artifacts } = propose({
      'mcp/tools.json': MCP_TOOLS,
      'tools/claude.yaml': ANTHROPIC_TOOLS,
      'tools/openai.json': OPENAI_TOOLS,
      'tools/refund.json': single,
    });
    assert.deepEqual(located(artifacts), [
      'tool-description mcp/tools.json tool:track_parcel',
      'tool-description mcp/tools.json tool:reschedule_delivery',
      'tool-description tools/claude.yaml tool:get_order',
      'tool-description tools/claude.yaml tool:true',
      'tool-description tools/openai.json tool:create_ticket',
      'tool-description tools/openai.json tool:closeTicket',
      'tool-description tools/refund.json pointer:/description',
    ]);
    assert.equal(artifacts[3].tool, 'true', 'a name YAML would read as a boolean is quoted');
    assert.deepEqual(artifacts.map((a) => a.id), ['track-parcel-tool', 'reschedule-delivery-tool', 'get-order-tool', 'true-tool', 'create-ticket-tool', 'close-ticket-tool', 'refund']);
    assert.equal(summary, 'found 7 tool descriptions.');
    assertValid(text, artifacts);
  });

  it('proposes .prompty, prompts.txt and GitHub Models *.prompt.yml files whole', () => {
    const { text, artifacts } = propose({
      'src/support.prompty': PROMPTY,
      'prompts.txt': 'You are a helpful assistant for Acme.\n',
      '.github/prompts/summarise.prompt.yml': GITHUB_MODELS_PROMPT,
      'models/triage.prompt.yaml': GITHUB_MODELS_PROMPT,
    });
    assert.deepEqual(located(artifacts), [
      'system-prompt .github/prompts/summarise.prompt.yml',
      'system-prompt models/triage.prompt.yaml',
      'system-prompt prompts.txt',
      'system-prompt src/support.prompty',
    ]);
    assertValid(text, artifacts);
  });

  it('never claims CI files, lockfiles or docker-compose, and roots eval globs at an eval folder', () => {
    const files: Record<string, string> = {
      '.github/workflows/ci.yaml': CI,
      '.github/workflows/release.yml': CI,
      'pnpm-lock.yaml': PNPM_LOCK,
      'docker-compose.yml': COMPOSE,
      'promptfooconfig.yaml': PROMPTFOO_ROOT,
      'evals/cases/refunds.yaml': EVAL_CASES,
      'agents/refunds.py': AGENTS_PY,
    };
    const { text, artifacts } = propose(files);
    const evals = artifacts.filter((a) => a.kind === 'eval-set');
    assert.deepEqual(evals.map((a) => [a.id, a.files, a.format]), [
      ['evals', 'promptfooconfig.yaml', 'promptfoo'],
      ['evals-2', 'evals/**/*.yaml', 'promptfoo'],
    ]);
    for (const a of artifacts) {
      if (!a.files.includes('*')) continue;
      assert.ok(!a.files.startsWith('*'), `${a.files} is rooted in a folder`);
    }
    for (const never of ['.github/workflows/ci.yaml', '.github/workflows/release.yml', 'pnpm-lock.yaml', 'docker-compose.yml']) {
      const claimed = artifacts.filter((a) => minimatch(never, a.files, { dot: true }));
      assert.deepEqual(claimed.map((a) => a.id), [], `${never} is claimed by no artifact`);
    }
    assertValid(text, artifacts);
  });

  it('skips vendored, built and test code', () => {
    const { summary, artifacts } = propose({
      'vendor/agents/refunds.py': AGENTS_PY,
      'dist/route.js': AI_SDK_ROUTE,
      '.venv/lib/python3.12/site-packages/agents/agent.py': AGENTS_PY,
      'tests/test_agents.py': AGENTS_PY,
      'app/api/chat/route.test.ts': AI_SDK_ROUTE,
    });
    assert.deepEqual(artifacts, []);
    assert.match(summary, /^found nothing recognisable/);
  });

  it('says so when nothing is recognisable, and the skeleton still reads', () => {
    const files = {
      'README.md': '# Shop\n\nA small web shop.\n',
      'package.json': '{"name":"shop","scripts":{"build":"tsc"}}',
      'src/index.ts': "export const greeting = 'hello';\nexport function add(a: number, b: number) {\n  return a + b;\n}\n",
      'src/server.py': 'PORT = 8080\nNAME = "shop"\n',
      'tsconfig.json': '{"compilerOptions":{"strict":true}}',
    };
    const { text, summary, artifacts } = propose(files);
    assert.equal(summary, 'found nothing recognisable; the manifest is a skeleton to fill in.');
    assert.deepEqual(artifacts, []);
    assertValid(text, artifacts);
  });

  it('reads hostile text in linear time', () => {
    const hostile: Record<string, string> = {
      'a.ts': 'x: tool({'.repeat(25_000),
      'b.ts': 'const a = `${\n'.repeat(15_000),
      'c.ts': 'const a = "x" /*\n'.repeat(15_000),
      'd.py': '@tool(\n'.repeat(30_000),
      'e.py': 'A = Agent(\n'.repeat(20_000),
      'f.py': 'SYSTEM_PROMPT = ' + '"a" '.repeat(60_000),
      'g.ts': ' ' + 'a'.repeat(200_000) + ': tool',
    };
    const started = Date.now();
    const { artifacts } = propose(hostile);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    assert.deepEqual(artifacts.map((a) => a.symbol), ['SYSTEM_PROMPT']);
  });

  describe('on a code-first repository, read back by the real index', () => {
    before(async () => {
      await sharedGrammars().load(['typescript', 'tsx', 'python']);
    });

    it('proposes locators that all resolve: no missing symbol, tool or pointer, and the manifest reads', () => {
      const files: Record<string, string> = {
        'app/api/chat/route.ts': CLINIC_ROUTE,
        'agents/triage.py': CLINIC_AGENT_PY,
        'mcp/tools.json': CLINIC_MCP_TOOLS,
        'package.json': '{"name":"clinic","dependencies":{"ai":"^5.0.0"}}',
        'README.md': '# Clinic bookings\\n',
      };
      const { text, artifacts } = propose(files);
      // Pinned, so the checks below can never pass on an empty proposal.
      assert.deepEqual(located(artifacts), [
        'system-prompt agents/triage.py symbol:triage_agent.instructions',
        'system-prompt app/api/chat/route.ts symbol:systemPrompt',
        'tool-description agents/triage.py tool:list_free_slots',
        'tool-description app/api/chat/route.ts tool:findAppointment',
        'tool-description app/api/chat/route.ts tool:rescheduleAppointment',
        'tool-description mcp/tools.json tool:send_reminder',
        'tool-description mcp/tools.json tool:cancel_booking',
      ]);

      const index = indexOf(new MemoryHost({ ...files, 'counterpart.yaml': text }));
      const broken = computeFindings(index).filter((f) => ['symbol-not-found', 'pointer-not-found', 'manifest-schema', 'manifest-syntax'].includes(f.code));
      assert.deepEqual(broken.map((f) => `${f.code}: ${f.message}`), []);

      // Each locator finds the text it was proposed for, not just something.
      const expected: Record<string, string> = {
        'triage_agent.instructions': 'You decide whether a message is about bookings or billing',
        systemPrompt: 'Only change an appointment after the patient has confirmed the new time.',
        list_free_slots: 'List the free appointment slots on a day',
        findAppointment: "Finds a patient's next appointment",
        rescheduleAppointment: 'Only when the patient has confirmed the slot.',
        send_reminder: 'Texts the patient a reminder',
        cancel_booking: 'Only when the patient asked to cancel.',
      };
      for (const a of artifacts) {
        const name = a.symbol ?? a.tool ?? '';
        const content = index.contents.get(a.id);
        assert.ok(content?.located.length, `${a.id} (${name}) has located text`);
        assert.deepEqual(content.located.map((p) => p.file), [a.files], `${a.id} is located in ${a.files}`);
        assert.ok(content.text?.includes(expected[name]), `${a.id} located ${JSON.stringify(content.text)}`);
      }
    });
  });
});
