// The member's view: polls the simulator's state for the chosen member and
// channel, renders channels, messages, embeds and components, and sends
// slash commands, button presses and modal submits to the bot through the
// simulator (POST /member-view/api/interact), and plain chat messages
// (POST /member-view/api/message), which reach the bot as MESSAGE_CREATE on
// the simulator's gateway. Plain JS, no build step.

const POLL_MS = 700;
const API = '/member-view/api';

const $ = (id) => document.getElementById(id);
const el = {
  hint: $('hint'),
  who: $('who'),
  guildName: $('guild-name'),
  channels: $('channels'),
  channelTitle: $('channel-title'),
  channelTopic: $('channel-topic'),
  messages: $('messages'),
  bar: $('command-bar'),
  cmdName: $('cmd-name'),
  cmdSub: $('cmd-sub'),
  cmdSubField: $('cmd-sub-field'),
  cmdDesc: $('cmd-desc'),
  cmdOptions: $('cmd-options'),
  cmdPreview: $('cmd-preview'),
  cmdSend: $('cmd-send'),
  modal: $('modal'),
  modalForm: $('modal-form'),
  modalTitle: $('modal-title'),
  modalFields: $('modal-fields'),
  modalCancel: $('modal-cancel'),
  modalSubmit: $('modal-submit'),
  toast: $('toast'),
  composer: $('composer'),
  composeText: $('compose-text'),
  composeLabel: $('compose-label'),
  composeSend: $('compose-send'),
};

const params = new URLSearchParams(location.search);
const view = {
  user: params.get('user') || '',
  channel: params.get('channel') || '',
  data: null,
  keys: {}, // last rendered JSON per section, to re-render only on change
  seq: 0, // request counter: an older answer never overwrites a newer one
  applied: 0,
  modal: null, // { custom_id, message_id, user, channel, fields }
};

// Option types (discord-api-types ApplicationCommandOptionType).
const T = { SUB: 1, GROUP: 2, STRING: 3, INTEGER: 4, BOOLEAN: 5, USER: 6, CHANNEL: 7, ROLE: 8, MENTIONABLE: 9, NUMBER: 10, ATTACHMENT: 11 };

// ---- helpers -------------------------------------------------------------------

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const memberById = (id) => view.data?.members?.find((m) => m.id === id);
const roleById = (id) => view.data?.roles?.find((r) => r.id === id);
const channelById = (id) => view.data?.channels?.find((c) => c.id === id);
const hex = (n) => '#' + Number(n).toString(16).padStart(6, '0');

