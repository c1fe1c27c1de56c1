import { ResponseError, ErrorCodes, LSPErrorCodes, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import type { Workspaces } from '../workspace/workspaces';

export interface ServerContext {
  readonly connection: Connection;
  readonly workspaces: Workspaces;
}

/** How long each handler took, the last `TIMINGS_KEPT` times per handler: what `counterpart/timings` answers (the bench asks). */
const timings = new Map<string, number[]>();
const TIMINGS_KEPT = 5000;

/** Per handler, the times recorded since the last reset, in milliseconds; `reset` starts over. */
export function handlerTimings(reset: boolean): Record<string, number[]> {
  const out = Object.fromEntries(timings);
  if (reset) timings.clear();
  return out;
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
      const started = performance.now();
      const result = await handler(params, token);
      const times = timings.get(name) ?? [];
      if (times.length < TIMINGS_KEPT) times.push(performance.now() - started);
      timings.set(name, times);
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      return result;
    } catch (err) {
      ctx.connection.console.error(`Counterpart ${name} failed: ${(err as Error).stack ?? err}`);
      return new ResponseError(ErrorCodes.InternalError, `Counterpart could not answer ${name}: ${(err as Error).message}`);
    }
  };
}
