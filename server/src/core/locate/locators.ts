import type { LocatorSpec } from '../manifest/model';
import type { LocateContext, Locator } from './locator';
import { PointerLocator } from './pointer';
import { RegionLocator } from './region';
import { SymbolLocator } from './symbol';
import { ToolLocator } from './tool';

/** The locator a manifest entry names. */
export function createLocator(spec: LocatorSpec, ctx: LocateContext): Locator {
  switch (spec.kind) {
    case 'pointer': return new PointerLocator(spec, ctx.cache);
    case 'symbol': return new SymbolLocator(spec, ctx);
    case 'tool': return new ToolLocator(spec, ctx);
    case 'region': return new RegionLocator(spec);
  }
}
