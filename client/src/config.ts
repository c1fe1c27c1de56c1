import * as vscode from 'vscode';
import type { Settings } from '../../server/src/protocol';

/** The settings section: every key is `counterpart.<feature>.<option>`. */
export const SECTION = 'counterpart';

export type Severity = Settings['severity'][string];
export type TraceLevel = 'off' | 'messages' | 'verbose';

/** What the client reads: the server's settings plus the trace level the language client uses. */
export interface ClientSettings extends Settings {
  readonly trace: { readonly server: TraceLevel };
}

/** The defaults, as declared in package.json. */
export const DEFAULTS: ClientSettings = {
  manifest: 'counterpart.yaml',
  identity: '',
  codeLens: { enabled: true },
  severity: {},
  trace: { server: 'off' },
};

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const TRACE_LEVELS: readonly string[] = ['off', 'messages', 'verbose'];

/**
 * Reads the settings for `scope` (a folder or file; none for the window) and
 * falls back to the default for any value of the wrong type, so a typo in
 * settings.json never breaks the extension.
 */
export function readSettings(scope?: vscode.ConfigurationScope): ClientSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const manifest = config.get<unknown>('manifest');
  const identity = config.get<unknown>('identity');
  const codeLens = config.get<unknown>('codeLens.enabled');
  const trace = config.get<unknown>('trace.server');
  return {
    manifest: typeof manifest === 'string' && manifest.trim() !== '' ? manifest.trim() : DEFAULTS.manifest,
    identity: typeof identity === 'string' ? identity.trim() : DEFAULTS.identity,
    codeLens: { enabled: typeof codeLens === 'boolean' ? codeLens : DEFAULTS.codeLens.enabled },
    severity: readSeverity(config.get<unknown>('severity')),
    trace: { server: typeof trace === 'string' && TRACE_LEVELS.includes(trace) ? (trace as TraceLevel) : DEFAULTS.trace.server },
  };
}

function readSeverity(value: unknown): Settings['severity'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return DEFAULTS.severity;
  const result: Record<string, Severity> = {};
  for (const [code, severity] of Object.entries(value)) {
    if (typeof severity === 'string' && SEVERITIES.includes(severity)) result[code] = severity as Severity;
  }
  return result;
}

/** One line for the log: the settings that differ from the defaults. */
export function describeSettings(settings: ClientSettings): string {
  const changed: string[] = [];
  if (settings.manifest !== DEFAULTS.manifest) changed.push(`manifest=${settings.manifest}`);
  if (settings.identity !== DEFAULTS.identity) changed.push(`identity=${settings.identity}`);
  if (!settings.codeLens.enabled) changed.push('codeLens.enabled=false');
  const severities = Object.entries(settings.severity).map(([code, severity]) => `${code}:${severity}`);
  if (severities.length > 0) changed.push(`severity={${severities.join(', ')}}`);
  if (settings.trace.server !== DEFAULTS.trace.server) changed.push(`trace.server=${settings.trace.server}`);
  return changed.length > 0 ? changed.join('; ') : 'all defaults';
}
