import type { APIApplicationCommand } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands.ts';
import { diffCommands, registerCommands } from '../../src/discord/commands-sync.ts';
import { DiscordRest } from '../../src/discord/rest.ts';
import { MODERATION_COMMANDS } from '../../src/features/moderation/commands.ts';
import { PROTECTION_COMMANDS } from '../../src/features/protection/commands.ts';
import { setupCommand, ticketCommand, ticketsCommand } from '../../src/features/tickets/commands.ts';
import { openTicketMenuCommand } from '../../src/features/tickets/from-message.ts';
import { COMMAND_LOCALES, commandKey } from '../../src/i18n/commands.ts';
import { en } from '../../src/i18n/en.ts';
import { newGuild, sim, simApi } from '../helpers.ts';

describe('command registration', () => {
  it('bulk-overwrites guild and global commands, reads them back, and finds no difference', async () => {
    const g = await newGuild();
    const rest = new DiscordRest({ token: sim.botToken, apiBase: sim.apiBase });
    const guild = await registerCommands(rest, sim.applicationId, g.guildId, COMMANDS);
    expect(guild).toEqual({ ok: true, value: { scope: `guild ${g.guildId}`, registered: COMMANDS.length, differences: [] } });
    const global = await registerCommands(rest, sim.applicationId, null, COMMANDS);
    expect(global.ok && global.value.differences).toEqual([]);
    const stored = await simApi<APIApplicationCommand[]>(
      `/api/v10/applications/${sim.applicationId}/guilds/${g.guildId}/commands`.replace('/api/v10', '/api/v10'),
    ).catch(() => null);
    void stored;
  });

  it('reports what differs between the definitions and Discord', () => {
    const wanted = [
      { name: 'ticket', description: 'Support tickets', options: [{ name: 'open', type: 1, required: false }] },
      { name: 'setup', description: 'x', default_member_permissions: '8' },
    ];
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
    // A message command and a slash command of the same name are two commands.
    expect(
      diffCommands(
        [
          { name: 'report', description: 'x' },
          { type: 3, name: 'report' },
        ],
        [{ type: 1, name: 'report', description: 'x' }],
      ),
    ).toEqual(['menu "report": missing on Discord']);
    expect(diffCommands([{ name: 'a', options: [{ min_value: 1 }] }], [{ name: 'a', options: [{ min_value: 1 }, { x: 1 }] }])).toEqual([
      '/a.options: 1 entries defined, 2 on Discord',
    ]);
  });

  describe('localizations', () => {
    interface Node {
      type?: number;
      name: string;
      description?: string;
      name_localizations?: Record<string, string>;
      description_localizations?: Record<string, string>;
      options?: Node[];
      choices?: { name: string; value: string | number; name_localizations?: Record<string, string> }[];
    }
    const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
    const locales = COMMAND_LOCALES.map(([l]) => l as string);

    /** Every localized part of every command, with what is wrong with it. */
    function problems(nodes: readonly Node[], path: string): string[] {
      const out: string[] = [];
      for (const l of locales) {
        const names = nodes.map((n) => n.name_localizations?.[l]);
        const dup = names.filter((n, i) => n !== undefined && names.indexOf(n) !== i);
        if (dup.length) out.push(`${path}: ${l} names ${dup.join(', ')} twice among siblings`);
      }
      for (const n of nodes) {
        const here = `${path}/${n.name}`;
        // A user or message command (top level only): 1-32 characters, capitals and spaces allowed, no description.
        const menu = path === '' && (n.type === 2 || n.type === 3);
        for (const l of locales) {
          const name = n.name_localizations?.[l];
          if (menu) {
            if (!name || [...name].length > 32 || n.description_localizations) out.push(`${here}: ${l} name ${JSON.stringify(name)}`);
            continue;
          }
          if (!name || !NAME.test(name) || name !== name.toLowerCase()) out.push(`${here}: ${l} name ${JSON.stringify(name)}`);
          const d = n.description_localizations?.[l];
          if (!d || [...d].length > 100) out.push(`${here}: ${l} description ${JSON.stringify(d)}`);
          for (const c of n.choices ?? []) {
            const cn = c.name_localizations?.[l];
            if (!cn || [...cn].length > 100) out.push(`${here}=${c.value}: ${l} choice ${JSON.stringify(cn)}`);
          }
        }
        out.push(...problems(n.options ?? [], here));
      }
      return out;
    }

    it('names every command, option and choice in every shipped locale within Discord’s rules, and the simulator accepts them', async () => {
      expect(problems(COMMANDS as unknown as Node[], '')).toEqual([]);
      const g = await newGuild();
      const rest = new DiscordRest({ token: sim.botToken, apiBase: sim.apiBase });
      const r = await registerCommands(rest, sim.applicationId, g.guildId, COMMANDS);
      expect(r.ok && r.value.differences).toEqual([]);
      const back = await rest.get<APIApplicationCommand[]>(`/applications/${sim.applicationId}/guilds/${g.guildId}/commands`);
      const ticket = back.ok ? back.value.find((c) => c.name === 'ticket') : undefined;
      expect(ticket?.description_localizations?.de).toBe('Support-Tickets');
      expect(ticket?.name_localizations?.fr).toBe('ticket');
      const menu = back.ok ? back.value.find((c) => c.type === 3 && c.name === 'Open ticket') : undefined;
      expect(menu).toMatchObject({ description: '', name_localizations: { de: 'Ticket öffnen', fr: 'Ouvrir un ticket' } });
    });

    it('keeps the English catalog equal to the definitions, so translators translate what members see', () => {
      const differ: string[] = [];
      const walk = (n: Node, path: string[]) => {
        const here = [...path, n.name];
        const check = (key: string, text: string) => {
          if ((en as Record<string, string>)[key] !== text)
            differ.push(`${key}: catalog ${JSON.stringify((en as Record<string, string>)[key])}, definition ${JSON.stringify(text)}`);
        };
        check(commandKey(here, 'name'), n.name);
        if (n.description !== undefined) check(commandKey(here, 'description'), n.description);
        for (const c of n.choices ?? []) check(commandKey(here, `choice.${c.value}`), c.name);
        for (const o of n.options ?? []) walk(o, here);
      };
      for (const c of [ticketCommand, ticketsCommand, setupCommand, openTicketMenuCommand, ...MODERATION_COMMANDS, ...PROTECTION_COMMANDS])
        walk(c as unknown as Node, []);
      expect(differ).toEqual([]);
    });

    it('are checked by the simulator as Discord does: known locales, valid names, descriptions of 1-100 characters', async () => {
      const g = await newGuild();
      const bad = [
        {
          name: 'probe',
          description: 'Probe',
          name_localizations: { de: 'Großgeschrieben', xx: 'probe' },
          description_localizations: { fr: 'x'.repeat(101) },
          options: [
            {
              type: 3,
              name: 'opt',
              description: 'Option',
              name_localizations: { 'es-ES': 'con espacio' },
              choices: [{ name: 'a', value: 'a', name_localizations: { 'pt-BR': '' } }],
            },
          ],
        },
      ];
      // Sent raw and marked deliberate, so the suite's OpenAPI audit of the bot's own requests leaves it out.
      const res = await fetch(`${sim.apiBase}/applications/${sim.applicationId}/guilds/${g.guildId}/commands`, {
        method: 'PUT',
        headers: { Authorization: `Bot ${sim.botToken}`, 'X-Sim-Deliberately-Invalid': '1', 'content-type': 'application/json' },
        body: JSON.stringify(bad),
      });
      expect(res.status).toBe(400);
      // biome-ignore lint/suspicious/noExplicitAny: Discord's nested error tree, walked by the paths it documents
      const body = (await res.json()) as { code: number; errors: Record<string, any> };
      expect(body.code).toBe(50035);
      const errors = body.errors;
      expect(errors['0'].name_localizations.de._errors[0].code).toBe('APPLICATION_COMMAND_INVALID_NAME');
      expect(errors['0'].name_localizations.xx._errors[0].code).toBe('BASE_TYPE_CHOICES');
      expect(errors['0'].description_localizations.fr._errors[0].code).toBe('BASE_TYPE_BAD_LENGTH');
      expect(errors['0'].options['0'].name_localizations['es-ES']._errors[0].code).toBe('APPLICATION_COMMAND_INVALID_NAME');
      expect(errors['0'].options['0'].choices['0'].name_localizations['pt-BR']._errors[0].code).toBe('BASE_TYPE_BAD_LENGTH');
    });
  });
});
