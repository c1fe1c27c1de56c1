import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FINDING_CODES } from '../../server/src/core/findings';
import { Commands } from '../../server/src/protocol';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from '../../server/src/present/semanticTokens';

interface Contributes {
  configuration: { properties: Record<string, { properties?: Record<string, unknown>; scope?: string }> } | { properties: Record<string, { properties?: Record<string, unknown> }> }[];
  commands: { command: string; title: string; category?: string }[];
  semanticTokenTypes: { id: string }[];
  semanticTokenModifiers: { id: string }[];
  yamlValidation: { fileMatch: string; url: string }[];
  menus: Record<string, { command: string }[]>;
  walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[] }[];
}

const REPO = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { activationEvents: string[]; engines: { vscode: string }; devDependencies: Record<string, string>; contributes: Contributes; capabilities: { untrustedWorkspaces: { supported: string } } };
const settings = Object.assign({}, ...[pkg.contributes.configuration].flat().map((c) => c.properties)) as Record<string, { properties?: Record<string, unknown> }>;

describe('the extension manifest (package.json)', () => {
  it('targets VS Code 1.90 with the types of the same minor', () => {
    assert.equal(pkg.engines.vscode, '^1.90.0');
    assert.match(pkg.devDependencies['@types/vscode'], /^~?1\.90\./);
  });

  it('offers a severity setting for every finding code', () => {
    assert.deepEqual(Object.keys(settings['counterpart.severity'].properties ?? {}).sort(), [...FINDING_CODES].sort());
  });

  it('declares the settings the server reads', () => {
    for (const key of ['counterpart.manifest', 'counterpart.identity', 'counterpart.codeLens.enabled', 'counterpart.severity', 'counterpart.trace.server']) assert.ok(settings[key], key);
  });

  it('declares every command the server\'s lenses and quick fixes invoke', () => {
    const declared = new Set(pkg.contributes.commands.map((c) => c.command));
    for (const id of Object.values(Commands)) assert.ok(declared.has(id), id);
  });

  it('declares the semantic token type and modifiers the server sends, the schema, and limited trust', () => {
    assert.deepEqual(pkg.contributes.semanticTokenTypes.map((t) => t.id), [...TOKEN_TYPES]);
    const standard = new Set(['declaration']);
    assert.deepEqual(pkg.contributes.semanticTokenModifiers.map((t) => t.id), TOKEN_MODIFIERS.filter((m) => !standard.has(m)));
    assert.ok(pkg.contributes.yamlValidation.some((v) => v.fileMatch === 'counterpart.yaml' && fs.existsSync(path.join(REPO, v.url))));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  describe('the walkthrough and menus', () => {
    const declared = new Set(pkg.contributes.commands.map((c) => c.command));
    // VS Code's own commands the walkthrough may point at (they are not ours to declare).
    const builtIn = new Set(['workbench.actions.view.problems']);
    const steps = pkg.contributes.walkthroughs.flatMap((w) => w.steps);

    it('has a first-run walkthrough: manifest, a finding, the map, a review', () => {
      assert.deepEqual(steps.map((s) => s.id), ['manifest', 'finding', 'map', 'review']);
    });

    it('points only at commands that exist, in its links and its completion events', () => {
      const used = steps.flatMap((s) => [
        ...[...s.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]),
        ...(s.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length)),
      ]);
      assert.ok(used.includes('counterpart.openBoundaryMap') && used.includes('counterpart.requestReview'), used.join(', '));
      for (const id of used) assert.ok(declared.has(id) || builtIn.has(id), `the walkthrough uses ${id}, which is not declared`);
    });

    it('ships the media of every step (present, and let in by .vscodeignore)', () => {
      const ignore = fs.readFileSync(path.join(REPO, '.vscodeignore'), 'utf8');
      for (const step of steps) {
        const file = step.media.markdown;
        assert.ok(file && fs.existsSync(path.join(REPO, file)), `${step.id}: ${file}`);
        assert.ok(ignore.split(/\r?\n/).includes(`!${path.posix.dirname(file)}/*.md`), `${file} is not shipped`);
      }
    });

    it('puts only declared commands in menus', () => {
      for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
        for (const item of items) assert.ok(declared.has(item.command), `${menu}: ${item.command}`);
      }
    });

    it('offers the Boundary Map in the Boundary view\'s title bar and revives its panel after a reload', () => {
      assert.ok(pkg.contributes.menus['view/title'].some((m) => m.command === 'counterpart.openBoundaryMap'));
      assert.ok(pkg.activationEvents.includes('onWebviewPanel:counterpart.boundaryMap'));
    });
  });
});
