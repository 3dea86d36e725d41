// wenxi's report page: sortable, filterable, paged tables, a concordance from the embedded
// tokens, and each essay's text with its markers and keywords. No library, no network.
(function () {
  'use strict';
  const D = JSON.parse(document.getElementById('wenxi-data').textContent);
  const T = D.t;
  const vocab = D.vocab;
  const idOf = new Map(vocab.map((w, i) => [w, i]));
  const byId = new Map(D.essays.map((e, i) => [e.id, i]));
  const PAGE_ROWS = 50;
  const MAX_KWIC = 2000;
  const CONTEXT = 24;

  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const fill = (s, v) => s.replace(/\{(\w+)\}/g, (_, k) => (k in v ? v[k] : ''));
  const num = (x) => (typeof x === 'number' ? x.toLocaleString(D.lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 3 }) : '');
  const word = (w) => '<span class="w link" data-w="' + esc(w) + '">' + esc(w) + '</span>';
  const essayLink = (id) => (id === null || id === undefined ? '' : '<a href="#essay-' + id + '">' + id + '</a>');

  // ---- Tables -------------------------------------------------------------------------
  function cell(kind, v) {
    if (v === null || v === undefined) return '<td></td>';
    switch (kind) {
      case 'n': return '<td class="n">' + num(v) + '</td>';
      case 'w': return '<td>' + word(v) + '</td>';
      case 'ws': return '<td>' + v.map(word).join('、') + '</td>';
      case 'e': return '<td class="n">' + essayLink(v) + '</td>';
      default: return '<td>' + esc(v) + '</td>';
    }
  }
  const text = (v) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v));

  function makeTable(el, spec, csv) {
    let shown = spec.rows;
    let page = 0;
    let sortCol = -1;
    let dir = 1;
    el.innerHTML = '';
    const tools = document.createElement('div');
    tools.className = 'tools';
    const filter = document.createElement('input');
    filter.type = 'search';
    filter.placeholder = T.filter;
    const info = document.createElement('span');
    info.className = 'muted';
    const prev = document.createElement('button');
    prev.textContent = T.prev;
    const next = document.createElement('button');
    next.textContent = T.next;
    tools.append(filter, prev, next, info);
    el.append(tools);
    if (spec.total > spec.rows.length) {
      const note = document.createElement('p');
      note.className = 'muted partial';
      note.innerHTML = esc(fill(T.partial, { k: spec.rows.length.toLocaleString(), n: spec.total.toLocaleString() })) +
        (csv ? '<a href="' + esc(csv) + '">' + esc(csv) + '</a>' : '');
      el.append(note);
    }
    const table = document.createElement('table');
    const head = document.createElement('tr');
    spec.cols.forEach(([label], c) => {
      const th = document.createElement('th');
      th.textContent = label;
      th.title = T.sortHint;
      th.addEventListener('click', () => {
        dir = sortCol === c ? -dir : spec.cols[c][1] === 'n' || spec.cols[c][1] === 'e' ? -1 : 1;
        sortCol = c;
        sort();
        page = 0;
        draw();
      });
      head.append(th);
    });
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    table.append(thead, tbody);
    el.append(table);

    function sort() {
      const numeric = spec.cols[sortCol][1] === 'n' || spec.cols[sortCol][1] === 'e';
      const key = (r) => r[sortCol];
      shown = shown.slice().sort((a, b) => {
        const x = key(a), y = key(b);
        // Empty cells go last whichever the direction.
        if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
        if (y === null || y === undefined) return -1;
        const c = numeric ? x - y : text(x).localeCompare(text(y), 'zh-CN');
        return c * dir;
      });
      head.querySelectorAll('th').forEach((th, c) => {
        if (c === sortCol) th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
        else th.removeAttribute('aria-sort');
      });
    }
    function draw() {
      const pages = Math.max(1, Math.ceil(shown.length / PAGE_ROWS));
      page = Math.min(page, pages - 1);
      const from = page * PAGE_ROWS;
      const rows = shown.slice(from, from + PAGE_ROWS);
      tbody.innerHTML = rows.map((r) => '<tr>' + r.map((v, c) => cell(spec.cols[c][1], v)).join('') + '</tr>').join('');
      info.textContent = fill(T.rows, {
        a: shown.length ? from + 1 : 0,
        b: from + rows.length,
        n: shown.length.toLocaleString(),
      }) + (shown.length < spec.rows.length ? fill(T.filtered, { n: spec.rows.length.toLocaleString() }) : '');
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    filter.addEventListener('input', () => {
      const q = filter.value.trim().toLowerCase();
      shown = q ? spec.rows.filter((r) => r.some((v) => text(v).toLowerCase().includes(q))) : spec.rows;
      if (sortCol >= 0) sort();
      page = 0;
      draw();
    });
    prev.addEventListener('click', () => { page--; draw(); });
    next.addEventListener('click', () => { page++; draw(); });
    draw();
  }

  document.querySelectorAll('div.table').forEach((el) => {
    const name = el.id.replace(/^table-/, '');
    const spec = D.tables[name];
    if (spec) makeTable(el, spec, D.csv[name]);
    else el.textContent = T.noTable;
  });

  // ---- Tokens of the essays in the page -------------------------------------------------
  // Each essay carries its tokens as base-36 ids; they are found in its text in order.
  function layout(e) {
    if (e.ids) return e;
    const ids = e.tok ? e.tok.split(' ').map((x) => parseInt(x, 36)) : [];
    const pos = new Int32Array(ids.length);
    let p = 0;
    for (let i = 0; i < ids.length; i++) {
      const w = vocab[ids[i]];
      const q = e.text.indexOf(w, p);
      pos[i] = q < 0 ? p : q;
      p = pos[i] + w.length;
    }
    e.ids = ids;
    e.pos = pos;
    return e;
  }

  // ---- Search (KWIC) ---------------------------------------------------------------------
  const scope = document.getElementById('search-scope');
  scope.textContent = D.complete
    ? fill(T.scope, { n: D.essayCount.toLocaleString() })
    : fill(T.scopePart, { k: D.essays.length.toLocaleString(), n: D.essayCount.toLocaleString() });
  const results = document.getElementById('results');
  const q = document.getElementById('q');

  // A traditional essay is searched in its simplified text and shown as written: `shown` has
  // the same length, character for character.
  function context(e, at, len) {
    const t = e.shown || e.text;
    const lineStart = t.lastIndexOf('\n', at - 1) + 1;
    let lineEnd = t.indexOf('\n', at + len);
    if (lineEnd < 0) lineEnd = t.length;
    return [t.slice(Math.max(lineStart, at - CONTEXT), at), t.slice(at, at + len), t.slice(at + len, Math.min(lineEnd, at + len + CONTEXT))];
  }

  function search(w) {
    w = w.trim();
    if (!w) { results.innerHTML = ''; return; }
    // A word as a traditional essay writes it (學習) is searched as the page's word (学习).
    const id = idOf.has(w) ? idOf.get(w) : idOf.get(D.forms[w]);
    const hits = [];
    const per = [];
    let total = 0;
    if (id !== undefined && id < D.wordIds) {
      D.essays.forEach((e) => {
        layout(e);
        let c = 0;
        for (let i = 0; i < e.ids.length; i++) {
          if (e.ids[i] === id) {
            c++;
            if (hits.length < MAX_KWIC) hits.push([e, e.pos[i]]);
          }
        }
        total += c;
        per.push([e, c]);
      });
    }
    const used = per.filter(([, c]) => c > 0);
    if (!total) {
      results.innerHTML = '<p class="nohit">' + esc(fill(T.noHit, { w: w })) + '</p>';
      return;
    }
    let html = '<p class="hits" data-count="' + total + '">' + esc(fill(T.hits, { w: w, n: total.toLocaleString(), k: used.length.toLocaleString() })) + '</p>';
    html += '<h3>' + esc(T.perEssay) + '</h3>' + bars(per);
    const most = used.slice().sort((a, b) => b[1] - a[1] || a[0].id - b[0].id).slice(0, 10);
    html += '<h3>' + esc(T.most) + '</h3><table class="most"><tr><th>' + esc(T.essay) + '</th><th>' + esc(T.count) + '</th><th>' + esc(T.per1k) + '</th></tr>' +
      most.map(([e, c]) => '<tr><td><a href="#essay-' + e.id + '">' + e.id + ' ' + esc(e.title) + '</a></td><td class="n">' + c + '</td><td class="n">' +
        num(Math.round((c * 10000) / Math.max(1, e.words)) / 10) + '</td></tr>').join('') + '</table>';
    if (total > hits.length) html += '<p class="muted">' + esc(fill(T.shown, { k: hits.length.toLocaleString() })) + '</p>';
    html += '<table class="kwic"><thead><tr><th>' + esc(T.essay) + '</th><th>' + esc(T.left) + '</th><th>' + esc(T.node) + '</th><th>' + esc(T.right) +
      '</th></tr></thead><tbody>' + hits.map(([e, at]) => {
      const [l, n, r] = context(e, at, w.length);
      // The left context is right-aligned with direction:rtl; the bidi isolate keeps its order.
      return '<tr class="kwic-row"><td class="n"><a href="#essay-' + e.id + '">' + e.id + '</a></td><td class="l"><bdi>' + esc(l) + '</bdi></td><td class="node">' + esc(n) + '</td><td class="r">' + esc(r) + '</td></tr>';
    }).join('') + '</tbody></table>';
    results.innerHTML = html;
  }

  // One bar per essay in corpus order (averaged over runs of essays past 600), per 1,000 words.
  function bars(per) {
    const width = 900, height = 90, n = per.length;
    const bins = Math.min(n, 600);
    const values = [];
    for (let b = 0; b < bins; b++) {
      const from = Math.floor((b * n) / bins), to = Math.floor(((b + 1) * n) / bins);
      let c = 0, words = 0;
      for (let i = from; i < to; i++) { c += per[i][1]; words += per[i][0].words; }
      values.push([per[from][0], (c * 1000) / Math.max(1, words)]);
    }
    const max = Math.max(...values.map((v) => v[1]), 1e-9);
    const bw = (width - 40) / bins;
    let svg = '<svg class="bars" viewBox="0 0 ' + width + ' ' + (height + 20) + '" width="100%" role="img">';
    svg += '<text x="0" y="10" font-size="10" fill="#555">' + num(Math.round(max * 10) / 10) + '</text><line x1="38" y1="5" x2="38" y2="' + height + '" stroke="#999"/>';
    values.forEach(([e, v], b) => {
      const h = (v / max) * (height - 10);
      svg += '<rect x="' + (40 + b * bw) + '" y="' + (height - h) + '" width="' + Math.max(bw - 1, 0.5) + '" height="' + h + '" fill="#0072b2"><title>' +
        esc(e.id + ' ' + e.title + ': ' + num(Math.round(v * 10) / 10)) + '</title></rect>';
    });
    svg += '<text x="40" y="' + (height + 15) + '" font-size="10" fill="#555">' + esc(T.essay) + ' ' + per[0][0].id + ' … ' + per[n - 1][0].id + ' · ' + esc(T.per1k) + '</text></svg>';
    return svg;
  }

  let timer = 0;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => search(q.value), 200); });
  document.getElementById('search').addEventListener('submit', (ev) => { ev.preventDefault(); clearTimeout(timer); search(q.value); });
  document.addEventListener('click', (ev) => {
    const el = ev.target.closest('[data-w]');
    if (!el) return;
    q.value = el.dataset.w;
    search(q.value);
    document.getElementById('kwic').scrollIntoView();
  });

  // ---- Each essay ------------------------------------------------------------------------
  const view = document.getElementById('essay-view');
  function showEssay(id) {
    const k = byId.get(id);
    if (k === undefined) {
      view.innerHTML = '<p class="muted">' + esc(fill(T.notInPage, { id: id, k: D.essays.length })) + '</p>';
      return;
    }
    const e = layout(D.essays[k]);
    const kinds = D.kinds;
    const keywords = new Set(e.kw.flatMap(([, ws]) => ws));
    const options = D.essays.map((x) => '<option value="' + x.id + '"' + (x.id === id ? ' selected' : '') + '>' + x.id + ' ' + esc(x.title) + '</option>').join('');
    let html = '<div class="essay-head"><button id="prev-essay"' + (k === 0 ? ' disabled' : '') + '>' + esc(T.prevEssay) + '</button>' +
      '<select id="essay-select" aria-label="' + esc(T.choose) + '">' + options + '</select>' +
      '<button id="next-essay"' + (k === D.essays.length - 1 ? ' disabled' : '') + '>' + esc(T.nextEssay) + '</button></div>';
    html += '<h3 class="essay-title">' + e.id + '. ' + esc(e.title) + '</h3><p class="muted">' + esc(T.source) + '：' + esc(e.source) + '</p>';
    html += '<p class="legend muted">' + kinds.map(([k, label]) => '<mark class="m-' + k + '">' + esc(label) + '</mark>').join('') + esc(T.legend) + '</p>';
    html += '<div class="essay-body"><div class="text">' + essayText(e, keywords) + '</div><div class="figures">' + figures(e) + '</div></div>';
    view.innerHTML = html;
    document.getElementById('prev-essay').addEventListener('click', () => { location.hash = 'essay-' + D.essays[k - 1].id; });
    document.getElementById('next-essay').addEventListener('click', () => { location.hash = 'essay-' + D.essays[k + 1].id; });
    document.getElementById('essay-select').addEventListener('change', (ev) => { location.hash = 'essay-' + ev.target.value; });
  }

  // The text line by line, cut at token and marker boundaries: every piece of a word token is
  // a span that searches it, markers are <mark> elements around exactly their characters.
  function essayText(e, keywords) {
    const t = e.text, shown = e.shown || e.text, kinds = D.kinds;
    let html = '', off = 0, ti = 0, mi = 0;
    const heads = new Set(e.heads);
    t.split('\n').forEach((line, number) => {
      const start = off, end = off + line.length;
      off = end + 1;
      if (!line.trim()) return;
      const cuts = new Set([start, end]);
      let tj = ti;
      while (tj < e.ids.length && e.pos[tj] < end) {
        cuts.add(e.pos[tj]);
        cuts.add(Math.min(end, e.pos[tj] + vocab[e.ids[tj]].length));
        tj++;
      }
      let mj = mi;
      while (mj < e.marks.length && e.marks[mj][0] < end) {
        cuts.add(e.marks[mj][0]);
        cuts.add(e.marks[mj][0] + e.marks[mj][1]);
        mj++;
      }
      const points = [...cuts].filter((x) => x >= start && x <= end).sort((a, b) => a - b);
      let inner = '';
      for (let c = 0; c + 1 < points.length; c++) {
        const a = points[c], b = points[c + 1];
        while (ti < tj && e.pos[ti] + vocab[e.ids[ti]].length <= a) ti++;
        if (mi < mj && e.marks[mi][0] === a) inner += '<mark class="m-' + kinds[e.marks[mi][2]][0] + '" title="' + esc(kinds[e.marks[mi][2]][1]) + '">';
        const piece = esc(shown.slice(a, b));
        const id = ti < tj && e.pos[ti] <= a ? e.ids[ti] : -1;
        if (id >= 0 && id < D.wordIds) {
          const w = vocab[id];
          inner += '<span class="w' + (keywords.has(w) ? ' kw' : '') + '" data-w="' + esc(w) + '">' + piece + '</span>';
        } else {
          inner += piece;
        }
        if (mi < mj && e.marks[mi][0] + e.marks[mi][1] === b) { inner += '</mark>'; mi++; }
      }
      ti = tj;
      mi = mj;
      html += heads.has(number) ? '<h4>' + inner + '</h4>' : '<p>' + inner + '</p>';
    });
    return html;
  }

  function figures(e) {
    let html = '<table>' + e.fig.map(([k, v]) => '<tr><th>' + esc(k) + '</th><td>' + esc(v) + '</td></tr>').join('');
    e.kw.forEach(([method, ws]) => { html += '<tr><th>' + esc(T.keywords) + ' (' + esc(method) + ')</th><td>' + ws.map(word).join('、') + '</td></tr>'; });
    if (e.near) html += '<tr><th>' + esc(T.nearest) + '</th><td><a href="#essay-' + e.near[0] + '">' + e.near[0] + ' ' + esc(e.near[1]) + '</a> (' + e.near[2] + ')</td></tr>';
    html += '</table>';
    if (e.themes.length) {
      html += '<h4>' + esc(T.themes) + '</h4><table>' + e.themes.map(([name, hits, per1k, ws]) =>
        '<tr><th>' + esc(name) + '</th><td class="n">' + hits + '</td><td class="n">' + num(per1k) + '‰</td><td>' + esc(ws) + '</td></tr>').join('') + '</table>';
    }
    return html;
  }

  function route() {
    const m = /^#essay-(\d+)$/.exec(location.hash);
    if (m) {
      showEssay(Number(m[1]));
      document.getElementById('essay').scrollIntoView();
    }
  }
  window.addEventListener('hashchange', route);
  if (/^#essay-\d+$/.test(location.hash)) route();
  else if (D.essays.length) showEssay(D.essays[0].id);
})();
