import { describe, expect, it } from 'vitest';
import { allowed } from '../../../src/features/servers/rules/capabilities.ts';
import { renderStatsChart } from '../../../src/features/servers/rules/chart.ts';
import { mapState, parseMapping } from '../../../src/features/servers/rules/generic-config.ts';
import { fillTemplate, readPath } from '../../../src/features/servers/rules/json-path.ts';
import { parsePanelUrl } from '../../../src/features/servers/rules/panel-url.ts';
import { checkPower, POWER_INTERVAL_MS } from '../../../src/features/servers/rules/safety.ts';
import { open, seal } from '../../../src/features/servers/rules/secret-box.ts';

const ADMIN = String(1n << 3n);

describe('secret box (panel keys at rest)', () => {
  it('opens what it sealed, and only for the same guild, panel and CONFIG_KEY', async () => {
    const s = await seal('k1', 'g1', 'p1', 'ptlc_secret');
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.value).not.toContain('ptlc_secret');
    expect(await open('k1', 'g1', 'p1', s.value)).toEqual({ ok: true, value: 'ptlc_secret' });
    expect(await open('k1', 'g2', 'p1', s.value)).toEqual({ ok: false, error: 'bad-sealed-value' });
    expect(await open('k1', 'g1', 'p2', s.value)).toEqual({ ok: false, error: 'bad-sealed-value' });
    expect(await open('k2', 'g1', 'p1', s.value)).toEqual({ ok: false, error: 'bad-sealed-value' });
    expect(await open('k1', 'g1', 'p1', 'v1.garbage')).toEqual({ ok: false, error: 'bad-sealed-value' });
  });

  it('refuses without CONFIG_KEY', async () => {
    expect(await seal(undefined, 'g', 'p', 'x')).toEqual({ ok: false, error: 'no-config-key' });
    expect(await open('', 'g', 'p', 'v1.a.b')).toEqual({ ok: false, error: 'no-config-key' });
  });

  it('seals the same key differently each time (random IV)', async () => {
    const a = await seal('k', 'g', 'p', 'same');
    const b = await seal('k', 'g', 'p', 'same');
    expect(a.ok && b.ok && a.value !== b.value).toBe(true);
  });
});

describe('panel URL', () => {
  it('normalises and refuses what would leak the key or is not a panel address', () => {
    expect(parsePanelUrl('https://panel.example.com/', false)).toEqual({ ok: true, value: 'https://panel.example.com' });
    expect(parsePanelUrl(' https://x.example/panel/api/client ', false)).toEqual({ ok: true, value: 'https://x.example/panel' });
    expect(parsePanelUrl('http://x.example', false)).toEqual({ ok: false, error: 'plain-http' });
    expect(parsePanelUrl('http://127.0.0.1:8991', true)).toEqual({ ok: true, value: 'http://127.0.0.1:8991' });
    expect(parsePanelUrl('ftp://x.example', true)).toEqual({ ok: false, error: 'not-http' });
    expect(parsePanelUrl('panel.example.com', true)).toEqual({ ok: false, error: 'not-a-url' });
    expect(parsePanelUrl('https://u:p@x.example', true)).toEqual({ ok: false, error: 'has-credentials' });
    expect(parsePanelUrl('https://x.example/?key=1', true)).toEqual({ ok: false, error: 'has-query' });
  });
});

describe('capabilities', () => {
  const grants = [
    { roleId: 'r-mod', capability: 'power' as const },
    { roleId: 'r-op', capability: 'manage' as const },
  ];
  it('lets administrators do everything, and others what their roles hold', () => {
    expect(allowed(ADMIN, [], [], 'power')).toBe(true);
    expect(allowed('0', [], grants, 'view')).toBe(false);
    expect(allowed('0', ['r-mod'], grants, 'power')).toBe(true);
    expect(allowed('0', ['r-mod'], grants, 'console')).toBe(false);
    expect(allowed('0', ['r-op'], grants, 'console')).toBe(true);
    expect(allowed(undefined, ['r-mod'], grants, 'backup')).toBe(false);
  });
});

describe('power safety', () => {
  const base = { killEnabled: false, lastPowerAt: null, now: 1_000_000 };
  it('answers conflicting states without a call', () => {
    expect(checkPower('start', 'running', base)).toBe('already-running');
    expect(checkPower('start', 'starting', base)).toBe('already-running');
    expect(checkPower('stop', 'offline', base)).toBe('already-offline');
    expect(checkPower('restart', 'installing', base)).toBe('busy-installing');
    expect(checkPower('start', 'suspended', base)).toBe('busy-suspended');
    expect(checkPower('start', 'restoring', base)).toBe('busy-restoring');
    expect(checkPower('start', 'offline', base)).toBeNull();
    expect(checkPower('restart', 'running', base)).toBeNull();
  });
  it('keeps kill off unless enabled, and one power action per interval', () => {
    expect(checkPower('kill', 'running', base)).toBe('kill-disabled');
    expect(checkPower('kill', 'running', { ...base, killEnabled: true })).toBeNull();
    expect(checkPower('restart', 'running', { ...base, lastPowerAt: base.now - POWER_INTERVAL_MS + 1 })).toBe('too-soon');
    expect(checkPower('restart', 'running', { ...base, lastPowerAt: base.now - POWER_INTERVAL_MS })).toBeNull();
  });
});