function relative(ms) {
  const s = Math.round((ms - Date.now()) / 1000);
  const abs = Math.abs(s);
  const units = [
    ['year', 31536000],
    ['month', 2592000],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  for (const [unit, size] of units) {
    if (abs >= size || unit === 'second') return new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(Math.round(s / size), unit);
  }
  return '';
}

function formatStamp(unix, style) {
  const d = new Date(unix * 1000);
  switch (style) {
    case 'R':
      return relative(d.getTime());
    case 't':
      return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    case 'T':
      return d.toLocaleTimeString();
    case 'd':
      return d.toLocaleDateString();
    case 'D':
      return d.toLocaleDateString([], { dateStyle: 'long' });
    case 'F':
      return d.toLocaleString([], { dateStyle: 'full', timeStyle: 'short' });
    default:
      return d.toLocaleString([], { dateStyle: 'long', timeStyle: 'short' });
  }
}

function clock(iso) {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return today ? `Today at ${time}` : `${d.toLocaleDateString()} ${time}`;
}

// Discord markdown, simply: mentions and timestamps as names, **bold**,
// *italic*, __underline__, `code`, [links](url). Escapes everything else.
function md(text) {
  const tokens = [];
  const hold = (html) => `\u0000${tokens.push(html) - 1}\u0000`;
  let s = String(text ?? '').replace(/<@!?(\d+)>|<@&(\d+)>|<#(\d+)>|<t:(-?\d+)(?::([tTdDfFR]))?>|`([^`\n]+)`/g, (_all, user, role, chan, unix, style, code) => {
    if (user) {
      const m = memberById(user);
      return hold(`<span class="mention" title="${esc(user)}">@${esc(m ? m.name : 'unknown-user')}</span>`);
    }
    if (role) {
      const r = roleById(role);
      const color = r && r.color ? ` style="color:${hex(r.color)}"` : '';
      return hold(`<span class="mention role"${color}>@${esc(r ? r.name.replace(/^@/, '') : 'deleted-role')}</span>`);
    }
    if (chan) {
      const c = channelById(chan);
      return hold(
        c
          ? `<a class="mention" data-goto="${esc(chan)}" href="?user=${esc(view.user)}&amp;channel=${esc(chan)}">${c.thread ? channelIcon(c) : '#'}${esc(c.name)}</a>`
          : '<span class="mention">#no-access</span>',
      );
    }
    if (unix) return hold(`<span class="stamp" title="${esc(new Date(Number(unix) * 1000).toLocaleString())}">${esc(formatStamp(Number(unix), style))}</span>`);
    return hold(`<code>${esc(code)}</code>`);
  });
  s = esc(s)
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noreferrer">$1</a>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/__([^_]+)__/g, '<u>$1</u>')
    .replace(/(^|[^*])\*([^*\n]+)\*/g, '$1<em>$2</em>')
    .replace(/~~([^~]+)~~/g, '<s>$1</s>');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL delimits placeholders no message can contain
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => tokens[Number(i)]);
}

let toastTimer = 0;
function toast(message, kind = 'error') {
  el.toast.textContent = message;
  el.toast.className = `toast ${kind}`;
  el.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(
    () => {
      el.toast.hidden = true;
    },
    kind === 'error' ? 9000 : 3000,
  );
}

function changed(key, value) {
  const json = JSON.stringify(value);
  if (view.keys[key] === json) return false;
  view.keys[key] = json;
  return true;
}

// ---- polling ---------------------------------------------------------------------

async function refresh() {
  const seq = ++view.seq;
  const q = new URLSearchParams();
  if (view.user) q.set('user', view.user);
  if (view.channel) q.set('channel', view.channel);
  const res = await fetch(`${API}/state?${q}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`state: HTTP ${res.status}`);
  const data = await res.json();
  if (seq < view.applied) return;
  view.applied = seq;
  apply(data);
}

async function loop() {
  try {
    await refresh();
  } catch (err) {
    el.hint.textContent = `The simulator does not answer (${err.message}). Is npm run dev still running?`;
    view.keys.hint = null;
  }
  setTimeout(loop, POLL_MS);
}

function apply(data) {
  view.data = data;
  if (!data.guild || !data.me) {
    el.hint.textContent = 'The simulator has no guild with members to act as.';
    return;
  }
  view.user = data.me.id;
  view.channel = data.channel?.id ?? '';
  const q = new URLSearchParams({ user: view.user, ...(view.channel ? { channel: view.channel } : {}) });
  if (location.search !== `?${q}`) history.replaceState(null, '', `?${q}`);

  if (changed('hint', [data.me.name, data.guild.name])) {
    el.hint.innerHTML =
      `You are <strong>${esc(data.me.name)}</strong> in <strong>${esc(data.guild.name)}</strong>. ` +
      'This page is the local Discord simulator; the bot is running for real.';
    document.title = `${data.me.name} in ${data.guild.name} — Guildkeep member's view`;
  }
  if (changed('who', [data.members.map((m) => [m.id, m.name, m.kind]), data.me.id])) renderWho();
  el.guildName.textContent = data.guild.name;
  if (changed('channels', [data.channels, view.channel])) renderChannels();
  if (changed('header', data.channel)) renderHeader();
  if (changed('messages', [data.me.id, data.channel?.id, data.messages, data.members.map((m) => m.name), data.channels.map((c) => c.name)])) renderMessages();
  if (changed('commands', [data.commands, data.me.id])) renderCommandPicker();
  el.cmdSend.disabled = !data.channel || !data.channel.canUseCommands;
}

