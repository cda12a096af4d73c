import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { GuildLevels } from '../../../src/features/levels/feature.ts';
import { XP_WRITES } from '../../../src/features/levels/xp-buffer.ts';
import type { GuildRouter } from '../../../src/platform/guild-router.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { env, eventually, newGuild, simApi } from '../../helpers.ts';
import { advanceClock, resetClock } from '../../support/clock.ts';
import { batch, channel, fixedXp, int, messagesIn, num, posted, role, runOk, say, stored, str, xpOf } from './support.ts';

afterEach(() => resetClock());

describe('XP for messages through the gateway', () => {
  it('awards 15–25 XP by default, at most once per 60 s per member, and counts every message', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    await say(g, a, 3);
    const first = await stored(g, a);
    expect(first!.xp).toBeGreaterThanOrEqual(15);
    expect(first!.xp).toBeLessThanOrEqual(25);
    expect(first!.messages).toBe(3);
    advanceClock(59_000);
    await say(g, a);
    expect(await xpOf(g, a)).toBe(first!.xp);
    advanceClock(1_000);
    await say(g, a);
    const second = await stored(g, a);
    expect(second!.xp - first!.xp).toBeGreaterThanOrEqual(15);
    expect(second!.xp - first!.xp).toBeLessThanOrEqual(25);
    expect(second!.messages).toBe(5);
    // Each member has their own cooldown.
    await say(g, b);
    expect(await xpOf(g, b)).toBeGreaterThanOrEqual(15);
  });

  it('follows the configured amount and rate', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    await fixedXp(g, 40, 10);
    await say(g, a, 2);
    expect(await xpOf(g, a)).toBe(40);
    advanceClock(10_000);
    await say(g, a);
    expect(await xpOf(g, a)).toBe(80);
  });

  it('applies channel and role multipliers; no-XP channels and roles earn nothing', async () => {
    const g = await newGuild();
    const [a, b, c, d] = g.memberIds as [string, string, string, string];
    await fixedXp(g, 20, 0);
    const { role_id: boost } = await simApi<{ role_id: string }>('/_sim/roles', { body: { guild_id: g.guildId, name: 'Booster' } });
    const { role_id: muted } = await simApi<{ role_id: string }>('/_sim/roles', { body: { guild_id: g.guildId, name: 'No XP' } });
    expect(await runOk(g, 'levels multiplier channel', [channel('channel', g.generalChannelId), num('factor', 2)])).toContain('×2');
    expect(await runOk(g, 'levels multiplier role', [role('role', boost), num('factor', 1.5)])).toContain('×1.5');
    expect(await runOk(g, 'levels multiplier role', [role('role', muted), num('factor', 0)])).toContain('no XP');
    expect(await runOk(g, 'levels multiplier channel', [channel('channel', g.supportChannelId), num('factor', 0)])).toContain('no XP');
    await say(g, a);
    await say(g, b, 1, { roles: [boost] });
    await say(g, c, 1, { roles: [boost, muted] });
    await say(g, d, 1, { channelId: g.supportChannelId });
    expect([await xpOf(g, a), await xpOf(g, b), await xpOf(g, c), await xpOf(g, d)]).toEqual([40, 60, 0, 0]);
    const list = await runOk(g, 'levels multiplier list');
    expect(list).toContain(`<#${g.generalChannelId}>: ×2`);
    expect(list).toContain(`<@&${muted}>: ×0`);
  });

  it('ignores bots and webhooks', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    const m = await posted(g, a);
    await batch(g, [
      { t: 'MESSAGE_CREATE', d: { ...m, id: `${m.id}1`, author: { ...m.author, id: g.botUserId, bot: true } } },
      { t: 'MESSAGE_CREATE', d: { ...m, id: `${m.id}2`, webhook_id: '123456789012345678' } },
    ]);
    expect(await stored(g, g.botUserId)).toBeNull();
    expect(await stored(g, a)).toBeNull();
  });
});

