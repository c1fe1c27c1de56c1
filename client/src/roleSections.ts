/** A role line (`system:`, `user:` …) or a role heading (`# System`) at the start of a line. */
const ROLE = /^(?:(?:system|user|assistant|developer|human|ai)\s*:|#{1,6}\s+(?:system|user|assistant|developer|human|ai)\b)/i;

/**
 * Folding ranges by role section: each role line folds down to the last
 * non-blank line before the next role line (or the end). Pure, so unit tests
 * need no editor.
 */
export function roleSections(lines: readonly string[]): { start: number; end: number }[] {
  const starts: number[] = [];
  let fence = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    else if (!fence && ROLE.test(line)) starts.push(i);
  });
  const out: { start: number; end: number }[] = [];
  starts.forEach((start, k) => {
    let end = (k + 1 < starts.length ? starts[k + 1] : lines.length) - 1;
    while (end > start && !lines[end].trim()) end--;
    if (end > start) out.push({ start, end });
  });
  return out;
}