// ---- who and where -------------------------------------------------------------------

const KIND_LABEL = { member: 'Members', staff: 'Staff', admin: 'Admins' };

function renderWho() {
  const groups = { member: [], staff: [], admin: [] };
  for (const m of view.data.members) if (!m.bot) groups[m.kind].push(m);
  el.who.innerHTML = Object.entries(groups)
    .filter(([, list]) => list.length)
    .map(
      ([kind, list]) =>
        `<optgroup label="${KIND_LABEL[kind]}">${list
          .map((m) => `<option value="${esc(m.id)}"${m.id === view.user ? ' selected' : ''}>${esc(m.name)} (${kind === 'member' ? 'member' : kind})</option>`)
          .join('')}</optgroup>`,
    )
    .join('');
}

el.who.addEventListener('change', () => {
  view.user = el.who.value;
  view.keys = {};
  refresh().catch(() => {});
});

// Inline SVG icons (emoji fonts are not everywhere, and nothing is fetched).
const svg = (path) =>
  `<svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${path}</svg>`;
const ICON = {
  text: svg('<path d="M5 9h14M4 15h14M10 3 8 21M16 3l-2 18"/>'),
  lock: svg('<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>'),
  thread: svg('<path d="M4 5h16v10H9l-5 4z"/><path d="M8 9h8M8 12h5"/>'),
  eye: svg('<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>'),
};

function channelIcon(c) {
  if (c.thread) return c.private ? ICON.lock : ICON.thread;
  return c.private ? ICON.lock : ICON.text;
}

