import { type APIMessage, ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { STATS_HEIGHT, STATS_WIDTH } from '../../../src/features/analytics/chart.ts';
import type { GatewayEvent } from '../../../src/gateway/events.ts';
import { now } from '../../../src/runtime/clock.ts';
import { guildActor } from '../../../src/runtime/stubs.ts';
import { deliver, env, eventually, newGuild, simApi, type TestGuild } from '../../helpers.ts';
import { pngInfo } from '../levels/support.ts';

/** /stats: deferred, then an embed with the range's numbers and a PNG chart attached (drawn without a browser). */

let g: TestGuild;
let seq = 0;

const stats = (userId: string, range?: string) =>
  deliver({
    type: 2,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: userId,
    data: { name: 'stats', type: 1, options: range ? [{ name: 'range', type: T.String, value: range }] : [] },
  });

async function finished(interactionId: string): Promise<APIMessage> {
  return eventually(
    async () => {
      const r = await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${interactionId}`);
      return r.original && r.original.attachments.length > 0 ? r.original : null;
    },
    10_000,
    '/stats answer',
  );
}

beforeAll(async () => {
  g = await newGuild(2, 1);
  const join = (i: number): GatewayEvent => ({
    s: ++seq,
    t: 'GUILD_MEMBER_ADD',
    d: {
      guild_id: g.guildId,
      user: { id: String(920_000_000_000_000_000n + BigInt(i)), username: `s${i}`, bot: true },
      roles: [],
      joined_at: new Date(now()).toISOString(),
    },
  });
  await guildActor(env, g.guildId).applyEvents(0, `stats-${Date.now()}`, [
    join(1),
    join(2),
    join(3),
    { s: ++seq, t: 'GUILD_MEMBER_REMOVE', d: { guild_id: g.guildId, user: { id: '5', username: 'x' } } },
  ]);
});

describe('/stats', () => {
  it('defers, then answers with the numbers and a valid PNG chart', async () => {
    const d = await stats(g.adminId, '1h');
    expect(d.response).toMatchObject({ type: 5, data: { flags: 64 } });
    const msg = await finished(d.interaction.id);
    const embed = msg.embeds[0]!;
    expect(embed.title).toBe('Server stats · Last hour');
    expect(embed.fields).toContainEqual({ name: 'Joins', value: '3', inline: true });
    expect(embed.fields).toContainEqual({ name: 'Leaves', value: '1', inline: true });
    expect(embed.image?.url).toMatch(/stats\.png/);
    expect(msg.attachments).toMatchObject([{ filename: 'stats.png', content_type: 'image/png' }]);
    const png = new Uint8Array(await (await fetch(msg.attachments[0]!.url)).arrayBuffer());
    expect(pngInfo(png)).toEqual({ signature: true, width: STATS_WIDTH, height: STATS_HEIGHT, colorType: 2 });
  });

  it('answers in the invoker’s language', async () => {
    const d = await deliver({
      type: 2,
      guild_id: g.guildId,
      channel_id: g.generalChannelId,
      user_id: g.adminId,
      locale: 'de',
      data: { name: 'stats', type: 1, options: [] },
    });
    const msg = await finished(d.interaction.id);
    expect(msg.embeds[0]!.title).toBe('Serverstatistik · Letzte 24 Stunden');
  });
});
