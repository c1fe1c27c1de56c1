import { capital } from '../../core/describe';
import { CELL_KINDS, CELL_TITLES, GAP_STATES, type BoundaryReport, type CalendarEvent, type DriftItem, type IntentRow, type ReportCell, type ReportPlace } from '../../core/report/model';
import { REPORT_CSS } from './style';
import { REPORT_SCRIPT } from './script';
import { authorLabel, driftSentence, eventSentence, formatDay, intentLabel, plural, reviewSentence, sideLabel, STATE_SHORT, stateTitle, summarySentence, weekTitle } from './words';

export interface HtmlOptions {
  /**
   * 'file': a self-contained page (CLI `--html`, CI artifact, published page),
   * places are relative links to the files. 'webview': for a VS Code webview,
   * places are links the page's script turns into
   * `postMessage({ command: 'open', file, line })`. The script calls
   * `acquireVsCodeApi()` and leaves the result in `window.counterpartVsCodeApi`
   * (a page may call it only once); a script of the webview's own that
   * runs first may set that, and it is used.
   */
  readonly mode: 'file' | 'webview';
  /** The nonce of the inline script and style; required by a webview's CSP, made up when left out. */
  readonly nonce?: string;
  /** The webview's `cspSource`, allowed for styles and images in webview mode. */
  readonly cspSource?: string;
  /** File mode: the path from the HTML file's folder to the workspace folder ('../', ''), ending in '/' when not empty. */
  readonly linkBase?: string;
}

/** Escapes text for HTML content and attribute values: nothing from the workspace is ever markup. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A nonce for a page that is not given one. */
function madeUpNonce(): string {
  let s = '';
  for (let i = 0; i < 24; i++) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 62)];
  return s;
}

/**
 * The boundary report as one HTML page: no network, no external fonts or
 * scripts, a strict CSP, readable without its script (which only adds sorting,
 * filtering and, in a webview, opening places in the editor).
 */