function renderChannels() {
  const list = view.data.channels;
  const byPos = (a, b) => a.position - b.position || (BigInt(a.id) < BigInt(b.id) ? -1 : 1);
  const threadsOf = (id) =>
    list.filter((c) => c.thread && c.parentId === id).sort((a, b) => Number(a.archived) - Number(b.archived) || (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  const button = (c) => {
    const state = c.locked ? 'locked' : c.archived ? 'archived' : '';
    const badges = state ? `<span class="badge">${state}</span>` : '';
    return (
      `<button type="button" class="chan${c.thread ? ' thread' : ''}${c.archived ? ' archived' : ''}" data-channel="${esc(c.id)}"` +
      ` aria-current="${c.id === view.channel}" title="${esc(c.topic || c.name)}">` +
      `<span class="icon" aria-hidden="true">${channelIcon(c)}</span><span class="name">${esc(c.name)}</span>${badges}</button>`
    );
  };
  const withThreads = (c) => button(c) + threadsOf(c.id).map(button).join('');
  const texts = list.filter((c) => !c.thread && c.type !== 4);
  let html = texts
    .filter((c) => !c.parentId)
    .sort(byPos)
    .map(withThreads)
    .join('');
  for (const cat of list.filter((c) => c.type === 4).sort(byPos)) {
    const inside = texts.filter((c) => c.parentId === cat.id).sort(byPos);
    if (inside.length) html += `<div class="category">${esc(cat.name)}</div>` + inside.map(withThreads).join('');
  }
  const placed = new Set(texts.map((c) => c.id));
  const orphans = list.filter((c) => c.thread && !placed.has(c.parentId));
  if (orphans.length) html += '<div class="category">Threads</div>' + orphans.map(button).join('');
  el.channels.innerHTML = html;
}

function goTo(channelId) {
  view.channel = channelId;
  view.keys.messages = null;
  refresh().then(scrollToBottom, () => {});
}

el.channels.addEventListener('click', (e) => {
  const b = e.target.closest('[data-channel]');
  if (b) goTo(b.dataset.channel);
});

function renderHeader() {
  const c = view.data.channel;
  const where = c ? `${c.thread ? '' : '#'}${c.name}` : '';
  el.composeLabel.textContent = c ? `Message ${where} as ${view.data.me.name}` : 'Message';
  el.composeText.placeholder = c ? `Message ${where}` : '';
  el.channelTitle.innerHTML = c ? `<span class="icon">${channelIcon(c)}</span>${esc(c.name)}` : 'No channel';
  const extra =
    c && c.thread
      ? `${c.private ? 'Private thread' : 'Thread'} · ${c.memberCount} member${c.memberCount === 1 ? '' : 's'}${c.archived ? ' · archived' : ''}${c.locked ? ' · locked' : ''}`
      : '';
  el.channelTopic.textContent = c ? c.topic || extra : '';
}

// ---- messages ---------------------------------------------------------------------------

function nearBottom() {
  const m = el.messages;
  return m.scrollHeight - m.scrollTop - m.clientHeight < 80;
}
function scrollToBottom() {
  el.messages.scrollTop = el.messages.scrollHeight;
}

function renderMessages() {
  const stick = nearBottom() || el.messages.dataset.channel !== view.channel;
  el.messages.dataset.channel = view.channel;
  const msgs = view.data.messages;
  if (!view.data.channel) {
    el.messages.innerHTML = '<p class="empty">You cannot see any channel of this guild.</p>';
    return;
  }
  el.messages.innerHTML = msgs.length
    ? msgs.map(renderMessage).join('')
    : `<p class="empty">No messages in ${esc(view.data.channel.name)} yet. Run a command below.</p>`;
  if (stick) scrollToBottom();
}

function renderMessage(m) {
  const member = memberById(m.author.id);
  const kind = member && !m.author.bot ? member.kind : '';
  const invoked = m.invokedBy?.command
    ? `<div class="invoked">↱ <span class="mention">@${esc(memberById(m.invokedBy.userId)?.name ?? 'someone')}</span> used <span class="cmd">${esc(m.invokedBy.command)}</span></div>`
    : '';
  const content = m.loading
    ? `<div class="content loading">${esc(m.author.name)} is thinking…</div>`
    : m.content
      ? `<div class="content">${md(m.content)}</div>`
      : '';
  return (
    `<article class="msg${m.ephemeral ? ' ephemeral' : ''}" data-message-id="${esc(m.id)}">` +
    `<div class="avatar${m.author.bot ? ' bot' : ''}" aria-hidden="true">${esc((m.author.name || '?').slice(0, 1).toUpperCase())}</div>` +
    '<div class="msg-body">' +
    invoked +
    `<div class="msg-head"><span class="author ${kind}">${esc(m.author.name)}</span>${m.author.bot ? '<span class="tag">APP</span>' : ''}` +
    `<time class="time" datetime="${esc(m.timestamp)}">${esc(clock(m.timestamp))}</time>${m.edited ? '<span class="edited">(edited)</span>' : ''}</div>` +
    content +
    (m.attachments || []).map(renderAttachment).join('') +
    (m.embeds || []).map(renderEmbed).join('') +
    renderComponents(m.components || [], m) +
    (m.ephemeral ? `<div class="eph-note">${ICON.eye}<span>Only you can see this</span></div>` : '') +
    '</div></article>'
  );
}

// Images inline, like Discord's client; other files as a download link with their size.
function renderAttachment(a) {
  if (a.image)
    return `<a class="attachment" href="${esc(a.url)}" target="_blank" rel="noopener"><img class="attachment-img" src="${esc(a.url)}" alt="${esc(a.filename)}"></a>`;
  const kb = a.size < 1024 ? `${a.size} B` : `${(a.size / 1024).toFixed(1)} KB`;
  return `<a class="attachment attachment-file" href="${esc(a.url)}" download="${esc(a.filename)}">📎 ${esc(a.filename)} <span class="attachment-size">${kb}</span></a>`;
}

function renderEmbed(e) {
  const fields = (e.fields || [])
    .map(
      (f) =>
        `<div class="field-block${f.inline ? ' inline' : ''}"><div class="field-name">${md(f.name)}</div><div class="field-value">${md(f.value)}</div></div>`,
    )
    .join('');
  const footer = [e.footer?.text ? esc(e.footer.text) : '', e.timestamp ? esc(new Date(e.timestamp).toLocaleString()) : ''].filter(Boolean).join(' • ');
  return (
    `<div class="embed"${e.color !== undefined && e.color !== null ? ` style="border-left-color:${hex(e.color)}"` : ''}>` +
    (e.author?.name ? `<div class="field-name">${esc(e.author.name)}</div>` : '') +
    (e.title ? `<div class="embed-title">${e.url ? `<a href="${esc(e.url)}" target="_blank" rel="noreferrer">${md(e.title)}</a>` : md(e.title)}</div>` : '') +
    (e.description ? `<div class="embed-desc">${md(e.description)}</div>` : '') +
    (fields ? `<div class="embed-fields">${fields}</div>` : '') +
    (footer ? `<div class="embed-footer">${footer}</div>` : '') +
    '</div>'
  );
}

function selectOptions(c) {
  const d = view.data;
  switch (c.type) {
    case 3:
      return (c.options || []).map((o) => [o.value, o.label, o.default]);
    case 5:
      return d.members.map((m) => [m.id, m.name]);
    case 6:
      return d.roles.filter((r) => !r.everyone).map((r) => [r.id, r.name]);
    case 7:
      return [...d.members.map((m) => [m.id, '@' + m.name]), ...d.roles.filter((r) => !r.everyone).map((r) => [r.id, '@' + r.name])];
    case 8:
      return d.channels.filter((ch) => ch.type !== 4 && (!c.channel_types || c.channel_types.includes(ch.type))).map((ch) => [ch.id, '#' + ch.name]);
    default:
      return [];
  }
}

function renderComponents(components, m) {
  return components.map((c) => renderComponent(c, m)).join('');
}

function renderComponent(c, m) {
  switch (c.type) {
    case 1:
      return `<div class="row">${renderComponents(c.components || [], m)}</div>`;
    case 2: {
      const label = `${c.emoji?.name ? esc(c.emoji.name) + ' ' : ''}${esc(c.label ?? '')}`;
      if (c.style === 5)
        return `<a class="btn style-5" href="${esc(c.url)}" target="_blank" rel="noreferrer"${c.disabled ? ' aria-disabled="true"' : ''}>${label} ↗</a>`;
      return (
        `<button type="button" class="btn style-${Number(c.style) || 2}" data-custom-id="${esc(c.custom_id ?? '')}" data-component-type="2"` +
        ` data-message="${esc(m.id)}"${c.disabled || c.style === 6 ? ' disabled' : ''}>${label}</button>`
      );
    }
    case 3:
    case 5:
    case 6:
    case 7:
    case 8: {
      const opts = selectOptions(c)
        .map(([v, l, def]) => `<option value="${esc(v)}"${def ? ' selected' : ''}>${esc(l)}</option>`)
        .join('');
      return (
        `<select data-custom-id="${esc(c.custom_id)}" data-component-type="${c.type}" data-message="${esc(m.id)}"` +
        ` aria-label="${esc(c.placeholder || 'Choose')}"${c.disabled ? ' disabled' : ''}>` +
        `<option value="" selected disabled>${esc(c.placeholder || 'Make a selection')}</option>${opts}</select>`
      );
    }
    case 9:
      return `<div class="section">${renderComponents(c.components || [], m)}${c.accessory ? `<div class="row">${renderComponent(c.accessory, m)}</div>` : ''}</div>`;
    case 10:
      return `<div class="content">${md(c.content)}</div>`;
    case 14:
      return '<hr>';
    case 17:
      return `<div class="container"${c.accent_color ? ` style="border-left-color:${hex(c.accent_color)}"` : ''}>${renderComponents(c.components || [], m)}</div>`;
    default:
      return '';
  }
}

// Sends one interaction as ctx.user in ctx.channel (by default: who and where the page is).
async function interact(body, busyEl, ctx = { user: view.user, channel: view.channel }) {
  if (busyEl) {
    busyEl.classList.add('busy');
    busyEl.disabled = true;
  }
  try {
    const res = await fetch(`${API}/interact`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...ctx, ...body }),
    });
    const r = await res.json();
    if (!res.ok || r.error) toast(r.error || `HTTP ${res.status}`);
    if (r.modal) openModal(r.modal, r.messageId, ctx);
    return r;
  } catch (err) {
    toast(`Could not reach the simulator: ${err.message}`);
    return { ok: false };
  } finally {
    if (busyEl) {
      busyEl.classList.remove('busy');
      busyEl.disabled = false;
    }
    view.keys.messages = null;
    await refresh().catch(() => {});
  }
}

