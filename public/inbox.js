// Guildkeep staff inbox: a page with no data of its own. It reads its staff
// token from the URL fragment (never sent to a server in a page request), asks
// the staff API with it, and follows changes over a WebSocket that reconnects
// by itself and catches up by reloading the state when it comes back.
const $ = (id) => document.getElementById(id);
const [, , guildId, , ticketInPath] = location.pathname.split('/');
const token = location.hash.slice(1) || sessionStorage.getItem(`gk:${guildId}`) || '';
if (location.hash) sessionStorage.setItem(`gk:${guildId}`, token);

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 };
const ACTIVE = ['open', 'claimed', 'waiting', 'escalated'];
const state = { me: null, tickets: new Map(), metrics: null, view: null, viewers: [], staff: null, ticketId: ticketInPath || null, snippets: [], tags: [] };
let socket = null;
let retry = 0;

const ago = (ms) => {
  if (ms == null) return '—';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m`
      : s < 86400
        ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
        : `${Math.floor(s / 86400)}d`;
};
const dur = (ms) => (ms == null ? '—' : ago(Date.now() - ms));
// The next SLA target of a ticket as a countdown ("answer in 12m"), or how long it is overdue.
const slaDue = (t) => {
  const [what, at] = t.firstDueAt ? ['answer', t.firstDueAt] : t.resolveDueAt ? ['resolve', t.resolveDueAt] : [null, null];
  if (!what) return '—';
  return at >= Date.now() ? `${what} in ${ago(2 * Date.now() - at)}` : `<span class="overdue">${what} overdue ${ago(at)}</span>`;
};
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// Everyone whose name this page has seen, by user id: server texts (conflict
// messages, transcripts, descriptions) carry Discord mentions like <@123>,
// which mean nothing to a reader until they are names.
function knownNames() {
  const names = new Map();
  const put = (id, name) => {
    if (id && name && !names.has(id)) names.set(id, name);
  };
  if (state.me) put(state.me.userId, state.me.name);
  for (const s of state.staff || []) put(s.userId, s.name);
  for (const v of state.viewers) put(v.userId, v.name);
  const t = state.view?.ticket;
  if (t) {
    put(t.openerId, t.openerName);
    put(t.assigneeId, t.assigneeName);
    put(t.lastChangedBy, t.lastChangedByName);
  }
  for (const e of state.view?.transcript || []) put(e.authorId, e.authorName);
  for (const r of state.tickets.values()) {
    put(r.openerId, r.openerName);
    put(r.assigneeId, r.assigneeName);
  }
  return names;
}
/** Plain text with Discord's user, role and channel mentions written as a person would read them. */
function mentions(text) {
  const names = knownNames();
  return String(text ?? '')
    .replace(/<@!?(\d+)>/g, (_, id) => `@${names.get(id) ?? 'unknown user'}`)
    .replace(/<@&(\d+)>/g, '@role')
    .replace(/<#(\d+)>/g, '#channel');
}

async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

function deny(text) {
  for (const id of ['inbox-view', 'ticket-view']) $(id).hidden = true;
  $('denied').hidden = false;
  $('denied-text').textContent = text;
  setConn('down', 'no access');
}

function setConn(cls, text) {
  $('conn').className = `conn ${cls}`;
  $('conn').textContent = text;
}

function banner(raw) {
  const text = raw ? mentions(raw) : '';
  $('banner').hidden = !text;
  $('banner').textContent = text || '';
  if (text)
    setTimeout(() => {
      if ($('banner').textContent === text) banner('');
    }, 6000);
}

// ---------- loading and live updates ----------

async function load() {
  const path = state.ticketId ? `/api/tickets/${state.ticketId}` : `/api/guilds/${guildId}/inbox`;
  const { status, body } = await api(path);
  if (status === 401 || status === 403 || status === 503) {
    deny(body.error || `refused (${status})`);
    return null;
  }
  if (status !== 200) {
    deny(body.error || `error ${status}`);
    return null;
  }
  state.me = body.me;
  state.snippets = Array.isArray(body.snippets) ? body.snippets : state.snippets;
  state.tags = Array.isArray(body.tags) ? body.tags : state.tags;
  $('me').textContent = `signed in as ${body.me.name}`;
  if (state.ticketId) {
    state.view = body;
    void loadStaff();
  } else {
    state.tickets = new Map(body.tickets.map((t) => [t.id, t]));
    state.metrics = body.metrics;
  }
  render();
  return body.socketToken;
}

async function connect() {
  const socketToken = await load();
  if (!socketToken) return;
  const room = state.ticketId ? `ticket/${state.ticketId}` : `guild/${guildId}`;
  // The token goes in a subprotocol, never in the URL (servers log URLs); the server answers with 'guildkeep'.
  const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/parties/${room}`, ['guildkeep', `guildkeep.auth.${socketToken}`]);
  socket = ws;
  ws.onopen = () => {
    retry = 0;
    setConn('live', 'live');
  };
  ws.onmessage = (e) => onMessage(JSON.parse(e.data));
  ws.onclose = () => {
    if (socket !== ws) return;
    setConn('down', 'reconnecting…');
    // How many times the live connection dropped: a reconnect can be quicker than anyone watching the badge.
    $('conn').dataset.drops = String(Number($('conn').dataset.drops || 0) + 1);
    // Back off a little, then reload everything: that is the catch-up.
    setTimeout(connect, Math.min(5000, 250 * 2 ** retry++));
  };
}

