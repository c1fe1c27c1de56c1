import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { location } from '../convert';
import { lensStubs, resolveLens, type LensStub } from '../present/lenses';
import { Commands, LensPlacesRequest, type LensPlacesParams, type LensPlacesResult } from '../protocol';
import { safe, type ServerContext } from './context';

interface LensData {
  readonly uri: string;
  readonly stub: LensStub;
}

export function registerCodeLens(ctx: ServerContext): void {
  ctx.connection.onCodeLens(safe(ctx, 'code lens', (params: CodeLensParams): CodeLens[] => {
    const at = ctx.workspaces.resolve(params.textDocument.uri);
    const index = at?.folder.index;
    if (!at || !index || !at.folder.settings.codeLens) return [];
    return lensStubs(index, at.file).map((stub) => ({ range: stub.range, data: { uri: params.textDocument.uri, stub } satisfies LensData }));
  }));

  // Titles and targets are computed only for lenses on screen.
  ctx.connection.onCodeLensResolve(safe(ctx, 'code lens', (lens: CodeLens): CodeLens => {
    const data = lens.data as LensData;
    const at = ctx.workspaces.resolve(data.uri);
    const index = at?.folder.index;
    const action = index ? resolveLens(index, data.stub) : undefined;
    if (!at || !index || !action) return { ...lens, command: { title: 'Counterpart: out of date, save to refresh', command: '' } };
    switch (action.action) {
      case 'boundary':
        return { ...lens, command: { title: action.title, command: Commands.showBoundary } };
      case 'review':
        return { ...lens, command: { title: action.title, command: Commands.requestReview, arguments: [{ artifactId: action.artifactId, folderUri: at.folder.uri }] } };
      case 'locations':
        // The places (thousands, for a common intent) are fetched when the lens is clicked.
        return { ...lens, command: { title: action.title, command: Commands.showLocations, arguments: [action.heading, { uri: data.uri, stub: data.stub } satisfies LensPlacesParams] } };
    }
  }));

  ctx.connection.onRequest(LensPlacesRequest, safe(ctx, 'lens places', (params: LensPlacesParams): LensPlacesResult => {
    const at = ctx.workspaces.resolve(params.uri);
    const index = at?.folder.index;
    const action = index && isStub(params.stub) ? resolveLens(index, params.stub) : undefined;
    if (!index || action?.action !== 'locations') return { heading: 'Places', locations: [] };
    return { heading: action.heading, locations: action.places.map((p) => location(index.root, p.file, p.range)) };
  }));
}

function isStub(value: unknown): value is LensStub {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, range } = value as Record<string, unknown>;
  return typeof kind === 'string' && typeof range === 'object' && range !== null;
}
