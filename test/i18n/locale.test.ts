import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { controlMessage, deliver, eventually, newGuild, provisioned, replyText, simApi, slash } from '../helpers.ts';

/** The interaction's original response as the simulator holds it (after any edits). */
const original = async (interactionId: string) => (await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${interactionId}`)).original;

describe('locale choice', () => {
  it('answers a person in their locale and posts in the ticket channel in the guild’s locale', async () => {
    const g = await newGuild();
    const member = g.memberIds[0]!;
    const d = await deliver({ ...slash(g, member, 'ticket open', { issue_type: 'crash', severity: 'high', subject: 'Spiel stürzt ab' }), locale: 'de', guild_locale: 'fr' });
    expect(d.accepted).toBe(true);
    expect(replyText(d)).toMatch(/^🎫 Ticket #(\d+) eröffnet \(Absturz, hoch\): „Spiel stürzt ab“\. Dein privater Thread wird eingerichtet …$/);
    const number = /#(\d+)/.exec(replyText(d))![1];
    const ticket = await provisioned(`${g.guildId}-${number}`);
    // The thread's control message is a channel post: the guild's locale (French), for everyone in it.
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    expect(control.content).toContain(`— ticket #${number} ouvert. Décris le problème ici`);
    expect(control.embeds[0]?.fields?.map((f) => f.name)).toEqual(['Statut', 'Gravité', 'Type', 'Ouvert par', 'Responsable', 'Ouvert']);
    expect(control.components?.[0]).toMatchObject({ components: [{ label: 'Prendre en charge' }, { label: 'Escalader' }, { label: 'Fermer' }] });
    // The member's own confirmation, edited once the thread exists, stays in German.
    const edited = await eventually(async () => {
      const o = await original(d.interaction.id);
      return o?.content.includes('bereit') ? o : null;
    }, 8000, 'confirmation edited');
    expect(edited.content).toBe(`Ticket #${number} ist bereit: <#${ticket.channelId}>. Das Team antwortet dir dort.`);
  });

  it('falls back by language, then to English', async () => {
    const g = await newGuild();
    const es = await deliver({ ...slash(g, g.memberIds[0]!, 'ticket status'), locale: 'es-419' });
    expect(replyText(es)).toBe('No tienes tickets. Abre uno con /ticket open.');
    const pt = await deliver({ ...slash(g, g.memberIds[0]!, 'ticket list'), locale: 'pt-BR' });
    expect(replyText(pt)).toBe('Só a equipe de suporte pode listar tickets.');
    const ja = await deliver({ ...slash(g, g.memberIds[0]!, 'ticket status'), locale: 'ja' });
    expect(replyText(ja)).toBe('You have no tickets. Open one with /ticket open.');
  });
});
