// A stand-in for Parcelly's order service, so the example reads like the real app.
export type OrderStatus = 'placed' | 'packing' | 'shipped' | 'delivered' | 'cancelled';

export interface Order {
  number: string;
  status: OrderStatus;
  items: string[];
  carrier?: string;
  trackingUrl?: string;
  expectedDelivery?: string;
}

const orders = new Map<string, Order>([
  ['PC-10293', { number: 'PC-10293', status: 'shipped', items: ['Linen throw'], carrier: 'DPD', trackingUrl: 'https://track.example/PC-10293', expectedDelivery: '2026-11-12' }],
  ['PC-20411', { number: 'PC-20411', status: 'packing', items: ['Stoneware mug', 'Tea towel'], expectedDelivery: '2026-11-14' }],
]);

export async function findOrder(orderNumber: string): Promise<Order | undefined> {
  return orders.get(orderNumber.trim().toUpperCase());
}

export async function cancelOrder(orderNumber: string, reason?: string): Promise<void> {
  const order = await findOrder(orderNumber);
  if (order) orders.set(order.number, { ...order, status: 'cancelled' });
  console.log(`[orders] ${orderNumber} cancelled${reason ? `: ${reason}` : ''}`);
}
