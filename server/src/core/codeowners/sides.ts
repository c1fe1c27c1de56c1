import type { Owner } from '../manifest/model';

const GITHUB_NAME = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9_.-]+)?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Who stands for a side on GitHub: its `review.github` names (a team
 * `@org/team` or people, separated by spaces or commas), else its lead and
 * the members written as @handles. Emails are left out: GitHub takes them
 * in CODEOWNERS only when they belong to an account, which Counterpart
 * cannot know.
 */
export function githubNames(owner: Owner): string[] {
  const review = (owner.review.github ?? '').split(/[\s,]+/).filter((n) => GITHUB_NAME.test(n));
  const names = review.length ? review : [owner.lead ?? '', ...owner.members].filter((n) => GITHUB_NAME.test(n));
  return unique(names);
}

/** Every name that identifies a side in a CODEOWNERS rule: its review names, lead, @handles and emails (lower case). */
export function namesOfSide(owner: Owner): Set<string> {
  const all = [...(owner.review.github ?? '').split(/[\s,]+/), owner.lead ?? '', ...owner.members];
  return new Set(all.filter((n) => GITHUB_NAME.test(n) || EMAIL.test(n)).map((n) => n.toLowerCase()));
}

/** `@org/team` → team reviewers take the slug; anything else is a person. */
export function splitReviewers(names: readonly string[]): { users: string[]; teams: string[] } {
  const users: string[] = [];
  const teams: string[] = [];
  for (const name of names) {
    if (!GITHUB_NAME.test(name)) continue;
    const bare = name.slice(1);
    const slash = bare.indexOf('/');
    if (slash >= 0) teams.push(bare.slice(slash + 1));
    else users.push(bare);
  }
  return { users: unique(users), teams: unique(teams) };
}

function unique(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = n.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
