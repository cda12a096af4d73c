import { SELF } from 'cloudflare:test';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { env, replyText } from '../../helpers.ts';
import { adminSession, allowCallback, api, BASE } from '../api/support.ts';
import { login, setUserGuilds } from '../dashboard/session-helper.ts';
import { type ModGuild, modGuild, run } from '../moderation/helpers.ts';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];
type Versioned = { version: number; changedBy: string | null; changedAt: number | null; config: Record<string, unknown> };

const children = (n: Node): Node[] => ('childNodes' in n ? n.childNodes : []);
function all(n: Node): Element[] {
  const out: Element[] = [];
  const walk = (x: Node) => {
    if ('tagName' in x) out.push(x);
    for (const c of children(x)) walk(c);
  };
  walk(n);
  return out;
}
const textOf = (n: Node): string => ('value' in n && n.nodeName === '#text' ? n.value : children(n).map(textOf).join(''));
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;
const byId = (root: Node, id: string) => all(root).find((e) => attr(e, 'id') === id);

/** A page as a browser gets it, parsed with a spec-compliant HTML parser (no parse errors allowed). */
async function page(path: string, cookie: string | null) {
  const res = await SELF.fetch(`${BASE}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const html = await res.text();
  const errors: string[] = [];
  const doc = parse(html, { onParseError: (e) => errors.push(e.code) });
  // A redirect has no body; every page must be well-formed.
  if (html) expect(errors).toEqual([]);
  return { status: res.status, html, doc, location: res.headers.get('location') };
}

/** What the form would send: every input, select and textarea with a name, as shown. */
function formOf(doc: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of all(doc)) {
    const name = attr(e, 'name');
    if (!name) continue;
    if (e.tagName === 'input') out[name] = attr(e, 'value') ?? '';
    else if (e.tagName === 'textarea') out[name] = textOf(e);
    else if (e.tagName === 'select') {
      const opts = all(e).filter((o) => o.tagName === 'option');
      const chosen = opts.find((o) => o.attrs.some((a) => a.name === 'selected')) ?? opts[0];
      out[name] = chosen ? (attr(chosen, 'value') ?? '') : '';
    }
  }
  return out;
}

async function post(path: string, cookie: string | null, fields: Record<string, string>, origin: string | null = BASE) {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  const res = await SELF.fetch(`${BASE}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields), redirect: 'manual' });
  const html = await res.text();
  return { status: res.status, html, doc: parse(html), location: res.headers.get('location') };
}

let g: ModGuild;
let other: ModGuild;
let admin: string;
let second: string;
const secondId = () => g.memberIds[0]!;
const url = (section: string, guildId = g.guildId) => `/dashboard/guilds/${guildId}/settings/${section}`;
const config = async (section: string) => (await api<Record<string, Versioned>>('GET', `/api/v1/guilds/${g.guildId}/config`, { auth: admin })).body[section]!;

/** Opens the section's page as the admin, changes `change` in the form, and posts it back. */
async function submit(section: string, change: Record<string, string>, cookie = admin) {
  const before = await page(url(section), cookie);
  expect(before.status).toBe(200);
  return post(url(section), cookie, { ...formOf(before.doc), ...change });
}

beforeAll(async () => {
  await allowCallback();
  [g, other] = await Promise.all([modGuild(), modGuild()]);
  admin = await adminSession(g);
  await setUserGuilds(secondId(), [{ id: g.guildId, name: 'API Guild', permissions: String(1 << 5) }]);
  second = await login(secondId());
});

