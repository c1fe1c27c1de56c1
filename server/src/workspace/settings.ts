import { isFindingCode, type FindingCode, type Severity } from '../core/findings';
import type { Settings } from '../protocol';

export interface FolderSettings {
  readonly manifest: string;
  readonly identity: string;
  readonly codeLens: boolean;
  readonly severity: Readonly<Partial<Record<FindingCode, Severity | 'off'>>>;
}

export const DEFAULT_SETTINGS: FolderSettings = { manifest: 'counterpart.yaml', identity: '', codeLens: true, severity: {} };

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Validates whatever the client sent into typed settings; anything odd falls back to the default. */
export function readSettings(raw: unknown): FolderSettings {
  const s = (raw ?? {}) as Partial<Settings>;
  const manifest = typeof s.manifest === 'string' && s.manifest.trim() ? s.manifest.trim().replace(/\\/g, '/').replace(/^\.\//, '') : DEFAULT_SETTINGS.manifest;
  const severity: Partial<Record<FindingCode, Severity | 'off'>> = {};
  if (s.severity && typeof s.severity === 'object') {
    for (const [code, level] of Object.entries(s.severity)) {
      if (isFindingCode(code) && typeof level === 'string' && SEVERITIES.has(level)) severity[code] = level as Severity | 'off';
    }
  }
  return {
    manifest: manifest.startsWith('/') || manifest.split('/').includes('..') ? DEFAULT_SETTINGS.manifest : manifest,
    identity: typeof s.identity === 'string' ? s.identity.trim() : '',
    codeLens: typeof s.codeLens?.enabled === 'boolean' ? s.codeLens.enabled : true,
    severity,
  };
}
