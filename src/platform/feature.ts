import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  type APIChatInputApplicationCommandInteraction,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  ApplicationCommandType,
  type GatewayDispatchEvents,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { IRequest } from 'itty-router';
import type { CustomId } from '../discord/custom-id.ts';
import type { Handled } from '../discord/handled.ts';
import type { SubcommandCall } from '../discord/interaction.ts';
import type { DiscordRest } from '../discord/rest.ts';
import type { Env } from '../env.ts';
import type { AuditEntry } from '../features/audit/log.ts';
import type { GatewayEvent } from '../gateway/events.ts';
import type { MetricEvent } from '../runtime/metrics.ts';
import type { Migration } from '../runtime/migrations.ts';
import type { Job, JobOutcome } from '../runtime/outbox.ts';
import type { Timer, TimerControl, TimerResult } from '../runtime/scheduler.ts';

/** Deployment values a feature may need, handed over as values (never the whole environment). */
export interface FeatureConfig {
  applicationId: string;
  /** The Worker's public address, for links members open (appeal forms). */
  publicUrl?: string;
  /** Signs staff inbox and appeal links; absent: those links are off. */
  staffLinkSecret?: string;
  /** The AI classifier's providers (moderation). */
  classifier: {
    ANTHROPIC_API_KEY?: string;
    OPENAI_API_KEY?: string;
    ANTHROPIC_API_BASE?: string;
    OPENAI_API_BASE?: string;
    ANTHROPIC_MODEL?: string;
    OPENAI_MODEL?: string;
    AI_TIMEOUT_MS?: string;
  };
  /** Days closed tickets' transcripts are kept. */
  transcriptRetentionDays?: string;
  /** Seals secrets the guild gives us (panel API keys); absent: such secrets are refused. */
  configKey?: string;
  /** Plain http:// panel addresses (local runs and tests only). */
  allowHttpPanels?: boolean;
  /** The Telegram bot (the mod queue's optional copy); absent: Telegram is off. */
  telegram?: { botToken: string; apiBase: string };
}

/** The deployment values features may read, from the environment (secrets only as the features need them). */
export function featureConfigOf(env: Env): FeatureConfig {
  return {
    applicationId: env.DISCORD_APPLICATION_ID,
    publicUrl: env.PUBLIC_URL,
    staffLinkSecret: env.STAFF_LINK_SECRET,
    classifier: env,
    transcriptRetentionDays: env.TRANSCRIPT_RETENTION_DAYS,
    configKey: env.CONFIG_KEY,
    allowHttpPanels: env.ALLOW_HTTP_PANELS === 'true',
    telegram: env.TELEGRAM_BOT_TOKEN ? { botToken: env.TELEGRAM_BOT_TOKEN, apiBase: env.TELEGRAM_API_BASE || 'https://api.telegram.org' } : undefined,
  };
}

/**
 * What the guild actor lends a feature living inside it: the guild's id, the
 * actor's database (the feature keeps to the tables its migrations create),
 * the REST client, its durable jobs and timers (its own kinds only), the
 * audit log, a broadcast to the guild's inbox room, and its configuration.
 */
export interface GuildHost {
  readonly guildId: string;
  sql: SqlStorage;
  rest: DiscordRest;
  /** Durable background work (retried, survives eviction); `kind` must be one of the feature's jobs. */
  enqueue(kind: string, payload: unknown, opts?: { lane?: string; dedupe?: string }): void;
  /** Runs queued jobs now (after the current response). */
  kick(): void;
  /** Keyed and recurring timers (kinds from the feature's `timers`), multiplexed on the actor's one alarm. */
  timers: TimerControl;
  audit(e: AuditEntry): void;
  /** A metric event, also written to Analytics Engine when the deployment binds it (src/runtime/metrics.ts). Audit entries are written as metrics already. */
  metric(e: MetricEvent): void;
  /**
   * A message to every socket of the guild's room (the staff inbox). Given a
   * function, it is called only when someone is listening (null: nothing to send).
   */
  broadcast(message: string | (() => string | null)): void;
  config: FeatureConfig;
  /** Every feature's own health report, for /diagnostics (in the reader's locale). */
  diagnostics(locale: string | undefined): Promise<DiagnosticSection[]>;
  /**
   * Another feature of this guild that lends a capability (found by what it
   * can do, not by name), or undefined when no feature that can is on. Ask
   * when needed, not while being built.
   */
  peer<T extends GuildFeature>(can: (f: GuildFeature) => f is T): T | undefined;
}

/** One feature's part of /diagnostics: whether all is well, and lines a server admin can act on. */
export interface DiagnosticSection {
  feature: string;
  ok: boolean;
  lines: string[];
}

/** About the delivery of one interaction: `origin` is where Discord reached the Worker ('' when unknown), for staff links. */
export interface InteractionContext {
  origin: string;
}

