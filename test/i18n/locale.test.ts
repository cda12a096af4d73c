import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { addRule, command, dmsOf, findPost, int, modGuild, run, setUpModeration, str, user } from '../features/moderation/helpers.ts';
import { controlMessage, deliver, eventually, newGuild, provisioned, replyText, simApi, slash } from '../helpers.ts';

/** The interaction's original response as the simulator holds it (after any edits). */
const original = async (interactionId: string) => (await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${interactionId}`)).original;

describe('locale choice', () => {
  it('answers a person in their locale and posts in the ticket channel in the guild’s locale', async () => {
    const g = await newGuild();
    const member = g.memberIds[0]!;
    const d = await deliver({
      ...slash(g, member, 'ticket open', { issue_type: 'crash', severity: 'high', subject: 'Spiel stürzt ab' }),
      locale: 'de',
      guild_locale: 'fr',
    });
    expect(d.accepted).toBe(true);
    expect(replyText(d)).toMatch(/^🎫 Ticket #(\d+) eröffnet \(Absturz, hoch\): „Spiel stürzt ab“\. Dein privater Thread wird eingerichtet …$/);
    const number = /#(\d+)/.exec(replyText(d))![1];
    // Generous bound: the first file of a loaded machine can take a while to provision.
    const ticket = await provisioned(`${g.guildId}-${number}`, 20_000);
    // The thread's control message is a channel post: the guild's locale (French), for everyone in it.
    const control = await controlMessage(g, ticket.channelId!, ticket.controlMessageId!);
    expect(control.content).toContain(`— ticket #${number} ouvert. Décris le problème ici`);
    expect(control.embeds[0]?.fields?.map((f) => f.name)).toEqual([
      'Statut',
      'Gravité',
      'Type',
      'Ouvert par',
      'Responsable',
      'Ouvert',
      'Première réponse attendue',
      'Résolution attendue',
    ]);
    expect(control.components?.[0]).toMatchObject({ components: [{ label: 'Prendre en charge' }, { label: 'Escalader' }, { label: 'Fermer' }] });
    // The member's own confirmation, edited once the thread exists, stays in German.
    const edited = await eventually(
      async () => {
        const o = await original(d.interaction.id);
        return o?.content.includes('bereit') ? o : null;
      },
      20_000,
      'confirmation edited',
    );
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

  it('moderation: the moderator hears their language, the mod log and the member’s notice speak the guild’s', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    const m = g.memberIds[0]!;
    const warned = await deliver({ ...command(g, g.staffId, 'warn', [user('member', m), str('reason', 'Spam')]), locale: 'es-ES', guild_locale: 'de' });
    expect(replyText(warned)).toBe(`Se ha advertido a <@${m}> (caso #1, infracción #1).`);
    const log = await findPost(g, g.supportChannelId, 'Fall #1');
    expect(log.embeds[0]).toMatchObject({ title: 'Fall #1 · Verwarnung' });
    expect(log.embeds[0]?.fields?.map((f) => f.name)).toEqual(['Mitglied', 'Von', 'Kanal', 'Grund', 'Ergebnis']);
    const dm = await eventually(async () => (await dmsOf(m)).messages.find((x) => x.content.includes('Verwarnung')), 8000, 'German DM');
    expect(dm.content.split('\n').slice(1, 3)).toEqual(['Grund: Spam', `Fall: \`${g.guildId}-1\``]);
    expect(dm.components?.[0]).toMatchObject({ components: [{ label: 'Einspruch' }] });
    // A count in French: one infraction is singular, the window a plural.
    const fr = await deliver({ ...command(g, g.staffId, 'infractions', [user('member', m)]), locale: 'fr' });
    expect(replyText(fr).split('\n')[0]).toBe(`<@${m}> : 1 infraction, dont 1 compte sur une période de 1 jour.`);
    // Refusals decided by the pure rules are worded here, from their code.
    const self = await deliver({ ...command(g, g.staffId, 'warn', [user('member', g.staffId), str('reason', 'x')]), locale: 'de' });
    expect(replyText(self)).toBe('Du kannst dich nicht selbst verwarnen.');
    const appeal = await deliver({ ...command(g, m, 'appeal', [str('case', `${g.guildId}-99`), str('reason', 'Bitte')]), locale: 'pt-BR' });
    expect(replyText(appeal)).toBe('Não há nenhum caso #99 sobre você nesse servidor.');
    // The guild's locale followed the latest interaction; an English moderator still reads English.
    expect(replyText(await run(g, g.staffId, 'infractions', [user('member', m)])).split('\n')[0]).toBe(`<@${m}>: 1 infraction, 1 counting in the last 1 day.`);
  });

  it('automod rules and moderation settings are described in the administrator’s language', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    await addRule(g, [str('id', 'fast'), str('kind', 'rate'), int('limit', 5), int('seconds', 10), str('effect', 'timeout'), str('duration', '10m')]);
    await addRule(g, [str('id', 'words'), str('kind', 'words'), str('list', 'scam'), str('exempt_channels', `<#${g.supportChannelId}>`)]);
    const list = await deliver({ ...command(g, g.adminId, 'automod list'), locale: 'de' });
    expect(replyText(list)).toBe(
      [
        '2 Regeln (höchstens 100):',
        '`fast`: 5 Nachrichten in 10 Sekunden → Timeout für 10 Minuten und Nachricht löschen',
        `\`words\`: 1 gesperrtes Wort, 0 Muster → Nachricht löschen; ausgenommen: <#${g.supportChannelId}>`,
      ].join('\n'),
    );
    const added = await deliver({ ...command(g, g.adminId, 'automod add', [str('id', 'caps'), str('kind', 'caps'), int('limit', 80)]), locale: 'es-ES' });
    expect(replyText(added)).toBe('Añadida: `caps`: más del 80 % en mayúsculas (mensajes con al menos 10 letras) → borrar el mensaje');
    const s = g.supportChannelId;
    const de = await deliver({ ...command(g, g.adminId, 'modconfig'), locale: 'de' });
    expect(replyText(de)).toBe(
      [
        'Moderationseinstellungen:',
        `Mod-Log: <#${s}>`,
        `Mod-Warteschlange: <#${s}>`,
        `Einsprüche: <#${s}>`,
        'Offene Freigaben verfallen nach 1 Tag',
        'Eskalationsstufen: 3 in 1 Tag → Timeout für 10 Minuten, 5 in 1 Tag → Timeout für 1 Stunde, 7 in 1 Tag → Kick',
        'KI-Klassifikator: aus',
      ].join('\n'),
    );
    const off = await deliver({ ...command(g, g.adminId, 'modconfig', [str('ladder', 'off')]), locale: 'fr' });
    expect(replyText(off)).toContain('\nÉchelle de sanctions : désactivée (les infractions sont enregistrées, mais rien n’escalade)\n');
    expect(replyText(await run(g, g.adminId, 'modconfig'))).toBe(
      [
        'Moderation settings:',
        `Mod log: <#${s}>`,
        `Mod queue: <#${s}>`,
        `Appeals: <#${s}>`,
        'Pending approvals expire after 1 day',
        'Ladder: off (infractions are recorded, nothing escalates)',
        'AI classifier: off',
      ].join('\n'),
    );
  });

  it('the ladder’s reason: the moderator’s language in the reply, the guild’s in the stored case', async () => {
    const g = await modGuild();
    await setUpModeration(g);
    const m = g.memberIds[0]!;
    const warn = (reason: string) =>
      deliver({ ...command(g, g.staffId, 'warn', [user('member', m), str('reason', reason)]), locale: 'es-ES', guild_locale: 'de' });
    await warn('eins');
    await warn('zwei');
    expect(replyText(await warn('drei'))).toBe(
      `Se ha advertido a <@${m}> (caso #3, infracción #3). Se aplica la escalera: 3 infracciones en 1 día → aislamiento de 10 minutos.`,
    );
    const log = await findPost(g, g.supportChannelId, 'Fall #3');
    const fields = Object.fromEntries((log.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Grund).toBe('drei; Eskalation: 3 Verstöße in 1 Tag → Timeout für 10 Minuten');
    expect(fields.Ergebnis).toContain('Mitglied per DM benachrichtigt');
  });
});
