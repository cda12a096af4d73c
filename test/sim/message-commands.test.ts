import type { APIApplicationCommand, APIMessage, APIMessageApplicationCommandInteraction } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { messageCommand, newGuild, sim, simApi } from '../helpers.ts';

/** A bulk overwrite of the guild's commands, sent raw and marked so the suite's OpenAPI audit of the bot's own requests leaves it out. */
async function overwrite(guildId: string, body: unknown) {
  const res = await fetch(`${sim.apiBase}/applications/${sim.applicationId}/guilds/${guildId}/commands`, {
    method: 'PUT',
    headers: { Authorization: `Bot ${sim.botToken}`, 'X-Sim-Deliberately-Invalid': '1', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // Discord's nested error tree, walked by the paths it documents.
  return { status: res.status, body: (await res.json()) as any };
}

const menu = (name: string, over: Record<string, unknown> = {}) => ({ type: 3, name, ...over });

describe('message commands in the simulator, as Discord documents them', () => {
  it('registers them by bulk overwrite: mixed case and spaces in the name, an empty description, beside a slash command of the same name', async () => {
    const g = await newGuild();
    const r = await overwrite(g.guildId, [
      { name: 'report', description: 'A slash command' },
      menu('report'),
      menu('Open ticket', { name_localizations: { de: 'Ticket öffnen' } }),
    ]);
    expect(r.status).toBe(200);
    const stored = r.body as APIApplicationCommand[];
    expect(stored.map((c) => [c.type, c.name])).toEqual([
      [1, 'report'],
      [3, 'report'],
      [3, 'Open ticket'],
    ]);
    expect(stored[2]).toMatchObject({ name: 'Open ticket', description: '', name_localizations: { de: 'Ticket öffnen' } });
    expect(stored[2]).not.toHaveProperty('options');
  });

  it('refuses a description, options, a name over 32 characters, a duplicate, and more message commands than Discord allows', async () => {
    const g = await newGuild();
    const bad = await overwrite(g.guildId, [
      menu('Described', { description: 'Not on a message command' }),
      menu('Optioned', { options: [{ type: 3, name: 'x', description: 'x' }] }),
      menu('x'.repeat(33)),
      menu('Twice'),
      menu('Twice'),
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(50035);
    expect(bad.body.errors['0'].description._errors[0].code).toBe('APPLICATION_COMMAND_DESCRIPTION_INVALID');
    expect(bad.body.errors['1'].options._errors[0].code).toBe('APPLICATION_COMMAND_OPTIONS_INVALID');
    expect(bad.body.errors['2'].name._errors[0].code).toBe('BASE_TYPE_BAD_LENGTH');
    expect(bad.body.errors['4'].name._errors[0].code).toBe('APPLICATION_COMMANDS_DUPLICATE_NAME');

    // Discord's documented limit: 15 message commands per application (globally, and again per guild).
    const names = Array.from({ length: 16 }, (_, n) => menu(`Menu ${n}`));
    expect((await overwrite(g.guildId, names.slice(0, 15))).status).toBe(200);
    const tooMany = await overwrite(g.guildId, names);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors._errors[0].code).toBe('APPLICATION_COMMANDS_TOO_MANY');
  });

  it('delivers a message command with its target message resolved, and types its answer as a context-menu answer', async () => {
    const g = await newGuild();
    const author = g.memberIds[0]!;
    const msg = await simApi<APIMessage>(`/_sim/channels/${g.generalChannelId}/messages`, { body: { user_id: author, content: 'help me' } });
    const built = await simApi<{ interaction: APIMessageApplicationCommandInteraction }>('/_sim/interactions', {
      body: messageCommand(g, g.staffId, g.generalChannelId, msg.id),
    });
    const i = built.interaction;
    expect(i).toMatchObject({ type: 2, data: { name: 'Open ticket', type: 3, target_id: msg.id } });
    expect(i.data.resolved.messages[msg.id]).toMatchObject({ id: msg.id, content: 'help me', author: { id: author } });
    const answered = await fetch(`${sim.url}/_sim/interactions/${i.id}/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'ok' } }),
    });
    expect(answered.status).toBe(200);
    await answered.body?.cancel();
    const original = await simApi<{ original: APIMessage }>(`/_sim/interactions/${i.id}`);
    expect(original.original).toMatchObject({ type: 23, interaction_metadata: { id: i.id, target_message_id: msg.id } });
  });
});
