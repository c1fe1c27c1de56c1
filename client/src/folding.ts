import * as vscode from 'vscode';
import { roleSections } from './roleSections';

/** Folds prompt templates by role section; a language configuration cannot (it needs an end marker). */
export function registerRoleFolding(): vscode.Disposable {
  return vscode.languages.registerFoldingRangeProvider({ language: 'prompt-template' }, {
    provideFoldingRanges(document) {
      const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
      return roleSections(lines).map((r) => new vscode.FoldingRange(r.start, r.end, vscode.FoldingRangeKind.Region));
    },
  });
}
