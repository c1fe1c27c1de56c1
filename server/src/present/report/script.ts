/**
 * The report's only script, inlined with the page's nonce. It adds to a page
 * that reads fine without it: filters (owner, state) and sortable columns on
 * the map and the artifact list, and in a VS Code webview it turns a click on
 * a place into `postMessage({ command: 'open', file, line })`.
 */
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var doc = document;
  var webview = doc.body.getAttribute('data-mode') === 'webview';
  // acquireVsCodeApi may be called once per page: the webview's own script finds it here.
  var vscode = webview && typeof acquireVsCodeApi === 'function' ? (window.counterpartVsCodeApi = window.counterpartVsCodeApi || acquireVsCodeApi()) : undefined;

  if (webview) {
    doc.addEventListener('click', function (event) {
      var a = event.target && event.target.closest ? event.target.closest('a[data-file]') : null;
      if (!a) return;
      event.preventDefault();
      if (vscode) vscode.postMessage({ command: 'open', file: a.getAttribute('data-file'), line: Number(a.getAttribute('data-line')) });
    });
  }

  function rowsOf(tbody) {
    var out = [];
    for (var i = 0; i < tbody.rows.length; i++) if (!tbody.rows[i].classList.contains('group')) out.push(tbody.rows[i]);
    return out;
  }

  // A filter box serves one table (the map) or every table in a container (the calendar's weeks).
  Array.prototype.forEach.call(doc.querySelectorAll('.filters[data-for]'), function (box) {
    var root = doc.getElementById(box.getAttribute('data-for'));
    if (!root) return;
    var tables = root.tagName === 'TABLE' ? [root] : Array.prototype.slice.call(root.querySelectorAll('table'));
    var owner = box.querySelector('[data-filter="owner"]');
    var state = box.querySelector('[data-filter="state"]');
    var status = box.querySelector('.shown');
    var what = status.getAttribute('data-what');
    function apply() {
      var o = owner.value, s = state.value, shown = 0, total = 0;
      tables.forEach(function (table) {
        var inTable = 0;
        Array.prototype.forEach.call(table.tBodies, function (tbody) {
          var visible = 0;
          rowsOf(tbody).forEach(function (row) {
            total++;
            var ok = (!o || row.getAttribute('data-owner') === o) && (!s || (' ' + row.getAttribute('data-states') + ' ').indexOf(' ' + s + ' ') >= 0);
            row.hidden = !ok;
            if (ok) visible++;
          });
          tbody.hidden = visible === 0;
          inTable += visible;
        });
        // In a container of tables, a table with nothing to show goes (its week heading stays).
        if (table !== root) table.hidden = inTable === 0;
        shown += inTable;
      });
      status.textContent = 'Showing ' + shown + ' of ' + total + ' ' + what + '.';
    }
    owner.addEventListener('change', apply);
    state.addEventListener('change', apply);
    box.hidden = false;
    apply();
  });

  Array.prototype.forEach.call(doc.querySelectorAll('table.sortable'), function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, column) {
      var kind = th.getAttribute('data-sort');
      if (!kind) return;
      var button = doc.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var descending = th.getAttribute('aria-sort') === 'ascending';
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        function value(row) {
          var cell = row.cells[column];
          var v = cell ? (cell.getAttribute('data-value') || cell.textContent || '') : '';
          return kind === 'number' ? Number(v) || 0 : v.toLowerCase();
        }
        Array.prototype.forEach.call(table.tBodies, function (tbody) {
          var rows = rowsOf(tbody).map(function (row, i) { return { row: row, key: value(row), i: i }; });
          rows.sort(function (a, b) {
            var c = a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i;
            return descending ? -c : c;
          });
          var fragment = doc.createDocumentFragment();
          rows.forEach(function (r) { fragment.appendChild(r.row); });
          tbody.appendChild(fragment);
        });
      });
    });
  });
})();
`.trim();
