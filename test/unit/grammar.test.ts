import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

/**
 * Tests for syntaxes/: the prompt-template TextMate grammar, the Markdown/YAML
 * injection grammar, the language configuration and the package.json
 * `contributes` fragment. Real Markdown/YAML grammars are not available
 * offline, so small stand-ins live in test/fixtures/grammar/.
 */

/** One token of a line: its text and its scope stack (outermost first). */
type Token = [text: string, scopes: string[]];

interface Doc {
  texts: string[];
  lines: Token[][];
  /** Tokens of the first line containing `fragment`. */
  find(fragment: string): Token[];
}

interface GrammarContribution {
  language?: string;
  scopeName: string;
  path: string;
  injectTo?: string[];
  embeddedLanguages?: Record<string, string>;
}

interface Contributes {
  languages: { id: string; extensions: string[]; configuration: string; aliases?: string[] }[];
  grammars: GrammarContribution[];
}

interface AutoClosingPair {
  open: string;
  close: string;
  notIn?: string[];
}

interface LanguageConfiguration {
  comments: { blockComment: [string, string]; lineComment?: string };
  brackets: [string, string][];
  autoClosingPairs: AutoClosingPair[];
  surroundingPairs: [string, string][];
  folding: { offSide: boolean; markers: { start: string; end: string } };
}

// ---------------------------------------------------------------------------
// Locating files. The compiled test may run from out/test/unit or from any
// scratch folder, so walk up from __dirname and then from the cwd.

function findRepoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      if (fs.existsSync(path.join(dir, 'syntaxes')) && fs.existsSync(path.join(dir, 'package.json'))) {
        return dir;
      }
      const parent = path.dirname(dir);
      if (parent === dir) {
        break;
      }
      dir = parent;
    }
  }
  throw new Error(`cannot find the repository root (a folder with syntaxes/ and package.json) above ${__dirname}`);
}

const ROOT = findRepoRoot();
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'grammar');
const CONTRIBUTES_FILE = path.join(ROOT, 'package.json');

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function fromRoot(relative: string): string {
  return path.resolve(ROOT, relative);
}

const contributes = readJson<{ contributes: Contributes }>(CONTRIBUTES_FILE).contributes;
const mainContribution = contributes.grammars.find((g) => g.scopeName === 'source.prompt-template');
const injectionContribution = contributes.grammars.find((g) => g.scopeName === 'counterpart.prompt.injection');

// ---------------------------------------------------------------------------
// Loading grammars with vscode-textmate + vscode-oniguruma.

let onigLib: Promise<vsctm.IOnigLib> | undefined;

function getOnigLib(): Promise<vsctm.IOnigLib> {
  if (!onigLib) {
    const wasmFile = path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm');
    const wasm = new Uint8Array(fs.readFileSync(wasmFile));
    onigLib = oniguruma.loadWASM(wasm).then(() => ({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }));
  }
  return onigLib;
}

/** scopeName -> grammar file: the contributed grammars plus the test stubs. */
function grammarFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const g of contributes.grammars) {
    files.set(g.scopeName, fromRoot(g.path));
  }
  files.set('text.html.markdown', path.join(FIXTURES, 'markdown.stub.tmLanguage.json'));
  files.set('source.yaml', path.join(FIXTURES, 'yaml.stub.tmLanguage.json'));
  return files;
}

/** A registry wired like VS Code wires it: injections come from `injectTo` in package.json. */
function createRegistry(withInjections = true): vsctm.Registry {
  const files = grammarFiles();
  return new vsctm.Registry({
    onigLib: getOnigLib(),
    loadGrammar: async (scopeName) => {
      const file = files.get(scopeName);
      return file ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) =>
      withInjections
        ? contributes.grammars.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName)
        : [],
  });
}