el.messages.addEventListener('click', (e) => {
  const link = e.target.closest('[data-goto]');
  if (link) {
    e.preventDefault();
    goTo(link.dataset.goto);
    return;
  }
  const b = e.target.closest('button[data-custom-id]');
  if (b && !b.disabled) interact({ kind: 'component', message_id: b.dataset.message, custom_id: b.dataset.customId, component_type: 2 }, b);
});

el.messages.addEventListener('change', (e) => {
  const s = e.target.closest('select[data-custom-id]');
  if (s && s.value) {
    interact(
      { kind: 'component', message_id: s.dataset.message, custom_id: s.dataset.customId, component_type: Number(s.dataset.componentType), values: [s.value] },
      s,
    );
  }
});

// ---- plain messages ----------------------------------------------------------------------

el.composer.addEventListener('submit', async (e) => {
  e.preventDefault();
  const content = el.composeText.value;
  if (!content.trim() || !view.channel) return;
  el.composeSend.disabled = true;
  try {
    const res = await fetch(`${API}/message`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: view.user, channel: view.channel, content }),
    });
    const r = await res.json();
    if (!res.ok || !r.ok) toast(r.error || `HTTP ${res.status}`);
    else if (el.composeText.value === content) el.composeText.value = '';
  } catch (err) {
    toast(`Could not reach the simulator: ${err.message}`);
  } finally {
    el.composeSend.disabled = false;
    view.keys.messages = null;
    await refresh().then(scrollToBottom, () => {});
  }
});

