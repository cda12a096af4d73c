import { describe, expect, it } from 'vitest';
import { resolveLocale, t } from '../../src/i18n/index.ts';

describe('t()', () => {
  it('chooses plural forms by each locale’s rules', () => {
    expect(t('en', 'ticket.setup.limit', { max: 1 })).toBe('Members may have 1 open ticket per issue type.');
    expect(t('en', 'ticket.setup.limit', { max: 3 })).toBe('Members may have 3 open tickets per issue type.');
    expect(t('de', 'ticket.setup.limit', { max: 1 })).toBe('Mitglieder dürfen 1 offenes Ticket pro Problemart haben.');
    expect(t('de', 'ticket.setup.limit', { max: 4 })).toBe('Mitglieder dürfen 4 offene Tickets pro Problemart haben.');
    // French counts 0 as singular; English does not.
    expect(t('fr', 'ticket.setup.limit', { max: 0 })).toBe('Chaque membre peut avoir 0 ticket ouvert par type de problème.');
    expect(t('en', 'ticket.setup.limit', { max: 0 })).toBe('Members may have 0 open tickets per issue type.');
    expect(t('pt-BR', 'ticket.setup.limit', { max: 2 })).toBe('Cada membro pode ter 2 tickets abertos por tipo de problema.');
    expect(t('es-ES', 'ticket.setup.limit', { max: 1 })).toBe('Cada miembro puede tener 1 ticket abierto por tipo de problema.');
  });

  it('falls back to the language, then to English', () => {
    expect(resolveLocale('en-US')).toBe('en');
    expect(resolveLocale('en-GB')).toBe('en');
    expect(resolveLocale('es-419')).toBe('es-ES');
    expect(resolveLocale('pt-BR')).toBe('pt-BR');
    expect(resolveLocale('ja')).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
    expect(t('en-GB', 'ticket.mine.none')).toBe('You have no tickets. Open one with /ticket open.');
    expect(t('es-419', 'ticket.mine.none')).toBe('No tienes tickets. Abre uno con /ticket open.');
    expect(t('ko', 'ticket.mine.none')).toBe('You have no tickets. Open one with /ticket open.');
  });

  it('keeps Discord markup and fills select branches', () => {
    expect(t('de', 'ticket.closed-by', { number: 7, user: '123', hasReason: 'yes', reason: 'erledigt' })).toBe('🔒 Ticket #7 geschlossen von <@123>: erledigt');
    expect(t('en', 'ticket.closed-by', { number: 7, user: '123', hasReason: 'no', reason: '' })).toBe('🔒 Ticket #7 closed by <@123>.');
    // Member text is a value, never parsed as a message.
    expect(t('en', 'ticket.embed.title', { number: 1, subject: "{oops} it's <b>" })).toBe("Ticket #1: {oops} it's <b>");
  });

  it('never throws on a missing value', () => {
    expect(() => t('de', 'ticket.ready', {})).not.toThrow();
    expect(typeof t('de', 'ticket.ready', {})).toBe('string');
  });
});
