import { ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { type Delivered, deliver, lastSeq, sim, simApi, simLog, type TestGuild } from '../../helpers.ts';
import { addRule, int, modGuild, run, str, user } from './helpers.ts';

/** An autocomplete interaction (type 4) while `focused` is being typed. */
function typing(
  g: TestGuild,
  userId: string,
  name: string,
  sub: string | null,
  options: { name: string; type: T; value: string | number; focused?: boolean }[],
) {
  return deliver({
    type: 4,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: userId,
    data: { name, type: 1, options: sub ? [{ name: sub, type: T.Subcommand, options }] : options },
  });
}

const choices = (d: Delivered) => (d.response as { type: number; data: { choices: { name: string; value: string | number }[] } }).data.choices;

describe('autocomplete, answered by the feature that owns the command', () => {
  it('/automod remove offers the guild rule ids matching what was typed, only to administrators, with no call to Discord', async () => {
    const g = await modGuild();
    await addRule(g, [str('id', 'fast'), str('kind', 'rate'), int('limit', 5), int('seconds', 10)]);
    await addRule(g, [str('id', 'words'), str('kind', 'words'), str('list', 'scam')]);
    await addRule(g, [str('id', 'fast-links'), str('kind', 'links'), str('list', 'evil.example')]);
    const before = await lastSeq();
    const all = await typing(g, g.adminId, 'automod', 'remove', [{ name: 'id', type: T.String, value: '', focused: true }]);
    expect(all.response?.type).toBe(8);
    expect(all.accepted).toBe(true);
    expect(choices(all)).toEqual([
      { name: 'fast (rate)', value: 'fast' },
      { name: 'words (words)', value: 'words' },
      { name: 'fast-links (links)', value: 'fast-links' },
    ]);
    const fast = await typing(g, g.adminId, 'automod', 'remove', [{ name: 'id', type: T.String, value: 'FAST', focused: true }]);
    expect(choices(fast).map((c) => c.value)).toEqual(['fast', 'fast-links']);
    // Only the simulator's own bookkeeping of the two interactions: no REST call was made to answer.
    expect((await simLog(before)).filter((c) => !c.path.startsWith('/interactions/'))).toEqual([]);
    expect(choices(await typing(g, g.memberIds[0]!, 'automod', 'remove', [{ name: 'id', type: T.String, value: '', focused: true }]))).toEqual([]);
  });

  it("/pardon offers the chosen member's infractions that still count, newest first", async () => {
    const g = await modGuild();
    const m = g.memberIds[0]!;
    for (const reason of ['spam in general', 'rude to staff', 'spam again']) await run(g, g.staffId, 'warn', [user('member', m), str('reason', reason)]);
    await run(g, g.staffId, 'pardon', [user('member', m), int('infraction', 2), str('reason', 'apologised')]);
    const d = await typing(g, g.staffId, 'pardon', null, [
      { name: 'member', type: T.User, value: m },
      { name: 'infraction', type: T.Integer, value: '', focused: true },
    ]);
    expect(d.accepted).toBe(true);
    expect(choices(d)).toEqual([
      { name: '#3: spam again', value: 3 },
      { name: '#1: spam in general', value: 1 },
    ]);
    expect(
      choices(
        await typing(g, g.staffId, 'pardon', null, [
          { name: 'member', type: T.User, value: m },
          { name: 'infraction', type: T.Integer, value: 'general', focused: true },
        ]),
      ),
    ).toEqual([{ name: '#1: spam in general', value: 1 }]);
    // No member chosen yet, or a member without Timeout Members asking: nothing to offer.
    expect(choices(await typing(g, g.staffId, 'pardon', null, [{ name: 'infraction', type: T.Integer, value: '', focused: true }]))).toEqual([]);
    expect(
      choices(
        await typing(g, g.memberIds[1]!, 'pardon', null, [
          { name: 'member', type: T.User, value: m },
          { name: 'infraction', type: T.Integer, value: '', focused: true },
        ]),
      ),
    ).toEqual([]);
  });

  it("the simulator holds answers to Discord's limits: at most 25 choices, names of 1 to 100 characters", async () => {
    const g = await modGuild();
    const answer = async (choices: unknown[]) => {
      const signed = await simApi<{ interaction: { id: string } }>('/_sim/interactions', {
        body: { type: 4, guild_id: g.guildId, channel_id: g.generalChannelId, user_id: g.adminId, data: { name: 'automod', type: 1, options: [] } },
      });
      const r = await fetch(`${sim.url}/_sim/interactions/${signed.interaction.id}/response`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 8, data: { choices } }),
      });
      await r.body?.cancel();
      return r.status;
    };
    const c = (name: string) => ({ name, value: name || 'x' });
    expect(await answer([c('ok')])).toBeLessThan(300);
    expect(await answer(Array.from({ length: 26 }, (_, n) => c(`c${n}`)))).toBe(400);
    expect(await answer([c('')])).toBe(400);
    expect(await answer([c('n'.repeat(101))])).toBe(400);
  });
});
