import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { appliedMigrations, migrateFeatures } from '../../src/runtime/migrations.ts';
import { guildActor, ticketActor } from '../../src/runtime/stubs.ts';
import { command, run, user } from '../features/moderation/helpers.ts';
import { deliver, env, newGuild, replyText, slash } from '../helpers.ts';
import legacy from './fixtures/legacy-v0.json';

interface Dump {
  id: string;
  schema: { type: string; name: string; sql: string | null }[];
  rows: Record<string, Record<string, unknown>[]>;
}

/** Replaces an actor's whole database with a dump (schema and rows), as if the old code had written it. */
function load(sql: SqlStorage, dump: Dump): void {
  const tables = sql
    .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`)
    .toArray();
  for (const t of tables) sql.exec(`DROP TABLE "${t.name}"`);
  for (const s of dump.schema) if (s.sql) sql.exec(s.sql);
  for (const [table, rows] of Object.entries(dump.rows)) {
    for (const r of rows) {
      const cols = Object.keys(r);
      sql.exec(
        `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        ...cols.map((c) => r[c] as string | number | null),
      );
    }
  }
}

/** The fixture with the old simulator's ids swapped for a fresh guild's, so the upgraded actor can be used against the simulator. */
function rebased(dump: Dump, swaps: [string, string][]): Dump {
  let text = JSON.stringify(dump);
  for (const [from, to] of swaps) text = text.split(from).join(to);
  return JSON.parse(text) as Dump;
}