export function renderReportHtml(report: BoundaryReport, options: HtmlOptions): string {
  const nonce = options.nonce ?? madeUpNonce();
  const r = new Renderer(report, options);
  const csp = options.mode === 'webview'
    ? `default-src 'none'; img-src ${options.cspSource ?? ''} data:; style-src ${options.cspSource ?? ''} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src ${options.cspSource ?? ''};`
    : `default-src 'none'; img-src data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`;
  const e = escapeHtml;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Quotes are the CSP's own syntax: only what could end the attribute is escaped.
    `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/[&"<>]/g, (c) => ESCAPES[c])}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Boundary report: ${e(report.workspace)}</title>`,
    `<style nonce="${e(nonce)}">${REPORT_CSS}</style>`,
    '</head>',
    `<body data-mode="${options.mode}">`,
    '<a class="skip" href="#map">Skip to the coverage map</a>',
    '<header>',
    `<h1>Boundary report: ${e(report.workspace)}</h1>`,
    `<p class="meta">Built ${e(formatDay(report.generatedAt))} at ${e(report.generatedAt.slice(11, 16))} UTC from <code>${e(report.manifestFile)}</code>.</p>`,
    `<p class="summary">${e(summarySentence(report))}</p>`,
    r.sides(),
    '<nav aria-label="Sections"><ul>',
    '<li><a href="#map">Coverage map</a></li>',
    '<li><a href="#calendar">Release calendar</a></li>',
    `<li><a href="#drift">Drift (${report.drift.length})</a></li>`,
    `<li><a href="#artifacts">Waiting for review (${report.artifacts.filter((a) => a.state !== 'in-step').length})</a></li>`,
    `<li><a href="#problems">Manifest problems (${report.problems.length})</a></li>`,
    '</ul></nav>',
    '</header>',
    '<main>',
    r.map(),
    r.calendar(),
    r.drift(),
    r.artifacts(),
    r.problems(),
    '</main>',
    `<script nonce="${e(nonce)}">${REPORT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

class Renderer {
  constructor(private readonly report: BoundaryReport, private readonly options: HtmlOptions) {}

  /** Every place is a link with data-file and data-line: the webview opens it in the editor. */
  link(place: ReportPlace, text: string, extra = ''): string {
    const e = escapeHtml;
    const href = this.options.mode === 'file' ? `${this.options.linkBase ?? ''}${encodePath(place.file)}#L${place.line + 1}` : '#';
    return `<a href="${e(href)}" data-file="${e(place.file)}" data-line="${place.line}"${extra}>${e(text)}</a>`;
  }

  where(place: ReportPlace): string {
    return this.link(place, `${place.file}:${place.line + 1}`);
  }

  sides(): string {
    if (!this.report.sides.length) return '';
    const e = escapeHtml;
    const items = this.report.sides.map((s) => `<li><strong>${e(s.name)}</strong>${s.members.length ? `: ${e(s.members.join(', '))}` : ''}</li>`);
    return `<ul class="sides" aria-label="Sides">${items.join('')}</ul>`;
  }

  filters(table: string, states: readonly { value: string; label: string }[], what: string): string {
    const e = escapeHtml;
    const owners = this.report.sides.map((s) => `<option value="${e(s.id)}">${e(s.title)}</option>`).join('');
    return [
      `<div class="filters" data-for="${table}" hidden>`,
      `<label>Owner <select data-filter="owner"><option value="">All owners</option>${owners}<option value="-">No owner</option></select></label>`,
      `<label>State <select data-filter="state"><option value="">All states</option>${states.map((s) => `<option value="${e(s.value)}">${e(s.label)}</option>`).join('')}</select></label>`,
      `<p class="shown" role="status" aria-live="polite" data-what="${e(what)}"></p>`,
      '</div>',
    ].join('');
  }

  map(): string {
    const { report } = this;
    const out: string[] = ['<section id="map" aria-labelledby="map-title">', '<h2 id="map-title">Coverage map</h2>'];
    out.push('<p class="explain">Each intent (a row) against where it lives. A number is how many places; open it to see them. Gaps are written out: <strong>Uncovered</strong> (no eval case), <strong>Unhandled</strong> (no system prompt tuned for it), <strong>Promised, not handled</strong> (help copy promises it) and <strong>Undeclared</strong> (used but not in the manifest).</p>');
    if (!report.intents.length) {
      out.push('<p>The manifest declares no intents, and no UI or eval case names one.</p></section>');
      return out.join('\n');
    }
    out.push(this.filters('map-table', [...GAP_STATES, 'in-step' as const].map((s) => ({ value: s, label: STATE_SHORT[s] })), 'intents'));
    out.push('<table id="map-table" class="sortable">');
    out.push(`<caption>${plural(report.intents.length, 'intent')} by owner</caption>`);
    out.push('<thead><tr><th scope="col" data-sort="text">Intent</th><th scope="col" data-sort="text">State</th>');
    for (const k of CELL_KINDS) out.push(`<th scope="col" data-sort="number">${escapeHtml(CELL_TITLES[k])}</th>`);
    out.push('</tr></thead>');
    for (const [owner, rows] of groupBy(report.intents, (r) => r.owner)) {
      out.push(`<tbody data-group="${escapeHtml(owner ?? '-')}">`);
      out.push(`<tr class="group"><th scope="rowgroup" colspan="${2 + CELL_KINDS.length}">${escapeHtml(sideLabel(report, owner))}: ${plural(rows.length, 'intent')}</th></tr>`);
      for (const row of rows) out.push(this.intentRow(row));
      out.push('</tbody>');
    }
    out.push('</table>', '</section>');
    return out.join('\n');
  }

  intentRow(row: IntentRow): string {
    const e = escapeHtml;
    const name = row.declaredAt ? this.link(row.declaredAt, intentLabel(row)) : e(intentLabel(row));
    const states = row.states.map((s) => `<span class="badge ${s}" title="${e(stateTitle(s))}">${s === 'in-step' ? '✓' : '⚠'} ${e(STATE_SHORT[s])}</span>`).join(' ');
    const cells = CELL_KINDS.map((k) => this.cell(row.cells[k], k === 'evalCases')).join('');
    return `<tr data-owner="${e(row.owner ?? '-')}" data-states="${e(row.states.join(' '))}"><th scope="row">${name}</th><td>${states}</td>${cells}</tr>`;
  }

  cell(cell: ReportCell, perPrompt: boolean): string {
    const e = escapeHtml;
    const gap = cell.gap ? ` <span class="gap">⚠ ${e(STATE_SHORT[cell.gap])}</span>` : '';
    const breakdown = perPrompt && cell.perPrompt?.length
      ? `<ul class="per-prompt" aria-label="Cases per prompt">${cell.perPrompt.map((p) => `<li>${e(p.prompt)}: ${p.count}${p.count ? '' : ' <span class="gap">⚠ none</span>'}</li>`).join('')}</ul>`
      : '';
    const open = `<td data-value="${cell.count}"${cell.gap ? ' class="has-gap"' : ''}>`;
    if (cell.count === 0) return `${open}<span class="zero">0</span>${gap}${breakdown}</td>`;
    if (cell.count === 1 && cell.places.length === 1) return `${open}${this.link(cell.places[0], '1', ` title="${e(cell.places[0].label)}"`)}${gap}${breakdown}</td>`;
    const more = cell.files > cell.places.length ? `<li>and ${plural(cell.files - cell.places.length, 'more file')}</li>` : '';
    // A file is named by its last part (its path is the link's): at 200 intents × 2,000 artifacts, full paths three times a link weigh megabytes.
    const list = cell.places.map((p) => `<li>${this.link(p, p.label === p.file ? p.file.slice(p.file.lastIndexOf('/') + 1) : p.label)}${p.count > 1 ? ` (${p.count.toLocaleString('en-US')})` : ''}</li>`).join('');
    return `${open}<details><summary>${cell.count.toLocaleString('en-US')}</summary><ul>${list}${more}</ul></details>${gap}${breakdown}</td>`;
  }

  calendar(): string {
    const { report } = this;
    const cal = report.calendar;
    const out: string[] = ['<section id="calendar" aria-labelledby="calendar-title">', '<h2 id="calendar-title">Release calendar</h2>'];
    if (!cal) {
      out.push('<p>No calendar: git history was not read for this report.</p></section>');
      return out.join('\n');
    }
    const e = escapeHtml;
    out.push(`<p class="explain">Every change to a boundary artifact's text, every intent added to or removed from the UI and every sign-off recorded, week by week, from ${e(formatDay(cal.since))}. A change nobody on the other side signed off is marked <strong>⚠ Not reviewed</strong>.</p>`);
    out.push(`<p class="history ${cal.history}">${e(cal.note)}</p>`);
    if (cal.weeks.some((w) => w.events.length)) {
      out.push(this.filters('calendar-weeks', [
        { value: 'not-reviewed', label: 'Not reviewed by the other side' }, { value: 'signed', label: 'Signed by the other side' },
        { value: 'intent-added', label: 'Intent added to the UI' }, { value: 'intent-removed', label: 'Intent removed from the UI' },
        { value: 'signed-off', label: 'Sign-off recorded' },
      ], 'changes'));
    }
    out.push('<div id="calendar-weeks">');
    for (const week of cal.weeks) {
      const title = weekTitle(week.start);
      const id = `week-${week.start}`;
      out.push(`<section class="week" aria-labelledby="${id}"><h3 id="${id}">${e(title)}</h3>`);
      if (!week.events.length) {
        out.push('<p class="quiet">No boundary change.</p></section>');
        continue;
      }
      out.push(`<table class="calendar"><caption class="visually-hidden">Boundary changes in the ${e(title.toLowerCase())}</caption>`);
      out.push('<thead><tr><th scope="col">Date</th><th scope="col">Change</th><th scope="col">Where</th><th scope="col">Commit</th><th scope="col">Author (side)</th><th scope="col">Counterpart review</th></tr></thead><tbody>');
      for (const ev of week.events) out.push(this.event(ev));
      out.push('</tbody></table></section>');
    }
    out.push('</div></section>');
    return out.join('\n');
  }

  event(ev: CalendarEvent): string {
    const e = escapeHtml;
    const unreviewed = ev.type === 'artifact-changed' && ev.unreviewed;
    const review = reviewSentence(this.report, ev);
    const reviewCell = ev.type !== 'artifact-changed' ? '<td>—</td>'
      : unreviewed ? `<td class="unreviewed"><strong>⚠ ${e(review)}</strong></td>`
      : `<td class="signed">✓ ${e(review)}</td>`;
    const owner = ev.type === 'artifact-changed' ? ev.owner : ev.owner ?? '-';
    const state = ev.type !== 'artifact-changed' ? ev.type : unreviewed ? 'not-reviewed' : 'signed';
    return `<tr data-owner="${e(owner)}" data-states="${state}"${unreviewed ? ' class="unreviewed-row"' : ''}><td>${e(formatDay(ev.commit.at))}</td><td>${e(eventSentence(ev))}</td><td>${this.where(ev.place)}</td><td><code title="${e(ev.commit.subject)}">${e(ev.commit.short)}</code> ${e(ev.commit.subject)}</td><td>${e(authorLabel(this.report, ev))}</td>${reviewCell}</tr>`;
  }

  drift(): string {
    const { report } = this;
    const out: string[] = ['<section id="drift" aria-labelledby="drift-title">', '<h2 id="drift-title">Drift: changed since the counterpart review</h2>'];
    if (!report.drift.length) {
      out.push('<p>Every reviewed artifact is as its counterpart signed it off.</p></section>');
      return out.join('\n');
    }
    for (const item of report.drift) out.push(this.driftItem(item));
    out.push('</section>');
    return out.join('\n');
  }

  driftItem(item: DriftItem): string {
    const e = escapeHtml;
    const id = `drift-${item.artifact}`;
    const out = [`<article class="drift" aria-labelledby="${e(id)}">`, `<h3 id="${e(id)}">${e(capital(item.kindNoun))} '${e(item.artifact)}'</h3>`];
    out.push(`<p>Owned by ${e(sideLabel(this.report, item.owner))}. ${e(driftSentence(item))} ${item.place ? this.where(item.place) : ''}</p>`);
    if (item.contractChange) out.push(`<p class="contract"><strong>⚠ ${e(item.contractChange)}</strong></p>`);
    if (item.diff.kind === 'patch') {
      const lines = item.diff.text.split('\n').map((l) => {
        const cls = l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('@@') ? 'hunk' : 'ctx';
        return `<span class="${cls}">${e(l)}</span>`;
      });
      out.push(`<p class="legend">Lines starting with − are as reviewed; lines starting with + are what it says now.</p><pre class="diff" tabindex="0" aria-label="Changes to ${e(item.artifact)} since review">${lines.join('\n')}</pre>`);
    } else if (item.diff.kind === 'rewritten') {
      out.push(`<p>The text was rewritten: ${plural(item.diff.now, 'line')} now, ${plural(item.diff.reviewed, 'line')} as reviewed. Review it as a whole.</p>`);
    } else {
      out.push(`<p>${e(item.diff.why)}</p>`);
    }
    out.push('</article>');
    return out.join('\n');
  }

  /**
   * The artifacts that wait for the counterpart (changed since review, never
   * reviewed, not read) in a table; those reviewed and in step by name only,
   * per owner: they need nobody, and 2,000 rows of them would weigh the page down.
   */
  artifacts(): string {
    const { report } = this;
    const e = escapeHtml;
    const out: string[] = ['<section id="artifacts" aria-labelledby="artifacts-title">', '<h2 id="artifacts-title">Artifacts waiting for review</h2>'];
    if (!report.artifacts.length) {
      out.push('<p>The manifest names no artifacts.</p></section>');
      return out.join('\n');
    }
    const states = [
      { value: 'changed', label: 'Changed since review' }, { value: 'never-reviewed', label: 'Never reviewed' }, { value: 'unknown', label: 'Not read' },
    ];
    const stateLabel = new Map(states.map((s) => [s.value, s.label]));
    // The side's title, not its lead: repeated on many rows, every character counts.
    const reviewer = (id: string | undefined): string => report.sides.find((s) => s.id === id)?.title ?? id ?? '—';
    const waiting = report.artifacts.filter((a) => a.state !== 'in-step');
    if (!waiting.length) {
      out.push('<p>None: the counterpart has signed off every artifact as it is now.</p>');
    } else {
      out.push(this.filters('artifacts-table', states, 'artifacts'));
      out.push('<table id="artifacts-table" class="sortable">');
      out.push(`<caption>${plural(waiting.length, 'artifact')} waiting for review, by owner</caption>`);
      out.push('<thead><tr><th scope="col" data-sort="text">Artifact</th><th scope="col" data-sort="text">Kind</th><th scope="col" data-sort="text">Reviewed by</th><th scope="col" data-sort="text">Review</th><th scope="col" data-sort="text">Intents</th></tr></thead>');
      for (const [owner, rows] of groupBy(waiting, (a) => a.owner)) {
        out.push(`<tbody data-group="${e(owner ?? '-')}"><tr class="group"><th scope="rowgroup" colspan="5">${e(sideLabel(report, owner))}: ${plural(rows.length, 'artifact')}</th></tr>`);
        for (const a of rows) {
          const name = a.place ? this.link(a.place, a.id) : e(a.id);
          const mark = a.state === 'changed' ? '⚠' : '•';
          out.push(`<tr data-owner="${e(a.owner)}" data-states="${a.state}"><th scope="row">${name}</th><td>${e(a.kindNoun)}</td><td>${e(reviewer(a.counterpart))}</td><td class="${a.state}">${mark} ${e(stateLabel.get(a.state) ?? a.state)}</td><td>${e(a.intents.join(', '))}</td></tr>`);
        }
        out.push('</tbody>');
      }
      out.push('</table>');
    }
    const inStep = report.artifacts.filter((a) => a.state === 'in-step');
    if (inStep.length) {
      out.push(`<h3 id="in-step-title">Reviewed and in step (${inStep.length.toLocaleString('en-US')})</h3><ul class="in-step-list" aria-labelledby="in-step-title">`);
      for (const [owner, rows] of groupBy(inStep, (a) => a.owner)) {
        out.push(`<li><strong>${e(sideLabel(report, owner))}</strong>: ${e(rows.map((a) => a.id).join(', '))}</li>`);
      }
      out.push('</ul>');
    }
    out.push('</section>');
    return out.join('\n');
  }

  problems(): string {
    const { report } = this;
    const e = escapeHtml;
    const out: string[] = ['<section id="problems" aria-labelledby="problems-title">', '<h2 id="problems-title">Manifest problems</h2>'];
    if (!report.problems.length) {
      out.push('<p>None: the manifest and the files it names read cleanly.</p></section>');
      return out.join('\n');
    }
    out.push('<ul class="problems">');
    for (const p of report.problems) {
      out.push(`<li class="${p.severity}"><strong>${e(capitalSeverity(p.severity))}</strong> <code>${e(p.code)}</code> ${this.where(p.place)}: ${e(p.message)}</li>`);
    }
    out.push('</ul></section>');
    return out.join('\n');
  }
}

function capitalSeverity(s: string): string {
  return s === 'information' ? 'Note' : s.charAt(0).toUpperCase() + s.slice(1);
}

/** A workspace path as a URL path: each segment encoded, the slashes kept. */
function encodePath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Groups in order of first appearance, the sides' order; no owner last. */
function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): [string | undefined, T[]][] {
  const groups = new Map<string | undefined, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(item);
  }
  return [...groups.entries()].sort((a, b) => (a[0] === undefined ? 1 : 0) - (b[0] === undefined ? 1 : 0));
}
