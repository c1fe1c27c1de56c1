import React from 'react';

// The help drawer next to the chat. Product owns these words: each one is a
// promise the assistant has to keep, so Counterpart checks them (only this
// constant, not the rest of the file) against the prompts and the evals.
export const helpCopy = `Ask the Parcelly assistant about anything you ordered.
It can check your order status, track your parcel, cancel your order before it
ships, and help you request a refund. Stuck? You can talk to a person at any time.`;

type Props = { onClose: () => void; onAsk: (text: string) => void };

export function HelpPanel({ onClose, onAsk }: Props) {
  return (
    <aside className="help-panel" aria-labelledby="help-title">
      <header>
        <h2 id="help-title">How can we help?</h2>
        <button className="icon" aria-label="Close help" onClick={onClose}>×</button>
      </header>
      <p>{helpCopy}</p>
      <p className="examples">
        Try asking: <a onClick={() => onAsk('Where is my order?')}>Where is my order?</a>
      </p>
    </aside>
  );
}
