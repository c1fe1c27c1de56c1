// The Boundary Map's webview page around the server's HTML, and the messages it sends back.
// No `vscode` import: unit tests load this module on plain Node.
import { randomBytes } from 'node:crypto';

/** A fresh nonce for the page's script (the Content Security Policy lets only it run). */
export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** The policy: nothing remote, no script but the nonce'd one, styles from the extension or inline. */
export function contentSecurityPolicy(nonce: string, cspSource: string): string {
  return `default-src 'none'; style-src ${cspSource} 'unsafe-inline'; img-src ${cspSource} data:; font-src ${cspSource}; script-src 'nonce-${nonce}';`;
}

/** The folder a saved state is for, if it names one (the state comes from the page: do not trust its shape). */
export function folderOfState(state: unknown): string | undefined {
  const folderUri = typeof state === 'object' && state !== null ? (state as { folderUri?: unknown }).folderUri : undefined;
  return typeof folderUri === 'string' && folderUri !== '' ? folderUri : undefined;
}

const CSP_META = /<meta[^>]*http-equiv=["']?Content-Security-Policy[^>]*>/i;

/**
 * The server's page made ready for the webview: its Content Security Policy
 * (added when the page carries none), a style that fits it to the theme, and
 * a nonce'd script, last, that keeps the reader's place with `folderUri` in the state.
 */
export function webviewPage(html: string, options: { nonce: string; cspSource: string; folderUri: string }): string {
  let page = html;
  if (!CSP_META.test(page)) {
    const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.nonce, options.cspSource)}">`;
    page = /<head[^>]*>/i.test(page) ? page.replace(/<head[^>]*>/i, (head) => `${head}${meta}`) : `${meta}${page}`;
  }
  const style = `<style nonce="${options.nonce}">${THEME_CSS}</style>`;
  page = /<\/head>/i.test(page) ? page.replace(/<\/head>/i, () => `${style}</head>`) : page;
  const script = `<script nonce="${options.nonce}">${pageScript(options.folderUri)}</script>`;
  // Replacement functions throughout: a "$'" in a folder's name must not be read as a pattern.
  return /<\/body>/i.test(page) ? page.replace(/<\/body>(?![\s\S]*<\/body>)/i, () => `${script}</body>`) : `${page}${script}`;
}

/**
 * The theme's warning, error and passed colours are made for icons and
 * squiggles, not text: in a light theme they fall short of a readable contrast
 * (axe-core says so). In the webview, words in those colours are mixed halfway
 * toward the text colour: the same hue, and as readable as the rest. (The page
 * never says anything by colour alone: every state is also a word and a mark.)
 * VS Code's own webview styles take the underline off links; a link in a
 * sentence then differs from the words around it by colour only: put it back.
 */
const THEME_CSS = `a[href] { text-decoration: underline; text-underline-offset: 0.15em; }
:root {
  --gap: color-mix(in srgb, var(--vscode-editorWarning-foreground, #9a3412) 50%, var(--vscode-editor-foreground, #1f2328));
  --error: color-mix(in srgb, var(--vscode-editorError-foreground, #b42318) 50%, var(--vscode-editor-foreground, #1f2328));
  --ok: color-mix(in srgb, var(--vscode-testing-iconPassed, #1a7f37) 50%, var(--vscode-editor-foreground, #1f2328));
}`;

/** A message from the page: open a place. Anything else, or a path leaving the folder, is undefined. */
export function placeMessage(message: unknown): { readonly file: string; readonly line: number } | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { command, file, line } = message as Record<string, unknown>;
  if (command !== 'open' || typeof file !== 'string' || file === '') return undefined;
  const parts = file.split('/');
  if (file.startsWith('/') || /^[a-zA-Z]:/.test(file) || file.includes('\\') || parts.some((p) => p === '..' || p === '')) return undefined;
  const at = typeof line === 'number' ? line : typeof line === 'string' ? Number(line) : 0;
  return { file, line: Number.isInteger(at) && at >= 0 ? at : 0 };
}

/**
 * The page's own script (the report's) opens places: `<a data-file data-line>`
 * clicked, or Enter on a focused one, posts `{ command: 'open', file, line }`.
 * This one keeps the reader's place in the webview's state, `{ folderUri,
 * scrollY, controls, sort, open, focus }` (filters by table and name, sorting
 * by table, open sections by row and column, the focused place), and puts it
 * back after a reload or a redraw.
 */
