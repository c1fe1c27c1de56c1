import type { Artifact, ArtifactKind, LocatorSpec, Owner } from './manifest/model';

const KIND_NOUNS: Readonly<Record<ArtifactKind, string>> = {
  'system-prompt': 'system prompt',
  'eval-set': 'eval set',
  'tool-description': 'tool description',
  'help-copy': 'help copy',
  'model-config': 'model setting',
};

/** "system prompt", "tool description": how a person names a kind. */
export function kindNoun(kind: ArtifactKind): string {
  return KIND_NOUNS[kind];
}

/** "ML Platform (@sam)", or just the title when there is no lead. */
export function sideName(owner: Owner | undefined, fallback = 'the other side'): string {
  if (!owner) return fallback;
  return owner.lead ? `${owner.title} (${owner.lead})` : owner.title;
}

/** "2 Nov 2026" from an ISO time; the raw text when it is not a date. */
export function formatDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "Tool description" from "tool description". */
export function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function artifactLabel(artifact: Artifact): string {
  return `${kindNoun(artifact.kind)} '${artifact.id}'`;
}

/** "the value at `/description`", "the text of `systemPrompt`": what part of a file an artifact is, in Markdown. */
export function locatorPhrase(locator: LocatorSpec): string {
  switch (locator.kind) {
    case 'pointer': return `the value at \`${locator.value}\``;
    case 'symbol': return `the text of \`${locator.value}\``;
    case 'tool': return `the description of tool \`${locator.value}\``;
    case 'region': return `the region \`${locator.value}\``;
  }
}

/** "a, b, c and 9,997 more": a list people can read, however long it is. */
export function someOf(items: readonly string[], max = 12): string {
  const shown = items.slice(0, max).map((i) => (i.length > 60 ? `${i.slice(0, 60)}…` : i));
  return items.length > max ? `${shown.join(', ')} and ${(items.length - max).toLocaleString('en-US')} more` : shown.join(', ');
}
