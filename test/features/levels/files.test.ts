import { type APIMessage, ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../../src/features/levels/avatar.ts';
import { deliver, eventually, guildSnapshot, newGuild, simApi, type TestGuild, uploadAttachment } from '../../helpers.ts';
import { command, int, type Opt, pngInfo, role, roleAt, rolesOf, runOk, stored, str, user } from './support.ts';

const file = (name: string, id: string): Opt => ({ name, type: T.Attachment, value: id });

/** The message a deferred answer became, once the job has edited it. */
async function finished(interactionId: string, what: string): Promise<APIMessage> {
  return eventually(
    async () => {
      const r = await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${interactionId}`);
      return r.original && (r.original.content || r.original.attachments.length > 0) ? r.original : null;
    },
    10_000,
    what,
  );
}

const bytesOf = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const textOf = async (url: string) => (await fetch(url)).text();

async function colourOf(userId: string): Promise<number[]> {
  const h = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(userId)));
  return [h[0]!, h[1]!, h[2]!];
}

describe('/rank', () => {
  it('defers, then attaches a PNG rank card with the member’s avatar, level and progress', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    await runOk(g, 'xp set', [user('member', a), int('amount', 300)]);
    await runOk(g, 'xp set', [user('member', b), int('amount', 900)]);
    const d = await deliver(command(g, a, 'rank'));
    expect(d.response).toEqual({ type: 5 });
    const msg = await finished(d.interaction.id, 'rank card');
    expect(msg.content).toBe(`<@${a}> · level 2 · 300 XP (45/220 to the next level) · rank #2`);
    expect(msg.attachments).toMatchObject([{ filename: 'rank.png', content_type: 'image/png', width: 640, height: 200 }]);
    const png = await bytesOf(msg.attachments[0]!.url);
    expect(pngInfo(png)).toEqual({ signature: true, width: 640, height: 200, colorType: 2 });
    // The avatar disc's centre is the member's avatar (the simulator's avatars are one colour per user).
    const card = (await decodePng(png))!;
    const o = (100 * card.width + 100) * 3;
    expect([...card.rgb.subarray(o, o + 3)]).toEqual(await colourOf(a));
  });

  it('draws another member’s card, and one for a member with no XP', async () => {
    const g = await newGuild();
    const d = await deliver(command(g, g.memberIds[0]!, 'rank', [user('member', g.memberIds[1]!)]));
    const msg = await finished(d.interaction.id, 'rank card');
    expect(msg.content).toContain(`<@${g.memberIds[1]}> · level 0 · 0 XP`);
    expect(pngInfo(await bytesOf(msg.attachments[0]!.url)).signature).toBe(true);
  });
});

describe('import and export', () => {
  async function importFile(g: TestGuild, content: string) {
    const att = await uploadAttachment('mee6.csv', 'text/csv', content);
    const d = await deliver(command(g, g.adminId, 'levels import', [file('file', att.id)]));
    expect(d.response).toEqual({ type: 5, data: { flags: 64 } });
    return finished(d.interaction.id, 'import answer');
  }

  it('imports MEE6-style XP from a CSV attachment', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    const msg = await importFile(g, `user_id,xp\n${a},1150\n${b},255\n`);
    expect(msg.content).toBe('Imported the XP of 2 members.');
    expect((await stored(g, a))!.xp).toBe(1150);
    expect((await stored(g, b))!.xp).toBe(255);
  });

  it('gives the reward roles of the imported levels, without level-up messages', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    const r5 = await roleAt(g, 'Level 5', 1);
    await runOk(g, 'levels reward add', [int('level', 5), role('role', r5)]);
    const msg = await importFile(g, `${a},1150\n${b},255\n`);
    expect(msg.content).toBe('Imported the XP of 2 members.\nReward roles are on their way to 1 member.');
    await eventually(async () => (await rolesOf(g, a)).includes(r5), 8000, 'level 5 role after the import');
    expect(await rolesOf(g, b)).not.toContain(r5);
    expect((await guildSnapshot(g.guildId)).messages[g.generalChannelId] ?? []).toEqual([]);
  });

  it('a malformed file changes nothing and says which line', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    await runOk(g, 'xp set', [user('member', a), int('amount', 10)]);
    const msg = await importFile(g, `${a},5000\n${b},700\nnot-a-user,3\n`);
    expect(msg.content).toBe('Nothing imported. Line 3: the first column is not a Discord user id.');
    expect((await stored(g, a))!.xp).toBe(10);
    expect(await stored(g, b)).toBeNull();
  });

  it('exports everyone’s XP as CSV and as JSON', async () => {
    const g = await newGuild();
    const [a, b] = g.memberIds as [string, string];
    await runOk(g, 'xp set', [user('member', a), int('amount', 255)]);
    await runOk(g, 'xp set', [user('member', b), int('amount', 1150)]);
    const csv = await deliver(command(g, g.adminId, 'levels export', [str('format', 'csv')]));
    const csvMsg = await finished(csv.interaction.id, 'CSV export');
    expect(csvMsg.content).toBe('The XP of 2 members.');
    expect(csvMsg.attachments[0]).toMatchObject({ filename: `levels-${g.guildId}.csv`, content_type: 'text/csv' });
    expect(await textOf(csvMsg.attachments[0]!.url)).toBe(`user_id,xp,level,messages\n${b},1150,5,0\n${a},255,2,0\n`);
    const json = await deliver(command(g, g.adminId, 'levels export', [str('format', 'json')]));
    const jsonMsg = await finished(json.interaction.id, 'JSON export');
    expect(JSON.parse(await textOf(jsonMsg.attachments[0]!.url))).toEqual([
      { userId: b, xp: 1150, level: 5, messages: 0 },
      { userId: a, xp: 255, level: 2, messages: 0 },
    ]);
  });
});
