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

  async function refresh() {
    const res = await fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const fresh = doc.getElementById('review-list');
    if (fresh) list.innerHTML = fresh.innerHTML;
  }

  async function act(li, action) {
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
    const res = await req;
    const body = await res.json().catch(() => ({}));
    // The API's own words: who decided first, a stale version, a missing permission.
    if (status) status.textContent = res.ok ? '' : String(body.error ?? res.status);
    await refresh();
  }

  list.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest('button[data-action]') : null;
    const li = button?.closest('li[data-kind]');
    if (!button || !li) return;
    button.disabled = true;
    act(li, button.dataset.action).catch(() => {
      button.disabled = false;
    });
  });
  setInterval(() => {
    refresh().catch(() => {});
  }, 15_000);
})();
