import { describe, expect, it } from 'vitest';
import type { Violation } from '../../src/features/moderation/rules/automod.ts';
import { type AutomodRule, describeRule } from '../../src/features/moderation/rules/automod-config.ts';
import { planEnforcement } from '../../src/features/moderation/rules/enforcement.ts';
import { DEFAULT_LADDER, escalationReason } from '../../src/features/moderation/rules/escalation.ts';
import { DEFAULT_SETTINGS, describeLadder, describeSettings } from '../../src/features/moderation/settings.ts';
import { describeAlertTarget, ownerAlert } from '../../src/features/protection/views.ts';
import { decide } from '../../src/features/tickets/rules.ts';
import { SHIPPED_LOCALES } from '../../src/i18n/index.ts';
import { render, renderValue, text, textList } from '../../src/i18n/text.ts';
import { openTicket } from '../support/ticket.ts';

// Staff-facing descriptions (automod rules, moderation settings, the ladder,
// alert targets, ticket refusals) are message values: English stays as it
// was written, and every other language gets its own words.

const base = { enabled: true, exemptRoleIds: [], exemptChannelIds: [], deleteMessage: true, effect: { kind: 'delete' } } as const;
const rule = (r: Partial<AutomodRule> & Pick<AutomodRule, 'id' | 'kind'>): AutomodRule => ({ ...base, ...r }) as AutomodRule;

describe('automod rule lines', () => {
  const rules: [AutomodRule, string][] = [
    [
      rule({ id: 'fast', kind: 'rate', messages: 5, seconds: 10, effect: { kind: 'timeout', durationMs: 600_000 } }),
      '`fast`: 5 messages in 10 seconds → time out for 10 minutes and delete the message',
    ],
    [
      rule({ id: 'dup', kind: 'duplicate', count: 2, seconds: 1, enabled: false, deleteMessage: false, effect: { kind: 'warn' } }),
      '`dup` (off): 2 identical messages in 1 second → warn',
    ],
    [
      rule({ id: 'ping', kind: 'mentions', max: 1, effect: { kind: 'ban', deleteMessageSeconds: 0 }, exemptRoleIds: ['123'], exemptChannelIds: ['456'] }),
      '`ping`: more than 1 mention in a message → ban (after approval) and delete the message; exempt: <@&123> <#456>',
    ],
    [
      rule({ id: 'caps', kind: 'caps', maxPercent: 70, minLetters: 1 }),
      '`caps`: more than 70% capitals (messages with at least 1 letter) → delete the message',
    ],
    [
      rule({ id: 'inv', kind: 'invites', allowedCodes: ['abc', 'def'], effect: { kind: 'quarantine', roleId: '789' } }),
      '`inv`: invite links to other servers (allowed: abc, def) → add the quarantine role <@&789> and delete the message',
    ],
    [rule({ id: 'inv2', kind: 'invites', allowedCodes: [] }), '`inv2`: invite links to other servers → delete the message'],
    [rule({ id: 'w', kind: 'words', words: ['a'], patterns: [] }), '`w`: 1 blocked word, 0 patterns → delete the message'],
    [rule({ id: 'deny', kind: 'links', mode: 'deny', domains: ['example.com', 'x.org'] }), '`deny`: links to example.com, x.org → delete the message'],
    [rule({ id: 'only', kind: 'links', mode: 'allow', domains: ['a.com'] }), '`only`: links outside a.com → delete the message'],
    [rule({ id: 'none', kind: 'links', mode: 'allow', domains: [] }), '`none`: links outside (no domain allowed) → delete the message'],
    [
      rule({ id: 'new', kind: 'new-account', minAgeDays: 1, deleteMessage: false, effect: { kind: 'kick' } }),
      '`new`: accounts younger than 1 day → kick (after approval)',
    ],
  ];

  it.each(rules)('English as before: %j', (r, english) => {
    expect(render('en', describeRule(r))).toBe(english);
  });

  it('every rule in every shipped language, ids and Discord markup kept', () => {
    for (const [r] of rules) {
      const lines = SHIPPED_LOCALES.map((l) => render(l, describeRule(r)));
      expect(new Set(lines).size, lines.join('\n')).toBe(SHIPPED_LOCALES.length);
      for (const line of lines) {
        expect(line.startsWith(`\`${r.id}\``)).toBe(true);
        for (const id of r.exemptRoleIds) expect(line).toContain(`<@&${id}>`);
      }
    }
    const [fast, dup, ping] = rules.map(([r]) => r);
    expect(render('de', describeRule(fast!))).toBe('`fast`: 5 Nachrichten in 10 Sekunden → Timeout für 10 Minuten und Nachricht löschen');
    expect(render('de', describeRule(dup!))).toBe('`dup` (aus): 2 gleiche Nachrichten in 1 Sekunde → verwarnen');
    expect(render('fr', describeRule(ping!))).toBe(
      '`ping` : plus de 1 mention dans un message → bannir (après approbation) et supprimer le message ; exemptés : <@&123> <#456>',
    );
  });
});

