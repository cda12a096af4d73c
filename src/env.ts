import type { GuildActor } from './objects/guild.ts';
import type { TicketActor } from './objects/ticket.ts';
import type { StatusActor } from './objects/status.ts';
import type { RestGovernor } from './objects/governor.ts';
import type { ShardActor } from './objects/shard.ts';

/** Bindings and configuration of the Worker (see wrangler.jsonc and README "Configuration"). */
export interface Env {
  GUILD: DurableObjectNamespace<GuildActor>;
  TICKET: DurableObjectNamespace<TicketActor>;
  STATUS: DurableObjectNamespace<StatusActor>;
  GOVERNOR: DurableObjectNamespace<RestGovernor>;
  SHARD: DurableObjectNamespace<ShardActor>;
  DISCORD_APPLICATION_ID: string;
  /** Ed25519 public key of the application, hex. */
  DISCORD_PUBLIC_KEY: string;
  /** Secret. */
  DISCORD_TOKEN?: string;
  /** Default https://discord.com/api/v10; tests and local runs point it at the simulator. */
  DISCORD_API_BASE?: string;
  /** Optional: audit events and dependency faults are POSTed here, signed with LOG_WEBHOOK_SECRET. */
  LOG_WEBHOOK_URL?: string;
  LOG_WEBHOOK_SECRET?: string;
  /** Secret: signs the staff inbox links (HMAC-SHA256). Without it the inbox is off. */
  STAFF_LINK_SECRET?: string;
  /** Days a closed ticket's transcript is kept (default 30). */
  TRANSCRIPT_RETENTION_DAYS?: string;
  /** Days the audit log is kept (default 90). */
  AUDIT_RETENTION_DAYS?: string;
  /** Secret: the Bearer token of the /admin routes. */
  ADMIN_TOKEN?: string;
  /** Where the gateway is reached; default: the url from GET /gateway/bot. */
  DISCORD_GATEWAY_URL?: string;
  /** Intents to leave out, e.g. "message_content,guild_members". */
  GATEWAY_INTENTS_OFF?: string;
  /** Secrets turning on the AI moderation providers (tried Anthropic first, then OpenAI, then the local classifier). */
  ANTHROPIC_API_KEY?: string;
  OPENAI_API_KEY?: string;
  /** Where the providers are reached (default their public APIs; tests point them at a local fake). */
  ANTHROPIC_API_BASE?: string;
  OPENAI_API_BASE?: string;
  ANTHROPIC_MODEL?: string;
  OPENAI_MODEL?: string;
  /** Per-call classifier timeout in ms (default 3000). */
  AI_TIMEOUT_MS?: string;
  /** The Worker's public address (e.g. https://guildkeep.example.workers.dev): appeal form links for banned members. */
  PUBLIC_URL?: string;
  /** Static assets: the staff pages in public/. */
  ASSETS?: Fetcher;
}

export const DEFAULT_API_BASE = 'https://discord.com/api/v10';