describe('generic mapping', () => {
  const peon = {
    auth: { header: 'X-Api-Key' },
    list: { path: '/api/v1/servers', items: '$', id: '{game_uid}.{servername}', name: 'servername', state: 'server_state' },
    status: { path: '/api/v1/server/stats/{id}', state: 'server_state', players: 'players.online', cpuPct: 'stats.cpu_percent' },
    power: { start: { method: 'PUT', path: '/api/v1/server/start/{id}' } },
    states: { exited: 'offline' },
  };
  it('accepts a PEON-style mapping and names the field of each mistake', () => {
    expect(parseMapping(JSON.stringify(peon)).ok).toBe(true);
    expect(parseMapping('not json')).toEqual({ ok: false, error: { code: 'not-json' } });
    expect(parseMapping(JSON.stringify({ ...peon, auth: {} }))).toEqual({ ok: false, error: { code: 'missing', field: 'auth.header' } });
    expect(parseMapping(JSON.stringify({ ...peon, list: { ...peon.list, name: 'a..b' } }))).toEqual({
      ok: false,
      error: { code: 'bad-path', field: 'list.name' },
    });
    expect(parseMapping(JSON.stringify({ ...peon, power: { stop: { method: 'FETCH', path: '/x' } } }))).toEqual({
      ok: false,
      error: { code: 'bad-method', field: 'power.stop.method' },
    });
    expect(parseMapping(JSON.stringify({ ...peon, states: { up: 'flying' } })).ok).toBe(false);
  });
  it('reads paths and fills templates', () => {
    const item = { game_uid: 'mc', servername: 'survival', players: { online: 3 } };
    expect(readPath(item, 'players.online')).toBe(3);
    expect(readPath([1, 2], '$')).toEqual([1, 2]);
    expect(readPath(item, 'players.none.deeper')).toBeUndefined();
    expect(fillTemplate('{game_uid}.{servername}', item)).toBe('mc.survival');
    expect(fillTemplate('/x/{id}', { id: 'a b/c' }, true)).toBe('/x/a%20b%2Fc');
    expect(mapState('exited', peon.states as never)).toBe('offline');
    expect(mapState('Running', undefined)).toBe('running');
    expect(mapState('weird', undefined)).toBe('unknown');
  });
});

describe('schedules across daylight saving', () => {
  const at = (iso: string) => Date.parse(iso);
  it('runs at 04:00 Berlin time on both sides of the spring-forward change', async () => {
    const { nextRun, parseRecurrence } = await import('../../../src/features/servers/rules/schedule.ts');
    const r = parseRecurrence('04:00', null, 'Europe/Berlin');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 2027-03-28 is the change (CET+1 → CEST+2).
    const before = nextRun(r.value, at('2027-03-27T00:00:00Z'));
    expect(new Date(before).toISOString()).toBe('2027-03-27T03:00:00.000Z');
    const after = nextRun(r.value, before);
    expect(new Date(after).toISOString()).toBe('2027-03-28T02:00:00.000Z');
    expect(after - before).toBe(23 * 3_600_000);
  });
  it('moves a time skipped by spring-forward after the gap, and runs an ambiguous fall-back time once', async () => {
    const { nextRun, parseRecurrence } = await import('../../../src/features/servers/rules/schedule.ts');
    const skipped = parseRecurrence('02:30', null, 'America/New_York');
    if (!skipped.ok) throw new Error('parse');
    // 2027-03-14: 02:00 → 03:00 in New York.
    expect(new Date(nextRun(skipped.value, at('2027-03-14T05:00:00Z'))).toISOString()).toBe('2027-03-14T07:30:00.000Z');
    const twice = parseRecurrence('01:30', null, 'America/New_York');
    if (!twice.ok) throw new Error('parse');
    // 2027-11-07: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST); only the first.
    const first = nextRun(twice.value, at('2027-11-07T04:00:00Z'));
    expect(new Date(first).toISOString()).toBe('2027-11-07T05:30:00.000Z');
    expect(new Date(nextRun(twice.value, first)).toISOString()).toBe('2027-11-08T06:30:00.000Z');
  });
  it('finds the weekday in the zone, not in UTC, and refuses bad input', async () => {
    const { nextRun, parseRecurrence } = await import('../../../src/features/servers/rules/schedule.ts');
    const r = parseRecurrence('00:30', 'mon', 'Asia/Tokyo');
    if (!r.ok) throw new Error('parse');
    // Monday 00:30 in Tokyo is Sunday 15:30 UTC.
    expect(new Date(nextRun(r.value, at('2027-01-06T00:00:00Z'))).toISOString()).toBe('2027-01-10T15:30:00.000Z');
    expect(parseRecurrence('25:00', null, 'UTC')).toEqual({ ok: false, error: 'bad-time' });
    expect(parseRecurrence('10:00', 'someday', 'UTC')).toEqual({ ok: false, error: 'bad-weekday' });
    expect(parseRecurrence('10:00', null, 'Mars/Olympus')).toEqual({ ok: false, error: 'bad-zone' });
  });
});

describe('usage chart', () => {
  const series = (f: (i: number) => number | null) => ({
    cpu: Array.from({ length: 48 }, (_, i) => f(i)),
    memory: Array.from({ length: 48 }, (_, i) => f(i)),
    players: Array.from({ length: 48 }, () => null),
  });
  it('draws the same picture for the same history, a different one for different history, and leaves unsampled time blank', () => {
    const rising = renderStatsChart(series((i) => i));
    expect(renderStatsChart(series((i) => i))).toEqual(rising);
    expect(renderStatsChart(series((i) => 48 - i))).not.toEqual(rising);
    const empty = renderStatsChart(series(() => null));
    expect(empty).not.toEqual(rising);
    // Stored deflate blocks keep pixels readable: ink (40) is drawn only where there were samples (two bands × 472 columns at least).
    const ink = (png: Uint8Array) => png.filter((b) => b === 40).length;
    expect(ink(rising) - ink(empty)).toBeGreaterThan(2 * 472);
  });
});
