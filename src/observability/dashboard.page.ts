/**
 * The dashboard: one static page and its script, kept as strings so that `nest build` ships them
 * with the code and nothing needs building or bundling. The script polls `GET /dashboard/data`
 * every two seconds and draws with plain DOM and SVG; it writes data with `textContent` only,
 * since event names and flagged texts come from outside.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>social.plus webhooks</title>
<link rel="icon" href="data:,">
<style>
  :root { --bg: #f5f6f8; --panel: #fff; --ink: #1d2330; --muted: #6b7385; --line: #e3e6ec; --accent: #3b6ef5; --bad: #d63c3c; --warn: #c98a12; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--ink); }
  header { display: flex; align-items: baseline; gap: 12px; padding: 16px 24px; background: var(--panel); border-bottom: 1px solid var(--line); }
  h1 { font-size: 18px; margin: 0; }
  h2 { font-size: 14px; margin: 0 0 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
  .badge { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #e8eefe; color: var(--accent); }
  #updated { margin-left: auto; color: var(--muted); font-size: 12px; }
  #queues-link { font-size: 13px; color: var(--accent); }
  #updated.stale { color: var(--bad); }
  main { padding: 16px 24px; display: grid; gap: 16px; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 12px; }
  .card, .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
  .card .label { color: var(--muted); font-size: 12px; }
  .card .value { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; }
  .card.bad .value { color: var(--bad); }
  .card.warn .value { color: var(--warn); }
  .row { display: grid; grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr); gap: 16px; }
  @media (max-width: 900px) { .row { grid-template-columns: 1fr; } }
  svg { width: 100%; height: auto; display: block; }
  svg text { font-size: 10px; fill: var(--muted); }
  #legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 8px; font-size: 12px; }
  #legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; background: var(--swatch); }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { color: var(--muted); font-weight: 600; font-size: 12px; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.empty { color: var(--muted); text-align: center; }
  code { font-size: 12px; }
  button { font: inherit; padding: 4px 10px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 5px; cursor: pointer; }
  button:disabled { opacity: .5; cursor: default; }
  .panel-head { display: flex; align-items: center; gap: 12px; margin-bottom: 12px; }
  .panel-head h2 { margin: 0; }
  #replay-status { color: var(--muted); }
</style>
</head>
<body>
<header>
  <h1>social.plus webhooks</h1>
  <span class="badge" id="mode">…</span>
  <a id="queues-link" href="/admin/queues" hidden>Queues (Bull Board)</a>
  <span id="updated">loading…</span>
</header>
<main>
  <section class="cards">
    <div class="card"><div class="label">Accepted</div><div class="value" id="total-accepted">–</div></div>
    <div class="card"><div class="label">Duplicates</div><div class="value" id="total-duplicate">–</div></div>
    <div class="card"><div class="label">Legacy twins</div><div class="value" id="total-legacy">–</div></div>
    <div class="card warn"><div class="label">Rejected</div><div class="value" id="total-rejected">–</div></div>
    <div class="card bad"><div class="label">Refused (503)</div><div class="value" id="total-refused">–</div></div>
    <div class="card bad"><div class="label">Failed listener calls</div><div class="value" id="total-failed">–</div></div>
    <div class="card"><div class="label">Backlog</div><div class="value" id="backlog">–</div></div>
    <div class="card bad" id="dead-letters-card" hidden><div class="label">Dead letters</div><div class="value" id="dead-letters-total">–</div></div>
  </section>
  <section class="row">
    <div class="panel">
      <h2>Accepted events per minute, last hour</h2>
      <svg id="chart" viewBox="0 0 720 220" role="img" aria-label="Accepted events per minute by event type"></svg>
      <div id="legend"></div>
    </div>
    <div class="panel">
      <h2>By event type, last hour</h2>
      <table id="by-event"><thead><tr><th>Event</th><th class="num">Count</th></tr></thead><tbody></tbody></table>
    </div>
  </section>
  <section class="panel" id="dead-letters-panel" hidden>
    <div class="panel-head"><h2>Dead letters</h2><button id="replay-all" type="button">Replay all</button><span id="replay-status"></span></div>
    <table id="dead-letters"><thead><tr><th>Failed at</th><th>Event</th><th>Listener</th><th class="num">Attempts</th><th>Reason</th><th></th></tr></thead><tbody></tbody></table>
  </section>
  <section class="panel">
    <h2>Latest moderation flags</h2>
    <table id="flags"><thead><tr><th>Flagged at</th><th>User</th><th>Channel</th><th>Words</th><th>Event</th></tr></thead><tbody></tbody></table>
  </section>
</main>
<script src="/dashboard/app.js"></script>
</body>
</html>
`;

export const DASHBOARD_SCRIPT = `'use strict';
(() => {
  const PALETTE = ['#3b6ef5', '#15a37f', '#e0892b', '#9b59d0', '#d63c3c', '#1fa2c4', '#c2a01e', '#e05c9c', '#5d6d7e', '#7cb342'];
  const colors = new Map();
  const colorOf = (event) => {
    if (!colors.has(event)) colors.set(event, PALETTE[colors.size % PALETTE.length]);
    return colors.get(event);
  };
  const $ = (id) => document.getElementById(id);
  const svgNs = 'http://www.w3.org/2000/svg';
  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  };
  const svg = (tag, attributes, text) => {
    const node = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  };
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '–');
  const fillBody = (table, rows, columns, empty) => {
    const body = table.tBodies[0];
    body.replaceChildren();
    if (rows.length === 0) {
      const tr = el('tr');
      const td = el('td', empty, 'empty');
      td.colSpan = columns;
      tr.append(td);
      body.append(tr);
      return;
    }
    for (const cells of rows) {
      const tr = el('tr');
      for (const cell of cells) tr.append(cell instanceof Node ? cell : el('td', cell));
      body.append(tr);
    }
  };

  function drawChart(perMinute) {
    const chart = $('chart');
    chart.replaceChildren();
    const width = 720, height = 220, left = 36, bottom = 22, top = 8;
    const counts = perMinute.counts;
    const totals = counts.map((bucket) => Object.values(bucket).reduce((a, b) => a + b, 0));
    const max = Math.max(1, ...totals);
    const scale = (height - bottom - top) / max;
    const slot = (width - left) / counts.length;
    for (const fraction of [0, 0.5, 1]) {
      const y = height - bottom - fraction * max * scale;
      chart.append(svg('line', { x1: left, x2: width, y1: y, y2: y, stroke: '#e3e6ec' }));
      chart.append(svg('text', { x: left - 6, y: y + 3, 'text-anchor': 'end' }, Math.round(fraction * max)));
    }
    const start = new Date(perMinute.start).getTime();
    counts.forEach((bucket, i) => {
      let y = height - bottom;
      for (const event of Object.keys(bucket).sort()) {
        const h = bucket[event] * scale;
        y -= h;
        const bar = svg('rect', { x: left + i * slot + 1, y, width: Math.max(1, slot - 2), height: h, fill: colorOf(event) });
        bar.append(svg('title', {}, event + ': ' + bucket[event]));
        chart.append(bar);
      }
      if (i % 10 === 0 || i === counts.length - 1) {
        const label = new Date(start + i * 60000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
        const last = i === counts.length - 1;
        chart.append(svg('text', { x: last ? width : left + i * slot + slot / 2, y: height - 6, 'text-anchor': last ? 'end' : 'middle' }, label));
      }
    });
  }

  function render(data) {
    $('mode').textContent = data.mode === 'durable' ? 'durable (BullMQ)' : 'in-memory queue';
    $('total-accepted').textContent = data.totals.accepted;
    $('total-duplicate').textContent = data.totals.duplicate;
    $('total-legacy').textContent = data.totals.legacyDuplicate;
    $('total-rejected').textContent = data.totals.rejected;
    $('total-refused').textContent = data.totals.refused;
    $('total-failed').textContent = data.totals.failed;
    $('backlog').textContent = data.backlog === null ? '?' : data.backlog;
    drawChart(data.perMinute);
    const events = Object.entries(data.byEvent).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    $('legend').replaceChildren(...events.map(([event]) => {
      const item = el('span', event);
      item.style.setProperty('--swatch', colorOf(event));
      return item;
    }));
    fillBody($('by-event'), events.map(([event, n]) => [el('td', event), el('td', n, 'num')]), 2, 'No events in the last hour');
    fillBody(
      $('flags'),
      data.flags.map((f) => [time(f.flaggedAt), f.userId, f.channelId, f.words.join(', '), f.event]),
      5,
      'No flagged messages',
    );
    const durable = data.deadLetters !== null;
    $('queues-link').hidden = data.mode !== 'durable';
    $('dead-letters-panel').hidden = data.mode !== 'durable';
    $('dead-letters-card').hidden = data.mode !== 'durable';
    if (durable) {
      $('dead-letters-total').textContent = data.deadLetters.total;
      $('replay-all').disabled = data.deadLetters.total === 0;
      fillBody(
        $('dead-letters'),
        data.deadLetters.items.map((letter) => {
          const button = el('button', 'Replay');
          button.type = 'button';
          button.addEventListener('click', () => replay({ event: letter.event ?? undefined, listener: letter.listener ?? undefined }));
          const action = el('td');
          action.append(button);
          return [time(letter.failedAt), letter.event ?? '(delivery)', letter.listener ?? '–', el('td', letter.attemptsMade, 'num'), letter.reason, action];
        }),
        6,
        'No dead letters',
      );
    }
  }

  async function replay(filter) {
    $('replay-status').textContent = 'replaying…';
    try {
      const response = await fetch('/dashboard/replay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(filter),
      });
      const result = await response.json();
      $('replay-status').textContent = response.ok ? 'replayed ' + result.replayed + ' of ' + result.matched : 'replay failed: ' + (result.message ?? response.status);
    } catch (error) {
      $('replay-status').textContent = 'replay failed: ' + error.message;
    }
    await refresh();
  }

  async function refresh() {
    try {
      const response = await fetch('/dashboard/data', { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      render(await response.json());
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      $('updated').className = '';
    } catch (error) {
      $('updated').textContent = 'not updated: ' + error.message;
      $('updated').className = 'stale';
    }
  }

  $('replay-all').addEventListener('click', () => replay({}));
  void refresh();
  setInterval(refresh, 2000);
})();
`;

/** Sent with the page: scripts from this origin only, no framing, no forms elsewhere. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
