import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { FORMATS, type Format } from './formats';
import { runCheck, runExplain, runInit, runReview, runSign, type Io } from './commands';
import { REPORT_FORMATS, runReport, type ReportFormat } from './report';

const USAGE = `Counterpart: shows who owns each AI artifact and what is out of step between product and platform.

Usage:
  counterpart check [folder] [--format text|json|sarif|github] [--max-warnings N] [--as <email|@handle>]
  counterpart explain <file>
  counterpart review <artifact-id> [--folder <folder>] [--no-git]
  counterpart sign <artifact-id> --by <@handle|email> [--folder <folder>] [--force] [--no-git]
  counterpart init [folder]
  counterpart report [folder] [--html <file>] [--format markdown|html|json] [--since <date>] [--weeks N] [--no-git]

Options:
  --manifest <path>   manifest path inside the folder (default counterpart.yaml)
  --help, --version

Exit codes: 0 in step, 1 findings over the limit, 2 unusable input.`;

/** Thrown for input the command cannot use; printed as one line, exit code 2. */
export class UsageError extends Error {}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`counterpart: ${err.message}\n`);
      return 2;
    }
    // A bug, not the user's fault: say so in one line, never a stack trace.
    io.err(`counterpart: something went wrong inside Counterpart (${(err as Error).message}). Please report it.\n`);
    return 2;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    io.out(`${io.version}\n`);
    return 0;
  }
  const args = parse(rest, {
    format: { type: 'string' },
    'max-warnings': { type: 'string' },
    manifest: { type: 'string' },
    as: { type: 'string' },
    by: { type: 'string' },
    folder: { type: 'string' },
    force: { type: 'boolean' },
    'no-git': { type: 'boolean' },
    'no-color': { type: 'boolean' },
    html: { type: 'string' },
    since: { type: 'string' },
    weeks: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (args.values.help) {
    io.out(USAGE + '\n');
    return 0;
  }
  const manifest = args.values.manifest as string | undefined;
  const git = !args.values['no-git'];
  const positionals = args.positionals;
  const at = (i: number): string | undefined => positionals[i];
  const extra = (max: number): void => {
    if (positionals.length > max) throw new UsageError(`unexpected '${positionals[max]}'. See 'counterpart --help'.`);
  };
  switch (command) {
    case 'check': {
      extra(1);
      const format = (args.values.format as string | undefined) ?? 'text';
      if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'.`);
      const mw = args.values['max-warnings'] as string | undefined;
      const maxWarnings = mw === undefined ? 0 : Number(mw);
      if (!Number.isInteger(maxWarnings) || (maxWarnings < 0 && maxWarnings !== -1)) throw new UsageError(`--max-warnings needs a whole number (or -1 for no limit), not '${mw}'.`);
      return runCheck(io, {
        folder: path.resolve(io.cwd, at(0) ?? '.'),
        format: format as Format,
        maxWarnings,
        manifest,
        identity: (args.values.as as string | undefined) ?? io.env.COUNTERPART_IDENTITY,
        color: !args.values['no-color'] && io.isTty && !io.env.NO_COLOR,
      });
    }
    case 'explain': {
      extra(1);
      const file = at(0);
      if (!file) throw new UsageError("explain needs a file, e.g. 'counterpart explain prompts/support/system.prompt.md'.");
      return runExplain(io, { file: path.resolve(io.cwd, file), manifest });
    }
    case 'review': {
      extra(1);
      const id = at(0);
      if (!id) throw new UsageError("review needs an artifact id, e.g. 'counterpart review refund-tool'.");
      return runReview(io, { id, folder: path.resolve(io.cwd, (args.values.folder as string | undefined) ?? '.'), manifest, git });
    }
    case 'sign': {
      extra(1);
      const id = at(0);
      const by = args.values.by as string | undefined;
      if (!id) throw new UsageError("sign needs an artifact id, e.g. 'counterpart sign refund-tool --by @dana'.");
      if (!by) throw new UsageError("sign needs --by with the reviewer's @handle or email, e.g. --by @dana.");
      return runSign(io, { id, by, folder: path.resolve(io.cwd, (args.values.folder as string | undefined) ?? '.'), manifest, git, force: !!args.values.force });
    }
    case 'init':
      extra(1);
      return runInit(io, { folder: path.resolve(io.cwd, at(0) ?? '.'), manifest });
    case 'report': {
      extra(1);
      const format = args.values.format as string | undefined;
      if (format !== undefined && !(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} for report, not '${format}'.`);
      const html = args.values.html as string | undefined;
      if (html === '') throw new UsageError('--html needs a file name, e.g. --html boundary-report.html.');
      const sinceText = args.values.since as string | undefined;
      const since = sinceText === undefined ? undefined : new Date(sinceText);
      if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since needs a date such as 2026-10-05, not '${sinceText}'.`);
      const weeksText = args.values.weeks as string | undefined;
      const weeks = weeksText === undefined ? undefined : Number(weeksText);
      if (weeks !== undefined && (!Number.isInteger(weeks) || weeks < 1 || weeks > 520)) throw new UsageError(`--weeks needs a whole number of weeks from 1 to 520, not '${weeksText}'.`);
      if (since && weeks !== undefined) throw new UsageError('Give --since or --weeks, not both.');
      return runReport(io, {
        folder: path.resolve(io.cwd, at(0) ?? '.'),
        manifest,
        html: html === undefined ? undefined : path.resolve(io.cwd, html),
        format: format as ReportFormat | undefined,
        since,
        weeks,
        git,
      });
    }
    default:
      throw new UsageError(`'${command}' is not a command. Commands: check, explain, review, sign, init, report.`);
  }
}

/**
 * `--max-warnings -1`: Node's parser takes `-1` for an option, so a value that
 * is a negative number is joined to its option (`--max-warnings=-1`).
 */
function negativeValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = args[i + 1];
    if (a.startsWith('--') && !a.includes('=') && options?.[a.slice(2)]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse(args: string[], options: Options): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: negativeValues(args, options), options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\. To specify.*$/s, '')}. See 'counterpart --help'.`);
  }
}
