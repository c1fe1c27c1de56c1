// The example has no node_modules: just enough typing of Next.js's world, the
// AI SDK and zod for the editor to read the app without errors. A real app
// gets these from its dependencies.
declare const process: { env: Record<string, string | undefined> };

declare module 'react' {
  const React: unknown;
  export default React;
}
declare namespace JSX {
  interface IntrinsicElements {
    [element: string]: Record<string, unknown>;
  }
  type Element = unknown;
}

declare module 'zod' {
  interface Schema {
    describe(text: string): Schema;
    optional(): Schema;
  }
  export const z: {
    object(shape: Record<string, Schema>): Schema;
    string(): Schema;
    number(): Schema;
  };
}

declare module 'ai' {
  type Args = any;
  export interface Tool {
    description: string;
    parameters: unknown;
    execute: (args: Args) => Promise<unknown>;
  }
  export function tool(definition: Tool): Tool;
  export function streamText(options: {
    model: unknown;
    system?: string;
    messages: unknown[];
    maxSteps?: number;
    tools?: Record<string, Tool>;
  }): { toDataStreamResponse(): Response };
}

declare module '@ai-sdk/openai' {
  export function openai(model: string): unknown;
}
