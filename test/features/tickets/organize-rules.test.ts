import { describe, expect, it } from 'vitest';
import { type Ticket, TRIAGE_DEFAULTS } from '../../../src/features/tickets/model.ts';
import {
  checkSnippetContent,
  checkSnippetName,
  fillPlaceholders,
  MAX_TAGS_PER_TICKET,
  normalizeTag,
  retag,
} from '../../../src/features/tickets/organize/rules.ts';
import { decide } from '../../../src/features/tickets/rules.ts';

const T0 = Date.UTC(2026, 5, 1, 12);
const ticket = (o: Partial<Ticket> = {}): Ticket => ({
  id: 'g-7',
  guildId: 'g',
  number: 7,
  openerId: 'm1',
  issueType: 'bug',
  severity: 'high',
  subject: 'Crash',
  description: '',
  status: 'claimed',
  assigneeId: 's1',
  version: 3,
  createdAt: T0,
  updatedAt: T0,
  channelId: 'c1',
  originChannelId: 'o1',
  controlMessageId: 'x',
  closeReason: null,
  lastChangedBy: 's1',
  lastChangedByName: 'Sam',
  openerName: 'Mia',
  ...TRIAGE_DEFAULTS,
  assigneeName: 'Sam',
  ...o,
});
const staff = { userId: 's2', isStaff: true, name: 'Kim' };

describe('saved replies, tags and transfers (pure rules)', () => {
  it('names: trimmed, 1–32 letters, digits, spaces, - or _', () => {
    expect(checkSnippetName('  Refund   steps ')).toEqual({ ok: true, value: 'Refund steps' });
    expect(checkSnippetName('Über_2-go').ok).toBe(true);
    for (const bad of ['', '   ', 'a'.repeat(33), 'semi;colon', 'dot.ted']) expect(checkSnippetName(bad).ok).toBe(false);
  });

  it('a template refuses unknown placeholders and over-long text; other braces are fine', () => {
    expect(checkSnippetContent('Hi {user}, this is {staff} on {ticket}.').ok).toBe(true);
    expect(checkSnippetContent('Use the JSON {"a": 1} or :{ faces }:').ok).toBe(true);
    expect(checkSnippetContent('Hi {usr}')).toEqual({ ok: false, error: { code: 'unknown-placeholder', name: '{usr}' } });
    expect(checkSnippetContent('   ')).toEqual({ ok: false, error: { code: 'empty-content' } });
    expect(checkSnippetContent('x'.repeat(1801))).toMatchObject({ ok: false, error: { code: 'content-too-long', length: 1801 } });
  });

  it('fills every known placeholder, every time it appears, and leaves the rest', () => {
    const out = fillPlaceholders('{user} {user.name} {staff} {ticket} {user} {nope} {subject}', {
      user: '<@1>',
      'user.name': 'Mia',
      staff: 'Kim',
      ticket: '#7',
      subject: 'Crash',
      type: 'Bug',
      severity: 'High',
      assignee: 'Sam',
      category: '',
    });
    expect(out).toBe('<@1> Mia Kim #7 <@1> {nope} Crash');
  });

  it('tags: normalized, sorted, no duplicates, at most 10', () => {
    expect(normalizeTag('  Refund  Please ')).toEqual({ ok: true, value: 'refund please' });
    for (const bad of ['', '!!', 'a'.repeat(25), 'a.b']) expect(normalizeTag(bad).ok).toBe(false);
    expect(retag(['vip'], 'bug', true)).toEqual({ ok: true, value: ['bug', 'vip'] });
    expect(retag(['bug'], 'bug', true)).toEqual({ ok: false, error: { code: 'tag-present', tag: 'bug' } });
    expect(retag([], 'bug', false)).toEqual({ ok: false, error: { code: 'tag-absent', tag: 'bug' } });
    const full = Array.from({ length: MAX_TAGS_PER_TICKET }, (_, n) => `t${n}`);
    expect(retag(full, 'one-more', true)).toEqual({ ok: false, error: { code: 'too-many-tags', max: 10 } });
    expect(retag(full, 't3', false).ok).toBe(true);
  });

  it('a tag bumps the version and keeps the status; only staff may tag', () => {
    const d = decide(ticket(), { kind: 'tag', tag: 'vip', on: true }, staff, T0 + 1000);
    expect(d).toMatchObject({ ok: true, value: { tags: ['vip'], status: 'claimed', assigneeId: 's1', version: 4, lastChangedByName: 'Kim' } });
    const member = decide(ticket(), { kind: 'tag', tag: 'vip', on: true }, { userId: 'm1', isStaff: false }, T0);
    expect(member).toMatchObject({ ok: false, error: { code: 'not-staff' } });
  });

  it('a transfer takes the category’s issue type and sends a claimed ticket back to open, unassigned', () => {
    const d = decide(ticket(), { kind: 'transfer', to: { id: 2, name: 'Billing', issueType: 'billing' } }, staff, T0 + 5);
    expect(d).toMatchObject({
      ok: true,
      value: { status: 'open', assigneeId: null, assigneeName: null, issueType: 'billing', category: { id: 2, name: 'Billing' }, version: 4 },
    });
    // Escalated stays escalated (the new team still sees the urgency), without the old assignee.
    const esc = decide(ticket({ status: 'escalated' }), { kind: 'transfer', to: { id: 2, name: 'Billing', issueType: 'billing' } }, staff, T0);
    expect(esc).toMatchObject({ ok: true, value: { status: 'escalated', assigneeId: null } });
    const same = decide(
      ticket({ category: { id: 2, name: 'Billing' } }),
      { kind: 'transfer', to: { id: 2, name: 'Billing', issueType: 'billing' } },
      staff,
      T0,
    );
    expect(same).toMatchObject({ ok: false, error: { code: 'same-category' } });
    const closed = decide(ticket({ status: 'closed' }), { kind: 'transfer', to: { id: 2, name: 'Billing', issueType: 'billing' } }, staff, T0);
    expect(closed).toMatchObject({ ok: false, error: { code: 'invalid-transition' } });
  });
});
