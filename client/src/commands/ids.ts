import { Commands } from '../../../server/src/protocol';
import { REFRESH_BOUNDARY } from '../views/boundaryTree';

/** Every command the extension contributes (package.json lists the same ids). */
export const CommandIds = {
  ...Commands,
  createManifest: 'counterpart.createManifest',
  restartServer: 'counterpart.restartServer',
  showOutput: 'counterpart.showOutput',
  refreshBoundary: REFRESH_BOUNDARY,
  openBoundaryMap: 'counterpart.openBoundaryMap',
} as const;
