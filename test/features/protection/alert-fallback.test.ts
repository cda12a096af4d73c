import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { alertTargets } from '../../../src/features/protection/antiraid.ts';
import { eventually, guildSnapshot, newGuild, replyText, simApi, type TestGuild } from '../../helpers.ts';
import { command, discord, run } from './support.ts';

const alertIn = (g: TestGuild, channelId: string) =>
  eventually(
    async () => ((await guildSnapshot(g.guildId)).messages[channelId] ?? []).find((m) => m.content.includes('Lockdown started')) ?? null,
    10_000,
    `alert in ${channelId}`,
  );

const startLockdown = async (g: TestGuild) => {
  expect(replyText(await run(command(g, g.adminId, 'lockdown start', { reason: 'drill' })))).toMatch(/^Lockdown starting/);
};

describe('lockdown alerts with no alert channel configured', () => {
  it('alertTargets orders the configured channel, Safety Notifications, System Messages, then the owner', () => {
    const facts = { safetyAlertsChannelId: '2', systemChannelId: '3', ownerId: '9' };
    expect(alertTargets('1', facts).map((t) => (t.kind === 'channel' ? t.via : t.kind))).toEqual(['configured', 'safety-alerts', 'system', 'owner-dm']);
    expect(alertTargets(null, { ...facts, safetyAlertsChannelId: null })).toEqual([
      { kind: 'channel', channelId: '3', via: 'system' },
      { kind: 'owner-dm', userId: '9' },
    ]);
    expect(alertTargets(null, { safetyAlertsChannelId: '3', systemChannelId: '3', ownerId: null })).toEqual([
      { kind: 'channel', channelId: '3', via: 'safety-alerts' },
    ]);
    expect(alertTargets(null, null)).toEqual([]);
  });

  it('go to the System Messages channel, and /antiraid status says so', async () => {
    const g = await newGuild(2, 1);
    await startLockdown(g);
    const alert = await alertIn(g, g.generalChannelId);
    expect(alert.components?.length).toBeGreaterThan(0);
    const status = replyText(await run(command(g, g.adminId, 'antiraid status')));
    expect(status).toContain(`Alerts: no channel set, so they go to <#${g.generalChannelId}> (the server's System Messages channel).`);
  });

  it("go to the guild's Safety Notifications channel first", async () => {
    const g = await newGuild(2, 1);
    await discord('PATCH', `/guilds/${g.guildId}`, { safety_alerts_channel_id: g.supportChannelId });
    await startLockdown(g);
    await alertIn(g, g.supportChannelId);
    const general = (await guildSnapshot(g.guildId)).messages[g.generalChannelId] ?? [];
    expect(general.some((m) => m.content.includes('Lockdown started'))).toBe(false);
  });

  it('reach the owner by DM, without buttons, when the server has no notice channel', async () => {
    const g = await newGuild(2, 1);
    await discord('PATCH', `/guilds/${g.guildId}`, { system_channel_id: null });
    await startLockdown(g);
    const dm = await eventually(
      async () =>
        (await simApi<{ messages: APIMessage[] }>(`/_sim/users/${g.ownerId}/dms`)).messages.find((m) => m.content.includes('Lockdown started')) ?? null,
      10_000,
      'owner DM',
    );
    expect(dm.components ?? []).toEqual([]);
    expect(dm.content).toContain('/antiraid config alert_channel');
    expect(replyText(await run(command(g, g.adminId, 'antiraid status')))).toContain(
      `Alerts: no channel set, so they go to a DM to the owner <@${g.ownerId}>.`,
    );
  });
});
