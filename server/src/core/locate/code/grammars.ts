import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from '@vscode/tree-sitter-wasm';

/** The languages Counterpart reads with a real parser. */
export type CodeLanguage = 'typescript' | 'tsx' | 'javascript' | 'python';

const BY_EXTENSION: Readonly<Record<string, CodeLanguage>> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.py': 'python', '.pyi': 'python',
};

/** How people name the files `symbol` and code-side `tool` can read, for messages. */
export const CODE_LANGUAGES_SAID = 'TypeScript (.ts, .tsx), JavaScript (.js, .mjs, .cjs, .jsx) and Python (.py)';

export function codeLanguageOf(file: string): CodeLanguage | undefined {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[file.slice(dot).toLowerCase()];
}

export const LANGUAGE_NAMES: Readonly<Record<CodeLanguage, string>> = {
  typescript: 'TypeScript', tsx: 'TSX', javascript: 'JavaScript', python: 'Python',
};

type GrammarState =
  | { readonly state: 'loading'; readonly done: Promise<void> }
  | { readonly state: 'ready'; readonly parser: Parser }
  | { readonly state: 'failed'; readonly problem: string };

/**
 * The tree-sitter grammars VS Code ships (`@vscode/tree-sitter-wasm`), loaded
 * only when a manifest needs one. Loading is asynchronous; parsing is not, so
 * an index build asks `parser()` and, when a grammar is still loading, records
 * it as pending and is built again once `load()` settles.
 *
 * The WebAssembly runtime is process-wide, so one `Grammars` per process is
 * the honest shape: `sharedGrammars()` is it.
 */
export class Grammars {
  private readonly states = new Map<CodeLanguage, GrammarState>();
  private runtime: Promise<void> | undefined;

  constructor(private readonly wasmDir: string = defaultWasmDir()) {}

  /** The ready parser of a language; `pending` while it loads (or before anyone asked), `failed` with a reason. */
  parser(language: CodeLanguage): { readonly parser: Parser } | { readonly pending: true } | { readonly problem: string } {
    const s = this.states.get(language);
    if (s?.state === 'ready') return { parser: s.parser };
    if (s?.state === 'failed') return { problem: s.problem };
    return { pending: true };
  }

  /** Loads the grammars not loaded yet. Never rejects: a failure is kept and told by `parser()`. */
  load(languages: Iterable<CodeLanguage>): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const language of languages) {
      const s = this.states.get(language);
      if (s?.state === 'loading') waits.push(s.done);
      if (s) continue;
      const done = this.loadOne(language).then(
        (parser) => void this.states.set(language, { state: 'ready', parser }),
        (err: unknown) => void this.states.set(language, { state: 'failed', problem: `the ${LANGUAGE_NAMES[language]} parser could not be loaded (${(err as Error)?.message ?? err})` }),
      );
      this.states.set(language, { state: 'loading', done });
      waits.push(done);
    }
    return Promise.all(waits).then(() => undefined);
  }

  private async loadOne(language: CodeLanguage): Promise<Parser> {
    this.runtime ??= Parser.init({ locateFile: (name: string) => path.join(this.wasmDir, name) });
    await this.runtime;
    const bytes = await fs.promises.readFile(path.join(this.wasmDir, `tree-sitter-${language}.wasm`));
    const parser = new Parser();
    parser.setLanguage(await Language.load(new Uint8Array(bytes)));
    return parser;
  }
}

/**
 * How long a file of `length` characters may take to parse: half a second,
 * and 2 ms more per thousand characters. Valid code parses at about 2 MB a
 * second on this project's slowest machines, four times inside the budget;
 * text the parser cannot make sense of (minified or generated junk) can make
 * its error recovery take minutes, so reading stops at the budget.
 */
export function parseBudgetMs(length: number): number {
  return 500 + Math.ceil(length / 500);
}

/** Says a parse was stopped at its budget (`parseBudgetMs`). */
export const TOO_SLOW = Symbol('too slow to parse');

/**
 * Parses `text` and hands the tree to `use`; the tree's memory is freed
 * afterwards. `TOO_SLOW` when the parse ran past its budget.
 */
export function withTree<T>(parser: Parser, text: string, use: (tree: Tree) => T, budgetMs = parseBudgetMs(text.length)): T | typeof TOO_SLOW | undefined {
  const deadline = Date.now() + budgetMs;
  const tree = parser.parse(text, null, { progressCallback: () => Date.now() > deadline } as never);
  if (!tree) {
    parser.reset(); // a stopped parse would otherwise resume on the next call
    return TOO_SLOW;
  }
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

let shared: Grammars | undefined;

/** The process's grammars (see `Grammars`). */
export function sharedGrammars(): Grammars {
  shared ??= new Grammars();
  return shared;
}

/**
 * Where the grammar files are: beside the bundle (`dist/wasm`, what the
 * extension ships), else in the installed package (tests, `tsc` output).
 */
function defaultWasmDir(): string {
  const beside = path.join(__dirname, 'wasm');
  if (fs.existsSync(path.join(beside, 'tree-sitter.wasm'))) return beside;
  try {
    return path.dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm'));
  } catch {
    return beside;
  }
}