// Metrics and the audit trail are computed from stored data on request, not
// pushed with every change: refresh them at most every few seconds.
let refreshTimer = null;
function refreshSoon() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = null;
    if (state.ticketId) {
      const { status, body } = await api(`/api/tickets/${state.ticketId}`);
      if (status === 200 && state.view) state.view.audit = body.audit;
    } else {
      const { status, body } = await api(`/api/guilds/${guildId}/metrics`);
      if (status === 200) state.metrics = body;
    }
    render();
  }, 2000);
}

/**
 * Moves a changed row's counts in the queue metrics at once, so the cards
 * agree with the list; the refetch that follows brings the rest (percentiles,
 * per-day counts), which the server computes from stored data.
 */
function applyToQueue(before, after) {
  const q = state.metrics?.queue;
  if (!q) return;
  // The server counts tickets opened in its 30-day window only.
  const since = state.metrics.at - 30 * 86_400_000;
  const counts = (t, sign) => {
    if (!t || t.createdAt < since) return;
    if (t.status in q.byStatus) q.byStatus[t.status] = Math.max(0, q.byStatus[t.status] + sign);
    if (t.status !== 'closed' && t.status !== 'resolved') {
      if (t.severity in q.bySeverity) q.bySeverity[t.severity] = Math.max(0, q.bySeverity[t.severity] + sign);
      q.open = Math.max(0, q.open + sign);
    }
  };
  counts(before, -1);
  counts(after, +1);
}

function onMessage(m) {
  if (m.type === 'inbox') {
    state.tickets = new Map(m.tickets.map((t) => [t.id, t]));
    state.metrics = m.metrics;
  }
  if (m.type === 'ticket') {
    applyToQueue(state.tickets.get(m.ticket.id), m.ticket);
    state.tickets.set(m.ticket.id, m.ticket);
    state.flash = m.ticket.id;
    refreshSoon();
  }
  if (m.type === 'view' && m.view) {
    state.view = { ...state.view, ...m.view };
    refreshSoon();
  }
  if (m.type === 'presence') state.viewers = m.viewers;
  render();
}

function navigate(ticketId) {
  state.ticketId = ticketId;
  history.pushState(null, '', `/inbox/${guildId}${ticketId ? `/tickets/${ticketId}` : ''}${location.hash}`);
  if (socket) {
    const s = socket;
    socket = null;
    s.close();
  }
  state.view = null;
  state.viewers = [];
  connect();
}
window.addEventListener('popstate', () => navigate(location.pathname.split('/')[4] || null));
$('to-inbox').onclick = (e) => {
  e.preventDefault();
  navigate(null);
};

// ---------- inbox list ----------

// A ticket's category and tags, after its subject.
const chips = (t) =>
  (t.categoryName ? ` <span class="chip cat">${esc(t.categoryName)}</span>` : '') + (t.tags || []).map((x) => ` <span class="chip">${esc(x)}</span>`).join('');