describe('moderation settings and the ladder', () => {
  const settings = { ...DEFAULT_SETTINGS, modLogChannelId: '11', queueChannelId: '12' };

  it('reads in English as before', () => {
    expect(render('en', describeSettings(settings))).toBe(
      [
        'Mod log: <#11>',
        'Mod queue: <#12>',
        'Appeals: not set',
        'Pending approvals expire after 1 day',
        'Ladder: 3 in 1 day → timeout for 10 minutes, 5 in 1 day → timeout for 1 hour, 7 in 1 day → kick',
        'AI classifier: off',
      ].join('\n'),
    );
    expect(render('en', describeLadder([]))).toBe('off (infractions are recorded, nothing escalates)');
  });

  it('reads in German, durations and plurals included', () => {
    expect(render('de', describeSettings({ ...settings, ai: true }))).toBe(
      [
        'Mod-Log: <#11>',
        'Mod-Warteschlange: <#12>',
        'Einsprüche: nicht festgelegt',
        'Offene Freigaben verfallen nach 1 Tag',
        'Eskalationsstufen: 3 in 1 Tag → Timeout für 10 Minuten, 5 in 1 Tag → Timeout für 1 Stunde, 7 in 1 Tag → Kick',
        'KI-Klassifikator: an',
      ].join('\n'),
    );
    expect(render('es-ES', escalationReason(1, DEFAULT_LADDER[2]!))).toBe('1 infracción en 1 día → expulsión');
    expect(render('pt-BR', escalationReason(5, DEFAULT_LADDER[1]!))).toBe('5 infrações em 1 dia → castigo por 1 hora');
  });

  it('an enforcement reason names the rules and the ladder step in the reader’s language', () => {
    const v: Violation = {
      ruleId: 'spam',
      kind: 'words',
      effect: { kind: 'delete' },
      deleteMessage: true,
      evidence: text('mod.automod.evidence.word', { word: 'x' }),
      repeat: false,
    };
    const escalation = { step: DEFAULT_LADDER[0]!, index: 0, count: 3, reason: escalationReason(3, DEFAULT_LADDER[0]!) };
    const plan = planEnforcement([v, { ...v, repeat: true }], null, escalation, '42');
    expect(renderValue('en', plan.reason)).toBe(
      'automod rule `spam`; automod rule `spam` (repeat); escalation: 3 infractions in 1 day → timeout for 10 minutes',
    );
    expect(renderValue('fr', plan.reason)).toBe(
      'règle automod `spam` ; règle automod `spam` (répétition) ; échelle de sanctions : 3 infractions en 1 jour → exclusion temporaire de 10 minutes',
    );
    expect(renderValue('de', plan.evidence)).toBe('spam: gesperrtes Wort „x“\nspam: gesperrtes Wort „x“');
    expect(renderValue('fr', plan.evidence)).toBe('spam : mot bloqué « x »\nspam : mot bloqué « x »');
  });

  it('lists: empty, one, several', () => {
    expect(textList([])).toBe('');
    expect(textList(['a'])).toBe('a');
    expect(renderValue('en', textList(['a', text('ticket.state', { status: 'open' }), 3]))).toBe('a, open, 3');
    expect(renderValue('fr', textList(['a', 'b'], 'semicolon'))).toBe('a ; b');
  });
});

describe('anti-raid alert targets', () => {
  it('say where alerts go in the reader’s language; the audit log keeps English', () => {
    const system = { kind: 'channel', channelId: '3', via: 'system' } as const;
    const owner = { kind: 'owner-dm', userId: '9' } as const;
    expect(describeAlertTarget(system)).toBe("<#3> (the server's System Messages channel)");
    expect(describeAlertTarget(owner)).toBe('a DM to the owner <@9>');
    expect(describeAlertTarget({ kind: 'channel', channelId: '1', via: 'configured' }, 'de')).toBe('<#1>');
    expect(describeAlertTarget(system, 'de')).toBe('<#3> (der Kanal für Systemnachrichten des Servers)');
    expect(describeAlertTarget(owner, 'fr')).toBe('un MP au propriétaire du serveur <@9>');
    const dm = ownerAlert({ content: 'Alarm', components: [] }, 'de');
    expect(dm.content).toMatch(/^Alarm\n\n_Du bekommst das, weil dein Server keinen Anti-Raid-Alarmkanal/);
    expect(ownerAlert({ content: 'Alert' }).content).toMatch(/^Alert\n\n_You get this because your server has no anti-raid alert channel/);
  });
});

describe('ticket transition refusals', () => {
  const ticket = openTicket;

  it('name the statuses, allowed ones included, in the reader’s language', () => {
    const r = decide(ticket, { kind: 'set-status', status: 'waiting' }, { userId: 'staff', isStaff: true }, 1);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(render('en', r.error.text)).toBe("Ticket #1 is open; it can't go to waiting. Allowed from open: claimed, escalated, resolved, closed.");
    expect(render('en', r.error.text)).toBe(r.error.message);
    expect(render('de', r.error.text)).toBe(
      'Ticket #1 ist offen; es kann nicht zu „wartend“ wechseln. Erlaubt ab „offen“: übernommen, eskaliert, gelöst, geschlossen.',
    );
    expect(render('fr', r.error.text)).toBe(
      'Le ticket #1 est ouvert ; il ne peut pas passer à « en attente ». Autorisé depuis « ouvert » : pris en charge, escaladé, résolu, fermé.',
    );
    expect(render('es-ES', r.error.text)).toContain('Permitido desde «abierto»: asignado, escalado, resuelto, cerrado.');
  });
});