describe('named migrations', () => {
  it('upgrades a guild and a ticket database written by the positional-migration code, losing nothing', async () => {
    const g = await newGuild(6, 2);
    const old = legacy.guild as unknown as Dump;
    const oldStaffRole = JSON.parse(String(old.rows.config![0]!.v)).staffRoleId as string;
    const warned = String(old.rows.mod_infractions![0]!.user_id);
    const swaps: [string, string][] = [
      [old.id, g.guildId],
      [oldStaffRole, g.staffRoleId],
      [warned, g.memberIds[2]!],
    ];
    const guildDump = rebased(old, swaps);
    // The warning was given an hour ago, whatever the day the suite runs: it counts within the ladder's window.
    for (const r of guildDump.rows.mod_infractions!) r.at = Date.now() - 3_600_000;
    const ticketDump = rebased(legacy.ticket as unknown as Dump, swaps);

    const guild = guildActor(env, g.guildId);
    await runInDurableObject(guild, (_i, state) => load(state.storage.sql, guildDump));
    const ticket = ticketActor(env, `${g.guildId}-1`);
    await runInDurableObject(ticket, (_i, state) => load(state.storage.sql, ticketDump));
    // A new instance starts on the old database and migrates it.
    await evictDurableObject(guild);
    await evictDurableObject(ticket);

    expect((await guild.inboxData()).tickets!.map((t) => [t.number, t.subject])).toEqual(
      expect.arrayContaining([
        [1, 'Crash one'],
        [2, 'Billing two'],
      ]),
    );
    expect(await guild.getTicketConfig()).toMatchObject({ staffRoleId: g.staffRoleId, maxOpenPerType: 2 });
    const applied = await runInDurableObject(guild, (_i, state) => ({
      names: appliedMigrations(state.storage.sql).map((m) => `${m.feature}/${m.name}`),
      legacyTable: state.storage.sql.exec(`SELECT name FROM sqlite_master WHERE name = '_migrations'`).toArray().length,
      timersTable: state.storage.sql.exec(`SELECT name FROM sqlite_master WHERE name = 'timers'`).toArray().length,
      audit: state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM audit`).one().n,
    }));
    expect(applied.names.sort()).toEqual([
      'alerts/alerts-schema',
      'analytics/analytics-schema',
      'api/keys',
      'core/audit',
      'core/gateway',
      'core/gateway-handover',
      'core/log-webhook',
      'events/events-discord-interest',
      'events/events-schema',
      'faq/faq-schema',
      'governance/governance-schema',
      'levels/levels-schema',
      'moderation/moderation-schema',
      'protection/protection-schema',
      'servers/servers-operations',
      'servers/servers-schema',
      'telegram/telegram-schema',
      'tickets/from-message',
      'tickets/inbox-triage',
      'tickets/index',
      'tickets/intake-reports',
      'tickets/intake-suggestions',
      'tickets/organize',
      'tickets/panels',
      'tickets/ratings-workload',
      'tickets/sla',
    ]);
    expect(applied).toMatchObject({ legacyTable: 0, timersTable: 1 });
    expect(applied.audit).toBeGreaterThanOrEqual(6);

    // Used normally: the counter, the infraction, the anti-raid settings are all still there.
    expect(replyText(await deliver(slash(g, g.memberIds[0]!, 'ticket open', { issue_type: 'bug', severity: 'low', subject: 'After the upgrade' })))).toMatch(
      /Ticket #3 opened/,
    );
    expect(replyText(await run(g, g.staffId, 'infractions', [user('member', g.memberIds[2]!)]))).toMatch(/1 infraction, 1 counting[\s\S]*rude/);
    expect(replyText(await deliver(command(g, g.adminId, 'antiraid status')))).toContain('7 joins in 10 s');

    const snap = await ticket.snapshot();
    expect(snap.ticket).toMatchObject({ number: 1, subject: 'Crash one', status: 'open', guildId: g.guildId });
    expect(snap.history).toHaveLength(1);
    const ticketNames = await runInDurableObject(ticket, (_i, state) => appliedMigrations(state.storage.sql).map((m) => `${m.feature}/${m.name}`));
    expect(ticketNames.sort()).toEqual(['tickets/record', 'tickets/transcript', 'tickets/transcript-attachments', 'tickets/transcript-error']);
  });

  it('refuses a database with positional migrations it does not know (written by newer code), changing nothing', async () => {
    const r = await runInDurableObject(ticketActor(env, `migrations-test-${Date.now()}`), (_i, state) => {
      const sql = state.storage.sql;
      sql.exec(`CREATE TABLE _migrations (version INTEGER PRIMARY KEY, at INTEGER NOT NULL)`);
      sql.exec(`INSERT INTO _migrations (version, at) VALUES (1, 1), (2, 2), (3, 3)`);
      const before = appliedMigrations(sql).length;
      let error = '';
      try {
        migrateFeatures(
          sql,
          state.storage,
          [{ feature: 'x', migrations: [{ name: 'a', sql: 'CREATE TABLE x_a (k TEXT)' }] }],
          [
            ['tickets', 'record'],
            ['tickets', 'transcript'],
          ],
        );
      } catch (e) {
        error = (e as Error).message;
      }
      return {
        error,
        before,
        after: appliedMigrations(sql).length,
        legacyRows: sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM _migrations`).one().n,
        created: sql.exec(`SELECT name FROM sqlite_master WHERE name = 'x_a'`).toArray().length,
      };
    });
    expect(r).toEqual({ error: expect.stringMatching(/positional migration 3/), before: r.before, after: r.before, legacyRows: 3, created: 0 });
  });

  it('adding a migration to one feature never shifts another: each runs once, by name', async () => {
    const r = await runInDurableObject(ticketActor(env, `migrations-test-b-${Date.now()}`), (_i, state) => {
      const sql = state.storage.sql;
      const a1 = { name: 'one', sql: 'CREATE TABLE fa_one (k TEXT)' };
      const b1 = { name: 'one', sql: 'CREATE TABLE fb_one (k TEXT)' };
      migrateFeatures(sql, state.storage, [
        { feature: 'fa', migrations: [a1] },
        { feature: 'fb', migrations: [b1] },
      ]);
      // fa gains a migration in front of fb's in list order; fb's is not run again.
      migrateFeatures(sql, state.storage, [
        { feature: 'fa', migrations: [a1, { name: 'two', sql: 'CREATE TABLE fa_two (k TEXT)' }] },
        { feature: 'fb', migrations: [b1] },
      ]);
      return appliedMigrations(sql)
        .filter((m) => m.feature.startsWith('f'))
        .map((m) => `${m.feature}/${m.name}`)
        .sort();
    });
    expect(r).toEqual(['fa/one', 'fa/two', 'fb/one']);
  });
  it('applies many pending migrations in order, recorded by name (more records than one insert holds); one that fails leaves nothing of its batch', async () => {
    const r = await runInDurableObject(ticketActor(env, `migrations-test-c-${Date.now()}`), (_i, state) => {
      const sql = state.storage.sql;
      // More records than one insert's 100 parameters hold.
      const many = [
        { name: 'table', sql: 'CREATE TABLE many_t (k INTEGER);' },
        ...Array.from({ length: 39 }, (_, i) => ({ name: `row-${i + 1}`, sql: `INSERT INTO many_t (k) VALUES (${i + 1});` })),
      ];
      migrateFeatures(sql, state.storage, [{ feature: 'many', migrations: many }]);
      const rows = () =>
        sql
          .exec<{ k: number }>(`SELECT k FROM many_t ORDER BY rowid`)
          .toArray()
          .map((x) => x.k);
      const names = () => appliedMigrations(sql).filter((m) => m.feature === 'many').length;
      const first = { rows: rows(), names: names() };
      let error = '';
      try {
        migrateFeatures(sql, state.storage, [
          {
            feature: 'many',
            migrations: [
              ...many,
              { name: 'good', sql: 'INSERT INTO many_t (k) VALUES (100)' },
              { name: 'bad', sql: 'INSERT INTO no_such_table (k) VALUES (1)' },
            ],
          },
        ]);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      return { first, error, after: { rows: rows().length, names: names() } };
    });
    expect(r.first).toEqual({ rows: Array.from({ length: 39 }, (_, i) => i + 1), names: 40 });
    expect(r.error).toMatch(/no_such_table/);
    expect(r.after).toEqual({ rows: 39, names: 40 });
  });
});
