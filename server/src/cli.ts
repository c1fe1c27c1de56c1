#!/usr/bin/env node
import { main } from './cli/main';

declare const COUNTERPART_VERSION: string | undefined;

void main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  isTty: !!process.stdout.isTTY,
  version: typeof COUNTERPART_VERSION === 'string' ? COUNTERPART_VERSION : 'dev',
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  now: () => new Date(),
}).then((code) => {
  process.exitCode = code;
});