// ---- the command bar -------------------------------------------------------------------

function currentCommand() {
  return view.data?.commands?.find((c) => c.name === el.cmdName.value) ?? null;
}

// Subcommands (and groups' subcommands) as [path, definition].
function subcommandsOf(cmd) {
  const out = [];
  for (const o of cmd?.options ?? []) {
    if (o.type === T.SUB) out.push([[o.name], o]);
    if (o.type === T.GROUP) for (const s of o.options ?? []) if (s.type === T.SUB) out.push([[o.name, s.name], s]);
  }
  return out;
}

function currentSub() {
  const subs = subcommandsOf(currentCommand());
  return subs.find(([path]) => path.join(' ') === el.cmdSub.value) ?? null;
}

function renderCommandPicker() {
  const cmds = view.data.commands;
  const before = el.cmdName.value;
  if (!cmds.length) {
    el.cmdName.innerHTML = '<option value="">(no commands registered yet)</option>';
  } else {
    el.cmdName.innerHTML = cmds.map((c) => `<option value="${esc(c.name)}">/${esc(c.name)}</option>`).join('');
    if (cmds.some((c) => c.name === before)) el.cmdName.value = before;
  }
  renderSubPicker();
}

function renderSubPicker() {
  const subs = subcommandsOf(currentCommand());
  const before = el.cmdSub.value;
  el.cmdSubField.hidden = subs.length === 0;
  el.cmdSub.innerHTML = subs.map(([path]) => `<option value="${esc(path.join(' '))}">${esc(path.join(' '))}</option>`).join('');
  if (subs.some(([path]) => path.join(' ') === before)) el.cmdSub.value = before;
  renderOptionInputs();
}