function pageScript(folderUri: string): string {
  // JSON in a script: "<" escaped so no "</script>" can close it early.
  const folder = JSON.stringify(folderUri).replace(/</g, '\\u003c');
  return `(() => {
  // acquireVsCodeApi may be called once per page: the report's script leaves what it acquired here.
  const vscode = window.counterpartVsCodeApi = window.counterpartVsCodeApi || acquireVsCodeApi();
  const state = Object.assign({}, vscode.getState() || {}, { folderUri: ${folder} });
  const save = () => vscode.setState(state);
  const places = () => Array.from(document.querySelectorAll('a[data-file]'));
  const placeOf = (el) => (el instanceof Element ? el.closest('a[data-file]') : null);
  for (const a of places()) if (!a.hasAttribute('href')) a.setAttribute('href', '#');
  // What names a control, a section or a sortable table across redraws.
  const controlKey = (el) => el.id || (el.closest('[data-for]') && el.dataset.filter ? el.closest('[data-for]').dataset.for + '/' + el.dataset.filter : '');
  const controls = () => Array.from(document.querySelectorAll('input, select, textarea')).filter((el) => controlKey(el));
  const detailsKey = (d) => {
    if (d.id) return d.id;
    const row = d.closest('tr');
    const table = d.closest('table');
    const cell = d.closest('td, th');
    const name = row && row.querySelector('th[scope="row"]');
    return table && table.id && name && cell ? table.id + '/' + (name.dataset.value || name.textContent.trim()) + '/' + cell.cellIndex : '';
  };
  document.addEventListener('focusin', (e) => {
    const a = placeOf(e.target);
    if (!a) { delete state.focus; save(); return; }
    const same = places().filter((p) => p.dataset.file === a.dataset.file && p.dataset.line === a.dataset.line);
    state.focus = { file: a.dataset.file, line: Number(a.dataset.line || 0), nth: same.indexOf(a) };
    save();
  });
  const remember = (el) => {
    const key = controlKey(el);
    if (!key) return;
    state.controls = Object.assign({}, state.controls, { [key]: el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value });
    save();
  };
  document.addEventListener('input', (e) => remember(e.target));
  document.addEventListener('change', (e) => remember(e.target));
  document.addEventListener('toggle', (e) => {
    const d = e.target;
    const key = d instanceof HTMLDetailsElement ? detailsKey(d) : '';
    if (!key) return;
    const open = new Set(state.open || []);
    if (d.open) open.add(key); else open.delete(key);
    state.open = Array.from(open);
    save();
  }, true);
  // Sorting is the report's: a button in a column head, which then says aria-sort. Read it after the click.
  document.addEventListener('click', (e) => {
    const th = e.target instanceof Element ? e.target.closest('table[id] th') : null;
    if (!th || !th.querySelector('button')) return;
    setTimeout(() => {
      const sort = th.getAttribute('aria-sort');
      state.sort = Object.assign({}, state.sort, { [th.closest('table').id]: sort ? { column: th.cellIndex, direction: sort } : undefined });
      save();
    });
  });
  let scrollTimer;
  window.addEventListener('scroll', () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => { state.scrollY = Math.round(window.scrollY); save(); }, 100);
  });
  // Back where the reader was: filters and sorting first (they change what is below), then sections, scroll, focus.
  for (const el of controls()) {
    const v = state.controls && state.controls[controlKey(el)];
    if (v === undefined) continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = v === true; else el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
  for (const [id, sort] of Object.entries(state.sort || {})) {
    const table = document.getElementById(id);
    const th = sort && table && table.tHead ? table.tHead.rows[0].cells[sort.column] : undefined;
    const button = th && th.querySelector('button');
    if (!button) continue;
    for (let i = 0; i < 2 && th.getAttribute('aria-sort') !== sort.direction; i++) button.click();
  }
  const open = new Set(state.open || []);
  for (const d of document.querySelectorAll('details')) if (open.has(detailsKey(d))) d.open = true;
  if (state.scrollY) window.scrollTo(0, state.scrollY);
  // Only while the page has the focus: a redraw must never pull it away from the editor.
  if (state.focus && document.hasFocus()) {
    const same = places().filter((p) => p.dataset.file === state.focus.file && Number(p.dataset.line || 0) === state.focus.line);
    const target = same[state.focus.nth] || same[0];
    if (target) target.focus({ preventScroll: Boolean(state.scrollY) });
  }
  save();
})();`;
}
