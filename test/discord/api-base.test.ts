import type { APIUser } from 'discord-api-types/v10';
import { Routes } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { avatarUrl, cdnBase, DEFAULT_API_BASE } from '../../src/discord/api-base.ts';
import { DiscordRest } from '../../src/discord/rest.ts';
import { newGuild, sim } from '../helpers.ts';

describe('CDN addresses', () => {
  it('uses Discord’s CDN for Discord’s API and the API base’s own origin otherwise', () => {
    expect(cdnBase(DEFAULT_API_BASE)).toBe('https://cdn.discordapp.com');
    expect(cdnBase('https://canary.discord.com/api/v10')).toBe('https://cdn.discordapp.com');
    expect(cdnBase(sim.apiBase)).toBe(sim.url);
  });

  it('builds avatar URLs by Discord’s rules: the hash with a power-of-two size, else the default avatar by (id >> 22) % 6', () => {
    expect(avatarUrl(DEFAULT_API_BASE, '80351110224678912', 'a1b2', 128)).toBe('https://cdn.discordapp.com/avatars/80351110224678912/a1b2.png?size=128');
    expect(avatarUrl(DEFAULT_API_BASE, '80351110224678912', 'a1b2', 100)).toBe('https://cdn.discordapp.com/avatars/80351110224678912/a1b2.png?size=128');
    expect(avatarUrl(DEFAULT_API_BASE, '80351110224678912', 'a1b2', 9000)).toBe('https://cdn.discordapp.com/avatars/80351110224678912/a1b2.png?size=4096');
    // (80351110224678912 >> 22) % 6 = 19157197529 % 6 = 5
    expect(avatarUrl(DEFAULT_API_BASE, '80351110224678912', null)).toBe('https://cdn.discordapp.com/embed/avatars/5.png');
  });

  it('resolves to PNGs the simulator serves, for a member with an avatar and for the bot without one', async () => {
    const g = await newGuild();
    const rest = new DiscordRest({ token: sim.botToken, apiBase: sim.apiBase });
    const member = await rest.get<{ user: APIUser }>(Routes.guildMember(g.guildId, g.memberIds[0]!));
    const me = await rest.get<APIUser>('/users/@me');
    if (!member.ok || !me.ok) throw new Error('simulator read failed');
    for (const user of [member.value.user, me.value]) {
      const res = await fetch(avatarUrl(sim.apiBase, user.id, user.avatar, 64));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    }
  });
});