function optionDefs() {
  const cmd = currentCommand();
  if (!cmd) return [];
  const sub = currentSub();
  return sub ? (sub[1].options ?? []) : (cmd.options ?? []).filter((o) => o.type !== T.SUB && o.type !== T.GROUP);
}

function optionInput(o) {
  const id = `opt-${o.name}`;
  const req = o.required ? ' required' : '';
  const empty = `<option value="">${o.required ? 'Choose…' : '—'}</option>`;
  const list = (items) =>
    `<select id="${id}" name="${esc(o.name)}"${req}>${empty}${items.map(([v, l]) => `<option value="${esc(v)}">${esc(l)}</option>`).join('')}</select>`;
  const d = view.data;
  switch (o.type) {
    case T.STRING:
    case T.INTEGER:
    case T.NUMBER:
      if (o.choices?.length) return list(o.choices.map((c) => [String(c.value), c.name]));
      if (o.type === T.STRING) {
        return (
          `<input type="text" id="${id}" name="${esc(o.name)}" placeholder="${esc(o.description)}"${req}` +
          `${o.min_length ? ` minlength="${o.min_length}"` : ''}${o.max_length ? ` maxlength="${o.max_length}"` : ''}>`
        );
      }
      return (
        `<input type="number" id="${id}" name="${esc(o.name)}"${req}${o.type === T.INTEGER ? ' step="1"' : ' step="any"'}` +
        `${o.min_value !== undefined ? ` min="${o.min_value}"` : ''}${o.max_value !== undefined ? ` max="${o.max_value}"` : ''}>`
      );
    case T.BOOLEAN:
      return list([
        ['true', 'True'],
        ['false', 'False'],
      ]);
    case T.USER:
      return list(d.members.map((m) => [m.id, m.name + (m.bot ? ' (app)' : '')]));
    case T.ROLE:
      return list(d.roles.map((r) => [r.id, r.name]));
    case T.MENTIONABLE:
      return list([...d.members.map((m) => [m.id, '@' + m.name]), ...d.roles.map((r) => [r.id, '@' + r.name.replace(/^@/, '')])]);
    case T.CHANNEL:
      return list(d.channels.filter((c) => !o.channel_types || o.channel_types.includes(c.type)).map((c) => [c.id, (c.type === 4 ? '' : '#') + c.name]));
    default:
      return `<input type="text" id="${id}" disabled placeholder="(not supported here)">`;
  }
}

function renderOptionInputs() {
  const cmd = currentCommand();
  const sub = currentSub();
  el.cmdDesc.textContent = (sub ? sub[1].description : cmd?.description) ?? '';
  el.cmdOptions.innerHTML = optionDefs()
    .map(
      (o) =>
        `<label class="field" title="${esc(o.description)}"><span>${esc(o.name)}${o.required ? ' <em class="req">*</em>' : ''}</span>${optionInput(o)}</label>`,
    )
    .join('');
  updatePreview();
}

function collectOptions() {
  const out = [];
  for (const o of optionDefs()) {
    const input = document.getElementById(`opt-${o.name}`);
    const raw = input ? input.value.trim() : '';
    if (raw === '') continue;
    let value = raw;
    if (o.type === T.INTEGER) value = parseInt(raw, 10);
    else if (o.type === T.NUMBER) value = Number(raw);
    else if (o.type === T.BOOLEAN) value = raw === 'true';
    out.push({ type: o.type, name: o.name, value });
  }
  return out;
}

function commandData() {
  const cmd = currentCommand();
  if (!cmd) return null;
  let options = collectOptions();
  const sub = currentSub();
  if (sub) {
    const [path] = sub;
    options = [{ type: T.SUB, name: path[path.length - 1], options }];
    if (path.length === 2) options = [{ type: T.GROUP, name: path[0], options }];
  }
  return { name: cmd.name, options };
}

