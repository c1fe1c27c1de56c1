import React from "react";
import type { Order } from "../types";

type Props = {
  order: Order;
  onAction: (intent: string, orderId: string) => void;
};

export function RefundPanel({ order, onAction }: Props) {
  const canExpress = order.total < 200 && order.status === "delivered";
  return (
    <section className="refund-panel" aria-labelledby="refund-title">
      <h2 id="refund-title">Refunds</h2>
      <button
        data-intent="refund-status"
        onClick={() => onAction("refund-status", order.id)}
      >
        Refund status
      </button>
      {/* Shipped last week: instant money back for small orders. */}
      {canExpress && (
        <button
          className="primary"
          data-intent="express-refund"
          onClick={() => onAction("express-refund", order.id)}
        >
          Express refund
        </button>
      )}
      <button
        className="link"
        data-intent="price-match"
        onClick={() => onAction("price-match", order.id)}
      >
        Found it cheaper?
      </button>
    </section>
  );
}
