import { OverwriteType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { TestGuild } from '../helpers.ts';
import { newGuild } from '../helpers.ts';
import { discord, setRolePermissions } from './support.ts';

type Guild = TestGuild & { botRoleId: string };
const path = (channelId: string, id: string) => `/channels/${channelId}/permissions/${id}`;

describe('channel permission overwrites in the simulator (Edit / Delete Channel Permission)', () => {
  it('puts, replaces and deletes an overwrite with 204s, as the channel then shows', async () => {
    const g = (await newGuild()) as Guild;
    const put = await discord('PUT', path(g.generalChannelId, g.staffRoleId), { type: OverwriteType.Role, allow: Number(P.ViewChannel), deny: 0 });
    expect(put.status).toBe(204);
    const again = await discord('PUT', path(g.generalChannelId, g.staffRoleId), {
      type: OverwriteType.Role,
      allow: Number(P.ViewChannel | P.SendMessages),
      deny: 0,
    });
    expect(again.status).toBe(204);
    const mine = (await discord('GET', `/channels/${g.generalChannelId}`)).body.permission_overwrites.filter((o: { id: string }) => o.id === g.staffRoleId);
    expect(mine).toEqual([{ id: g.staffRoleId, type: 0, allow: String(P.ViewChannel | P.SendMessages), deny: '0' }]);
    expect((await discord('DELETE', path(g.generalChannelId, g.staffRoleId))).status).toBe(204);
    const gone = await discord('DELETE', path(g.generalChannelId, g.staffRoleId));
    expect(gone).toMatchObject({ status: 404, body: { code: 10009 } });
  });

  it('refuses a bad type, an unknown role or member, and permissions the bot does not have', async () => {
    const g = (await newGuild()) as Guild;
    const badType = await discord('PUT', path(g.generalChannelId, g.staffRoleId), { type: 7, allow: 0, deny: 0 }, { invalid: true });
    expect(badType).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(await discord('PUT', path(g.generalChannelId, '1234567890123456789'), { type: OverwriteType.Role, allow: 0, deny: 0 })).toMatchObject({
      status: 404,
      body: { code: 10011 },
    });
    expect(await discord('PUT', path(g.generalChannelId, '1234567890123456789'), { type: OverwriteType.Member, allow: 0, deny: 0 })).toMatchObject({
      status: 404,
      body: { code: 10007 },
    });
    await setRolePermissions(g.guildId, g.botRoleId, P.ViewChannel | P.ManageRoles);
    const beyond = await discord('PUT', path(g.generalChannelId, g.staffRoleId), { type: OverwriteType.Role, allow: Number(P.BanMembers), deny: 0 });
    expect(beyond).toMatchObject({ status: 403, body: { code: 50013 } });
    await setRolePermissions(g.guildId, g.botRoleId, P.ViewChannel);
    expect(await discord('DELETE', path(g.generalChannelId, g.staffRoleId))).toMatchObject({ status: 403, body: { code: 50013 } });
  });
});
