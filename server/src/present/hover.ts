import { capital, formatDay, kindNoun, locatorPhrase, plural, sideName } from '../core/describe';
import { artifactFacts, intentStatus, type IntentStatus } from '../core/explain';
import { comparePlaces, type Range } from '../core/text';
import { anchorOf, type WorkspaceIndex } from '../core/index/workspaceIndex';
import type { Target } from '../core/lookup';
import type { Artifact } from '../core/manifest/model';

/** Makes a link target (a URI with a line fragment) for a file of the folder. */
export type Linker = (file: string, range?: Range) => string;

const LIST_MAX = 8;

/** The hover for a target, as Markdown. Pure: links come from `link`. */
export function hoverMarkdown(index: WorkspaceIndex, target: Target, link: Linker): string {
  switch (target.kind) {
    case 'artifact':
      return artifactHover(index, target.artifact, link);
    case 'marker': {
      const surface = index.manifest.surfaces[target.marker.surfaceIndex];
      const owner = index.owner(surface?.owner.value);
      return intentHover(index, target.marker.intent, link, `Surfaced here in UI code owned by ${sideName(owner)}.`);
    }
    case 'copy':
      return intentHover(index, target.mention.intent, link, `This help copy promises it ("${target.mention.phrase.replace(/\s+/g, ' ')}").`);
    case 'eval-intent':
      return intentHover(index, target.intent, link, `Tested by this eval case: ${target.evalCase.label}.`);
    case 'intent-ref':
      return intentHover(index, target.intent, link, target.artifact ? `${capital(kindNoun(target.artifact.kind))} \`${target.artifact.id}\` lists it.` : undefined);
    case 'owner-ref':
      return ownerHover(index, target.owner);
  }
}

function artifactHover(index: WorkspaceIndex, artifact: Artifact, link: Linker): string {
  const f = artifactFacts(index, artifact);
  const md: string[] = [];
  md.push(`**${capital(kindNoun(artifact.kind))} \`${artifact.id}\`**${artifact.locator ? ` · ${locatorPhrase(artifact.locator)}` : ''}`, '');
  const channel = f.counterpart ? [f.counterpart.review.github, f.counterpart.review.url].filter(Boolean).join(', ') : '';
  md.push(`Owned by **${sideName(f.owner)}** · counterpart **${sideName(f.counterpart, 'none declared')}**${channel ? ` — review requests go to ${channel}` : ''}`, '');
  const r = f.review;
  const review = r.state === 'never-reviewed'
    ? `never reviewed by ${f.counterpart?.title ?? 'the counterpart'}`
    : r.state === 'unknown' ? 'unknown: its files could not be read'
    : `${r.review.by}, ${formatDay(r.review.at)} — ${r.state === 'in-step' ? 'unchanged since' : '**changed since**'}`;
  md.push(`**Last counterpart review:** ${review}`, '');
  if (f.intents.length) {
    md.push(`**Intents:** ${f.intents.map((i) => intentLine(i)).join(' · ')}`, '');
  }
  if (f.evalCases.length) {
    md.push(`**Eval cases (${f.evalCases.length}):**`);
    for (const c of f.evalCases.slice(0, LIST_MAX)) md.push(`- [${c.file}:${c.range.start.line + 1}](${link(c.file, c.range)}) ${escape(c.label)}`);
    if (f.evalCases.length > LIST_MAX) md.push(`- … and ${f.evalCases.length - LIST_MAX} more`);
    md.push('');
  }
  if (f.markers.length && artifact.kind !== 'eval-set') {
    md.push(`**UI surfaces (${f.markers.length}):**`);
    for (const m of [...f.markers].sort(comparePlaces).slice(0, LIST_MAX)) md.push(`- [${m.file}:${m.range.start.line + 1}](${link(m.file, m.range)}) \`${m.intent}\``);
    if (f.markers.length > LIST_MAX) md.push(`- … and ${f.markers.length - LIST_MAX} more`);
  }
  return md.join('\n').trimEnd();
}

function intentLine(i: IntentStatus): string {
  const cases = i.evalCases.length ? plural(i.evalCases.length, 'eval case') : '**no eval case (uncovered)**';
  return `\`${i.id}\` ${cases}`;
}

function intentHover(index: WorkspaceIndex, id: string, link: Linker, context: string | undefined): string {
  const s = intentStatus(index, id);
  const md: string[] = [];
  md.push(`**Intent \`${id}\`**${s.declared?.title ? ` — ${escape(s.declared.title)}` : ''}`, '');
  if (context) md.push(context, '');
  if (!s.declared) {
    md.push(`⚠ Not declared in ${index.manifestFile}: nobody owns it, no eval covers it and no prompt is tuned for it.`, '');
    return md.join('\n').trimEnd();
  }
  md.push(`- **Owner:** ${sideName(s.owner, 'not set')}`);
  const evalOwner = index.owner(index.artifactsOfKind('eval-set')[0]?.owner.value);
  md.push(s.evalCases.length
    ? `- **Eval cases:** ${s.evalCases.slice(0, LIST_MAX).map((c) => `[${c.file}:${c.range.start.line + 1}](${link(c.file, c.range)})`).join(', ')}${s.evalCases.length > LIST_MAX ? ` and ${s.evalCases.length - LIST_MAX} more` : ''} (${s.evalCases.length})`
    : index.artifactsOfKind('eval-set').length
      ? `- **Eval cases:** none — uncovered. Evals are owned by ${sideName(evalOwner)}.`
      : `- **Eval cases:** none — no eval set is declared in ${index.manifestFile}.`);
  md.push(s.prompts.length
    ? `- **System prompt tuned for it:** ${s.prompts.map((p) => artifactLink(index, p, link)).join(', ')}`
    : `- **System prompt tuned for it:** none`);
  if (s.tools.length) md.push(`- **Tools serving it:** ${s.tools.map((t) => artifactLink(index, t, link)).join(', ')}`);
  md.push(s.markers.length
    ? `- **Surfaced in the UI:** ${[...s.markers].sort(comparePlaces).slice(0, LIST_MAX).map((m) => `[${m.file}:${m.range.start.line + 1}](${link(m.file, m.range)})`).join(', ')}`
    : `- **Surfaced in the UI:** nowhere`);
  if (s.copyMentions) md.push(`- **Promised in help copy:** ${plural(s.copyMentions, 'place')}`);
  return md.join('\n');
}

function ownerHover(index: WorkspaceIndex, id: string): string {
  const owner = index.owner(id);
  if (!owner) return `**Owner \`${id}\`** — not declared under owners.`;
  const md = [`**${escape(owner.title)}** (\`${id}\`)`, ''];
  if (owner.lead) md.push(`- **Lead:** ${owner.lead}`);
  if (owner.members.length) md.push(`- **Members:** ${owner.members.join(', ')}`);
  const channel = [owner.review.github, owner.review.url].filter(Boolean);
  if (channel.length) md.push(`- **Review requests go to:** ${channel.join(', ')}`);
  const owned = index.manifest.artifacts.filter((a) => a.owner.value === id).map((a) => `\`${a.id}\``);
  md.push(`- **Owns:** ${owned.length ? owned.join(', ') : 'no artifact'}`);
  return md.join('\n');
}

function artifactLink(index: WorkspaceIndex, artifact: Artifact, link: Linker): string {
  const at = anchorOf(index.contents.get(artifact.id));
  return at ? `[${artifact.id}](${link(at.file, at.range)})` : `\`${artifact.id}\``;
}


/** Keeps user text from being read as Markdown. */
function escape(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+!|<>])/g, '\\$1');
}
