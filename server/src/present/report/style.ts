/**
 * The report's CSS, inlined in the page. Colours are VS Code's theme
 * variables with fallbacks, so the same page follows the editor's theme in a
 * webview and stands alone in a browser (light, or dark when the system is).
 * Every state is also written in words and a symbol: colour is never the only signal.
 */
export const REPORT_CSS = `
:root {
  --fg: var(--vscode-editor-foreground, #1f2328);
  --bg: var(--vscode-editor-background, #ffffff);
  --muted: var(--vscode-descriptionForeground, #57606a);
  --border: var(--vscode-panel-border, #d0d7de);
  --link: var(--vscode-textLink-foreground, #0550ae);
  --head-bg: var(--vscode-editorWidget-background, #f6f8fa);
  --focus: var(--vscode-focusBorder, #0969da);
  --gap: var(--vscode-editorWarning-foreground, #9a3412);
  --error: var(--vscode-editorError-foreground, #b42318);
  --ok: var(--vscode-testing-iconPassed, #1a7f37);
  --add: var(--vscode-diffEditor-insertedTextBackground, #dafbe1);
  --del: var(--vscode-diffEditor-removedTextBackground, #ffebe9);
  --font: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  --mono: var(--vscode-editor-font-family, ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: var(--vscode-editor-foreground, #e6edf3);
    --bg: var(--vscode-editor-background, #0d1117);
    --muted: var(--vscode-descriptionForeground, #9198a1);
    --border: var(--vscode-panel-border, #3d444d);
    --link: var(--vscode-textLink-foreground, #4493f8);
    --head-bg: var(--vscode-editorWidget-background, #161b22);
    --focus: var(--vscode-focusBorder, #4493f8);
    --gap: var(--vscode-editorWarning-foreground, #f0b72f);
    --error: var(--vscode-editorError-foreground, #ff7b72);
    --ok: var(--vscode-testing-iconPassed, #3fb950);
    --add: var(--vscode-diffEditor-insertedTextBackground, #1c3a25);
    --del: var(--vscode-diffEditor-removedTextBackground, #4a1d1d);
  }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem 1.5rem 3rem; color: var(--fg); background: var(--bg); font-family: var(--font); font-size: 14px; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0.2rem 0; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.5rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
a { color: var(--link); }
a:focus-visible, summary:focus-visible, select:focus-visible, button:focus-visible, pre:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
code, pre { font-family: var(--mono); font-size: 0.92em; }
.meta, .explain, .quiet, .legend { color: var(--muted); }
.summary { font-weight: 600; }
.skip { position: absolute; left: -10000px; }
.skip:focus { left: 1rem; top: 0.5rem; background: var(--bg); padding: 0.3rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
nav ul, .sides { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; list-style: none; padding: 0; margin: 0.5rem 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid var(--border); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: var(--head-bg); }
table.sortable thead th { position: sticky; top: 0; }
tr.group th { background: var(--head-bg); font-size: 1rem; }
th button { all: inherit; cursor: pointer; border: 0; padding: 0; }
th button::after { content: " ⇅"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
td ul, details ul { margin: 0.2rem 0; padding-left: 1.1rem; }
summary { cursor: pointer; color: var(--link); }
.zero { color: var(--muted); }
.gap, .unreviewed, .contract, .badge.uncovered, .badge.unhandled, .badge.promised-unhandled, .badge.undeclared { color: var(--gap); font-weight: 600; }
td.has-gap { border-left: 3px solid var(--gap); }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 0.3rem; margin: 0 0.2rem 0.2rem 0; white-space: nowrap; font-size: 0.9em; }
.badge.in-step, .signed, #artifacts-table td.in-step { color: var(--ok); }
#artifacts-table td.changed { color: var(--gap); font-weight: 600; }
table.calendar { table-layout: fixed; }
table.calendar th:nth-child(1) { width: 7.5em; }
table.calendar th:nth-child(2) { width: 22%; }
table.calendar th:nth-child(3) { width: 20%; }
table.calendar th:nth-child(5) { width: 13%; }
table.calendar th:nth-child(6) { width: 16%; }
table.calendar td { overflow-wrap: anywhere; }
tr.unreviewed-row td:first-child { border-left: 3px solid var(--gap); }
.per-prompt { font-size: 0.9em; color: var(--muted); list-style: none; padding-left: 0; }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 0.5rem 0; }
.filters[hidden] { display: none; }
select { font: inherit; color: var(--vscode-dropdown-foreground, var(--fg)); background: var(--vscode-dropdown-background, var(--bg)); border: 1px solid var(--vscode-dropdown-border, var(--border)); padding: 0.1rem 0.3rem; }
.shown { margin: 0; color: var(--muted); }
.history.shallow, .history.no-git, .history.no-repository { color: var(--gap); font-weight: 600; }
pre.diff { border: 1px solid var(--border); padding: 0.5rem; overflow-x: auto; white-space: pre; }
pre.diff .add { background: var(--add); display: inline-block; min-width: 100%; }
pre.diff .del { background: var(--del); display: inline-block; min-width: 100%; }
pre.diff .hunk { color: var(--muted); }
.problems { padding-left: 1.1rem; }
.problems .error strong { color: var(--error); }
.problems .warning strong { color: var(--gap); }
`.trim();