async function loadGrammar(registry: vsctm.Registry, scopeName: string): Promise<vsctm.IGrammar> {
  const grammar = await registry.loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} did not load`);
  return grammar;
}

// ---------------------------------------------------------------------------
// Tokenizing helpers.

function tokenize(grammar: vsctm.IGrammar, text: string): Doc {
  const texts = text.split(/\r?\n/);
  const lines: Token[][] = [];
  let state: vsctm.StateStack = vsctm.INITIAL;
  for (const line of texts) {
    const result = grammar.tokenizeLine(line, state);
    lines.push(result.tokens.map((t): Token => [line.slice(t.startIndex, t.endIndex), t.scopes]));
    state = result.ruleStack;
  }
  return {
    texts,
    lines,
    find(fragment: string): Token[] {
      const index = texts.findIndex((t) => t.includes(fragment));
      assert.ok(index >= 0, `no line contains ${JSON.stringify(fragment)}`);
      return lines[index];
    },
  };
}

function tokenizeFixture(grammar: vsctm.IGrammar, name: string): Doc {
  return tokenize(grammar, fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

function lineText(line: Token[]): string {
  return line.map(([text]) => text).join('');
}

/** Scopes of the token covering the first character of the `occurrence`-th `needle` on the line. */
function scopesAt(line: Token[], needle: string, occurrence = 1): string[] {
  const text = lineText(line);
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    assert.ok(index >= 0, `${JSON.stringify(needle)} #${occurrence} not found in ${JSON.stringify(text)}`);
  }
  let offset = 0;
  for (const [tokenText, scopes] of line) {
    if (index < offset + tokenText.length) {
      return scopes;
    }
    offset += tokenText.length;
  }
  throw new Error(`no token at offset ${index} of ${JSON.stringify(text)}`);
}

/** Texts of the tokens that carry `scope`. */
function textsWithScope(line: Token[], scope: string): string[] {
  return line.filter(([, scopes]) => scopes.includes(scope)).map(([text]) => text);
}

/** How many scopes on the stack start with `prefix` (nesting depth of a construct). */
function depth(scopes: string[], prefix: string): number {
  return scopes.filter((s) => s === prefix || s.startsWith(prefix + '.')).length;
}

function hasScopeStartingWith(line: Token[], prefix: string): boolean {
  return line.some(([, scopes]) => scopes.some((s) => s === prefix || s.startsWith(prefix + '.')));
}

/** Asserts that a line is plain text: every token only carries the root scope. */
function assertPlain(line: Token[], root: string): void {
  for (const [text, scopes] of line) {
    assert.deepStrictEqual(scopes, [root], `${JSON.stringify(text)} in ${JSON.stringify(lineText(line))} should be plain`);
  }
}

// Scope names the issue asks for.
const BEGIN = 'punctuation.definition.template-expression.begin.prompt-template';
const END = 'punctuation.definition.template-expression.end.prompt-template';
const PLACEHOLDER = 'variable.other.placeholder.prompt-template';
const EXPRESSION = 'meta.template.expression.prompt-template';
const STATEMENT = 'meta.template.statement.prompt-template';
const FILTER = 'support.function.filter.prompt-template';
const PIPE = 'keyword.operator.pipe.prompt-template';
const KEYWORD = 'keyword.control.jinja';
const COMMENT = 'comment.block.jinja';
const TAG = 'entity.name.tag.prompt-template';
const ROLE_HEADING = 'markup.heading.role.prompt-template';
const ROLE_NAME = 'entity.name.section.role.prompt-template';
const FRONTMATTER = 'meta.embedded.block.frontmatter';
const UNTERMINATED = 'invalid.illegal.unterminated-placeholder.prompt-template';
const ROOT_SCOPE = 'source.prompt-template';

// ---------------------------------------------------------------------------

