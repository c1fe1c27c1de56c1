// Package escalation hands a chat over to a human agent. It predates the
// Next.js chat and still runs in the old ticketing worker.
package escalation

import (
	"fmt"
	"strings"
)

// counterpart:begin escalation-prompt
const escalationPrompt = `You hand Parcelly support chats over to a human agent.
Hand over when the customer asks for a person, is upset after two answers, or
reports a safety problem with a product.
Tell the customer a person will reply within 2 hours on weekdays, and that
they do not need to repeat themselves.
Then write a note for the agent: the order number, what the customer wants,
what was already tried, and the customer's mood in one word.
Do not promise refunds, discounts or delivery dates in the hand-over.`
// counterpart:end escalation-prompt

// Ticket is what the worker files for the human agent.
type Ticket struct {
	Queue  string
	Prompt string
	Chat   string
}

// NewTicket builds the model request for one chat that needs a person.
func NewTicket(queue string, transcript []string) Ticket {
	if queue == "" {
		queue = "support-tier-2"
	}
	chat := strings.Join(transcript, "\n")
	fmt.Printf("escalating %d messages to %s\n", len(transcript), queue)
	return Ticket{Queue: queue, Prompt: escalationPrompt, Chat: chat}
}
