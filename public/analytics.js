// The dashboard's analytics page (src/features/analytics): draws the tables'
// numbers as uPlot charts and keeps them live from the guild's dashboard
// socket (deltas, at most four a second). The tables stay the page's data:
// every live change is written to them too. No inline script: this file and
// uPlot (public/vendor/uplot) are the page's only code.
(() => {
  const root = document.getElementById('analytics');
  if (!root || typeof uPlot === 'undefined') return;
  const guild = root.dataset.guild;
  const range = root.dataset.range;
  const SERIES = ['join', 'leave', 'verify-pass', 'verify-fail'];
  const COLORS = {
    join: '#2e9e5b',
    leave: '#d64545',
    'verify-pass': '#3b82c4',
    'verify-fail': '#c28a1e',
    opened: '#3b82c4',
    closed: '#2e9e5b',
    backlog: '#c28a1e',
    first: '#8a5cc2',
    resolution: '#2e9e5b',
  };
  const status = document.getElementById('live-status');

  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = '/vendor/uplot/uPlot.min.css';
  document.head.appendChild(css);

  let data = null;
  let members = null;
  let tickets = null;
  let ticketTimes = null;

  /** Axis and grid colours from the page's own (light or dark) text colour. */
  function axes() {
    const ink = getComputedStyle(root).color;
    const grid = { stroke: 'rgba(128,128,128,0.25)', width: 1 };
    return [
      { stroke: ink, grid, ticks: grid },
      { stroke: ink, grid, ticks: grid },
    ];
  }

  function widthOf(el) {
    return Math.max(280, Math.floor(el.getBoundingClientRect().width || root.getBoundingClientRect().width));
  }

  function membersData() {
    return [data.buckets.map((b) => b / 1000), ...SERIES.map((m) => data.series[m])];
  }

  function drawMembers() {
    const el = document.getElementById('chart-members');
    if (!el) return;
    if (members) members.destroy();
    const opts = {
      width: widthOf(el),
      height: 260,
      axes: axes(),
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [
        {},
        ...SERIES.map((m) => ({ label: root.dataset[`label${m.replace(/(^|-)(\w)/g, (_x, _d, c) => c.toUpperCase())}`] ?? m, stroke: COLORS[m], width: 2 })),
      ],
    };
    members = new uPlot(opts, membersData(), el);
  }

  function drawTickets() {
    const el = document.getElementById('chart-tickets');
    if (!el || !data.tickets) return;
    if (tickets) tickets.destroy();
    const days = data.tickets.perDay;
    const x = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    tickets = new uPlot(
      {
        width: widthOf(el),
        height: 200,
        axes: axes(),
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        series: [
          {},
          { label: root.dataset.labelOpened, stroke: COLORS.opened, width: 2 },
          { label: root.dataset.labelClosed, stroke: COLORS.closed, width: 2 },
          { label: root.dataset.labelBacklog, stroke: COLORS.backlog, width: 2, dash: [6, 4] },
        ],
      },
      [x, days.map((d) => d.opened), days.map((d) => d.closed), days.map((d) => d.backlog)],
      el,
    );
    drawTicketTimes(x);
  }

  /** Median first response and resolution of each day's tickets, in hours (a day without any: a gap). */
  function drawTicketTimes(x) {
    const el = document.getElementById('chart-ticket-times');
    if (!el) return;
    if (ticketTimes) ticketTimes.destroy();
    const days = data.tickets.perDay;
    const hours = (ms) => (ms === null || ms === undefined ? null : Math.round((ms / 3_600_000) * 100) / 100);
    ticketTimes = new uPlot(
      {
        width: widthOf(el),
        height: 200,
        axes: axes(),
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max ?? 1)] } },
        series: [
          {},
          { label: `${root.dataset.labelFirst} (h)`, stroke: COLORS.first, width: 2, spanGaps: false },
          { label: `${root.dataset.labelResolution} (h)`, stroke: COLORS.resolution, width: 2, spanGaps: false },
        ],
      },
      [x, days.map((d) => hours(d.firstResponseP50Ms)), days.map((d) => hours(d.resolutionP50Ms))],
      el,
    );
  }

  const tops = new Map();

  /** Joins per invite, inviter and campaign as bars (the table under each stays the accessible version). */
  function drawTops() {
    for (const name of ['invites', 'inviters', 'campaigns']) {
      const rows = data[name];
      const table = document.getElementById(`${name}-table`);
      tops.get(name)?.destroy();
      tops.delete(name);
      if (!table || rows.length === 0) continue;
      let el = document.getElementById(`chart-${name}`);
      if (!el) {
        el = document.createElement('div');
        el.id = `chart-${name}`;
        el.className = 'chart';
        el.setAttribute('aria-hidden', 'true');
        table.before(el);
      }
      const keys = rows.map((r) => r.key);
      tops.set(
        name,
        new uPlot(
          {
            width: widthOf(el),
            height: 180,
            legend: { show: false },
            scales: { x: { time: false, range: [-0.5, keys.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
            axes: [{ ...axes()[0], values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (keys[i] ?? '').slice(0, 10) : '')) }, axes()[1]],
            series: [{}, { label: root.dataset.labelJoin, stroke: COLORS.join, fill: 'rgba(46,158,91,0.35)', paths: uPlot.paths.bars({ size: [0.6, 60] }) }],
          },
          [keys.map((_k, i) => i), rows.map((r) => r.n)],
          el,
        ),
      );
    }
  }

  /** Attributed joins since the last message: counted into the invites table and its bars (a new code shows on the next load). */
  function applyInvites(invites) {
    if (!invites || !data) return;
    const table = document.getElementById('invites-table');
    let changed = false;
    for (const [code, n] of Object.entries(invites)) {
      const row = data.invites.find((r) => r.key === code);
      if (!row) continue;
      row.n += n;
      changed = true;
      for (const tr of table?.querySelectorAll('tbody tr') ?? []) {
        if (tr.querySelector('th')?.textContent === code) {
          const td = tr.querySelector('td');
          if (td) td.textContent = String(row.n);
        }
      }
    }
    if (changed) tops.get('invites')?.setData([data.invites.map((_r, i) => i), data.invites.map((r) => r.n)]);
  }

  async function load() {
    // Ticket metrics are computed, not pre-aggregated: asked for once, kept across reloads of the counts.
    const res = await fetch(`/api/dashboard/guilds/${guild}/analytics?range=${range}${data?.tickets ? '' : '&tickets=1'}`, { credentials: 'same-origin' });
    if (!res.ok) return false;
    const fresh = await res.json();
    data = { ...fresh, tickets: fresh.tickets ?? data?.tickets };
    drawMembers();
    drawTickets();
    drawTops();
    return true;
  }

  /** Moves the series on to the bucket `at` falls in (new buckets at zero, the oldest dropped), in the chart and the table. */
  function advanceTo(at) {
    const step = data.bucketMs;
    const table = document.querySelector('#series-table tbody');
    while (at >= data.buckets[data.buckets.length - 1] + step) {
      const next = data.buckets[data.buckets.length - 1] + step;
      data.buckets.push(next);
      data.buckets.shift();
      for (const m of SERIES) {
        data.series[m].push(0);
        data.series[m].shift();
      }
      if (table) {
        const tr = document.createElement('tr');
        tr.dataset.at = String(next);
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = new Date(next)
          .toISOString()
          .slice(0, step >= 86400000 ? 10 : 16)
          .replace('T', ' ');
        tr.appendChild(th);
        for (const m of SERIES) {
          const td = document.createElement('td');
          td.dataset.m = m;
          td.textContent = '0';
          tr.appendChild(td);
        }
        table.appendChild(tr);
        table.firstElementChild?.remove();
      }
    }
  }

  function applyDelta(msg) {
    if (!data) return;
    advanceTo(msg.at);
    const last = data.buckets.length - 1;
    const row = document.querySelector('#series-table tbody tr:last-child');
    for (const m of SERIES) {
      const n = msg.delta[m] ?? 0;
      if (!n) continue;
      data.series[m][last] += n;
      data.totals[m] += n;
      const cell = row?.querySelector(`td[data-m="${m}"]`);
      if (cell) cell.textContent = String(data.series[m][last]);
      const total = document.querySelector(`[data-total="${m}"]`);
      if (total) total.textContent = String(data.totals[m]);
    }
    members?.setData(membersData());
  }

  let retry = 1000;
  function connect() {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/dashboard/guilds/${guild}/live`);
    ws.addEventListener('open', () => {
      retry = 1000;
      if (status) status.textContent = root.dataset.liveOn;
      // What happened while the socket was down is in the stored counts.
      load();
    });
    ws.addEventListener('message', (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (msg.type === 'delta') {
        applyDelta(msg);
        applyInvites(msg.invites);
      } else if (msg.type === 'spike' && status) status.textContent = root.dataset.spike.replace('{code}', msg.code).replace('{count}', String(msg.count));
    });
    ws.addEventListener('close', () => {
      if (status) status.textContent = root.dataset.liveOff;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (!data) return;
      drawMembers();
      drawTickets();
      drawTops();
    }, 200);
  });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => {
    if (!data) return;
    drawMembers();
    drawTickets();
    drawTops();
  });

  load().then((ok) => {
    // A range of days moves too slowly for a live feed to matter, but the totals still do.
    if (ok) connect();
  });
})();
