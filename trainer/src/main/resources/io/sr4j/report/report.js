// sr4j report page: draws the charts (uPlot) from the page's JSON block, sorts tables, and drives the image
// comparisons. Everything it needs is inlined in the page; it loads nothing.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('sr4j-data').textContent);
  var charts = {};
  var shownState = {}; // chart id -> which lines were shown, kept across a redraw (log scale)
  window.sr4jReport = { data: data, charts: charts };

  function fmt(v) {
    if (v == null || !isFinite(v)) return '-';
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
    return a >= 100 ? v.toFixed(2) : a >= 1 ? v.toFixed(4) : v.toFixed(5);
  }

  function tick(v) {
    if (v == null) return '';
    var a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(1) : String(+v.toPrecision(6));
  }

  // ---- charts ----
  function chartWidth(el) {
    return Math.max(320, Math.floor((el.clientWidth || el.parentNode.clientWidth || 640)));
  }

  function draw(spec, log) {
    var el = document.getElementById(spec.id);
    if (!el || typeof uPlot === 'undefined') return;
    if (charts[spec.id]) charts[spec.id].destroy();
    el.textContent = '';
    var shown = spec.lines.map(function (l, i) {
      var old = shownState[spec.id];
      return old ? old[i] : true;
    });
    var series = [{ label: 'iteration', value: function (u, v) { return v == null ? '-' : String(v); } }];
    var columns = [spec.x];
    spec.lines.forEach(function (l, i) {
      var n = l.values.filter(function (v) { return v != null; }).length;
      series.push({
        label: l.label, stroke: l.color, width: 2, spanGaps: true, show: shown[i],
        points: { show: n <= 60, size: 6, fill: l.color, stroke: l.color },
        value: function (u, v) { return fmt(v); }
      });
      columns.push(log ? l.values.map(function (v) { return v != null && v > 0 ? v : null; }) : l.values);
    });
    var opts = {
      width: chartWidth(el), height: 260,
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [
        { label: 'iteration', values: function (u, vals) { return vals.map(tick); } },
        { label: spec.yLabel, size: 72, values: function (u, vals) { return vals.map(tick); } }
      ],
      series: series,
      cursor: { drag: { x: true, y: false } },
      legend: { live: true }
    };
    var u = new uPlot(opts, columns, el);
    u.sr4jLog = !!log;
    charts[spec.id] = u;
  }

  function rememberShown(id) {
    var u = charts[id];
    if (u) shownState[id] = u.series.slice(1).map(function (s) { return s.show; });
  }

  (data.charts || []).forEach(function (spec) { draw(spec, false); });
  Array.prototype.forEach.call(document.querySelectorAll('input.logscale'), function (box) {
    box.addEventListener('change', function () {
      var spec = (data.charts || []).filter(function (c) { return c.id === box.dataset.chart; })[0];
      rememberShown(spec.id);
      draw(spec, box.checked);
    });
  });
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      (data.charts || []).forEach(function (spec) {
        var u = charts[spec.id];
        if (u) u.setSize({ width: chartWidth(document.getElementById(spec.id)), height: 260 });
      });
    }, 150);
  });

  // ---- a legend shared by all charts (ablations: one entry per run) ----
  Array.prototype.forEach.call(document.querySelectorAll('.run-legend button'), function (btn) {
    btn.addEventListener('click', function () {
      var on = btn.getAttribute('aria-pressed') !== 'true';
      btn.setAttribute('aria-pressed', on ? 'true' : 'false');
      var idx = +btn.dataset.series;
      (data.charts || []).forEach(function (spec) {
        var u = charts[spec.id];
        if (u) u.setSeries(idx, { show: on });
      });
    });
  });

  // ---- sortable tables ----
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.querySelectorAll('th');
    Array.prototype.forEach.call(heads, function (th, col) {
      function sort() {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var numeric = th.dataset.type === 'num';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col], r;
          if (numeric) {
            var p = x.dataset.sort, q = y.dataset.sort;
            if (p == null || q == null) return p == null ? (q == null ? 0 : 1) : -1; // blanks last
            r = +p - +q;
          } else {
            r = x.textContent.localeCompare(y.textContent, undefined, { numeric: true });
          }
          return asc ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
  });

  // ---- image comparisons: synchronised full-resolution crops and a view that flips between them ----
  var VIEW_PX = 240; // side of a crop view (.vp in the style sheet)
  Array.prototype.forEach.call(document.querySelectorAll('.cmp'), function (cmp) {
    var vps = Array.prototype.slice.call(cmp.querySelectorAll('.vp'));
    var imgs = Array.prototype.slice.call(cmp.querySelectorAll('img.layer'));
    var flip = cmp.querySelector('.flip'); // absent for a single image
    var layers = flip ? Array.prototype.slice.call(flip.querySelectorAll('img.layer')) : [];
    var zoom = 1, centred = false;

    function size() {
      var ref = imgs.filter(function (i) { return i.naturalWidth > 0; })[0];
      if (!ref) return false;
      var w = ref.naturalWidth * zoom + 'px', h = ref.naturalHeight * zoom + 'px';
      Array.prototype.forEach.call(cmp.querySelectorAll('.stack'), function (s) { s.style.width = w; s.style.height = h; });
      imgs.forEach(function (i) { i.style.width = w; i.style.height = h; });
      vps.forEach(function (v) { // a view no larger than the image
        v.style.width = Math.min(VIEW_PX, ref.naturalWidth * zoom) + 'px';
        v.style.height = Math.min(VIEW_PX, ref.naturalHeight * zoom) + 'px';
      });
      return true;
    }
    function centreAt(fx, fy) {
      vps.forEach(function (v) {
        v.scrollLeft = fx * v.scrollWidth - v.clientWidth / 2;
        v.scrollTop = fy * v.scrollHeight - v.clientHeight / 2;
      });
    }
    function ready() {
      if (size() && !centred) { centred = true; centreAt(0.5, 0.5); }
    }
    imgs.forEach(function (i) { if (i.complete) ready(); else i.addEventListener('load', ready); });

    vps.forEach(function (v) {
      v.addEventListener('scroll', function () {
        vps.forEach(function (o) {
          if (o !== v && (o.scrollLeft !== v.scrollLeft || o.scrollTop !== v.scrollTop)) {
            o.scrollLeft = v.scrollLeft;
            o.scrollTop = v.scrollTop;
          }
        });
      });
      var start = null;
      v.addEventListener('pointerdown', function (e) {
        start = { x: e.clientX, y: e.clientY, l: v.scrollLeft, t: v.scrollTop, moved: false };
        v.setPointerCapture(e.pointerId);
      });
      v.addEventListener('pointermove', function (e) {
        if (!start) return;
        var dx = e.clientX - start.x, dy = e.clientY - start.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) start.moved = true;
        v.scrollLeft = start.l - dx;
        v.scrollTop = start.t - dy;
      });
      v.addEventListener('pointerup', function () {
        var clicked = start && !start.moved;
        start = null;
        if (clicked && flip && flip.contains(v)) show((+flip.dataset.shown + 1) % layers.length);
      });
    });

    function show(i) {
      flip.dataset.shown = String(i);
      layers.forEach(function (img, j) { img.classList.toggle('hidden', j !== i); });
      flip.querySelector('.flip-label').textContent = layers[i].dataset.label;
    }
    if (flip) show(+flip.dataset.shown);
    if (flip) flip.addEventListener('keydown', function (e) {
      var cur = +flip.dataset.shown, n = layers.length;
      if (e.key === 'ArrowRight' || e.key === ' ') show((cur + 1) % n);
      else if (e.key === 'ArrowLeft') show((cur + n - 1) % n);
      else if (/^[1-9]$/.test(e.key) && +e.key <= n) show(+e.key - 1);
      else return;
      e.preventDefault();
    });

    cmp.querySelector('.cmp-zoom').addEventListener('change', function (e) {
      var v = vps[0];
      var fx = (v.scrollLeft + v.clientWidth / 2) / v.scrollWidth, fy = (v.scrollTop + v.clientHeight / 2) / v.scrollHeight;
      zoom = +e.target.value;
      size();
      centreAt(fx, fy);
    });
  });

  // ---- "updated 3 min ago", computed when the page is viewed ----
  Array.prototype.forEach.call(document.querySelectorAll('time[data-ago]'), function (t) {
    var ms = Date.now() - Date.parse(t.getAttribute('datetime'));
    if (!isFinite(ms) || ms < 0) return;
    var s = Math.round(ms / 1000);
    var text = s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : s < 172800 ? Math.round(s / 3600) + ' h'
        : Math.round(s / 86400) + ' days';
    t.insertAdjacentText('afterend', ' (' + text + ' ago)');
  });
})();
