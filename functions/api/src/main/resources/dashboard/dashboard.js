// The dashboard: a static page whose script reads the authenticated JSON routes. The API key comes
// from the URL fragment (#key=..., never sent to a server) or a prompt, and stays in sessionStorage.
(function () {
  'use strict';
  const KEY = 'dripline.apiKey';
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('key')) {
    sessionStorage.setItem(KEY, fragment.get('key'));
    history.replaceState(null, '', location.pathname + location.search);
  }
  const charts = {};
  const fmt = new Intl.NumberFormat('en-US');
  const pct = r => (r && r.value != null) ? (r.value * 100).toFixed(1) + '%' : '–';
  const money = v => '$' + Number(v || 0).toFixed(2);
  const $ = id => document.getElementById(id);

  function apiKey() {
    let key = sessionStorage.getItem(KEY);
    if (!key) {
      key = window.prompt('Dripline API key');
      if (key) sessionStorage.setItem(KEY, key.trim());
    }
    return key;
  }

  async function load() {
    const key = apiKey();
    if (!key) { $('status').textContent = 'no API key: open /dashboard#key=<your key>'; return; }
    const days = $('days').value;
    const response = await fetch('/v1/stats/overview?days=' + days, { headers: { Authorization: 'Bearer ' + key } });
    if (response.status === 401) {
      sessionStorage.removeItem(KEY);
      $('status').textContent = 'the API key was refused: reload to enter another';
      return;
    }
    if (!response.ok) { $('status').textContent = 'error ' + response.status; return; }
    render(await response.json());
    $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
    document.body.dataset.loaded = 'true';
  }

  function render(data) {
    const sum = m => data.days.reduce((a, d) => a + Number(d[m] || 0), 0);
    const sent = sum('sent'), delivered = sum('delivered'), optedOut = sum('optedOut');
    $('total-sent').textContent = fmt.format(sent);
    $('total-mms').textContent = fmt.format(sum('mms'));
    $('total-delivered').textContent = fmt.format(delivered);
    $('total-failed').textContent = fmt.format(sum('failed') + sum('undelivered'));
    $('total-optedOut').textContent = fmt.format(optedOut);
    $('rate-delivery').textContent = pct(sent ? { value: delivered / sent } : null);
    $('rate-optOut').textContent = pct(delivered ? { value: optedOut / delivered } : null);
    $('total-cost').textContent = money(sum('cost'));

    const labels = data.days.map(d => d.date.slice(5));
    chart('chart-daily', 'line', labels, [
      { label: 'sent', data: data.days.map(d => d.sent), borderColor: '#3b6fd8', backgroundColor: '#3b6fd833', fill: true },
      { label: 'delivered', data: data.days.map(d => d.delivered), borderColor: '#1a9c5b', backgroundColor: '#1a9c5b22', fill: true },
      { label: 'failed + undelivered', data: data.days.map(d => d.failed + d.undelivered), borderColor: '#d2453c' }]);
    chart('chart-optouts', 'bar', labels, [
      { label: 'opted out', data: data.days.map(d => d.optedOut), backgroundColor: '#d2453c', yAxisID: 'y' },
      { label: 'cost ($)', data: data.days.map(d => Number(d.cost)), backgroundColor: '#8a6ad8', yAxisID: 'y1', type: 'line', borderColor: '#8a6ad8' }],
      { y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } });

    const steps = ['enrolled', 'sent', 'delivered', 'uniqueClicks', 'replied', 'converted'];
    const palette = ['#3b6fd8', '#1a9c5b', '#e39b22', '#8a6ad8', '#d2453c', '#2aa9b8'];
    chart('chart-funnel', 'bar', steps, data.campaigns.map((c, i) => ({
      label: c.name, data: steps.map(s => c[s]), backgroundColor: palette[i % palette.length] })));

    rows('campaigns', data.campaigns.map(c => ({ id: c.campaignId, cells: [c.name, fmt.format(c.enrolled), fmt.format(c.sent),
      fmt.format(c.delivered), pct(c.rates.delivery), fmt.format(c.uniqueClicks), pct(c.rates.clickThrough), fmt.format(c.replied),
      fmt.format(c.optedOut), pct(c.rates.optOut), fmt.format(c.converted), pct(c.rates.conversion), money(c.cost)] })));
    const variantRows = [];
    data.campaigns.forEach(c => (c.variants || []).forEach(v => {
      const r = v.rates[c.abTest.metric];
      const result = c.abTest.winner === v.id ? 'winner' : (v.leader ? 'leading, not significant' : '');
      variantRows.push({ id: c.campaignId + '/' + v.id, cells: [c.name, v.id, c.abTest.metric, r.numerator + ' / ' + r.denominator,
        pct(r), v.confidence != null ? (v.confidence * 100).toFixed(1) + '%' : '–', result], winner: c.abTest.winner === v.id });
    }));
    rows('variants', variantRows);
    const share = v => v == null ? '–' : (v * 100).toFixed(1) + '%';
    const ci = (v, c) => v == null ? '–' : share(v) + (c ? ' [' + share(c[0]) + ', ' + share(c[1]) + ']' : '');
    rows('holdouts', data.campaigns.filter(c => c.holdout).map(c => {
      const h = c.holdout;
      return { id: c.campaignId, cells: [c.name, h.treatment.converted + ' / ' + h.treatment.contacts, share(h.treatment.conversion),
        h.holdout.converted + ' / ' + h.holdout.contacts, share(h.holdout.conversion), ci(h.lift.absolute, h.lift.absoluteCi95),
        ci(h.lift.relative, h.lift.relativeCi95)] };
    }));
    rows('broadcasts', data.broadcasts.map(b => ({ id: b.id, cells: [b.id, fmt.format(b.queued), fmt.format(b.sent),
      fmt.format(b.delivered), fmt.format(b.failed + b.undelivered),
      fmt.format(Object.values(b.skipped || {}).reduce((a, n) => a + n, 0)), money(b.cost)] })));
  }

  function rows(table, items) {
    const body = document.querySelector('#' + table + ' tbody');
    body.replaceChildren(...items.map(item => {
      const tr = document.createElement('tr');
      tr.dataset.id = item.id;
      if (item.winner) tr.className = 'winner';
      item.cells.forEach(text => { const td = document.createElement('td'); td.textContent = text; tr.appendChild(td); });
      return tr;
    }));
  }

  function chart(id, type, labels, datasets, scales) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart($(id), { type, data: { labels, datasets },
      options: { animation: false, maintainAspectRatio: false, scales: Object.assign({ y: { beginAtZero: true } }, scales || {}) } });
  }

  $('days').addEventListener('change', load);
  $('forget').addEventListener('click', () => { sessionStorage.removeItem(KEY); location.reload(); });
  load();
  setInterval(load, 30000);
})();
