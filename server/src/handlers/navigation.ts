import type { DefinitionParams, DocumentLink, DocumentLinkParams, Location, ReferenceParams } from 'vscode-languageserver/node';
import { anchorOf } from '../core/index/workspaceIndex';
import { intentOf, intentPlaces, targetAt } from '../core/lookup';
import { location, pathToUri } from '../convert';
import { safe, type ServerContext } from './context';

export function registerNavigation(ctx: ServerContext): void {
  // From an intent or owner reference (manifest, UI marker, eval case, copy) to its declaration.
  ctx.connection.onDefinition(safe(ctx, 'definition', (params: DefinitionParams): Location[] => {
    const at = ctx.workspaces.resolve(params.textDocument.uri);
    const index = at?.folder.index;
    if (!at || !index) return [];
    const target = targetAt(index, at.file, params.position);
    if (target?.kind === 'owner-ref') {
      const owner = index.owner(target.owner);
      return owner ? [location(index.root, index.manifestFile, owner.idRange)] : [];
    }
    const intent = intentOf(target);
    const decl = intent ? index.manifest.intents.get(intent) : undefined;
    if (decl) return [location(index.root, index.manifestFile, decl.idRange)];
    if (target?.kind === 'artifact' && at.file === index.manifestFile) {
      const at = anchorOf(index.contents.get(target.artifact.id));
      return at ? [location(index.root, at.file, at.range)] : [];
    }
    return [];
  }));

  // Every place an intent appears: declaration, artifacts, UI markers, eval cases, copy.
  ctx.connection.onReferences(safe(ctx, 'references', (params: ReferenceParams): Location[] => {
    const at = ctx.workspaces.resolve(params.textDocument.uri);
    const index = at?.folder.index;
    if (!at || !index) return [];
    const intent = intentOf(targetAt(index, at.file, params.position));
    if (!intent) return [];
    const decl = index.manifest.intents.get(intent);
    return intentPlaces(index, intent)
      .filter((p) => params.context.includeDeclaration || !(decl && p.file === index.manifestFile && p.range === decl.idRange))
      .map((p) => location(index.root, p.file, p.range));
  }));

  // Literal paths in the manifest open their file.
  ctx.connection.onDocumentLinks(safe(ctx, 'document links', (params: DocumentLinkParams): DocumentLink[] => {
    const at = ctx.workspaces.resolve(params.textDocument.uri);
    const index = at?.folder.index;
    if (!at || !index || at.file !== index.manifestFile) return [];
    const links: DocumentLink[] = [];
    const add = (value: string, range: DocumentLink['range']): void => {
      if (/[*?[\]{}]/.test(value)) return;
      const file = value.replace(/^\.\//, '');
      if (index.watched.has(file) || file === index.ledgerFile) links.push({ range, target: pathToUri(`${index.root}/${file}`), tooltip: `Open ${file}` });
    };
    for (const a of index.manifest.artifacts) for (const f of a.files) add(f.value, f.range);
    for (const s of index.manifest.surfaces) for (const f of s.files) add(f.value, f.range);
    if (index.manifest.reviews.range.end.character > 0) add(index.manifest.reviews.value, index.manifest.reviews.range);
    return links;
  }));
}
