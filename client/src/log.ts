import * as vscode from 'vscode';

/**
 * The client's log: the "Counterpart" output channel, created with `{ log: true }`
 * so every line has a level and a time and the user can filter by level.
 * The language client writes its own messages to the same channel.
 */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Counterpart', { log: true });
  }

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  /** Logs `message`, the error's text and (at debug level) its stack. */
  error(message: string, error?: unknown): void {
    if (error === undefined) {
      this.channel.error(message);
      return;
    }
    this.channel.error(`${message}: ${errorText(error)}`);
    if (error instanceof Error && error.stack) this.channel.debug(error.stack);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** The readable part of anything thrown: an Error's (or ResponseError's) message, else its text. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
