import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { newGuild } from '../../helpers.ts';
import { batch, bool, int, posted, runOk, user } from './support.ts';

const get = (path: string) => SELF.fetch(`http://guildkeep.test${path}`);

describe('the public leaderboard page', () => {
  it('is off by default, opt-in with an unguessable address, escapes names and goes away when turned off', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    const m = await posted(g, a);
    await batch(g, [{ t: 'MESSAGE_CREATE', d: { ...m, author: { ...m.author, global_name: '<script>alert(1)</script> & co' } } }]);
    await runOk(g, 'xp set', [user('member', b), int('amount', 500)]);

    const off = await get(`/levels/${g.guildId}/AAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(off.status).toBe(404);
    await off.body?.cancel();

    const reply = await runOk(g, 'levels config', [bool('public_page', true)]);
    const url = /Public leaderboard: (\S+)/.exec(reply)?.[1];
    expect(url).toMatch(new RegExp(`^http://guildkeep\\.test/levels/${g.guildId}/[A-Za-z0-9_-]{24}$`));
    const path = new URL(url!).pathname;
    const page = await get(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(html).not.toContain('<script>');
    expect(html.indexOf(`<td>1</td><td>${b}</td><td>3</td><td>500</td>`)).toBeGreaterThan(0);

    const wrong = await get(`${path.slice(0, -4)}AAAA`);
    expect(wrong.status).toBe(404);
    await wrong.body?.cancel();

    expect(await runOk(g, 'levels config', [bool('public_page', false)])).toContain('Public leaderboard: off.');
    const gone = await get(path);
    expect(gone.status).toBe(404);
    await gone.body?.cancel();
  });
});
