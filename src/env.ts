/**
 * The actor class of each Durable Object binding. Empty here and filled in by
 * src/index.ts (declaration merging), so this module imports no actor: the
 * type-import cycle env.ts → objects → features → env.ts is gone.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging (src/index.ts names the actor classes)
export interface ActorClasses {}

type Binding<K extends string> = ActorClasses extends Record<K, infer C extends Rpc.DurableObjectBranded> ? DurableObjectNamespace<C> : DurableObjectNamespace;

/** The Durable Object bindings (wrangler.jsonc `durable_objects`). */
export interface ActorBindings {
  GUILD: Binding<'GUILD'>;
  TICKET: Binding<'TICKET'>;
  STATUS: Binding<'STATUS'>;
  GOVERNOR: Binding<'GOVERNOR'>;
  SHARD: Binding<'SHARD'>;
  SESSION: Binding<'SESSION'>;
}

/** Bindings and configuration of the Worker (see wrangler.jsonc and README "Configuration"). */
export interface Env extends ActorBindings {
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
  /** Secret: seals the panel API keys guilds connect (AES-GCM). Without it /server connect says what to set. */
  CONFIG_KEY?: string;
  /** "true" lets panels be connected at plain http:// addresses (local runs and tests only). */
  ALLOW_HTTP_PANELS?: string;
  /** Secret: the application's OAuth2 client secret (Login with Discord on /dashboard). */
  DISCORD_CLIENT_SECRET?: string;
  /** Optional Workers Analytics Engine dataset: every metric event is also written there (src/runtime/metrics.ts). */
  METRICS?: AnalyticsEngineDataset;
  /** Secret: signs dashboard session cookies (HMAC-SHA256) and seals users' Discord tokens at rest. Without it and DISCORD_CLIENT_SECRET the dashboard says what to set. */
  SESSION_SECRET?: string;
  /** Secret: the Telegram bot's token (@BotFather). Without it the optional Telegram copy of the mod queue is off. */
  TELEGRAM_BOT_TOKEN?: string;
  /** Default https://api.telegram.org; tests and local runs point it at the simulator (`<sim>/telegram`). */
  TELEGRAM_API_BASE?: string;
  /** Static assets: the staff pages in public/. */
  ASSETS?: Fetcher;
}

export { DEFAULT_API_BASE } from './discord/api-base.ts';
