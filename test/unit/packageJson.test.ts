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
}

const REPO = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { engines: { vscode: string }; devDependencies: Record<string, string>; contributes: Contributes; capabilities: { untrustedWorkspaces: { supported: string } } };
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
});
