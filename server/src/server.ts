#!/usr/bin/env node
/**
 * The Counterpart language server. Any LSP client can start it:
 *   counterpart-language-server --stdio
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './startServer';

if (process.argv.includes('--version')) {
  process.stdout.write('counterpart-language-server\n');
} else {
  startServer(createConnection(ProposedFeatures.all));
}
