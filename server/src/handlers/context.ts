import { ResponseError, ErrorCodes, LSPErrorCodes, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import type { Workspaces } from '../workspace/workspaces';

export interface ServerContext {
  readonly connection: Connection;
  readonly workspaces: Workspaces;
}

/**
 * Wraps a handler: a cancelled request answers "cancelled", a throwing one is
 * logged and answers an error, and the server keeps serving either way.
 */
export function safe<P, R>(ctx: ServerContext, name: string, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
    if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    try {
      await ctx.workspaces.ready;
      const result = await handler(params, token);
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      return result;
    } catch (err) {
      ctx.connection.console.error(`Counterpart ${name} failed: ${(err as Error).stack ?? err}`);
      return new ResponseError(ErrorCodes.InternalError, `Counterpart could not answer ${name}: ${(err as Error).message}`);
    }
  };
}
