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

/** What the page keeps with `vscode.setState`, so a reload or a re-render puts the reader back. */
export interface MapState {
  readonly folderUri?: string;
  readonly scrollY?: number;
  /** Filter and sort controls by id: a text's value or a checkbox's checked. */
  readonly controls?: Readonly<Record<string, string | boolean>>;
  /** Ids of `<details>` that are open. */
  readonly open?: readonly string[];
  /** The place that had the keyboard focus. */
  readonly focus?: { readonly file: string; readonly line: number; readonly nth: number };
}

/** The folder a saved state is for, if it names one (the state comes from the page: do not trust its shape). */
export function folderOfState(state: unknown): string | undefined {
  const folderUri = typeof state === 'object' && state !== null ? (state as { folderUri?: unknown }).folderUri : undefined;
  return typeof folderUri === 'string' && folderUri !== '' ? folderUri : undefined;
}

/**
 * The server's page made ready for the webview: its Content Security Policy
 * (added when the page carries none) and the script that makes places
 * clickable and keeps the reader's place, with `folderUri` remembered in the state.
 */
export function webviewPage(html: string, options: { nonce: string; cspSource: string; folderUri: string }): string {
  let page = html;
  if (!/http-equiv=["']?Content-Security-Policy/i.test(page)) {
    const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.nonce, options.cspSource)}">`;
    page = /<head[^>]*>/i.test(page) ? page.replace(/<head[^>]*>/i, (head) => `${head}${meta}`) : `${meta}${page}`;
  }
  const script = `<script nonce="${options.nonce}">${pageScript(options.folderUri)}</script>`;
  return /<\/body>/i.test(page) ? page.replace(/<\/body>(?![\s\S]*<\/body>)/i, `${script}</body>`) : `${page}${script}`;
}

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
 * The page's script, as text. Places are `<a data-file data-line>`: a click, or
 * Enter on a focused one, asks the extension to open it. Scroll, controls, open
 * sections and focus go into the webview's state, and come back after a reload
 * or a re-render.
 */
function pageScript(folderUri: string): string {
  // JSON in a script: "<" escaped so no "</script>" can close it early.
  const folder = JSON.stringify(folderUri).replace(/</g, '\\u003c');
  return `(() => {
  const vscode = acquireVsCodeApi();
  const state = Object.assign({}, vscode.getState() || {}, { folderUri: ${folder} });
  const save = () => vscode.setState(state);
  const places = () => Array.from(document.querySelectorAll('a[data-file]'));
  const placeOf = (el) => (el instanceof Element ? el.closest('a[data-file]') : null);
  for (const a of places()) if (!a.hasAttribute('href')) a.setAttribute('href', '#');
  const open = (a) => vscode.postMessage({ command: 'open', file: a.dataset.file, line: Number(a.dataset.line || 0) });
  document.addEventListener('click', (e) => {
    const a = placeOf(e.target);
    if (!a) return;
    e.preventDefault();
    open(a);
  });
  document.addEventListener('focusin', (e) => {
    const a = placeOf(e.target);
    if (!a) { delete state.focus; save(); return; }
    const same = places().filter((p) => p.dataset.file === a.dataset.file && p.dataset.line === a.dataset.line);
    state.focus = { file: a.dataset.file, line: Number(a.dataset.line || 0), nth: same.indexOf(a) };
    save();
  });
  const controls = () => Array.from(document.querySelectorAll('input[id], select[id], textarea[id]'));
  const remember = (el) => {
    state.controls = Object.assign({}, state.controls, { [el.id]: el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value });
    save();
  };
  document.addEventListener('input', (e) => { if (e.target.id) remember(e.target); });
  document.addEventListener('change', (e) => { if (e.target.id) remember(e.target); });
  document.addEventListener('toggle', (e) => {
    const d = e.target;
    if (!(d instanceof HTMLDetailsElement) || !d.id) return;
    const open = new Set(state.open || []);
    if (d.open) open.add(d.id); else open.delete(d.id);
    state.open = Array.from(open);
    save();
  }, true);
  let scrollTimer;
  window.addEventListener('scroll', () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => { state.scrollY = Math.round(window.scrollY); save(); }, 100);
  });
  // Back where the reader was: controls first (they may filter what is below), then sections, scroll, focus.
  for (const el of controls()) {
    const v = state.controls && state.controls[el.id];
    if (v === undefined) continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = v === true; else el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
  for (const id of state.open || []) { const d = document.getElementById(id); if (d instanceof HTMLDetailsElement) d.open = true; }
  if (state.scrollY) window.scrollTo(0, state.scrollY);
  // Only while the page has the focus: a re-render must never pull it away from the editor.
  if (state.focus && document.hasFocus()) {
    const same = places().filter((p) => p.dataset.file === state.focus.file && Number(p.dataset.line || 0) === state.focus.line);
    const target = same[state.focus.nth] || same[0];
    if (target) target.focus({ preventScroll: Boolean(state.scrollY) });
  }
  save();
})();`;
}
