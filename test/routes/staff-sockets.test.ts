import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signStaffToken } from '../../src/features/inbox/token.ts';
import { eventually, newGuild, openTicket, type TestGuild } from '../helpers.ts';

const SECRET = 'test-staff-link-secret';
const BASE = 'http://guildkeep.test';
const linkToken = (g: TestGuild, userId: string) => signStaffToken(SECRET, { guildId: g.guildId, userId, exp: Math.floor(Date.now() / 1000) + 3600 });
const inboxData = async (g: TestGuild) =>
  (await SELF.fetch(`${BASE}/api/guilds/${g.guildId}/inbox`, { headers: { Authorization: `Bearer ${await linkToken(g, g.staffId)}` } })).json() as Promise<{
    socketToken: string;
  }>;
const upgrade = (path: string, protocols?: string) =>
  SELF.fetch(BASE + path, { headers: { Upgrade: 'websocket', ...(protocols ? { 'Sec-WebSocket-Protocol': protocols } : {}) } });

describe('inbox WebSockets', () => {
  it('take the socket token from the subprotocol header and answer with the guildkeep subprotocol', async () => {
    const g = await newGuild();
    const { socketToken } = await inboxData(g);
    const res = await upgrade(`/parties/guild/${g.guildId}`, `guildkeep, guildkeep.auth.${socketToken}`);
    expect(res.status).toBe(101);
    expect(res.headers.get('sec-websocket-protocol')).toBe('guildkeep');
    const ws = res.webSocket!;
    ws.accept();
    const got: string[] = [];
    ws.addEventListener('message', (e) => got.push(e.data as string));
    await eventually(async () => got.some((m) => JSON.parse(m).type === 'inbox'), 3000, 'inbox snapshot');
    ws.close();
  });

  it('refuse a token in the URL, and a missing or wrong one in the header', async () => {
    const g = await newGuild();
    const { socketToken } = await inboxData(g);
    const inUrl = await upgrade(`/parties/guild/${g.guildId}?token=${socketToken}`);
    expect(inUrl.status).toBe(400);
    expect(inUrl.webSocket).toBeNull();
    expect(((await inUrl.json()) as { error: string }).error).toMatch(/subprotocol, not in the URL/);
    for (const protocols of [
      undefined,
      'guildkeep',
      `guildkeep.auth.${socketToken}`,
      `guildkeep, guildkeep.auth.${socketToken.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`,
    ]) {
      const res = await upgrade(`/parties/guild/${g.guildId}`, protocols);
      expect(res.status, String(protocols)).toBe(401);
      expect(res.webSocket).toBeNull();
      await res.body?.cancel();
    }
  });

  it('refuse a room for a ticket that does not exist, and still open one that does', async () => {
    const g = await newGuild();
    const { socketToken } = await inboxData(g);
    const missing = await upgrade(`/parties/ticket/${g.guildId}-999`, `guildkeep, guildkeep.auth.${socketToken}`);
    expect(missing.status).toBe(404);
    expect(missing.webSocket).toBeNull();
    expect(await missing.json()).toEqual({ error: 'no such ticket' });
    const view = await SELF.fetch(`${BASE}/api/tickets/${g.guildId}-999`, { headers: { Authorization: `Bearer ${await linkToken(g, g.staffId)}` } });
    expect(view.status).toBe(404);
    await view.body?.cancel();
    const { id } = await openTicket(g, g.memberIds[0]!);
    const real = await upgrade(`/parties/ticket/${id}`, `guildkeep, guildkeep.auth.${socketToken}`);
    expect(real.status).toBe(101);
    real.webSocket!.accept();
    real.webSocket!.close();
  });
});
