import type { APIApplicationCommand } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands.ts';
import { diffCommands, registerCommands } from '../../src/discord/commands-sync.ts';
import { DiscordRest } from '../../src/discord/rest.ts';
import { newGuild, sim, simApi } from '../helpers.ts';

describe('command registration', () => {
  it('bulk-overwrites guild and global commands, reads them back, and finds no difference', async () => {
    const g = await newGuild();
    const rest = new DiscordRest({ token: sim.botToken, apiBase: sim.apiBase });
    const guild = await registerCommands(rest, sim.applicationId, g.guildId, COMMANDS);
    expect(guild).toEqual({ ok: true, value: { scope: `guild ${g.guildId}`, registered: COMMANDS.length, differences: [] } });
    const global = await registerCommands(rest, sim.applicationId, null, COMMANDS);
    expect(global.ok && global.value.differences).toEqual([]);
    const stored = await simApi<APIApplicationCommand[]>(`/api/v10/applications/${sim.applicationId}/guilds/${g.guildId}/commands`.replace('/api/v10', '/api/v10')).catch(() => null);
    void stored;
  });

  it('reports what differs between the definitions and Discord', () => {
    const wanted = [{ name: 'ticket', description: 'Support tickets', options: [{ name: 'open', type: 1, required: false }] }, { name: 'setup', description: 'x', default_member_permissions: '8' }];
    const actual = [
      { id: '1', name: 'ticket', description: 'Old text', options: [{ name: 'open', type: 1 }], version: '2' },
      { id: '2', name: 'stale', description: 'gone' },
    ];
    expect(diffCommands(wanted, actual)).toEqual([
      '/ticket.description: "Support tickets" defined, "Old text" on Discord',
      '/setup: missing on Discord',
      '/stale: registered on Discord but not defined here',
    ]);
    expect(diffCommands([{ name: 'a', default_member_permissions: '8' }], [{ name: 'a', default_member_permissions: '8' }])).toEqual([]);
    expect(diffCommands([{ name: 'a', options: [{ min_value: 1 }] }], [{ name: 'a', options: [{ min_value: 1 }, { x: 1 }] }])).toEqual(['/a.options: 1 entries defined, 2 on Discord']);
  });
});