/**
 * The runtime part of a feature inside the guild actor, built from a
 * GuildHost. The actor routes to it by the claims of its FeatureModule.
 */
export interface GuildFeature {
  command?(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall, ctx: InteractionContext): Promise<Handled> | Handled;
  /** A message command (a message's Apps menu) of the feature's: `i.data.resolved.messages[i.data.target_id]` is the message. */
  messageCommand?(i: APIMessageApplicationCommandInteraction, ctx: InteractionContext): Promise<Handled> | Handled;
  component?(i: APIMessageComponentInteraction, cid: CustomId): Promise<Handled> | Handled;
  modal?(i: APIModalSubmitInteraction, cid: CustomId): Promise<Handled> | Handled;
  /**
   * Choices for a focused option of one of the feature's commands, from
   * memory or storage only (no REST: Discord waits 3 s and drops late answers).
   */
  autocomplete?(i: APIApplicationCommandAutocompleteInteraction): APIApplicationCommandOptionChoice[];
  /** One gateway event, in order. Async only where it must wait; it then may interleave with interactions. */
  onEvent?(e: GatewayEvent): void | Promise<unknown>;
  /**
   * The gateway batch's events so far are being stored (with their applied
   * sequence, in one synchronous step): write what `onEvent` buffered in
   * memory. `discardBatch`: the batch failed and will come again.
   */
  writeBatch?(): void;
  discardBatch?(): void;
  runJob?(job: Job<string>): Promise<JobOutcome>;
  runTimer?(t: Timer<string>): Promise<TimerResult> | TimerResult;
  /** Its health for /diagnostics: may call out (a panel's reachability), so it must bound its own waiting. */
  diagnose?(locale: string | undefined): Promise<DiagnosticSection> | DiagnosticSection;
  /** The daily sweep (retention of the feature's own tables), run from the guild's housekeeping timer. */
  housekeeping?(now: number): void;
}

/** A command a feature defines: a slash command, or a user or message command (a context menu's Apps entry). */
export type FeatureCommand = RESTPostAPIChatInputApplicationCommandsJSONBody | RESTPostAPIContextMenuApplicationCommandsJSONBody;

/**
 * The key of a command among all features' commands: Discord keeps chat-input,
 * user and message command names in separate namespaces, so the type is part of it.
 */
export const commandClaimKey = (type: ApplicationCommandType | undefined, name: string): string => `${type ?? ApplicationCommandType.ChatInput}:${name}`;

/** An HTTP route of a feature, registered on the Worker's router. */
export interface FeatureRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  handle(req: IRequest, env: Env): Response | Promise<Response>;
}

/** Nothing claimed: spread into a feature module and list only what it has (`{ name, ...NO_CLAIMS, routes }`). */
export const NO_CLAIMS = {
  commands: [],
  customIds: [],
  autocomplete: [],
  jobs: [],
  timers: [],
  events: [],
  intents: 0,
  permissions: 0n,
  migrations: {},
  routes: [],
} as const satisfies Omit<FeatureModule, 'name' | 'guild'>;

/**
 * Routes whose handlers live in a module loaded on first use, so Node scripts
 * (and the feature list that module may read) see the declarations without the
 * Worker runtime: `const route = lazyRoutes(() => import('./routes.ts').then((m) => m.HANDLERS))`.
 */
export function lazyRoutes<H extends Record<string, FeatureRoute['handle']>>(load: () => Promise<H>) {
  return (method: FeatureRoute['method'], path: string, name: keyof H & string): FeatureRoute => ({
    method,
    path,
    handle: async (req, env) => (await load())[name]!(req, env),
  });
}

/**
 * A capability, declared in one place: everything it claims (checked for
 * clashes at start-up, see claims.ts) and how its runtime part is built.
 */
export interface FeatureModule {
  readonly name: string;
  /**
   * Slash-command and context-menu command definitions; the registered set is
   * all features' definitions. A chat-input and a message command may share a
   * name (Discord keeps them apart by type).
   */
  readonly commands: readonly FeatureCommand[];
  /** custom_id `<feature>` prefixes of its buttons and modals. */
  readonly customIds: readonly string[];
  /** The commands whose autocomplete options it answers (its own commands). */
  readonly autocomplete: readonly string[];
  readonly jobs: readonly string[];
  readonly timers: readonly string[];
  /** Gateway dispatches it handles, and the intents they need. */
  readonly events: readonly GatewayDispatchEvents[];
  readonly intents: number;
  /** Discord permissions the bot needs for it (diagnostics and the invite URL). */
  readonly permissions: bigint;
  /** Its schema, per actor kind, by name. */
  readonly migrations: { readonly guild?: readonly Migration[]; readonly ticket?: readonly Migration[] };
  readonly routes: readonly FeatureRoute[];
  /** Builds its part inside a guild actor. */
  guild?(host: GuildHost): GuildFeature;
}
