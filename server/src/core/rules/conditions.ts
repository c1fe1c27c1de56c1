/**
 * Words that turn a tool description into a rule about when the tool may run.
 * A change in a sentence holding one of them changes how often the model calls it.
 */
const CONDITION = /\b(only|must|never|always|unless|confirm\w*|explicit\w*|do not|don't|before|after|except|require[sd]?|if|when|until|without)\b/i;

/** The sentences of a description that carry a condition, normalised for comparison. */
export function conditionSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s && CONDITION.test(s));
}

export interface ConditionChange {
  readonly added: string[];
  readonly removed: string[];
}

/** Conditions present now but not when reviewed, and the other way round. */
export function compareConditions(reviewed: string, current: string): ConditionChange | undefined {
  return compareConditionLists(conditionSentences(reviewed), conditionSentences(current));
}

/** The same, from condition sentences already taken out. */
export function compareConditionLists(before: readonly string[], after: readonly string[]): ConditionChange | undefined {
  const key = (s: string): string => s.toLowerCase().replace(/[.!?;]$/, '');
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  const added = after.filter((s) => !beforeKeys.has(key(s)));
  const removed = before.filter((s) => !afterKeys.has(key(s)));
  return added.length || removed.length ? { added, removed } : undefined;
}
