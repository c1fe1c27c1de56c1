const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

/**
 * The value of a quoted string's inside, for JS/TS and Python alike: `\n`,
 * `\t`, `\xAB`, `\uABCD`, `\u{…}`, escaped quotes and line continuations.
 * Unknown escapes keep the character, as both languages do.
 */
export function unescapeString(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_, e: string) => {
    if (e === '\n' || e === '\r\n' || e === '\r') return '';
    if (e.length > 1) {
      const hex = e[0] === 'u' && e[1] === '{' ? e.slice(2, -1) : e.slice(1);
      const code = parseInt(hex, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : e;
    }
    return SIMPLE_ESCAPES[e] ?? e;
  });
}

/**
 * A docstring as Python's `inspect.cleandoc` gives it: the common indentation
 * of the lines after the first removed, leading and trailing blank lines
 * dropped. Re-indenting a function then does not change its tool's text.
 */
export function cleanDocstring(doc: string): string {
  const lines = doc.replace(/\t/g, '        ').split(/\r?\n/);
  let indent = Infinity;
  for (const line of lines.slice(1)) {
    const stripped = line.trimStart();
    if (stripped) indent = Math.min(indent, line.length - stripped.length);
  }
  const out = [lines[0].trim(), ...lines.slice(1).map((l) => (indent === Infinity ? l.trim() : l.slice(indent).trimEnd()))];
  while (out.length && !out[0]) out.shift();
  while (out.length && !out[out.length - 1]) out.pop();
  return out.join('\n');
}