function updatePreview() {
  const cmd = currentCommand();
  if (!cmd) {
    el.cmdPreview.textContent = '';
    return;
  }
  const sub = currentSub();
  const label = (o) => {
    const input = document.getElementById(`opt-${o.name}`);
    if (!input || input.value.trim() === '') return null;
    const shown = input.tagName === 'SELECT' ? (input.selectedOptions[0]?.textContent ?? input.value) : input.value;
    return `${o.name}:${shown}`;
  };
  el.cmdPreview.textContent = ['/' + cmd.name, ...(sub ? sub[0] : []), ...optionDefs().map(label).filter(Boolean)].join(' ');
}

el.cmdName.addEventListener('change', () => {
  el.cmdSub.value = '';
  renderSubPicker();
});
el.cmdSub.addEventListener('change', renderOptionInputs);
el.cmdOptions.addEventListener('input', updatePreview);
el.cmdOptions.addEventListener('change', updatePreview);

el.bar.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!el.bar.reportValidity()) return;
  const data = commandData();
  if (!data) return;
  const r = await interact({ kind: 'command', data }, el.cmdSend);
  if (r.ok) renderOptionInputs();
  if (view.data && !view.data.channel?.canUseCommands) el.cmdSend.disabled = true;
});

// ---- modals -----------------------------------------------------------------------------

// Text inputs of a modal, from action rows (type 1) or labels (type 18).
function modalInputs(components) {
  const out = [];
  for (const c of components ?? []) {
    if (c.type === 1)
      for (const inner of c.components ?? []) {
        if (inner.type === 4) out.push({ wrap: 1, input: inner, label: inner.label });
      }
    if (c.type === 18 && c.component?.type === 4) out.push({ wrap: 18, input: c.component, label: c.label, description: c.description });
  }
  return out;
}

function openModal(data, messageId, ctx) {
  const fields = modalInputs(data.components);
  view.modal = { custom_id: data.custom_id, message_id: messageId || null, ...ctx, fields };
  el.modalTitle.textContent = data.title ?? '';
  el.modalFields.innerHTML = fields
    .map(({ input: i, label, description }, n) => {
      const attrs =
        ` id="modal-input-${n}" name="${esc(i.custom_id)}"${i.required !== false ? ' required' : ''}` +
        `${i.min_length ? ` minlength="${i.min_length}"` : ''}${i.max_length ? ` maxlength="${i.max_length}"` : ''}` +
        `${i.placeholder ? ` placeholder="${esc(i.placeholder)}"` : ''}`;
      const control = i.style === 2 ? `<textarea${attrs}>${esc(i.value ?? '')}</textarea>` : `<input type="text"${attrs} value="${esc(i.value ?? '')}">`;
      return (
        `<label class="field"><span>${esc(label ?? i.custom_id)}${i.required !== false ? ' <em class="req">*</em>' : ''}</span>` +
        `${description ? `<small>${esc(description)}</small>` : ''}${control}</label>`
      );
    })
    .join('');
  el.modal.showModal();
  el.modalFields.querySelector('input, textarea')?.focus();
}

el.modalCancel.addEventListener('click', () => {
  el.modal.close();
  view.modal = null;
});

el.modalForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!view.modal || !el.modalForm.reportValidity()) return;
  const m = view.modal;
  const components = m.fields.map(({ wrap, input }, n) => {
    const value = document.getElementById(`modal-input-${n}`).value;
    const submitted = { type: 4, custom_id: input.custom_id, value };
    return wrap === 18 ? { type: 18, component: submitted } : { type: 1, components: [submitted] };
  });
  const r = await interact({ kind: 'modal', custom_id: m.custom_id, components, ...(m.message_id ? { message_id: m.message_id } : {}) }, el.modalSubmit, {
    user: m.user,
    channel: m.channel,
  });
  if (r.ok) {
    el.modal.close();
    view.modal = null;
  }
});

loop();
