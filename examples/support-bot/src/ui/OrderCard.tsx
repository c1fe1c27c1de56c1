import React from "react";
import type { Order } from "../types";

type Props = {
  order: Order;
  onAction: (intent: string, orderId: string) => void;
};

export function OrderCard({ order, onAction }: Props) {
  const cancellable = order.status === "placed" || order.status === "packing";
  return (
    <article className="order-card">
      <header>
        <h3>Order {order.id}</h3>
        <span className={`status status-${order.status}`}>{order.status}</span>
      </header>
      <button
        data-intent="order-tracking"
        onClick={() => onAction("order-tracking", order.id)}
      >
        Track order
      </button>
      {cancellable && (
        <button
          className="danger"
          data-intent="cancel-order"
          onClick={() => onAction("cancel-order", order.id)}
        >
          Cancel order
        </button>
      )}
    </article>
  );
}
