/** An order as the support UI receives it from the orders API. */
export interface Order {
  id: string;
  status: "placed" | "packing" | "shipped" | "delivered" | "returned";
  total: number;
  currency: string;
  trackingUrl?: string;
}
