// The Parcelly support chat: a Next.js route handler on the Vercel AI SDK.
import { openai } from '@ai-sdk/openai';
import { streamText, tool } from 'ai';
import { z } from 'zod';
import { cancelOrder as cancel, findOrder } from '../../../lib/orders';

const storeName = process.env.STORE_NAME ?? 'Parcelly';

export const maxDuration = 30;

export const systemPrompt = `You are the support assistant for ${storeName}, an online home goods shop.
Be brief, warm and concrete. Never guess an order's details: look the order up.

Order status: ask for the order number if you do not have it, call lookupOrder,
and give the status and the expected delivery date.
Parcel tracking: once an order has shipped, give the carrier, the tracking link
and the expected delivery date from lookupOrder.
Cancellations: only orders that have not shipped can be cancelled. Repeat the
order number and ask the customer to confirm before you call cancelOrder. If the
order has shipped, say they can return it once it arrives.
Refunds: collect the order number and the reason and pass them to the refunds
team. Say the refund is reviewed within one business day and the money arrives
5 to 10 business days after approval. Never promise a refund yourself.`;

export async function POST(req: Request) {
  const { messages, sessionId } = await req.json();
  if (!Array.isArray(messages) || messages.length === 0) {
    return new Response('Send at least one message.', { status: 400 });
  }
  console.log(`[chat] session ${sessionId ?? 'anonymous'}: ${messages.length} messages`);

  const result = streamText({
    model: openai('gpt-4.1-mini'),
    system: systemPrompt,
    messages,
    maxSteps: 3,
    tools: {
      lookupOrder: tool({
        description: 'Looks up a Parcelly order by its number and returns its status, items, carrier, tracking link and expected delivery date. Use it before answering any question about an order.',
        parameters: z.object({
          orderNumber: z.string().describe('The order number, for example PC-10293'),
        }),
        execute: async ({ orderNumber }) => (await findOrder(orderNumber)) ?? { error: 'No order with that number' },
      }),
      cancelOrder: tool({
        description: 'Cancels an order that has not shipped yet. Only when the user has explicitly confirmed the order number and asked to cancel it.',
        parameters: z.object({
          orderNumber: z.string(),
          reason: z.string().optional(),
        }),
        execute: async ({ orderNumber, reason }) => {
          const order = await findOrder(orderNumber);
          if (!order) return { ok: false, error: 'No order with that number' };
          if (order.status === 'shipped' || order.status === 'delivered') {
            return { ok: false, error: 'Already shipped: offer a return instead' };
          }
          await cancel(order.number, reason);
          return { ok: true };
        },
      }),
    },
  });

  return result.toDataStreamResponse();
}
