import * as assert from 'node:assert/strict';
import { IndexCache } from '../../server/src/core/index/workspaceIndex';
import { sharedGrammars } from '../../server/src/core/locate/code/grammars';
import type { LocateResult } from '../../server/src/core/locate/locator';
import { createLocator } from '../../server/src/core/locate/locators';
import type { LocatorKind } from '../../server/src/core/manifest/model';
import { LineIndex } from '../../server/src/core/text';

/**
 * Locates `value` in `text` as the index would; returns the text found, or the
 * reason it was not. Each answer is asked twice, reading every top-level name
 * and reading only the name the locator starts from (what the index does), and
 * the two must agree.
 */
function locate(kind: LocatorKind, value: string, file: string, text: string): LocateResult {
  const spec = { kind, value, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  const source = { file, text, lines: new LineIndex(text) };
  const everything = createLocator(spec, { cache: new IndexCache(), grammars: sharedGrammars() }).locate(source);
  const wanted = new Set(kind === 'symbol' ? [value.split('.')[0]] : []);
  const onlyWanted = createLocator(spec, { cache: new IndexCache(), grammars: sharedGrammars(), wantedNames: () => wanted }).locate(source);
  assert.deepEqual(onlyWanted, everything, 'reading only the wanted names finds the same');
  return everything;
}

function found(kind: LocatorKind, value: string, file: string, text: string): string {
  const r = locate(kind, value, file, text);
  if (!('found' in r)) assert.fail(`${kind} '${value}' not found in ${file}: ${JSON.stringify(r)}`);
  return r.found.text;
}

function missing(kind: LocatorKind, value: string, file: string, text: string): string {
  const r = locate(kind, value, file, text);
  if (!('missing' in r)) assert.fail(`${kind} '${value}' unexpectedly ${JSON.stringify(r)}`);
  return r.missing;
}

/** "line:col" (1-based) of where the located text starts. */
function startOf(kind: LocatorKind, value: string, file: string, text: string): string {
  const r = locate(kind, value, file, text);
  if (!('found' in r)) assert.fail(JSON.stringify(r));
  return `${r.found.range.start.line + 1}:${r.found.range.start.character + 1}`;
}

const AI_SDK_ROUTE = `import { openai } from '@ai-sdk/openai';
import { streamText, tool } from 'ai';
import { z } from 'zod';

const storeName = 'Acme';

export const systemPrompt = \`You are the assistant for \${storeName}.
Only discuss orders.\`;

export async function POST(req: Request) {
  const { messages } = await req.json();
  console.log('chat', messages.length);
  if (!messages.length) return new Response('empty', { status: 400 });
  const result = streamText({
    model: openai('gpt-4.1-mini'),
    system: systemPrompt,
    messages,
    tools: {
      lookupOrder: tool({
        description: 'Looks up an order ' + "by its number.",
        parameters: z.object({ orderId: z.string() }),
        execute: async ({ orderId }) => ({ orderId }),
      }),
      'cancel-order': tool({
        description: \`Cancels an order. Only when the user has explicitly confirmed.\`,
        parameters: z.object({ orderId: z.string() }),
      }),
    },
  });
  return result.toDataStreamResponse();
}

export const weather = tool({
  description: 'Gets the weather.',
  parameters: z.object({}),
});
`;

const AGENTS_PY = `from agents import Agent, function_tool

REFUND_POLICY = """Refunds are reviewed within one day.
Never promise a refund yourself."""

@function_tool
def issue_refund(order_id: str, amount_cents: int) -> str:
    """Issue a refund for an order.

    Only issue a refund after the customer has confirmed the amount.
    """
    return "ok"

@function_tool(name_override="lookup_order", description_override="Looks up an order by number.")
def lookup(order_id: str) -> str:
    return order_id

refund_agent = Agent(
    name="Refunds",
    instructions=(
        "You handle refunds. "
        f"Always confirm the {currency} amount. "
        'Be brief.'
    ),
    tools=[issue_refund],
)

policy_agent = Agent(name="Policy", instructions=REFUND_POLICY)

class Settings:
    """Settings for the support bot."""
    GREETING = r"Hello\\n there"
`;

describe('locators', () => {
  before(async () => {
    await sharedGrammars().load(['typescript', 'tsx', 'javascript', 'python']);
  });

  describe('symbol in TypeScript and JavaScript', () => {
    it('reads a template literal with its placeholders as written, at the template', () => {
      assert.equal(found('symbol', 'systemPrompt', 'app/route.ts', AI_SDK_ROUTE), 'You are the assistant for ${storeName}.\nOnly discuss orders.');
      assert.equal(startOf('symbol', 'systemPrompt', 'app/route.ts', AI_SDK_ROUTE), '7:29');
    });

    it('steps into nested objects and into calls, and follows a name to its constant', () => {
      const ts = `const PROMPT = "Be kind.\\nBe brief.";
export const config = { agents: { support: { instructions: 'Help with orders.', model: 'gpt' } } };
export const supportAgent = new Agent({ name: 'Support', instructions: PROMPT });
const chat = createChat({ system: ['Line one.', 'Line two.'].join('\\n') }) as const;
`;
      assert.equal(found('symbol', 'config.agents.support.instructions', 'a.ts', ts), 'Help with orders.');
      assert.equal(found('symbol', 'supportAgent.instructions', 'a.ts', ts), 'Be kind.\nBe brief.');
      assert.equal(found('symbol', 'chat.system', 'a.ts', ts), 'Line one.\nLine two.');
      assert.match(missing('symbol', 'config.agents.support.model.name', 'a.ts', ts), /'config.agents.support.model' is text, so it has no 'name'/);
      assert.match(missing('symbol', 'config.agents.billing', 'a.ts', ts), /'config.agents' has no 'billing'/);
      assert.match(missing('symbol', 'config', 'a.ts', ts), /'config' is an object, not text/);
    });

    it('reads .trim(), dedent tags, concatenation with names, class fields, and JavaScript files', () => {
      const js = `export const a = \`  Hello.  \`.trim();
const b = dedent\`
  Indented.\`;
let c = 'Hi ' + user.name + '!';
class Bot { static greeting = "Welcome"; }
`;
      assert.equal(found('symbol', 'a', 'x.mjs', js), '  Hello.  ');
      assert.equal(found('symbol', 'b', 'x.cjs', js), '\n  Indented.');
      assert.equal(found('symbol', 'c', 'x.js', js), 'Hi ${user.name}!');
      assert.equal(found('symbol', 'Bot.greeting', 'x.js', js), 'Welcome');
      assert.equal(found('symbol', 'greeting', 'x.js', js), 'Welcome');
    });

    it('reads what a function returns: tool factories and prompt builders', () => {
      const ts = `export const createDocument = ({ session }: Props) =>
  tool({
    description: "Create a document for writing activities.",
    inputSchema: z.object({ title: z.string() }),
  });
export const greeting = (name: string) => \`Hello \${name}, how can I help?\`;
export function buildPrompt(user: User) {
  const tone = 'warm';
  return 'Be ' + tone + ' with ' + user.name + '.';
}
export function twoWays(x: boolean) { if (x) return 'a'; return 'b'; }
`;
      assert.equal(found('tool', 'createDocument', 'tools.ts', ts), 'Create a document for writing activities.');
      assert.equal(found('symbol', 'greeting', 'p.ts', ts), 'Hello ${name}, how can I help?');
      assert.equal(found('symbol', 'buildPrompt', 'p.ts', ts), 'Be ${tone} with ${user.name}.');
      assert.match(missing('symbol', 'twoWays', 'p.ts', ts), /'twoWays' is a function declaration, not text/);
    });

    it('finds only module-level names, and says so', () => {
      assert.match(missing('symbol', 'messages', 'app/route.ts', AI_SDK_ROUTE), /nothing named 'messages' is defined at the top level/);
    });

    it('reads TSX, and counts columns in UTF-16 like the editor', () => {
      const tsx = `// Größe 🎉\nexport const helpCopy = "Track your parcel — any time.";\nexport function Help() { return <p>{helpCopy}</p>; }\n`;
      assert.equal(found('symbol', 'helpCopy', 'Help.tsx', tsx), 'Track your parcel — any time.');
      assert.equal(startOf('symbol', 'helpCopy', 'Help.tsx', tsx), '2:25');
      const emoji = `const s = "🎉"; export const p = 'x';\n`;
      assert.equal(startOf('symbol', 'p', 'e.ts', emoji), '1:34');
    });
  });

  describe('symbol in Python', () => {
    it('reads keyword arguments with implicit concatenation and f-string placeholders kept', () => {
      assert.equal(found('symbol', 'refund_agent.instructions', 'agents/refunds.py', AGENTS_PY), 'You handle refunds. Always confirm the {currency} amount. Be brief.');
      assert.equal(startOf('symbol', 'refund_agent.instructions', 'agents/refunds.py', AGENTS_PY), '21:9');
    });

    it('follows a keyword argument to a module constant, and reads triple-quoted and raw strings', () => {
      assert.equal(found('symbol', 'policy_agent.instructions', 'a.py', AGENTS_PY), 'Refunds are reviewed within one day.\nNever promise a refund yourself.');
      assert.equal(startOf('symbol', 'policy_agent.instructions', 'a.py', AGENTS_PY), '3:17');
      assert.equal(found('symbol', 'Settings.GREETING', 'a.py', AGENTS_PY), 'Hello\\n there');
    });

    it('reads a def or class name as its docstring, cleaned of indentation', () => {
      assert.equal(found('symbol', 'issue_refund', 'a.py', AGENTS_PY), 'Issue a refund for an order.\n\nOnly issue a refund after the customer has confirmed the amount.');
      assert.equal(found('symbol', 'Settings', 'a.py', AGENTS_PY), 'Settings for the support bot.');
      assert.match(missing('symbol', 'lookup', 'a.py', AGENTS_PY), /'lookup' is a function definition, not text/);
    });

    it('reads dicts and string escapes', () => {
      const py = `PROMPTS = {"support": {"system": "Line one.\\nLine two \\u00e9."}}\n`;
      assert.equal(found('symbol', 'PROMPTS.support.system', 'p.py', py), 'Line one.\nLine two é.');
    });
  });

  describe('tool in code', () => {
    it('finds AI SDK tools by their key wherever the tools object is, and a const bound to tool()', () => {
      assert.equal(found('tool', 'lookupOrder', 'app/route.ts', AI_SDK_ROUTE), 'Looks up an order by its number.');
      assert.equal(found('tool', 'cancel-order', 'app/route.ts', AI_SDK_ROUTE), 'Cancels an order. Only when the user has explicitly confirmed.');
      assert.equal(found('tool', 'weather', 'app/route.ts', AI_SDK_ROUTE), 'Gets the weather.');
      assert.equal(startOf('tool', 'lookupOrder', 'app/route.ts', AI_SDK_ROUTE), '20:22');
      assert.match(missing('tool', 'refund', 'app/route.ts', AI_SDK_ROUTE), /no tool named 'refund' is declared/);
    });

    it('finds @function_tool by its docstring or its overrides', () => {
      assert.equal(found('tool', 'issue_refund', 'agents/refunds.py', AGENTS_PY), 'Issue a refund for an order.\n\nOnly issue a refund after the customer has confirmed the amount.');
      assert.equal(found('tool', 'lookup_order', 'agents/refunds.py', AGENTS_PY), 'Looks up an order by number.');
      assert.match(missing('tool', 'lookup', 'agents/refunds.py', AGENTS_PY), /no tool named 'lookup'/);
    });

    it('finds LangChain and MCP decorators, named or not', () => {
      const py = `from langchain_core.tools import tool

@tool("search_orders")
def search(query: str) -> str:
    """Search orders. Never search other customers' orders."""
    return query

@tool
def get_weather(city: str) -> str:
    '''Weather for a city.'''

@mcp.tool(description="Tracks a parcel by its tracking number.")
async def track_parcel(number: str) -> str:
    return number
`;
      assert.equal(found('tool', 'search_orders', 't.py', py), "Search orders. Never search other customers' orders.");
      assert.equal(found('tool', 'get_weather', 't.py', py), 'Weather for a city.');
      assert.equal(found('tool', 'track_parcel', 't.py', py), 'Tracks a parcel by its tracking number.');
    });

    it('finds tools registered with the MCP TypeScript SDK, by their name', () => {
      const ts = `server.registerTool(
  "read_text_file",
  {
    title: "Read Text File",
    description:
      "Read a file as text. " +
      "Only works within allowed directories.",
    inputSchema: { path: z.string() },
  },
  handler,
);
server.tool("echo", "Echoes back the input.", { message: z.string() }, async () => ({ content: [] }));
const name = "get-resource-links";
const config = { title: "Links", description: "Returns resource links." };
export function register(server: McpServer) {
  server.registerTool(name, config, async () => ({ content: [] }));
}
`;
      assert.equal(found('tool', 'read_text_file', 'index.ts', ts), 'Read a file as text. Only works within allowed directories.');
      assert.equal(found('tool', 'echo', 'index.ts', ts), 'Echoes back the input.');
      assert.equal(found('tool', 'get-resource-links', 'index.ts', ts), 'Returns resource links.');
    });

    it('finds OpenAI and Anthropic tool definitions written as literals in code', () => {
      const ts = `const tools = [
  { type: 'function', function: { name: 'get_order', description: 'Gets an order.', parameters: {} } },
  { name: 'refund', description: 'Refunds. Only after confirmation.', input_schema: { type: 'object' } },
];
`;
      assert.equal(found('tool', 'get_order', 'tools.ts', ts), 'Gets an order.');
      assert.equal(found('tool', 'refund', 'tools.ts', ts), 'Refunds. Only after confirmation.');
      const py = `TOOLS = [{"name": "refund", "description": "Refunds an order.", "input_schema": {"type": "object"}}]\n`;
      assert.equal(found('tool', 'refund', 'tools.py', py), 'Refunds an order.');
    });
  });

  describe('tool in JSON and YAML', () => {
    const mcp = `{
  "tools": [
    { "name": "reschedule", "description": "Moves a delivery.", "inputSchema": {} },
    { "name": "track_parcel", "description": "Tracks a parcel.", "inputSchema": {} }
  ]
}
`;
    it('finds an MCP tool by name, and the same tool after the list is reordered', () => {
      assert.equal(found('tool', 'track_parcel', 'mcp/tools.json', mcp), 'Tracks a parcel.');
      assert.equal(startOf('tool', 'track_parcel', 'mcp/tools.json', mcp), '4:46');
      const reordered = `{ "tools": [\n  { "name": "track_parcel", "description": "Tracks a parcel.", "inputSchema": {} },\n  { "name": "reschedule", "description": "Moves a delivery." }\n] }\n`;
      assert.equal(found('tool', 'track_parcel', 'mcp/tools.json', reordered), 'Tracks a parcel.');
      assert.equal(found('tool', 'reschedule', 'mcp/tools.json', reordered), 'Moves a delivery.');
    });

    it('finds OpenAI function tools and Anthropic tool lists', () => {
      const openai = `[{ "type": "function", "function": { "name": "get_order", "description": "Gets an order.", "parameters": {} } }]`;
      assert.equal(found('tool', 'get_order', 'openai.json', openai), 'Gets an order.');
      const anthropic = `tools:\n  - name: refund\n    description: >-\n      Refunds an order.\n      Only after the customer confirms.\n    input_schema: { type: object }\n`;
      assert.equal(found('tool', 'refund', 'tools.yaml', anthropic), 'Refunds an order. Only after the customer confirms.');
      assert.equal(startOf('tool', 'refund', 'tools.yaml', anthropic), '3:18');
      assert.match(missing('tool', 'cancel', 'tools.yaml', anthropic), /no tool named 'cancel'/);
    });
  });

  describe('region', () => {
    const go = `package legacy

// counterpart:begin escalation
const prompt = \`Hand over to a person.
Never promise refunds.\`
// counterpart:end escalation

// counterpart:begin escalation-v2
`;
    it('is the lines between the begin and end comments, in any language', () => {
      assert.equal(found('region', 'escalation', 'legacy/prompt.go', go), 'const prompt = `Hand over to a person.\nNever promise refunds.`');
      assert.equal(startOf('region', 'escalation', 'legacy/prompt.go', go), '4:1');
    });

    it('does not take a longer label for a shorter one, and says what is missing', () => {
      assert.match(missing('region', 'escalation-v2', 'legacy/prompt.go', go), /'counterpart:begin escalation-v2' on line 8 has no 'counterpart:end escalation-v2' after it/);
      assert.match(missing('region', 'escalation-v', 'legacy/prompt.go', go), /no comment says 'counterpart:begin escalation-v'/);
    });
  });

  describe('files that do not parse', () => {
    it('says the file does not parse, and where, when the symbol is not found', () => {
      const broken = `export const other = 1;\nexport const systemPrompt = \`unterminated\n`;
      const why = missing('symbol', 'chatPrompt', 'a.ts', broken);
      assert.match(why, /nothing named 'chatPrompt' is defined at the top level \(the file does not parse: .* on line \d\)/);
    });

    it('still finds symbols outside a syntax error elsewhere in the file', () => {
      const text = `export const systemPrompt = "Be kind.";\nfunction broken( {\n`;
      assert.equal(found('symbol', 'systemPrompt', 'a.ts', text), 'Be kind.');
    });
  });
});
