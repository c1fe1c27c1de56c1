/**
 * V8 flags the language server runs with (the editor's client and the tests
 * start it the same way). A young generation of at most 4 MiB a half, where
 * V8 lets it grow to 16, keeps an idle server on a monorepo about 25 MiB
 * smaller with no cost to indexing that `npm run bench` can see.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];

/**
 * What the server's environment adds to the one it inherits. On Linux, glibc
 * raises its trim threshold each time a large block is freed, so after a
 * build it keeps megabytes of freed memory it never hands back; a fixed
 * threshold of 128 KiB (its own default) makes it hand them back. On the
 * bench's workspace this keeps an idle server 7-8 MiB smaller. Other C
 * libraries and systems ignore the variable. A value the user set is kept.
 */
export function serverEnv(inherited: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const trim = 'glibc.malloc.trim_threshold=131072';
  const own = inherited.GLIBC_TUNABLES;
  if (own?.includes('glibc.malloc.trim_threshold')) return {};
  return { GLIBC_TUNABLES: own ? `${own}:${trim}` : trim };
}
