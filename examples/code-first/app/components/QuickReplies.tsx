import React from 'react';

// The buttons under the chat box. Each data-intent names an intent declared in
// counterpart.yaml, so Counterpart can check the assistant is ready for it.
type Props = { onPick: (intent: string, text: string) => void };

export function QuickReplies({ onPick }: Props) {
  return (
    <div className="quick-replies" role="group" aria-label="Suggested questions">
      <button data-intent="order-status" onClick={() => onPick('order-status', 'Where is my order?')}>
        Order status
      </button>
      <button data-intent="track-parcel" onClick={() => onPick('track-parcel', 'Where is my parcel right now?')}>
        Track my parcel
      </button>
      <button data-intent="cancel-order" onClick={() => onPick('cancel-order', 'I want to cancel my order.')}>
        Cancel an order
      </button>
      <button data-intent="refund-request" onClick={() => onPick('refund-request', 'I would like a refund.')}>
        Get a refund
      </button>
      <button className="link" data-intent="human-handoff" onClick={() => onPick('human-handoff', 'Can I talk to a person?')}>
        Talk to a person
      </button>
    </div>
  );
}
