import type {
  APIChatInputApplicationCommandInteraction, APIMessageComponentInteraction, APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import type { CustomId } from '../discord/custom-id.ts';
import type { SubcommandCall } from '../discord/interaction.ts';
import type { DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import type { Job, JobResult } from '../runtime/outbox.ts';
import type { AuditEntry } from './audit/log.ts';
import type { GatewayEvent } from '../gateway/events.ts';
import type { Handled } from './tickets/guild-commands.ts';

/**
 * What the guild actor lends a feature that lives inside it (moderation,
 * protection): its storage, its Discord client, its durable job queue and its
 * audit log. The actor stays a thin shell that routes to features.
 */
export interface GuildFeatureHost {
  guildId: string;
  env: Env;
  sql: SqlStorage;
  storage: DurableObjectStorage;
  rest: DiscordRest;
  /** Durable background work (retried, survives eviction); `kind` must be one of the feature's jobKinds. */
  enqueue(kind: string, payload: unknown, opts?: { lane?: string; dedupe?: string; delayMs?: number }): void;
  /** Runs queued jobs now (after the current response). */
  kick(): void;
  audit(e: AuditEntry): void;
}

/**
 * A feature of the guild actor. Everything is optional except the names it
 * claims: slash commands (top-level names), custom_id feature prefixes of its
 * buttons and modals, and outbox job kinds. The actor routes by those names.
 */
export interface GuildFeature {
  readonly commands: readonly string[];
  readonly componentFeatures: readonly string[];
  readonly jobKinds: readonly string[];
  command?(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled>;
  component?(i: APIMessageComponentInteraction, cid: CustomId): Promise<Handled>;
  modal?(i: APIModalSubmitInteraction, cid: CustomId): Promise<Handled>;
  /** One gateway event, in order. Async only where it must wait; it then may interleave with interactions. */
  onEvent?(e: GatewayEvent): void | Promise<void>;
  runJob?(job: Job<string>): Promise<JobResult>;
}