function filtered() {
  const status = $('f-status').value;
  const who = $('f-assignee').value;
  const tag = $('f-tag').value;
  return [...state.tickets.values()]
    .filter((t) => !tag || (t.tags || []).includes(tag))
    .filter((t) => (status === 'all' ? true : status === 'active' ? ACTIVE.includes(t.status) : t.status === status))
    .filter((t) => (!who ? true : who === 'none' ? !t.assigneeId : who === 'me' ? t.assigneeId === state.me?.userId : t.assigneeId === who))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.createdAt - b.createdAt);
}

function renderInbox() {
  const statusSel = $('f-status');
  if (statusSel.options.length < 4) for (const s of ['open', 'claimed', 'waiting', 'escalated', 'resolved', 'closed']) statusSel.add(new Option(s, s));
  const assignees = new Map([...state.tickets.values()].filter((t) => t.assigneeId).map((t) => [t.assigneeId, t.assigneeName || t.assigneeId]));
  const sel = $('f-assignee');
  const current = sel.value;
  while (sel.options.length > 3) sel.remove(3);
  for (const [id, name] of assignees) sel.add(new Option(name, id));
  sel.value = current;
  const tagSel = $('f-tag');
  const chosenTag = tagSel.value;
  const tags = new Set([...state.tags, ...[...state.tickets.values()].flatMap((t) => t.tags || [])]);
  while (tagSel.options.length > 1) tagSel.remove(1);
  for (const t of [...tags].sort()) tagSel.add(new Option(t, t));
  tagSel.value = chosenTag;
  const rows = filtered();
  $('count').textContent = `${rows.length} ticket${rows.length === 1 ? '' : 's'}`;
  // The subject is a real link (reachable with Tab, opened with Enter); the rest of the row is a mouse shortcut to it.
  $('tickets').tBodies[0].innerHTML = rows
    .map(
      (t) => `
    <tr data-id="${esc(t.id)}" class="${state.flash === t.id ? 'flash' : ''}">
      <td class="num">#${t.number}</td><td class="subject"><a href="/inbox/${esc(guildId)}/tickets/${esc(t.id)}">${esc(mentions(t.subject))}</a>${chips(t)}</td><td data-label="Status">${esc(t.status)}</td>
      <td><span class="sev sev-${esc(t.severity)}">${esc(t.severity)}</span></td><td data-label="Type">${esc(t.issueType)}</td>
      <td data-label="Opener">${esc(t.openerName || t.openerId)}</td><td data-label="Assignee">${esc(t.assigneeName || (t.assigneeId ? t.assigneeId : '—'))}</td>
      <td data-label="Age">${ago(t.createdAt)}</td><td data-label="Member wrote">${t.lastMemberMessageAt ? `${ago(t.lastMemberMessageAt)} ago` : '—'}</td>
      <td data-label="SLA">${slaDue(t)}</td>
    </tr>`,
    )
    .join('');
  state.flash = null;
  for (const tr of $('tickets').tBodies[0].rows) {
    tr.onclick = (e) => {
      // Ctrl/Cmd-click on the link opens a new tab as links do.
      if (e.target.closest('a') && (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0)) return;
      e.preventDefault();
      navigate(tr.dataset.id);
    };
  }
  renderMetrics();
}

