import { compilePattern } from './pattern';

/** Where GitHub looks for the CODEOWNERS file, in its order; it uses the first one there is. */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** GitHub ignores a CODEOWNERS file over 3 MB. */
export const CODEOWNERS_MAX_SIZE = 3 * 1024 * 1024;

/** One rule of a CODEOWNERS file: a pattern and who owns what it matches. */
export interface CodeownersRule {
  readonly pattern: string;
  /** As written: `@user`, `@org/team` or an email. Empty: the files have no owner. */
  readonly owners: readonly string[];
  /** Zero-based line and column of the pattern. */
  readonly line: number;
  readonly column: number;
  matches(path: string): boolean;
}

/** A line GitHub skips or only partly understands, with why. */
export interface CodeownersProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface Codeowners {
  readonly rules: readonly CodeownersRule[];
  readonly problems: readonly CodeownersProblem[];
}

const OWNER = /^(@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9_.-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

/**
 * Reads a CODEOWNERS file the way GitHub does: one rule a line, `#` starts a
 * comment (at the start of a line or after a space), a pattern then its
 * owners separated by spaces; `\` escapes a space or a `#` in a pattern.
 * A line GitHub would skip is left out and reported; the others all count.
 */
export function parseCodeowners(text: string): Codeowners {
  const rules: CodeownersRule[] = [];
  const problems: CodeownersProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, line) => {
    const tokens = tokenize(raw);
    if (!tokens.length) return;
    const [first, ...rest] = tokens;
    const compiled = compilePattern(first.text);
    if (!compiled.ok) {
      problems.push({ line, column: first.column, message: `GitHub skips this line: ${compiled.problem}.` });
      return;
    }
    const owners: string[] = [];
    for (const token of rest) {
      if (OWNER.test(token.text)) owners.push(token.text);
      else problems.push({ line, column: token.column, message: `'${token.text}' is not a GitHub user (@name), team (@org/team) or email, so GitHub ignores it.` });
    }
    rules.push({ pattern: first.text, owners, line, column: first.column, matches: compiled.test });
  });
  return { rules, problems };
}

/** The rule that decides who owns `path`: the last one that matches it. */
export function winningRule(codeowners: Codeowners, path: string): CodeownersRule | undefined {
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    if (codeowners.rules[i].matches(path)) return codeowners.rules[i];
  }
  return undefined;
}

/** Who GitHub asks to review a change to `path`. */
export function ownersOf(codeowners: Codeowners, path: string): readonly string[] {
  return winningRule(codeowners, path)?.owners ?? [];
}

interface Token {
  readonly text: string;
  readonly column: number;
}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length || line[i] === '#') break;
    const column = i;
    let text = '';
    while (i < line.length && !/\s/.test(line[i])) {
      // Only the pattern keeps its escapes; the matcher reads them.
      if (line[i] === '\\' && i + 1 < line.length && tokens.length === 0) {
        text += line[i] + line[i + 1];
        i += 2;
      } else {
        text += line[i++];
      }
    }
    tokens.push({ text, column });
  }
  return tokens;
}