describe('settings pages', () => {
  it('lists every section, linked from the guild overview', async () => {
    const overview = await page(`/dashboard/guilds/${g.guildId}`, admin);
    expect(all(overview.doc).some((e) => e.tagName === 'a' && attr(e, 'href') === `/dashboard/guilds/${g.guildId}/settings`)).toBe(true);
    const list = await page(`/dashboard/guilds/${g.guildId}/settings`, admin);
    expect(list.status).toBe(200);
    const links = all(list.doc)
      .filter((e) => e.tagName === 'a')
      .map((e) => attr(e, 'href'));
    for (const s of ['tickets', 'moderation', 'antiraid', 'verification', 'invites', 'levels', 'events', 'faq', 'servers', 'logging'])
      expect(links).toContain(url(s));
  });

  it('shows a form with labels, help, the current values and the version read', async () => {
    const p = await page(url('tickets'), admin);
    const cfg = await config('tickets');
    const form = formOf(p.doc);
    expect(form.version).toBe(String(cfg.version));
    expect(form.maxOpenPerType).toBe(String(cfg.config.maxOpenPerType));
    const label = all(p.doc).find((e) => e.tagName === 'label' && attr(e, 'for') === 'f-maxOpenPerType')!;
    expect(textOf(label)).toBe('Open tickets per member and type');
    expect(textOf(byId(p.doc, 'h-maxOpenPerType')!)).toContain('1 to 10');
  });

  // One accepted change and one refused change per section: the refusal is named next to its field, the admin's input is kept, and nothing changes.
  const cases: { section: string; ok: Record<string, string>; expect: Record<string, unknown>; bad: Record<string, string>; field: string; message: RegExp }[] =
    [
      {
        section: 'tickets',
        ok: { maxOpenPerType: '3' },
        expect: { maxOpenPerType: 3 },
        bad: { maxOpenPerType: '11' },
        field: 'maxOpenPerType',
        message: /1 to 10/,
      },
      {
        section: 'moderation',
        ok: { approvalTtlMs: '600000', ladder: '3/24h:timeout 10m, 7/24h:kick' },
        expect: { approvalTtlMs: 600000 },
        bad: { ladder: '3 strikes and out' },
        field: 'ladder',
        message: /3 strikes and out/,
      },
      {
        section: 'antiraid',
        ok: { threshold: '12', windowSeconds: '20' },
        expect: { threshold: 12, windowSeconds: 20 },
        bad: { slowmodeSeconds: '999999' },
        field: 'slowmodeSeconds',
        message: /./,
      },
      {
        section: 'verification',
        ok: { challenge: 'text', timeoutMinutes: '7' },
        expect: { challenge: 'text', timeoutMinutes: 7 },
        bad: { enabled: 'true' },
        field: 'enabled',
        message: /./,
      },
      {
        section: 'invites',
        ok: { campaigns: 'summer = Summer stream\nwinter-1 = Winter' },
        expect: { campaigns: { summer: 'Summer stream', 'winter-1': 'Winter' } },
        bad: { campaigns: 'x = Too short a code' },
        field: 'campaigns',
        message: /invite x/,
      },
      {
        section: 'levels',
        ok: { xpMin: '5', curve: '5,50,100' },
        expect: { xpMin: 5, curve: '5,50,100' },
        bad: { xpMin: '30' },
        field: 'xpMin',
        message: /XP per message/,
      },
      {
        section: 'events',
        ok: { timezone: 'Europe/Berlin', reminders: '1h, 15m' },
        expect: { timezone: 'Europe/Berlin', reminders: '60m, 15m' },
        bad: { timezone: 'Mars/Olympus_Mons' },
        field: 'timezone',
        message: /time zone/,
      },
      { section: 'faq', ok: { ai: 'true' }, expect: { ai: true }, bad: { channels: 'general' }, field: 'channels', message: /Discord ids/ },
      { section: 'servers', ok: { allowKill: 'true' }, expect: { allowKill: true }, bad: { prefixHints: 'maybe' }, field: 'prefixHints', message: /Yes or no/ },
      {
        section: 'logging',
        ok: { levelsAlertChannelId: '123456789012345678' },
        expect: { levelsAlertChannelId: '123456789012345678' },
        bad: { modLogChannelId: 'mod-log' },
        field: 'modLogChannelId',
        message: /Discord id/,
      },
    ];

  for (const c of cases) {
    it(`${c.section}: an accepted change is saved and shown; a refused one changes nothing and says why next to the field`, async () => {
      const before = await config(c.section);
      const saved = await submit(c.section, c.ok);
      expect(saved.status).toBe(303);
      expect(saved.location).toBe(`${url(c.section)}?saved=${before.version + 1}`);
      const after = await config(c.section);
      expect(after.config).toMatchObject(c.expect);
      expect(after.changedBy).toContain(`(user ${g.adminId})`);
      const shown = await page(saved.location!, admin);
      expect(textOf(all(shown.doc).find((e) => (attr(e, 'class') ?? '').includes('notice saved'))!)).toContain(`version ${after.version}`);
      for (const [k, v] of Object.entries(c.ok))
        expect(formOf(shown.doc)[k]).toEqual(k === 'reminders' ? '60m, 15m' : k === 'ladder' ? expect.stringContaining('"infractions": 7') : v);

      const refused = await submit(c.section, c.bad);
      expect(refused.status).toBe(422);
      const field = byId(refused.doc, `field-${c.field}`)!;
      expect(attr(field, 'class')).toContain('invalid');
      const error = byId(field, `e-${c.field}`)!;
      expect(textOf(error)).toMatch(c.message);
      const control = byId(field, `f-${c.field}`)!;
      expect(attr(control, 'aria-invalid')).toBe('true');
      expect(attr(control, 'aria-describedby')).toContain(`e-${c.field}`);
      // The admin's input is kept.
      expect(formOf(refused.doc)[c.field]).toBe(Object.values(c.bad)[0]);
      expect(await config(c.section)).toEqual(after);
    });
  }

  it('logging gathers the features’ log channels: a change there is the moderation page’s mod log channel too', async () => {
    const saved = await submit('logging', { modLogChannelId: g.supportChannelId, raidAlertChannelId: g.generalChannelId });
    expect(saved.status).toBe(303);
    const mod = await config('moderation');
    expect(mod.config.modLogChannelId).toBe(g.supportChannelId);
    // The moderation section changed too: its new version is credited to the admin, not to "a command in Discord".
    expect(mod.changedBy).toContain(`(user ${g.adminId})`);
    expect((await config('antiraid')).config.alertChannelId).toBe(g.generalChannelId);
    expect(formOf((await page(url('moderation'), admin)).doc).modLogChannelId).toBe(g.supportChannelId);
    // The deployment's audit log webhook (set in the tests' environment) is said on the page; it is not a per-server setting.
    expect((await page(url('logging'), admin)).html).toContain('audit log webhook is on');
  });

  it('the slash commands see what the dashboard saved', async () => {
    expect(replyText(await run(g, g.adminId, 'event config'))).toContain('Europe/Berlin');
    expect(replyText(await run(g, g.adminId, 'server settings'))).toContain('Kill is allowed');
    expect(replyText(await run(g, g.adminId, 'levels config'))).toMatch(/Levels: 5–25 XP/);
    // And a change by command makes the page's version stale: the page shows the command's value.
    await run(g, g.adminId, 'levels config', [{ name: 'xp_max', type: 4, value: 40 }]);
    expect(formOf((await page(url('levels'), admin)).doc).xpMax).toBe('40');
  });

  it('two admins at once: the second save with the old version gets 409 naming the first, and sees their values', async () => {
    const a = await page(url('tickets'), admin);
    const b = await page(url('tickets'), second);
    expect(b.status).toBe(200);
    expect(formOf(a.doc).version).toBe(formOf(b.doc).version);
    const first = await post(url('tickets'), admin, { ...formOf(a.doc), maxOpenPerType: '4' });
    expect(first.status).toBe(303);
    const late = await post(url('tickets'), second, { ...formOf(b.doc), maxOpenPerType: '6' });
    expect(late.status).toBe(409);
    const notice = all(late.doc).find((e) => (attr(e, 'class') ?? '').includes('notice conflict'))!;
    expect(textOf(notice)).toMatch(new RegExp(`^Changed by .*\\(user ${g.adminId}\\) at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC — reloaded`));
    // The current values, not the second admin's, with the current version to try again from.
    const form = formOf(late.doc);
    expect(form.maxOpenPerType).toBe('4');
    const cfg = await config('tickets');
    expect(form.version).toBe(String(cfg.version));
    expect(cfg.config.maxOpenPerType).toBe(4);
    const again = await post(url('tickets'), second, { ...form, maxOpenPerType: '6' });
    expect(again.status).toBe(303);
    expect((await config('tickets')).changedBy).toContain(`(user ${secondId()})`);
  });

  it('audits every accepted change: who, which fields, via the dashboard or the API', async () => {
    const cfg = await config('servers');
    const r = await api('PATCH', `/api/v1/guilds/${g.guildId}/config/servers`, { auth: admin, body: { version: cfg.version, prefixHints: true } });
    expect(r.status).toBe(200);
    const log = await guildActor(env, g.guildId).auditLog(200);
    const dash = log.find((e) => e.action === 'api config servers' && e.detail.includes('via dashboard'));
    expect(dash).toMatchObject({ userId: g.adminId, outcome: 'ok' });
    expect(dash!.detail).toMatch(/^allowKill by .*\(user \d+\) via dashboard$/);
    const viaApi = log.find((e) => e.action === 'api config servers' && e.detail.includes('via api'));
    expect(viaApi!.detail).toBe(`prefixHints by user ${g.adminId} via api`);
    // Refusals are not changes: none of the refused fields above appears in an entry.
    expect(log.filter((e) => e.action.startsWith('api config') && /prefixHints by .* via dashboard|slowmodeSeconds/.test(e.detail))).toEqual([]);
  });

  it('another guild’s admin can neither read nor save this guild’s settings (403)', async () => {
    const before = await config('tickets');
    expect((await page(url('tickets', other.guildId), admin)).status).toBe(403);
    expect((await page(`/dashboard/guilds/${other.guildId}/settings`, admin)).status).toBe(403);
    const form = formOf((await page(url('tickets'), admin)).doc);
    expect((await post(url('tickets', other.guildId), admin, { ...form, maxOpenPerType: '9' })).status).toBe(403);
    // Nor without a session: sent to log in.
    expect((await page(url('tickets'), null)).status).toBe(302);
    expect(await config('tickets')).toEqual(before);
  });

  it('refuses a save from another origin, or with no Origin, and changes nothing', async () => {
    const before = await config('tickets');
    const form = { ...formOf((await page(url('tickets'), admin)).doc), maxOpenPerType: '9' };
    const evil = await post(url('tickets'), admin, form, 'https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.html).toContain('not sent from this dashboard');
    expect((await post(url('tickets'), admin, form, null)).status).toBe(403);
    expect(await config('tickets')).toEqual(before);
  });

  it('the REST API has every section at the same routes: an accepted patch, a refused field, a stale version naming who changed it', async () => {
    const v1 = (rest: string) => `/api/v1/guilds/${g.guildId}${rest}`;
    const all = await api<Record<string, Versioned>>('GET', v1('/config'), { auth: admin });
    expect(Object.keys(all.body).sort()).toEqual([
      'antiraid',
      'events',
      'faq',
      'invites',
      'levels',
      'logging',
      'moderation',
      'servers',
      'tickets',
      'verification',
    ]);
    const v = all.body.faq!.version;
    const ok = await api<Versioned>('PATCH', v1('/config/faq'), { auth: admin, body: { version: v, channels: [g.supportChannelId] } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: v + 1, changedBy: `user ${g.adminId}`, config: { channels: [g.supportChannelId] } });
    const bad = await api<{ field: string; error: string }>('PATCH', v1('/config/faq'), { auth: admin, body: { version: v + 1, channels: ['general'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('channels');
    const unknown = await api<{ field: string }>('PATCH', v1('/config/antiraid'), {
      auth: admin,
      body: { version: all.body.antiraid!.version, colour: 'red' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('colour');
    const stale = await api<{ error: string; current: Versioned }>('PATCH', v1('/config/faq'), { auth: admin, body: { version: v, ai: false } });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ version: v + 1, changedBy: `user ${g.adminId}` });
    expect(stale.body.error).toMatch(new RegExp(`changed since version ${v} \\(version ${v + 1}, by user ${g.adminId} at \\d{4}-`));
    // The dashboard page shows the API's change.
    expect(formOf((await page(url('faq'), admin)).doc).channels).toBe(g.supportChannelId);
    // A whole automod configuration, checked by /automod's parser.
    const mod = (await api<Record<string, Versioned>>('GET', v1('/config'), { auth: admin })).body.moderation!;
    const badRule = await api<{ field: string; error: string }>('PATCH', v1('/config/moderation'), {
      auth: admin,
      body: { version: mod.version, automod: { rules: [{ id: 'Bad Id', kind: 'caps' }] } },
    });
    expect(badRule.status).toBe(400);
    expect(badRule.body.field).toBe('automod');
    expect(badRule.body.error).toMatch(/rules\[0\]/);
  });

  it('answers an unknown section with 404', async () => {
    expect((await page(url('weather'), admin)).status).toBe(404);
  });

  it('speaks the reader’s language', async () => {
    const res = await SELF.fetch(`${BASE}${url('events')}`, { headers: { cookie: admin, 'accept-language': 'de' } });
    const doc = parse(await res.text());
    expect(textOf(all(doc).find((e) => e.tagName === 'label' && attr(e, 'for') === 'f-timezone')!)).toBe('Zeitzone');
  });
});