function renderMetrics() {
  const m = state.metrics;
  if (!m) return;
  const q = m.queue;
  const today = m.perDay.at(-1);
  const cards = [
    [
      'Open queue',
      `<div class="big">${q.open}</div>${Object.entries(q.bySeverity)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ')}`,
    ],
    [
      'By status',
      Object.entries(q.byStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join('<br>'),
    ],
    [
      'First response (7d / 30d)',
      `p50 ${dur(m.firstResponse.days7.p50Ms)} / ${dur(m.firstResponse.days30.p50Ms)}<br>p90 ${dur(m.firstResponse.days7.p90Ms)} / ${dur(m.firstResponse.days30.p90Ms)}`,
    ],
    [
      'Resolution (7d / 30d)',
      `p50 ${dur(m.resolution.days7.p50Ms)} / ${dur(m.resolution.days30.p50Ms)}<br>p90 ${dur(m.resolution.days7.p90Ms)} / ${dur(m.resolution.days30.p90Ms)}`,
    ],
    ['Today', `opened ${today.opened} · closed ${today.closed}<br>escalations 7d ${m.escalations.days7}`],
    [
      'Commands (30d)',
      m.commands
        .slice(0, 6)
        .map((c) => `${esc(c.action)}: ${c.ok} ok, ${c.refused + c.error} not · p50 ${c.p50Ms.toFixed(1)} ms`)
        .join('<br>') || '—',
    ],
  ];
  if (m.ratings) cards.push(['Ratings (30d)', ratingsCard(m.ratings)]);
  $('metrics').innerHTML = cards.map(([h, b]) => `<div class="card"><h3>${h}</h3>${b}</div>`).join('');
}

/** The members' 1–5 ratings after a close: overall, the top staff members (assignee at close) and issue types. */
function ratingsCard(r) {
  if (!r.overall.count) return '—';
  const avg = (g) => (g.average === null ? '—' : g.average.toFixed(1));
  const staff = r.byStaff
    .slice(0, 4)
    .map((g) => `${esc(g.key ? (knownNames().get(g.key) ?? g.key) : 'unassigned')} ${avg(g)} (${g.count})`)
    .join('<br>');
  const types = r.byType.map((g) => `${esc(g.key)} ${avg(g)}`).join(' · ');
  return `<div class="big">${avg(r.overall)}</div>${r.overall.count} rated · ${r.overall.surveys} surveys<br>${staff}<br>${types}`;
}

// ---------- one ticket ----------

function renderTicket() {
  const v = state.view;
  if (!v?.ticket) return;
  const t = v.ticket;
  $('t-title').textContent = `#${t.number} ${mentions(t.subject)}`;
  // What the member typed in the form when opening the ticket.
  $('t-desc-box').hidden = !t.description;
  $('t-desc').textContent = mentions(t.description);
  $('t-meta').innerHTML =
    `${esc(t.status)} · <span class="sev sev-${esc(t.severity)}">${esc(t.severity)}</span> · ${esc(t.issueType)} · opened by ${esc(t.openerName)} ${ago(t.createdAt)} ago · assignee ${esc(t.assigneeName || '—')} · version ${t.version}`;
  const others = state.viewers.filter((x) => x.userId !== state.me?.userId);
  $('viewers').innerHTML = others.length ? `Also viewing: <b>${others.map((x) => esc(x.name)).join(', ')}</b>` : 'Nobody else is viewing this ticket.';
  $('transcript').innerHTML =
    (v.transcript || [])
      .map(
        (e) => `
    <li class="${e.kind}"><span class="who">${esc(e.authorName)}</span> <span class="when">${e.kind === 'note' ? 'internal note · ' : ''}${new Date(e.at).toLocaleString()}</span><div class="content">${esc(mentions(e.content))}</div></li>`,
      )
      .join('') || '<li>No messages yet.</li>';
  $('t-tags').innerHTML =
    (t.tags || [])
      .map((x) => `<span class="chip">${esc(x)} <button type="button" class="untag" data-tag="${esc(x)}" aria-label="Remove tag ${esc(x)}">×</button></span>`)
      .join(' ') || '<span class="help">none</span>';
  for (const b of $('t-tags').querySelectorAll('button.untag')) b.onclick = () => act({ kind: 'tag', tag: b.dataset.tag, on: false });
  $('tag-known').innerHTML = state.tags.map((x) => `<option value="${esc(x)}"></option>`).join('');
  const snip = $('snippet');
  while (snip.options.length > 1) snip.remove(1);
  for (const x of state.snippets) snip.add(new Option(x.name, x.name));
  snip.hidden = state.snippets.length === 0;
  snip.previousElementSibling.hidden = state.snippets.length === 0;
  $('history').innerHTML = (v.history || [])
    .map((h) => `<li>${new Date(h.at).toLocaleString()} · v${h.version} · ${esc(h.status)} (${esc(h.action)})</li>`)
    .join('');
  $('audit').innerHTML =
    (v.audit || []).map((a) => `<li>${new Date(a.at).toLocaleString()} · ${esc(a.action)} → ${esc(a.outcome)}</li>`).join('') || '<li>—</li>';
  const closed = t.status === 'closed' || t.status === 'resolved';
  for (const b of document.querySelectorAll('.actions button')) b.disabled = b.dataset.act === 'reopen' ? !closed : closed;
  // Staff to assign to: the guild's staff list when the server gives one,
  // else those we know of here (me, whoever else is viewing, the assignee).
  const assign = $('assign-to');
  const people = new Map();
  if (state.me) people.set(state.me.userId, `${state.me.name} (me)`);
  for (const x of state.staff || []) if (!people.has(x.userId)) people.set(x.userId, x.name);
  for (const x of state.viewers) if (!people.has(x.userId)) people.set(x.userId, x.name);
  if (t.assigneeId && !people.has(t.assigneeId)) people.set(t.assigneeId, t.assigneeName || t.assigneeId);
  const chosen = assign.value;
  while (assign.options.length > 1) assign.remove(1);
  for (const [id, name] of people) assign.add(new Option(name, `${id}|${name.replace(/ \(me\)$/, '')}`));
  assign.value = chosen;
}

/** The guild's staff (GET /api/guilds/:g/staff); without it the assign list falls back to who is viewing. */
async function loadStaff() {
  if (state.staff) return;
  const { status, body } = await api(`/api/guilds/${guildId}/staff`).catch(() => ({ status: 0, body: {} }));
  if (status !== 200 || !Array.isArray(body.staff)) return;
  state.staff = body.staff.filter((s) => s && typeof s.userId === 'string' && typeof s.name === 'string');
  render();
}

async function act(action) {
  const v = state.view;
  const { status, body } = await api(`/api/tickets/${state.ticketId}/actions`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'act', version: v.ticket.version, action }),
  });
  if (status === 200) {
    state.view = { ...state.view, ...body };
    banner('');
  } else if (body.view) {
    state.view = { ...state.view, ...body.view };
    banner(body.error);
  } else banner(body.error || `failed (${status})`);
  render();
}

