import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Codeowners from 'codeowners';
import { counterpartBlock } from '../../server/src/core/codeowners/block';
import { ownersOf, parseCodeowners } from '../../server/src/core/codeowners/parse';
import type { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex';
import { NodeHost } from '../../server/src/node/nodeHost';
import { loadIndex } from '../../server/src/node/workspace';

/** @snyk/github-codeowners ships no types; this is the part of its API used here. */
interface OwnershipEngine {
  calcFileOwnership(file: string): string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { OwnershipEngine: Snyk } = require('@snyk/github-codeowners/dist/lib/ownership/OwnershipEngine') as { OwnershipEngine: { FromCodeownersFile(file: string): OwnershipEngine } };

const REPO = path.resolve(__dirname, '../../..');
const EXAMPLES = ['support-bot', 'code-first'];

/**
 * A CODEOWNERS a team might already have, touching every rule GitHub has:
 * a catch-all, extensions at any depth, anchored and unanchored folders,
 * `**` at the start and in the middle, `*` inside a path, a folder named
 * without a trailing slash, a rule with no owners, emails, and later rules
 * overriding earlier ones. No inline comments: both oracles would read them
 * as owners.
 */
const EXISTING = `# A catch-all first; the rules below it win where they match (the last match wins).
*                                   @acme/everyone
*.md                                @acme/docs-team
/examples/support-bot/prompts/      @acme/ml-platform
examples/code-first/app/**/*.ts     @acme/web
**/evals/**                         @acme/evals
tools/                              @acme/tools
/examples/*/README.md               @acme/docs-team @dana
evals/*.yaml                        @matches-nothing-here
/examples/code-first/legacy         @acme/go
*.json                              @acme/json
/examples/support-bot/tools/refund.json
docs/help/                          @acme/product-pms
/examples/code-first/agents/*.py    @acme/ml-platform
**/components                       @acme/web
/examples/support-bot/src/ui/*.tsx  @acme/ui
examples/support-bot/config         @acme/ml-platform sam@acme.com
/examples/code-first/evals/**/*.csv @acme/csv
`;

describe('CODEOWNERS output against independent implementations (codeowners, @snyk/github-codeowners)', function () {
  this.timeout(60000);
  let dir: string;
  let files: string[];
  const blocks: { index: WorkspaceIndex; block: ReturnType<typeof counterpartBlock> }[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counterpart-oracle-'));
    files = [];
    for (const name of EXAMPLES) {
      const root = path.join(REPO, 'examples', name).split(path.sep).join('/');
      const index = (await loadIndex(root))!;
      const listing = new NodeHost().listFiles(root);
      files.push(...listing.map((f) => `examples/${name}/${f}`));
      blocks.push({ index, block: counterpartBlock(index, `examples/${name}/`, listing) });
    }
    // Paths the examples do not have, for the rules that would otherwise match nothing.
    files.push('README.md', 'evals/a.yaml', 'deep/tools/x.txt', 'deep/components/b.tsx', 'examples/code-first/legacy/sub/x.go', 'examples/support-bot/docs/index.md');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function oracles(text: string): { codeowners: (f: string) => string[]; snyk: (f: string) => string[] } {
    fs.rmSync(path.join(dir, '.github'), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, '.github'));
    fs.writeFileSync(path.join(dir, '.github/CODEOWNERS'), text);
    const co = new Codeowners(dir);
    const snyk = Snyk.FromCodeownersFile(path.join(dir, '.github/CODEOWNERS'));
    return { codeowners: (f) => co.getOwner(f), snyk: (f) => snyk.calcFileOwnership(f) };
  }

  function compare(text: string, only: 'both' | 'snyk' = 'both'): number {
    const mine = parseCodeowners(text);
    assert.deepEqual(mine.problems, []);
    const { codeowners, snyk } = oracles(text);
    const differ: string[] = [];
    let owned = 0;
    for (const file of files) {
      const m = ownersOf(mine, file).join(' ');
      if (m) owned++;
      if (m !== snyk(file).join(' ')) differ.push(`${file}: counterpart '${m}', @snyk/github-codeowners '${snyk(file).join(' ')}'`);
      if (only === 'both' && m !== codeowners(file).join(' ')) differ.push(`${file}: counterpart '${m}', codeowners '${codeowners(file).join(' ')}'`);
    }
    assert.deepEqual(differ, []);
    return owned;
  }

  it('the generated blocks alone: both oracles give every example file the owners Counterpart intends', () => {
    const text = blocks.map((b) => b.block.lines.join('\n')).join('\n\n') + '\n';
    compare(text);
    const { codeowners, snyk } = oracles(text);
    let checked = 0;
    for (const { block } of blocks) {
      for (const [file, names] of block.owners) {
        assert.deepEqual(codeowners(file), names, file);
        assert.deepEqual(snyk(file), names, file);
        checked++;
      }
    }
    assert.ok(checked >= 10, `${checked}`);
  });

  it('an existing CODEOWNERS with every kind of rule: the same owner for every file', () => {
    const owned = compare(EXISTING);
    // The catch-all owns every file but one, which a rule with no owners leaves unowned.
    assert.equal(owned, files.length - 1);
    assert.deepEqual(ownersOf(parseCodeowners(EXISTING), 'examples/support-bot/tools/refund.json'), []);
  });

  it('the blocks appended to the existing CODEOWNERS, as --write does: the same owner for every file, the block winning', () => {
    const text = `${EXISTING}\n${blocks.map((b) => b.block.lines.join('\n')).join('\n')}\n`;
    compare(text);
    const mine = parseCodeowners(text);
    for (const { block } of blocks) for (const [file, names] of block.owners) assert.deepEqual(ownersOf(mine, file), names, file);
  });

  it("a folder's own files only ('docs/*'): as GitHub documents it and @snyk/github-codeowners reads it", () => {
    // The codeowners package reads 'docs/*' as gitignore does, nested files included; GitHub's documentation says
    // "docs/* matches docs/getting-started.md but not docs/build-app/troubleshooting.md", as Snyk and Counterpart do.
    const text = `${EXISTING}/examples/support-bot/docs/*  @acme/docs-star\n`;
    compare(text, 'snyk');
    const mine = parseCodeowners(text);
    assert.deepEqual(ownersOf(mine, 'examples/support-bot/docs/help/refunds.md'), ['@acme/docs-team']);
    assert.deepEqual(oracles(text).codeowners('examples/support-bot/docs/help/refunds.md'), ['@acme/docs-star']);
  });
});
