import { GatewayIntentBits, PermissionFlagsBits } from 'discord-api-types/v10';
import { AUDIT_SCHEMA } from '../features/audit/log.ts';
import { GATEWAY_INBOX_MIGRATION } from '../gateway/intake.ts';
import type { LegacyPositions } from '../runtime/migrations.ts';
import type { FeatureModule } from './feature.ts';

/** The guild actor's own jobs and timers. */
export const CORE_JOBS = { webhook: 'webhook' } as const;
export const CORE_TIMERS = { housekeeping: 'housekeeping' } as const;

/**
 * What the guild actor itself owns, declared like a feature so its names are
 * checked against the features' too: the audit log and its webhook queue,
 * the gateway intake, housekeeping.
 */
export const core: FeatureModule = {
  name: 'core',
  commands: [],
  customIds: [],
  autocomplete: [],
  jobs: Object.values(CORE_JOBS),
  timers: Object.values(CORE_TIMERS),
  // Every guild's GUILD_CREATE (its record), and reactions for the hourly activity counts (src/gateway/events.ts).
  events: [],
  intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessageReactions,
  // Every feature answers in channels it can see.
  permissions: PermissionFlagsBits.ViewChannel,
  migrations: {
    guild: [
      { name: 'audit', sql: AUDIT_SCHEMA },
      { name: 'log-webhook', sql: `CREATE TABLE pending_webhook (id INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)` },
      // The last sequence applied per shard session (exactly-once across resumes), the guild as GUILD_CREATE described it, hourly counters.
      {
        name: 'gateway',
        sql: `CREATE TABLE gateway_applied (shard INTEGER NOT NULL, session TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (shard, session));
        CREATE TABLE guild_info (k TEXT PRIMARY KEY, v TEXT NOT NULL);
        CREATE TABLE event_counts (hour INTEGER NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (hour, kind));`,
      },
      { name: 'gateway-handover', sql: GATEWAY_INBOX_MIGRATION },
    ],
  },
  routes: [],
};

/** The guild actor's positional `_migrations` list before named migrations, by today's names. */
export const GUILD_LEGACY_POSITIONS: LegacyPositions = [
  ['tickets', 'index'],
  ['tickets', 'inbox-triage'],
  ['core', 'audit'],
  ['core', 'log-webhook'],
  ['core', 'gateway'],
  ['core', 'gateway-handover'],
  ['protection', 'protection-schema'],
  ['moderation', 'moderation-schema'],
];