describe('write-behind per gateway batch', () => {
  it('a batch of many messages is one flush with one row per member, not a write per message', async () => {
    const g = await newGuild(6);
    await fixedXp(g, 10, 0);
    const members = g.memberIds.slice(0, 5);
    const events = [];
    for (let i = 0; i < 60; i++) events.push({ t: 'MESSAGE_CREATE', d: await posted(g, members[i % 5]!) });
    const before = { ...XP_WRITES };
    const r = await batch(g, events);
    expect(r.applied).toBe(60);
    expect(XP_WRITES.flushes - before.flushes).toBe(1);
    expect(XP_WRITES.rows - before.rows).toBe(5);
    for (const m of members) expect(await stored(g, m)).toMatchObject({ xp: 120, messages: 12 });
  });

  it('nothing acknowledged is lost when the actor is evicted, and the cooldown survives too', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    await fixedXp(g, 25, 60);
    await say(g, a, 4);
    await evictDurableObject(guildActor(env, g.guildId) as never);
    expect(await stored(g, a)).toMatchObject({ xp: 25, messages: 4 });
    // The new instance reads the last award from storage: still inside the cooldown.
    await say(g, a);
    expect(await stored(g, a)).toMatchObject({ xp: 25, messages: 5 });
    advanceClock(60_000);
    await say(g, a);
    expect(await xpOf(g, a)).toBe(50);
  });

  it('a redelivered batch (same session and sequence) is not counted twice', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    await fixedXp(g, 30, 0);
    const d = await posted(g, a);
    const stub = guildActor(env, g.guildId);
    const session = `levels-redeliver-${Date.now()}`;
    await stub.applyEvents(0, session, [{ s: 1, t: 'MESSAGE_CREATE', d }]);
    await stub.applyEvents(0, session, [{ s: 1, t: 'MESSAGE_CREATE', d }]);
    expect(await stored(g, a)).toMatchObject({ xp: 30, messages: 1 });
  });
});

describe('scale', () => {
  it('a hot guild: 2,000 messages from 200 members in one batch are one flush of 200 rows', async () => {
    const g = await newGuild();
    await fixedXp(g, 10, 0);
    const template = await posted(g, g.memberIds[0]!);
    const author = (i: number) => ({ ...template.author, id: String(100_000_000_000_000_000n + BigInt(i % 200)), username: `m${i % 200}`, global_name: null });
    const events = Array.from({ length: 2000 }, (_, i) => ({
      t: 'MESSAGE_CREATE',
      d: { ...template, id: String(BigInt(template.id) + BigInt(i + 1)), author: author(i) },
    }));
    const before = { ...XP_WRITES };
    const r = await batch(g, events);
    expect(r.applied).toBe(2000);
    expect(XP_WRITES.flushes - before.flushes).toBe(1);
    expect(XP_WRITES.rows - before.rows).toBe(200);
    expect(await stored(g, '100000000000000007')).toMatchObject({ xp: 100, messages: 10, name: 'm7' });
    // How fast a hot guild is applied is measured by `npm run bench` (engagement), not here.
  });
});

describe('XP from other features', () => {
  it('grantXp (an attended event) adds XP and counts the event, for achievements announced once', async () => {
    const g = await newGuild();
    const a = g.memberIds[0]!;
    await runOk(g, 'levels config', [channel('announce_channel', g.supportChannelId)]);
    await runOk(g, 'levels achievement add', [str('kind', 'events'), int('threshold', 2), str('name', 'Regular')]);
    const stub = guildActor(env, g.guildId);
    const grant = () =>
      runInDurableObject(stub as never, (actor: unknown) => {
        const levels = (actor as { router: GuildRouter }).router.find((f): f is GuildLevels => f instanceof GuildLevels)!;
        levels.grantXp(a, 50, 'event 42 attended', { event: true });
      });
    await grant();
    await grant();
    await grant();
    expect(await stored(g, a)).toMatchObject({ xp: 150, events: 3 });
    const posts = async () => (await messagesIn(g, g.supportChannelId)).filter((m) => m.content.startsWith('🏆'));
    await eventually(async () => (await posts()).length === 1, 8000, 'achievement');
    await eventually(async () => (await messagesIn(g, g.supportChannelId)).some((m) => m.content.includes('reached level 1')), 8000, 'level-up');
    await new Promise((r) => setTimeout(r, 200));
    expect((await posts()).map((m) => m.content)).toEqual([`🏆 <@${a}> earned the achievement **Regular**!`]);
  });
});
