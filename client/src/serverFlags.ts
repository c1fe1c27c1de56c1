/**
 * V8 flags the language server runs with (the editor's client and the tests
 * start it the same way). A young generation of at most 4 MiB a half, where
 * V8 lets it grow to 16, keeps an idle server on a monorepo about 25 MiB
 * smaller with no cost to indexing that `npm run bench` can see.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];
