import type * as vscode from 'vscode';

/** A function that runs `run` once, `delayMs` after the last of a burst of calls. */
export interface Debounced extends vscode.Disposable {
  (): void;
}

export function debounce(run: () => void, delayMs: number): Debounced {
  let timer: NodeJS.Timeout | undefined;
  const call = (() => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      run();
    }, delayMs);
  }) as Debounced;
  call.dispose = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return call;
}
