import { URI } from 'vscode-uri';
import { Diagnostic, DiagnosticSeverity, type Location } from 'vscode-languageserver/node';
import type { Finding, Severity } from './core/findings';
import type { Range } from './core/text';
import { toPosix } from './node/nodeHost';

/** A file: URI as VS Code writes it, for a forward-slash path. */
export function pathToUri(fsPath: string): string {
  return URI.file(fsPath).toString();
}

/** The forward-slash path of a file: URI; undefined for other schemes (untitled, git, …). */
export function uriToPath(uri: string): string | undefined {
  const u = URI.parse(uri);
  return u.scheme === 'file' ? toPosix(u.fsPath) : undefined;
}

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Data kept on each diagnostic so code actions know what it is about. */
export interface DiagnosticData {
  readonly artifact?: string;
  readonly intent?: string;
}

export function toDiagnostic(f: Finding, root: string): Diagnostic {
  const d = Diagnostic.create(f.range, f.message, SEVERITY[f.severity], f.code, 'Counterpart');
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: pathToUri(`${root}/${r.file}`), range: r.range }, message: r.message }));
  }
  const data: DiagnosticData = { ...f.subject };
  d.data = data;
  return d;
}

export function location(root: string, file: string, range: Range): Location {
  return { uri: pathToUri(`${root}/${file}`), range };
}

/** A link target that opens the file at the range's line (VS Code reads `#L<line>,<col>`). */
export function lineLink(root: string, file: string, range?: Range): string {
  const uri = pathToUri(`${root}/${file}`);
  return range ? `${uri}#L${range.start.line + 1},${range.start.character + 1}` : uri;
}