for (const b of document.querySelectorAll('.actions button')) {
  b.onclick = () => {
    const a = b.dataset.act;
    if (a === 'claim' || a === 'reopen') return act({ kind: a });
    if (a === 'close') return confirm('Close this ticket? Its thread is archived and locked.') && act({ kind: 'close', reason: null });
    return act({ kind: 'set-status', status: a });
  };
}
$('assign-to').onchange = (e) => {
  const [assigneeId, assigneeName] = e.target.value.split('|');
  e.target.value = '';
  if (assigneeId) act({ kind: 'assign', assigneeId, assigneeName });
};
$('write').onsubmit = async (e) => {
  e.preventDefault();
  const kind = e.submitter?.value || 'reply';
  const text = $('text').value.trim();
  if (!text) return;
  const buttons = [...$('write').querySelectorAll('button')];
  for (const b of buttons) b.disabled = true;
  try {
    const { status, body } = await api(`/api/tickets/${state.ticketId}/actions`, { method: 'POST', body: JSON.stringify({ kind, text }) });
    if (status === 200) {
      if ($('text').value.trim() === text) $('text').value = '';
      state.view = { ...state.view, ...body };
      render();
    } else banner(body.error || `failed (${status})`);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
};
// The transcript needs the staff token, which a plain link cannot send: fetch it, then open the file from memory.
$('t-transcript').onclick = async (ev) => {
  ev.preventDefault();
  if (!state.ticketId) return;
  const res = await fetch(`/api/tickets/${state.ticketId}/transcript`, { headers: { Authorization: `Bearer ${token}` } }).catch(() => null);
  if (!res?.ok) return banner(`The transcript could not be loaded (${res ? res.status : 'network error'}).`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `transcript-${state.ticketId.split('-')[1]}.html`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
};
$('f-status').onchange = renderInbox;
$('f-tag').onchange = renderInbox;
$('tags').onsubmit = (e) => {
  e.preventDefault();
  const tag = $('tag-new').value.trim();
  if (!tag) return;
  $('tag-new').value = '';
  act({ kind: 'tag', tag, on: true });
};
// A saved reply goes into the reply box as written (placeholders and all): staff can change it before sending.
$('snippet').onchange = (e) => {
  const s = state.snippets.find((x) => x.name === e.target.value);
  e.target.value = '';
  if (!s) return;
  const box = $('text');
  box.value = box.value.trim() ? `${box.value.trimEnd()}\n${s.content}` : s.content;
  box.focus();
};
$('f-assignee').onchange = renderInbox;

function render() {
  $('inbox-view').hidden = Boolean(state.ticketId);
  $('ticket-view').hidden = !state.ticketId;
  if (state.ticketId) renderTicket();
  else renderInbox();
}

setInterval(() => {
  if (!state.ticketId) renderInbox();
}, 15_000);
if (!token) deny('This link has no staff token. Run /ticket inbox in Discord to get one.');
else connect();