describe('prompt template grammar (syntaxes/)', () => {
  let registry: vsctm.Registry;
  let prompt: vsctm.IGrammar;

  before(async () => {
    registry = createRegistry();
    prompt = await loadGrammar(registry, ROOT_SCOPE);
  });

  describe('package.json contributions', () => {
    it('declares the prompt-template language without claiming Markdown', () => {
      assert.strictEqual(contributes.languages.length, 1);
      const [language] = contributes.languages;
      assert.strictEqual(language.id, 'prompt-template');
      assert.deepStrictEqual(language.extensions, ['.prompt', '.prompt.txt', '.prompt.j2']);
      for (const ext of language.extensions) {
        assert.ok(!/\.(md|markdown|ya?ml)$/.test(ext), `${ext} belongs to another language`);
      }
      assert.ok(fs.existsSync(fromRoot(language.configuration)), language.configuration);
      assert.ok(language.configuration.startsWith('./syntaxes/'));
    });

    it('points every grammar at an existing file whose scopeName matches', () => {
      for (const g of contributes.grammars) {
        assert.ok(g.path.startsWith('./syntaxes/'), g.path);
        const raw = readJson<{ scopeName: string }>(fromRoot(g.path));
        assert.strictEqual(raw.scopeName, g.scopeName, g.path);
      }
      assert.ok(mainContribution, 'main grammar contribution');
      assert.strictEqual(mainContribution.language, 'prompt-template');
      assert.deepStrictEqual(mainContribution.embeddedLanguages, { [FRONTMATTER]: 'yaml' });
    });

    it('injects into Markdown and YAML with the requested selector', () => {
      assert.ok(injectionContribution, 'injection grammar contribution');
      assert.strictEqual(injectionContribution.language, undefined);
      assert.deepStrictEqual(injectionContribution.injectTo, ['text.html.markdown', 'source.yaml']);
      const raw = readJson<{ injectionSelector: string }>(fromRoot(injectionContribution.path));
      const selectors = raw.injectionSelector.split(',').map((s) => s.trim());
      assert.strictEqual(selectors.length, 2);
      assert.ok(selectors[0].startsWith('L:text.html.markdown -comment'), selectors[0]);
      assert.ok(selectors[1].startsWith('L:source.yaml -comment'), selectors[1]);
    });
  });

  describe('regular expressions', () => {
    it('all compile with Oniguruma', async () => {
      await getOnigLib();
      const problems: string[] = [];
      const visit = (node: unknown, where: string): void => {
        if (Array.isArray(node)) {
          node.forEach((child, i) => visit(child, `${where}[${i}]`));
        } else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if (typeof value === 'string' && ['match', 'begin', 'end', 'while'].includes(key)) {
              // end/while may back-reference begin captures; vscode-textmate substitutes them first.
              const source = key === 'end' || key === 'while' ? value.replace(/\\[1-9]/g, 'x') : value;
              try {
                new oniguruma.OnigScanner([source]).dispose();
              } catch (e) {
                problems.push(`${where}.${key}: ${String(e)}`);
              }
            } else {
              visit(value, `${where}.${key}`);
            }
          }
        }
      };
      for (const g of contributes.grammars) {
        visit(readJson<unknown>(fromRoot(g.path)), g.path);
      }
      assert.deepStrictEqual(problems, []);
    });
  });

  describe('support-bot.prompt', () => {
    let doc: Doc;
    before(() => {
      doc = tokenizeFixture(prompt, 'support-bot.prompt');
    });

    it('embeds the front matter as YAML', () => {
      assert.ok(scopesAt(doc.lines[0], '---').includes('punctuation.definition.frontmatter.begin.prompt-template'));
      const owner = doc.find('owner:');
      assert.ok(scopesAt(owner, 'owner').includes(FRONTMATTER));
      assert.ok(scopesAt(owner, 'owner').includes('entity.name.tag.yaml'), 'YAML grammar runs inside');
      assert.ok(scopesAt(owner, '@platform').includes('string.quoted.double.yaml'));
      assert.ok(scopesAt(doc.lines[6], '---').includes('punctuation.definition.frontmatter.end.prompt-template'));
      assert.ok(!hasScopeStartingWith(doc.lines[7], 'meta.frontmatter'), 'front matter ends at the second ---');
    });

    it('highlights placeholders inside front matter YAML strings, not in YAML comments', () => {
      const description = doc.find('description:');
      const begin = scopesAt(description, '{{');
      assert.ok(begin.includes(BEGIN));
      assert.ok(begin.includes('string.quoted.double.yaml'));
      assert.ok(scopesAt(description, 'customer').includes(PLACEHOLDER));
      assert.ok(scopesAt(description, '}}').includes(END));
      assert.ok(!scopesAt(description, ' and triages').includes(EXPRESSION));

      const yamlComment = doc.find('# reviewers:');
      assert.ok(scopesAt(yamlComment, '{{').includes('comment.line.number-sign.yaml'));
      assert.ok(!hasScopeStartingWith(yamlComment, 'meta.template'));
    });

    it('scopes {# #} comments', () => {
      const line = doc.find('{# Support bot');
      assert.ok(scopesAt(line, '{#').includes('punctuation.definition.comment.begin.jinja'));
      assert.ok(scopesAt(line, 'Owned by').includes(COMMENT));
      assert.ok(scopesAt(line, '#}').includes('punctuation.definition.comment.end.jinja'));
    });

    it('marks role headings and role lines', () => {
      for (const heading of ['# System', '# User']) {
        const line = doc.lines[doc.texts.indexOf(heading)];
        assert.ok(line, heading);
        const word = heading.slice(2);
        assert.ok(scopesAt(line, word).includes(ROLE_HEADING), heading);
        assert.ok(scopesAt(line, word).includes(ROLE_NAME), heading);
        assert.ok(scopesAt(line, '#').includes('punctuation.definition.heading.prompt-template'));
      }

      const user = doc.find('user: My invoice');
      assert.deepStrictEqual(textsWithScope(user, ROLE_NAME), ['user']);
      assert.ok(scopesAt(user, ':').includes('punctuation.separator.role.prompt-template'));
      assert.ok(scopesAt(user, ':').includes(ROLE_HEADING));
      assertPlain([user[user.length - 1]], ROOT_SCOPE);

      const assistant = doc.find('assistant: Sorry');
      assert.deepStrictEqual(textsWithScope(assistant, ROLE_NAME), ['assistant']);
      assert.deepStrictEqual(textsWithScope(assistant, PLACEHOLDER), ['customer', 'invoice_id']);
    });

    it('scopes placeholders with variables, properties, filters and arguments', () => {
      const line = doc.find('You are {{ bot_name');
      assert.ok(scopesAt(line, '{{').includes(BEGIN));
      assert.ok(scopesAt(line, 'bot_name').includes(PLACEHOLDER));
      assert.ok(scopesAt(line, '|').includes(PIPE));
      assert.ok(scopesAt(line, 'default').includes(FILTER));
      assert.ok(scopesAt(line, 'Ava').includes('string.quoted.double.jinja'));
      assert.ok(scopesAt(line, '}}').includes(END));
      assert.ok(!scopesAt(line, ', the support').includes(EXPRESSION), 'text between placeholders is plain');
      assert.ok(scopesAt(line, 'company').includes(PLACEHOLDER));
      assert.ok(scopesAt(line, 'name | upper').includes('variable.other.property.prompt-template'));
      assert.ok(scopesAt(line, 'upper').includes(FILTER));
      assert.ok(scopesAt(line, '}}', 2).includes(END));
      assertPlain([line[0]], ROOT_SCOPE);

      const truncate = doc.find('truncate(400)');
      assert.ok(scopesAt(truncate, 'truncate').includes(FILTER));
      assert.ok(scopesAt(truncate, '400').includes('constant.numeric.jinja'));
    });

    it('scopes Jinja statements and their keywords', () => {
      const expectations: [string, string][] = [
        ['{% if customer.tier', 'if'],
        ['{% elif', 'elif'],
        ['{% else %}', 'else'],
        ['{% endif %}', 'endif'],
        ['{% for article', 'for'],
        ['{% endfor %}', 'endfor'],
        ['{% set signature', 'set'],
        ['{% include', 'include'],
        ['{% macro', 'macro'],
      ];
      for (const [fragment, keyword] of expectations) {
        const line = doc.find(fragment);
        const scopes = scopesAt(line, keyword);
        assert.ok(scopes.includes(KEYWORD), `${keyword} in ${fragment}: ${scopes.join(' ')}`);
        assert.ok(scopes.includes(STATEMENT), fragment);
        assert.ok(scopesAt(line, '{%').includes('punctuation.section.embedded.begin.jinja'), fragment);
        assert.ok(scopesAt(line, '%}').includes('punctuation.section.embedded.end.jinja'), fragment);
      }

      const ifLine = doc.find('{% if customer.tier');
      assert.ok(scopesAt(ifLine, 'customer').includes('variable.other.jinja'));
      assert.ok(scopesAt(ifLine, '==').includes('keyword.operator.comparison.jinja'));
      assert.ok(scopesAt(ifLine, 'enterprise').includes('string.quoted.double.jinja'));

      const forLine = doc.find('{% for article');
      assert.ok(scopesAt(forLine, 'in articles').includes('keyword.operator.word.jinja'));
      assert.ok(scopesAt(forLine, 'sort').includes(FILTER));

      assert.ok(scopesAt(doc.find('is defined'), 'defined').includes('support.function.test.jinja'));

      const macro = doc.find('{% macro');
      assert.ok(scopesAt(macro, 'cite').includes('entity.name.function.macro.jinja'));
      assert.ok(scopesAt(macro, 'endmacro').includes(KEYWORD));
      assert.deepStrictEqual(textsWithScope(macro, PLACEHOLDER), ['doc']);
      assert.deepStrictEqual(scopesAt(macro, '['), [ROOT_SCOPE]);
    });

    it('scopes XML-style section tags and their attributes', () => {
      const open = doc.find('<instructions>');
      assert.ok(scopesAt(open, '<').includes('punctuation.definition.tag.begin.prompt-template'));
      assert.ok(scopesAt(open, 'instructions').includes(TAG));
      assert.ok(scopesAt(open, '>').includes('punctuation.definition.tag.end.prompt-template'));

      const close = doc.find('</examples>');
      assert.ok(scopesAt(close, '</').includes('punctuation.definition.tag.begin.prompt-template'));
      assert.deepStrictEqual(textsWithScope(close, TAG), ['examples']);

      const context = doc.find('<context id=');
      assert.deepStrictEqual(textsWithScope(context, TAG), ['context']);
      assert.deepStrictEqual(textsWithScope(context, 'entity.other.attribute-name.prompt-template'), ['id', 'source']);
      assert.ok(scopesAt(context, 'kb').includes('string.quoted.double.prompt-template'));
      const placeholder = scopesAt(context, 'kb_source');
      assert.ok(placeholder.includes(PLACEHOLDER), 'placeholders work inside attribute values');
      assert.ok(placeholder.includes('meta.tag.prompt-template'));
    });

    it('keeps placeholders working inside ordinary Markdown headings', () => {
      const line = doc.find('## {{ loop.index }}');
      assert.ok(scopesAt(line, '##').includes('markup.heading.prompt-template'));
      assert.ok(!scopesAt(line, '##').includes(ROLE_HEADING));
      assert.deepStrictEqual(textsWithScope(line, PLACEHOLDER), ['loop', 'article']);
      assert.ok(scopesAt(line, '. ').includes('entity.name.section.prompt-template'));
    });

    it('leaves plain prose alone', () => {
      assertPlain(doc.find('Point to the help centre'), ROOT_SCOPE);
      assertPlain(doc.find('Ask for the account email'), ROOT_SCOPE);
    });
  });

  describe('edge-cases.prompt', () => {
    let doc: Doc;
    before(() => {
      doc = tokenizeFixture(prompt, 'edge-cases.prompt');
    });

    it('ends an unterminated {{ at end of line and flags it', () => {
      const line = doc.find('Unterminated {{');
      const begin = scopesAt(line, '{{');
      assert.ok(begin.includes(BEGIN));
      assert.ok(begin.includes(UNTERMINATED));
      assert.ok(scopesAt(line, 'customer').includes(PLACEHOLDER));
      assert.ok(scopesAt(line, 'name').includes('variable.other.property.prompt-template'));
      assertPlain(doc.find('This line must be plain text.'), ROOT_SCOPE);
      assert.deepStrictEqual(scopesAt(doc.find('Nested {{'), 'Nested'), [ROOT_SCOPE], 'later lines are unaffected');
    });

    it('pairs nested {{ {{x}} }} from the inside out', () => {
      const line = doc.find('Nested {{');
      assert.strictEqual(depth(scopesAt(line, '{{', 1), EXPRESSION), 1);
      assert.ok(scopesAt(line, '{{', 1).includes(BEGIN));
      assert.strictEqual(depth(scopesAt(line, '{{', 2), EXPRESSION), 2);
      assert.ok(scopesAt(line, '{{', 2).includes(BEGIN));
      assert.strictEqual(depth(scopesAt(line, 'inner'), EXPRESSION), 2);
      assert.ok(scopesAt(line, 'inner').includes(PLACEHOLDER));
      assert.strictEqual(depth(scopesAt(line, '}}', 1), EXPRESSION), 2);
      assert.ok(scopesAt(line, '}}', 1).includes(END));
      assert.strictEqual(depth(scopesAt(line, '}}', 2), EXPRESSION), 1);
      assert.ok(scopesAt(line, '}}', 2).includes(END));
      assert.deepStrictEqual(scopesAt(line, ' done.'), [ROOT_SCOPE]);
      assert.ok(!hasScopeStartingWith(line, 'invalid'));
    });

    it('closes each placeholder at its own }}', () => {
      const line = doc.find('Two on a line');
      assert.deepStrictEqual(textsWithScope(line, BEGIN), ['{{', '{{']);
      assert.deepStrictEqual(textsWithScope(line, END), ['}}', '}}']);
      assert.deepStrictEqual(scopesAt(line, ' and '), [ROOT_SCOPE]);
      assert.ok(scopesAt(line, 'title').includes(FILTER));
    });

    it('understands whitespace control markers', () => {
      const line = doc.find('Whitespace control');
      assert.deepStrictEqual(textsWithScope(line, 'keyword.operator.whitespace-control.jinja'), ['-', '-', '-', '-', '-', '-']);
      assert.ok(scopesAt(line, 'name').includes(PLACEHOLDER));
      assert.ok(scopesAt(line, 'endif').includes(KEYWORD));
      assert.deepStrictEqual(scopesAt(line, 'y{%'), [ROOT_SCOPE]);
    });

    it('treats {{ inside a string literal as text', () => {
      const line = doc.find('Literal braces');
      const inner = scopesAt(line, '{{', 2);
      assert.ok(inner.includes('string.quoted.single.jinja'));
      assert.ok(!inner.includes(BEGIN));
      assert.strictEqual(depth(inner, EXPRESSION), 1);
      assert.deepStrictEqual(scopesAt(line, ' stay a string.'), [ROOT_SCOPE]);
    });

    it('ends an unterminated {% at end of line and flags it', () => {
      const line = doc.find('Unterminated block');
      assert.ok(scopesAt(line, '{%').includes('invalid.illegal.unterminated-statement.prompt-template'));
      assert.ok(scopesAt(line, 'if').includes(KEYWORD));
      assertPlain(doc.find('Still plain after the block.'), ROOT_SCOPE);
    });

    it('scopes multi-line {# #} comments but not {#id} attributes', () => {
      assertPlain(doc.find('Pandoc id'), ROOT_SCOPE);
      assert.ok(scopesAt(doc.find('{# a multi-line'), 'multi').includes(COMMENT));
      const middle = doc.find('comment with {{');
      assert.ok(scopesAt(middle, '{{').includes(COMMENT));
      assert.ok(!hasScopeStartingWith(middle, 'meta.template'));
      assert.ok(scopesAt(doc.lines[doc.texts.indexOf('#}')], '#}').includes('punctuation.definition.comment.end.jinja'));
      assert.ok(!hasScopeStartingWith(doc.find('{% raw %}'), 'comment'), 'comment is closed');
    });

    it('does not interpret {% raw %} content', () => {
      const line = doc.find('{% raw %}');
      assert.ok(scopesAt(line, 'raw').includes(KEYWORD));
      assert.ok(scopesAt(line, 'endraw').includes(KEYWORD));
      assert.ok(!scopesAt(line, 'not_rendered').includes(PLACEHOLDER));
      assert.ok(!scopesAt(line, '{{').includes(BEGIN));
    });

    it('does not mistake comparisons or e-mail addresses for tags', () => {
      assertPlain(doc.find('Compare a < b'), ROOT_SCOPE);
      const line = doc.find('Email <support');
      assert.ok(!scopesAt(line, 'support').includes(TAG));
      assert.deepStrictEqual(textsWithScope(line, TAG), ['br', 'doc', 'doc']);
      assert.ok(scopesAt(line, '/>').includes('punctuation.definition.tag.end.prompt-template'));
      assert.ok(scopesAt(line, 'i }}').includes(PLACEHOLDER));
      assert.deepStrictEqual(scopesAt(line, 'x</doc>'), [ROOT_SCOPE]);
    });

    it('keeps fenced code literal apart from placeholders', () => {
      const json = doc.find('{"role": "user"');
      assert.ok(scopesAt(json, 'role').includes('markup.fenced_code.block.prompt-template'));
      assert.ok(scopesAt(json, 'question').includes(PLACEHOLDER));
      assert.ok(!hasScopeStartingWith(doc.find('user: not a role'), 'markup.heading'));
      assert.ok(!hasScopeStartingWith(doc.find('<not-a-tag>'), 'entity.name.tag'));
      assert.ok(scopesAt(doc.find('```json'), 'json').includes('fenced_code.block.language.prompt-template'));
      assert.deepStrictEqual(textsWithScope(doc.find('After the fence'), TAG), ['tag']);
    });

    it('recognises role markers only at the start of a line', () => {
      assert.ok(scopesAt(doc.lines[0], 'system').includes(ROLE_NAME));
      assert.ok(scopesAt(doc.find('User: case'), 'User').includes(ROLE_NAME));
      assert.ok(scopesAt(doc.find('Human: legacy'), 'Human').includes(ROLE_NAME));
      assert.ok(scopesAt(doc.find('developer: newer'), 'developer').includes(ROLE_NAME));
      assertPlain(doc.find('username: bob'), ROOT_SCOPE);
      assertPlain(doc.find('  user: indented'), ROOT_SCOPE);
    });

    it('tells role headings from other headings', () => {
      const guide = doc.find("# User's guide");
      assert.ok(scopesAt(guide, 'User').includes('markup.heading.prompt-template'));
      assert.ok(!scopesAt(guide, 'User').includes(ROLE_NAME));
      const examples = doc.find('## Assistant (examples)');
      assert.ok(scopesAt(examples, 'Assistant').includes(ROLE_NAME));
      assert.ok(scopesAt(examples, '(examples)').includes(ROLE_HEADING));
    });
  });

  describe('injection into Markdown (*.prompt.md)', () => {
    let doc: Doc;
    before(async () => {
      doc = tokenizeFixture(await loadGrammar(registry, 'text.html.markdown'), 'support-reply.prompt.md');
    });

    it('highlights placeholders, filters, statements and comments', () => {
      const body = doc.find('Thanks for reaching out');
      assert.ok(scopesAt(body, '{{').includes(BEGIN));
      assert.ok(scopesAt(body, 'topic').includes(PLACEHOLDER));
      assert.ok(scopesAt(body, 'lower').includes(FILTER));
      assert.ok(scopesAt(body, '}}').includes(END));
      assert.deepStrictEqual(scopesAt(body, 'Thanks'), ['text.html.markdown']);

      const statement = doc.find('{% if refund %}');
      assert.ok(scopesAt(statement, 'if').includes(KEYWORD));
      assert.ok(scopesAt(statement, 'endif').includes(KEYWORD));
      assert.deepStrictEqual(scopesAt(statement, 'We have'), ['text.html.markdown']);

      assert.ok(scopesAt(doc.find('{# internal'), 'internal').includes(COMMENT));
    });

    it('works inside headings, front matter strings and fenced code', () => {
      const heading = doc.find('# Reply to');
      assert.ok(scopesAt(heading, 'customer').includes('markup.heading.markdown'));
      assert.ok(scopesAt(heading, 'customer').includes(PLACEHOLDER));

      const greeting = doc.find('greeting:');
      assert.ok(scopesAt(greeting, 'customer').includes(FRONTMATTER));
      assert.ok(scopesAt(greeting, 'customer').includes('string.quoted.double.yaml'));
      assert.ok(scopesAt(greeting, 'customer').includes(PLACEHOLDER));

      const fence = doc.find('{{ in_fence }}');
      assert.ok(scopesAt(fence, 'in_fence').includes('markup.fenced_code.block.markdown'));
      assert.ok(scopesAt(fence, 'in_fence').includes(PLACEHOLDER));
    });

    it('stays out of comments and inline code', () => {
      assert.ok(!hasScopeStartingWith(doc.find('<!--'), 'meta.template'));
      assert.ok(scopesAt(doc.find('<!--'), 'inside_html_comment').includes('comment.block.html'));
      assert.ok(!hasScopeStartingWith(doc.find('# note'), 'meta.template'));
      const inline = doc.find('Inline `');
      assert.ok(scopesAt(inline, 'code_var').includes('markup.inline.raw.string.markdown'));
      assert.ok(!scopesAt(inline, 'code_var').includes(PLACEHOLDER));
    });

    it('ignores stray openers and Markdown syntax that only looks like templates', () => {
      assertPlain(doc.find('A stray {{'), 'text.html.markdown');
      assertPlain(doc.find('Heading ids'), 'text.html.markdown');
      assertPlain(doc.find('user: role markers'), 'text.html.markdown');
    });

    it('comes from the injection grammar, not the Markdown grammar', async () => {
      const plainMarkdown = await loadGrammar(createRegistry(false), 'text.html.markdown');
      const line = tokenizeFixture(plainMarkdown, 'support-reply.prompt.md').find('Thanks for reaching out');
      assertPlain(line, 'text.html.markdown');
    });
  });

  describe('injection into YAML', () => {
    let doc: Doc;
    before(async () => {
      doc = tokenizeFixture(await loadGrammar(registry, 'source.yaml'), 'support-eval.yaml');
    });

    it('highlights placeholders inside quoted strings', () => {
      const prompt = doc.find('prompt:');
      assert.ok(scopesAt(prompt, '{{').includes(BEGIN));
      assert.ok(scopesAt(prompt, '{{').includes('string.quoted.double.yaml'));
      assert.ok(scopesAt(prompt, 'customer').includes(PLACEHOLDER));
      assert.ok(scopesAt(prompt, 'title').includes(FILTER));
      const input = doc.find('input:');
      assert.ok(scopesAt(input, 'order_id').includes(PLACEHOLDER));
      assert.ok(scopesAt(input, 'order_id').includes('string.quoted.single.yaml'));
      assert.ok(!scopesAt(input, '?').includes(EXPRESSION));
    });

    it('highlights statements and placeholders inside block scalars', () => {
      const forLine = doc.find('{% for item');
      assert.ok(scopesAt(forLine, 'for').includes(KEYWORD));
      assert.ok(scopesAt(forLine, 'for').includes('string.unquoted.block.yaml'));
      assert.ok(scopesAt(doc.find('- {{ item }}'), 'item').includes(PLACEHOLDER));
      assert.ok(scopesAt(doc.find('{% endfor'), 'endfor').includes(KEYWORD));
    });

    it('does not re-inject inside a placeholder it already opened', () => {
      const line = doc.find('expect:');
      const inner = scopesAt(line, '{{', 2);
      assert.ok(inner.includes('string.quoted.single.jinja'));
      assert.ok(!inner.includes(BEGIN));
      assert.strictEqual(depth(inner, EXPRESSION), 1);
    });

    it('stays out of YAML comments and leaves stray {{ alone', () => {
      assert.ok(!hasScopeStartingWith(doc.lines[0], 'meta.template'));
      assert.ok(scopesAt(doc.lines[0], 'not_highlighted').includes('comment.line.number-sign.yaml'));
      const stray = doc.find('plain: a {{');
      assert.ok(!hasScopeStartingWith(stray, 'meta.template'));
      assert.ok(!hasScopeStartingWith(stray, 'invalid'));
      assert.deepStrictEqual(textsWithScope(doc.find('after: plain'), 'entity.name.tag.yaml'), ['after']);
    });
  });

  describe('language configuration', () => {
    const config = readJson<LanguageConfiguration>(path.join(ROOT, 'syntaxes', 'prompt-template.language-configuration.json'));

    it('uses {# #} block comments and template brackets', () => {
      assert.deepStrictEqual(config.comments.blockComment, ['{#', '#}']);
      assert.strictEqual(config.comments.lineComment, undefined);
      for (const pair of [['{{', '}}'], ['{%', '%}'], ['{#', '#}'], ['(', ')'], ['[', ']']]) {
        assert.ok(config.brackets.some((b) => b[0] === pair[0] && b[1] === pair[1]), pair.join(' '));
      }
    });

    it('auto-closes {{ and {% so that an already auto-closed { is reused', () => {
      const close = (open: string) => config.autoClosingPairs.find((p) => p.open === open)?.close;
      assert.strictEqual(close('{{'), '}}');
      assert.strictEqual(close('{%'), '%}');
      assert.strictEqual(close('{#'), '#}');
      assert.strictEqual(close('{'), '}');
      // VS Code turns `{|}` into `{{|}}` / `{%|%}` only if the longer close ends with the shorter one.
      for (const pair of config.autoClosingPairs.filter((p) => p.open.length > 1 && p.open.startsWith('{'))) {
        assert.ok(pair.close.endsWith('}'), pair.open);
      }
      for (const pair of [['{', '}'], ['(', ')'], ['"', '"'], ['<', '>']]) {
        assert.ok(config.surroundingPairs.some((p) => p[0] === pair[0] && p[1] === pair[1]), pair.join(''));
      }
    });

    it('folds XML sections and Jinja blocks with markers', () => {
      const start = new RegExp(config.folding.markers.start);
      const end = new RegExp(config.folding.markers.end);
      const texts = fs.readFileSync(path.join(FIXTURES, 'support-bot.prompt'), 'utf8').split(/\r?\n/);
      // Marker pairing as VS Code's indentation range provider does it (bottom-up, innermost first).
      const ranges: [string, string][] = [];
      const openEnds: number[] = [];
      for (let i = texts.length - 1; i >= 0; i--) {
        if (start.test(texts[i])) {
          const endLine = openEnds.pop();
          if (endLine !== undefined) {
            ranges.unshift([texts[i], texts[endLine]]);
          }
        } else if (end.test(texts[i])) {
          openEnds.push(i);
        }
      }
      assert.deepStrictEqual(openEnds, [], 'every end marker has a start');
      assert.deepStrictEqual(ranges, [
        ['<instructions>', '</instructions>'],
        ['{% if customer.tier == "enterprise" %}', '{% endif %}'],
        ['<context id="kb" source="{{ kb_source }}">', '</context>'],
        ['{% for article in articles | sort(attribute="rank") %}', '{% endfor %}'],
        ['<examples>', '</examples>'],
      ]);
      for (const oneLiner of ['{% macro cite(doc) %}[{{ doc.id }}]{% endmacro %}', '{% if x %}y{% endif %}', '<br/>', '{% set a = 1 %}']) {
        assert.ok(!start.test(oneLiner), oneLiner);
      }
      assert.ok(start.test('{% set greeting %}') && end.test('{% endset %}'));
      assert.ok(start.test('{# region examples #}') && end.test('{# endregion #}'));
    });
  });
});
