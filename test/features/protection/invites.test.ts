import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, newGuild, replyText, simApi, type TestGuild } from '../../helpers.ts';
import { command, joins, protection, run, startGateway, stopGateway, tracked, user } from './support.ts';

beforeAll(startGateway, 30_000);
afterAll(stopGateway);

const invite = (g: TestGuild, body: Record<string, unknown>) => simApi<{ code: string }>(`/_sim/guilds/${g.guildId}/invites`, { body });
/** Waits until every join the guild has seen is attributed (or found unattributable). */
const settled = (g: TestGuild, total: number) =>
  eventually(
    async () => {
      const s = (await protection(g.guildId)).invites;
      return s.pendingJoins === 0 && s.trackedJoins === total ? s : null;
    },
    10_000,
    `${total} joins attributed`,
  );
const about = async (g: TestGuild, memberId: string) => replyText(await run(command(g, g.adminId, 'invites member', { member: user(memberId) })));

/** A guild whose joins are tracked; anti-raid is off so that a test's bursts of look-alike joins never lock it down. */
async function trackedGuild(): Promise<TestGuild> {
  const g = await newGuild(4, 1);
  expect(replyText(await run(command(g, g.adminId, 'antiraid off')))).toMatch(/^Anti-raid is off/);
  await tracked(g.guildId);
  return g;
}

describe('invite tracking through the gateway', () => {
  it('attributes a single join to its invite and inviter', async () => {
    const g = await trackedGuild();
    const [alice] = g.memberIds;
    const inv = await invite(g, { inviter_id: alice });
    await eventually(async () => (await protection(g.guildId)).invites.invites === 1, 5000, 'INVITE_CREATE applied');
    const j = await joins(g.guildId, { count: 1, via: inv.code });
    await settled(g, 1);
    expect(await about(g, j.member_ids[0]!)).toContain(`through invite ${inv.code} from <@${alice}> (regular)`);
    expect(await about(g, alice!)).toMatch(new RegExp(`^<@${alice}> invited: \\*\\*1\\*\\* total · 1 regular · 0 left · 0 fake\\.`));
  });

  it('says so when simultaneous joins could come from two invites, and resolves simultaneous joins through one', async () => {
    const g = await trackedGuild();
    const [alice, bob] = g.memberIds;
    const a = await invite(g, { inviter_id: alice });
    const b = await invite(g, { inviter_id: bob });
    await eventually(async () => (await protection(g.guildId)).invites.invites === 2, 5000, 'both invites known');
    const [ja, jb] = await Promise.all([joins(g.guildId, { count: 1, via: a.code }), joins(g.guildId, { count: 1, via: b.code })]);
    await settled(g, 2);
    for (const id of [ja.member_ids[0]!, jb.member_ids[0]!]) {
      const text = await about(g, id);
      expect(text).toContain('cannot be told which');
      expect(text).toContain(`invite ${a.code} (<@${alice}>)`);
      expect(text).toContain(`invite ${b.code} (<@${bob}>)`);
    }
    // Ambiguous joins count for nobody.
    expect(await about(g, alice!)).toContain('**0** total');

    // Three at once through the same invite: only one invite changed, so all three are Alice's.
    const three = await joins(g.guildId, { count: 3, via: a.code });
    await settled(g, 5);
    for (const id of three.member_ids) expect(await about(g, id)).toContain(`through invite ${a.code} from <@${alice}>`);
    expect(await about(g, alice!)).toContain('**3** total · 3 regular');
  });

  it('attributes a join through a one-use invite, which Discord deletes as it is used', async () => {
    const g = await trackedGuild();
    const [, , carol] = g.memberIds;
    const once = await invite(g, { inviter_id: carol, max_uses: 1 });
    await eventually(async () => (await protection(g.guildId)).invites.invites === 1, 5000, 'invite known');
    const j = await joins(g.guildId, { count: 1, via: once.code });
    expect(j.invite).toMatchObject({ deleted: true });
    await settled(g, 1);
    expect(await about(g, j.member_ids[0]!)).toContain(`through invite ${once.code} from <@${carol}>`);
    expect((await protection(g.guildId)).invites.invites).toBe(0);
  });

  it('tracks joins through the vanity URL separately', async () => {
    const g = await trackedGuild();
    const code = `gk${g.guildId.slice(-8)}`;
    await simApi(`/_sim/guilds/${g.guildId}/vanity`, { body: { code, uses: 7 } });
    await eventually(async () => (await protection(g.guildId)).invites.vanity === code, 5000, 'vanity in the snapshot');
    const j = await joins(g.guildId, { count: 1, via: 'vanity' });
    await settled(g, 1);
    expect(await about(g, j.member_ids[0]!)).toContain(`through the vanity URL ${code}`);
    expect(replyText(await run(command(g, g.adminId, 'invites leaderboard')))).toBe('No invites tracked yet.');
  });

  it('shows total, regular, left and fake per inviter, and names campaign invites', async () => {
    const g = await trackedGuild();
    const [alice, bob] = g.memberIds;
    const a = await invite(g, { inviter_id: alice });
    const b = await invite(g, { inviter_id: bob });
    await eventually(async () => (await protection(g.guildId)).invites.invites === 2, 5000, 'both invites known');
    // Alice: two regular members, one who leaves at once (fake), one brand-new account (fake).
    const regular = await joins(g.guildId, { count: 2, via: a.code });
    await settled(g, 2);
    const leaver = await joins(g.guildId, { count: 1, via: a.code });
    await settled(g, 3);
    await simApi(`/_sim/guilds/${g.guildId}/leave`, { body: { user_id: leaver.member_ids[0] } });
    await joins(g.guildId, { count: 1, via: a.code, accountAgeDays: 1 });
    await settled(g, 4);
    // Bob: one regular.
    await joins(g.guildId, { count: 1, via: b.code });
    await settled(g, 5);
    expect(regular.member_ids).toHaveLength(2);

    await eventually(async () => (await about(g, alice!)).includes('**4** total · 2 regular · 0 left · 2 fake'), 5000, 'the leave is counted');
    const board = replyText(await run(command(g, g.staffId, 'invites leaderboard')));
    expect(board.split('\n')).toEqual([
      '**Invite leaderboard** (regular invites first)',
      `1. <@${alice}> — **4** total · 2 regular · 0 left · 2 fake`,
      `2. <@${bob}> — **1** total · 1 regular · 0 left · 0 fake`,
    ]);

    expect(replyText(await run(command(g, g.staffId, 'invites name', { code: b.code, name: 'summer-stream' })))).toBe(
      'You need the Manage Server permission to name campaign invites.',
    );
    expect(replyText(await run(command(g, g.adminId, 'invites name', { code: b.code, name: 'summer-stream' })))).toBe(
      `Invite ${b.code} is now the campaign “summer-stream”.`,
    );
    expect(replyText(await run(command(g, g.adminId, 'invites name', { code: a.code, name: 'Summer-Stream' })))).toBe(
      `The campaign name "Summer-Stream" is already used by invite ${b.code}.`,
    );
    await joins(g.guildId, { count: 2, via: b.code });
    await settled(g, 7);
    expect(replyText(await run(command(g, g.adminId, 'invites campaigns')))).toBe(
      `**Campaigns**\n• “summer-stream” (${b.code}) — **3** total · 3 regular · 0 left · 0 fake`,
    );
  });
});
