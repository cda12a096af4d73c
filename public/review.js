// The dashboard's review queue (src/features/review): its buttons call the
// REST API's operations (the same as Discord's buttons, with their version
// checks and once-only decisions), and the list refreshes itself from the
// page every 15 seconds. No inline script: this file is the page's only code.
(() => {
  const list = document.getElementById('review-list');
  const status = document.getElementById('review-status');
  if (!list) return;
  const guild = list.dataset.guild;
  const api = `/api/v1/guilds/${guild}`;

  /** Which button has the keyboard's focus, by item and action (the element itself is replaced on refresh). */
  function focusKey(el) {
    const button = el instanceof Element ? el.closest('button[data-action]') : null;
    const li = button?.closest('li[data-kind]');
    return button && li ? { kind: li.dataset.kind, id: li.dataset.id, action: button.dataset.action } : null;
  }

  // A refresh must not throw a keyboard user's focus back to the top of the page: the
  // same button keeps it, or, when its item left the queue, the next item's first button.
  async function refresh(keep) {
    const res = await fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const fresh = doc.getElementById('review-list');
    if (!fresh) return;
    const key = keep ?? focusKey(document.activeElement);
    // Unchanged (a live refresh got there first): only the focus may need putting back.
    if (fresh.innerHTML !== list.innerHTML) list.innerHTML = fresh.innerHTML;
    else if (!keep) return;
    if (!key) return;
    const same = [...list.querySelectorAll('li[data-kind]')].find((li) => li.dataset.kind === key.kind && li.dataset.id === key.id);
    const target = same?.querySelector(`button[data-action="${key.action}"]`) ?? list.querySelector('button[data-action]');
    target?.focus();
  }

  // While a button's request is out, the live signal waits: the action's own refresh puts the focus back.
  let acting = 0;

  async function act(li, action, keep) {
    const id = li.dataset.id;
    const req =
      action === 'claim'
        ? fetch(`${api}/tickets/${id}`, {
            method: 'PATCH',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ version: Number(li.dataset.version), action: { kind: 'claim' } }),
          })
        : fetch(`${api}/moderation/approvals/${id}`, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ decision: action }),
          });
    acting++;
    const res = await req.finally(() => {
      acting--;
    });
    const body = await res.json().catch(() => ({}));
    // The API's own words: who decided first, a stale version, a missing permission.
    if (status) status.textContent = res.ok ? '' : String(body.error ?? res.status);
    await refresh(keep);
  }

  list.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest('button[data-action]') : null;
    const li = button?.closest('li[data-kind]');
    if (!button || !li) return;
    // Taken before the button is disabled (a disabled button loses the focus).
    const keep = button === document.activeElement ? focusKey(button) : null;
    button.disabled = true;
    act(li, button.dataset.action, keep).catch(() => {
      button.disabled = false;
    });
  });
  // Live: the guild's dashboard socket says when something the queue lists may have changed
  // (the session cookie and the guild are checked when it opens). The 15 s poll stays as the
  // fallback while the socket is down.
  let live = false;
  let retry = 1000;
  function connect() {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/dashboard/guilds/${guild}/live`);
    ws.addEventListener('open', () => {
      live = true;
      retry = 1000;
      list.dataset.live = 'on';
    });
    ws.addEventListener('message', (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (msg.type === 'review' && acting === 0) refresh().catch(() => {});
    });
    ws.addEventListener('close', () => {
      live = false;
      list.dataset.live = 'off';
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30_000);
    });
  }
  connect();
  setInterval(() => {
    if (!live) refresh().catch(() => {});
  }, 15_000);
})();
