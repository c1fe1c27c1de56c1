"""The Parcelly refunds agent (OpenAI Agents SDK). The chat hands refund requests here."""

import logging

from agents import Agent, Runner, function_tool

log = logging.getLogger(__name__)

MAX_REFUND_CENTS = 50_000


def _refund_payment(order_id: str, amount_cents: int) -> str:
    # Stands in for the payments service in this example.
    return f"RF-{order_id}-{amount_cents}"


@function_tool
def issue_refund(order_id: str, amount_cents: int) -> str:
    """Refund part or all of a Parcelly order to the original payment method.

    Only issue a refund after the customer has confirmed the amount.
    Never refund more than the order total.

    Args:
        order_id: The order number, for example PC-10293.
        amount_cents: The amount to refund, in cents.
    """
    if amount_cents <= 0 or amount_cents > MAX_REFUND_CENTS:
        return "Not refunded: the amount must be between 0.01 and 500.00."
    refund_id = _refund_payment(order_id, amount_cents)
    log.info("refund %s for %s: %d cents", refund_id, order_id, amount_cents)
    return f"Refund {refund_id} issued: {amount_cents / 100:.2f} back to the original payment method."


refund_agent = Agent(
    name="Refunds",
    instructions=(
        "You handle refund requests for Parcelly. "
        "Ask for the order number and the reason, and offer a full refund for items "
        "that arrived damaged or never arrived. "
        "Always confirm the amount before issuing a refund. "
        "Tell the customer the money arrives in 5 to 10 business days."
    ),
    tools=[issue_refund],
)

if __name__ == "__main__":
    result = Runner.run_sync(refund_agent, "My mug from order PC-20411 arrived broken.")
    print(result.final_output)
