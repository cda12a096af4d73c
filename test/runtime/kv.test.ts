import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type Ticket, TRIAGE_DEFAULTS } from '../../src/features/tickets/model.ts';
import { TicketStore } from '../../src/features/tickets/store.ts';
import { JsonKv } from '../../src/runtime/kv.ts';
import { ticketActor } from '../../src/runtime/stubs.ts';
import { env } from '../helpers.ts';

const ticket = (version: number, subject: string): Ticket => ({
  id: '123456789012345678-1',
  guildId: '123456789012345678',
  number: 1,
  openerId: '223456789012345678',
  issueType: 'bug',
  severity: 'low',
  subject,
  description: '',
  status: 'open',
  assigneeId: null,
  version,
  createdAt: 1,
  updatedAt: version,
  channelId: null,
  originChannelId: '323456789012345678',
  controlMessageId: null,
  closeReason: null,
  lastChangedBy: '223456789012345678',
  lastChangedByName: 'member',
  openerName: 'member',
  ...TRIAGE_DEFAULTS,
});

// The sole writer's reads are answered from what it wrote: these check that the answers are what SQLite holds.
describe('reads kept by a sole writer', () => {
  it('JsonKv: what was set, deleted or never there reads back as stored, and each read is a fresh value', async () => {
    const r = await runInDurableObject(ticketActor(env, `kv-test-${Date.now()}`), (_i, state) => {
      const sql = state.storage.sql;
      const kv = new JsonKv(sql, 'meta', { soleWriter: true });
      const stored = (k: string) => sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = ?`, k).toArray()[0]?.v ?? null;
      const absent = kv.get('plan');
      kv.set('plan', { staff: ['a'] });
      const read = kv.get<{ staff: string[] }>('plan')!;
      read.staff.push('mutated by a caller');
      const again = kv.get('plan');
      const row = stored('plan');
      kv.delete('plan');
      return { absent, again, row, deleted: kv.get('plan'), rowAfter: stored('plan') };
    });
    expect(r).toEqual({ absent: null, again: { staff: ['a'] }, row: '{"staff":["a"]}', deleted: null, rowAfter: null });
  });

  it('TicketStore: a quiet save of a record that does not exist keeps nothing; saves read back as stored', async () => {
    const r = await runInDurableObject(ticketActor(env, `kv-test-store-${Date.now()}`), (_i, state) => {
      const sql = state.storage.sql;
      const store = new TicketStore(sql);
      const row = () => sql.exec<{ data: string }>(`SELECT data FROM ticket WHERE k = 1`).toArray()[0]?.data ?? null;
      const before = store.load();
      store.saveQuietly(ticket(1, 'never written'));
      const quietOnNothing = { load: store.load(), row: row() };
      store.save(ticket(1, 'first'), 'opened');
      const saved = store.load()!;
      saved.subject = 'mutated by a caller';
      const firstRead = store.load()?.subject;
      store.saveQuietly(ticket(2, 'second'));
      return { before, quietOnNothing, firstRead, second: store.load()?.subject, rowSubject: (JSON.parse(row()!) as Ticket).subject };
    });
    expect(r).toEqual({ before: null, quietOnNothing: { load: null, row: null }, firstRead: 'first', second: 'second', rowSubject: 'second' });
  });
});
