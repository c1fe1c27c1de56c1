/**
 * A "new issue" link on GitHub with the review request as its body. Browsers
 * and GitHub refuse very long links, so the body is cut (at a line) to fit.
 */

/** The most of the encoded body a link carries (the whole link stays well under 8 KB). */
export const MAX_ENCODED_BODY = 6000;

export const TRIM_NOTE =
  '\n\n---\n_This review request was cut short to fit in a link. The full text is on your clipboard: paste it here in place of this note._';

export interface IssueLink {
  readonly url: string;
  /** True when the body was cut: the caller puts the full text on the clipboard. */
  readonly trimmed: boolean;
}

/** What closing a cut code block adds to the encoded body. */
const FENCE_COST = encodeURIComponent('\n```').length;

/** Undefined when `repository` is not a plain "owner/repo". */
export function githubIssueLink(repository: string, title: string, markdown: string): IssueLink | undefined {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) return undefined;
  const trimmed = encodeURIComponent(markdown).length > MAX_ENCODED_BODY;
  const body = trimmed ? closeFence(fit(markdown, MAX_ENCODED_BODY - encodeURIComponent(TRIM_NOTE).length - FENCE_COST)) + TRIM_NOTE : markdown;
  const url = `https://github.com/${repository}/issues/new?title=${encodeURIComponent(title)}&body=${encodeURIComponent(body)}`;
  return { url, trimmed };
}

/** The longest start of `text` whose encoding fits `budget`: whole lines, or code points when not even one line fits. */
function fit(text: string, budget: number): string {
  let kept = '';
  let size = 0;
  for (const line of text.split('\n')) {
    const piece = kept === '' ? line : `\n${line}`;
    const cost = encodeURIComponent(piece).length;
    if (size + cost > budget) break;
    kept += piece;
    size += cost;
  }
  if (kept !== '') return kept;
  for (const char of text) {
    const cost = encodeURIComponent(char).length;
    if (size + cost > budget) break;
    kept += char;
    size += cost;
  }
  return kept;
}

// A cut inside a ``` block would swallow the note into the code.
function closeFence(text: string): string {
  const fences = text.split('\n').filter((line) => line.trimStart().startsWith('```')).length;
  return fences % 2 === 1 ? `${text}\n\`\`\`` : text;
}
