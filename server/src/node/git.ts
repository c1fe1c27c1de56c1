import { execFileSync } from 'node:child_process';

/**
 * The few git questions Counterpart asks. Every call is bounded in time and
 * answers `undefined` when git is missing, the folder is not a repository, or
 * the caller is not allowed to run it (restricted workspaces never call these).
 */
export class Git {
  constructor(private readonly cwd: string) {}

  private run(args: string[]): string | undefined {
    try {
      return execFileSync('git', args, { cwd: this.cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 * 1024 * 1024 });
    } catch {
      return undefined;
    }
  }

  userEmail(): string | undefined {
    return this.run(['config', 'user.email'])?.trim() || undefined;
  }

  /** The repository's top folder, absolute, with forward slashes (as git prints it). */
  topLevel(): string | undefined {
    return this.run(['rev-parse', '--show-toplevel'])?.trim() || undefined;
  }

  headCommit(): string | undefined {
    return this.run(['rev-parse', '--short', 'HEAD'])?.trim() || undefined;
  }

  /** A file as it was at `commit`; `path` relative to the repository folder given. */
  show(commit: string, path: string): string | undefined {
    if (!/^[0-9a-fA-F]{4,40}$/.test(commit)) return undefined;
    return this.run(['show', `${commit}:./${path}`]);
  }

  /** The origin remote's URL as configured. */
  originUrl(): string | undefined {
    return this.run(['remote', 'get-url', 'origin'])?.trim() || undefined;
  }

  /** The branch checked out; `undefined` when detached. */
  currentBranch(): string | undefined {
    const branch = this.run(['symbolic-ref', '--quiet', '--short', 'HEAD'])?.trim();
    return branch || undefined;
  }

  /** The GitHub "owner/repo" of the origin remote, when it is on GitHub. */
  githubRepository(): string | undefined {
    const url = this.run(['remote', 'get-url', 'origin'])?.trim();
    const m = url && /github\.com[:/]([^/]+\/[^/]+?)(?:\.git)?$/.exec(url);
    return m ? m[1] : undefined;
  }
}
