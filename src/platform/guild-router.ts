import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIInteractionResponse,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
} from 'discord-api-types/v10';
import { type CustomId, parseCustomId } from '../discord/custom-id.ts';
import { type Handled, refused } from '../discord/handled.ts';
import { type SubcommandCall, subcommandOf } from '../discord/interaction.ts';
import type { GatewayEvent } from '../gateway/events.ts';
import { localeOf, t as tr } from '../i18n/index.ts';
import { now } from '../runtime/clock.ts';
import type { Job, JobOutcome, Outbox } from '../runtime/outbox.ts';
import type { Scheduler, Timer, TimerControl, TimerResult } from '../runtime/scheduler.ts';
import { commandClaimKey, type DiagnosticSection, type FeatureModule, type GuildFeature, type GuildHost, type InteractionContext } from './feature.ts';

/** Discord's limits on an autocomplete answer. */
const MAX_CHOICES = 25;
const MAX_CHOICE_NAME = 100;

/** The parts of a GuildHost that are the same for every feature. */
export type BaseGuildHost = Pick<GuildHost, 'guildId' | 'sql' | 'rest' | 'audit' | 'metric' | 'broadcast' | 'config'>;

/**
 * The guild actor's routing by claims: each interaction, gateway event, job
 * and timer goes to the feature whose module claims its name. Features are
 * built on first use (an actor woken for one job builds them once).
 */
export class GuildRouter {
  private readonly modules: readonly FeatureModule[];
  private readonly base: BaseGuildHost;
  private readonly outbox: Outbox<string>;
  private readonly scheduler: Scheduler;
  private readonly build: (module: FeatureModule, host: GuildHost) => GuildFeature | undefined;
  private built: Map<FeatureModule, GuildFeature> | null = null;
  private readonly byCommand = new Map<string, FeatureModule>();
  private readonly byCustomId = new Map<string, FeatureModule>();
  private readonly byJob = new Map<string, FeatureModule>();
  private readonly byTimer = new Map<string, FeatureModule>();

  constructor(
    modules: readonly FeatureModule[],
    base: BaseGuildHost,
    outbox: Outbox<string>,
    scheduler: Scheduler,
    build: (module: FeatureModule, host: GuildHost) => GuildFeature | undefined,
  ) {
    this.modules = modules;
    this.base = base;
    this.outbox = outbox;
    this.scheduler = scheduler;
    this.build = build;
    for (const m of modules) {
      for (const c of m.commands) this.byCommand.set(commandClaimKey(c.type, c.name), m);
      for (const p of m.customIds) this.byCustomId.set(p, m);
      for (const j of m.jobs) this.byJob.set(j, m);
      for (const t of m.timers) this.byTimer.set(t, m);
    }
  }

  /** The host a feature gets: the common parts, and jobs and timers limited to the kinds it declares. */
  hostFor(m: FeatureModule): GuildHost {
    const { outbox, scheduler } = this;
    const ownJob = (kind: string) => {
      if (!m.jobs.includes(kind)) throw new Error(`feature ${m.name} queued job kind "${kind}" it does not declare`);
    };
    const ownTimer = (kind: string) => {
      if (!m.timers.includes(kind)) throw new Error(`feature ${m.name} set timer kind "${kind}" it does not declare`);
    };
    const timers: TimerControl = {
      set: (key, kind, at, payload) => {
        ownTimer(kind);
        scheduler.set(key, kind, at, payload);
      },
      every: (key, kind, periodMs, payload) => {
        ownTimer(kind);
        scheduler.every(key, kind, periodMs, payload);
      },
      cancel: (key) => scheduler.cancel(key),
      dueAt: (key) => scheduler.dueAt(key),
    };
    const base = this.base;
    return {
      get guildId() {
        return base.guildId;
      },
      sql: base.sql,
      rest: base.rest,
      config: base.config,
      audit: base.audit,
      metric: base.metric,
      broadcast: base.broadcast,
      diagnostics: (locale) => this.diagnostics(locale),
      peer: (can) => this.find(can),
      enqueue: (kind, payload, opts) => {
        ownJob(kind);
        outbox.enqueue(kind, payload, opts);
      },
      kick: () => outbox.kick(),
      timers,
    };
  }

  /** The first built feature matching `pred` (for the actor's feature-specific RPCs). */
  find<T extends GuildFeature>(pred: (f: GuildFeature) => f is T): T | undefined {
    for (const f of this.parts().values()) if (pred(f)) return f;
    return undefined;
  }

  /**
   * A command (slash or message), component or modal to the feature that
   * claims it, and how the audit log names it. The one boundary for features' errors: a handler that
   * throws is logged and the member told nothing changed (outcome `error`,
   * not remembered, so Discord's redelivery gets a fresh try).
   */
  async interaction(i: APIInteraction, ctx: InteractionContext): Promise<{ handled: Handled; action: string }> {
    let action = `interaction type ${i.type}`;
    try {
      switch (i.type) {
        case InteractionType.ApplicationCommand: {
          if (i.data.type === ApplicationCommandType.Message) {
            action = `menu "${i.data.name}"`;
            return { handled: await this.messageCommand(i as APIMessageApplicationCommandInteraction, ctx), action };
          }
          const call = subcommandOf(i as APIChatInputApplicationCommandInteraction);
          action = `/${call.path}`;
          return { handled: await this.command(i as APIChatInputApplicationCommandInteraction, call, ctx), action };
        }
        case InteractionType.MessageComponent: {
          const cid = parseCustomId((i as APIMessageComponentInteraction).data.custom_id);
          action = `button ${cid?.feature}:${cid?.action}`;
          return { handled: await this.component(i as APIMessageComponentInteraction, cid), action };
        }
        case InteractionType.ModalSubmit: {
          const cid = parseCustomId((i as APIModalSubmitInteraction).data.custom_id);
          action = `modal ${cid?.feature}:${cid?.action}`;
          return { handled: await this.modal(i as APIModalSubmitInteraction, cid), action };
        }
        default:
          return { handled: refused('unsupported', tr(localeOf(i), 'common.unsupported-interaction')), action };
      }
    } catch (e) {
      console.error(`guild ${this.base.guildId}: ${action} failed: ${e instanceof Error ? e.stack : String(e)}`);
      return { handled: { ...refused('error', tr(localeOf(i), 'common.failed')), outcome: 'error' }, action };
    }
  }

  async command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall, ctx: InteractionContext): Promise<Handled> {
    const part = this.partOf(this.byCommand.get(commandClaimKey(ApplicationCommandType.ChatInput, i.data.name)));
    if (!part?.command) return refused('unknown-command', tr(i.locale, 'ticket.unknown-command', { command: call.path }));
    return part.command(i, call, ctx);
  }

  async messageCommand(i: APIMessageApplicationCommandInteraction, ctx: InteractionContext): Promise<Handled> {
    const part = this.partOf(this.byCommand.get(commandClaimKey(ApplicationCommandType.Message, i.data.name)));
    if (!part?.messageCommand) return refused('unknown-command', tr(i.locale, 'ticket.unknown-command', { command: i.data.name }));
    return part.messageCommand(i, ctx);
  }

  async component(i: APIMessageComponentInteraction, cid: CustomId | null): Promise<Handled> {
    const part = cid ? this.partOf(this.byCustomId.get(cid.feature)) : undefined;
    if (!part?.component || !cid) return refused('unknown-button', tr(i.locale, 'common.button-unknown'));
    return part.component(i, cid);
  }

  async modal(i: APIModalSubmitInteraction, cid: CustomId | null): Promise<Handled> {
    const part = cid ? this.partOf(this.byCustomId.get(cid.feature)) : undefined;
    if (!part?.modal || !cid) return refused('unknown-modal', tr(i.locale, 'common.form-unknown'));
    return part.modal(i, cid);
  }

  /** The owning feature's choices, cut to Discord's limits; none when no feature answers that command. */
  autocomplete(i: APIApplicationCommandAutocompleteInteraction): APIInteractionResponse {
    const owner = this.byCommand.get(commandClaimKey(ApplicationCommandType.ChatInput, i.data.name));
    const part = owner?.autocomplete.includes(i.data.name) ? this.partOf(owner) : undefined;
    let choices: APIApplicationCommandOptionChoice[] = [];
    try {
      choices = part?.autocomplete?.(i) ?? [];
    } catch (e) {
      // An empty list is still an answer; Discord shows "no options" instead of an error.
      console.error(`autocomplete /${i.data.name}: ${e instanceof Error ? e.stack : String(e)}`);
    }
    const valid = choices
      .filter((c) => c.name.length >= 1)
      .slice(0, MAX_CHOICES)
      .map((c) => ({ ...c, name: c.name.slice(0, MAX_CHOICE_NAME) }));
    return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: valid } };
  }

  /** A gateway event to every feature that declares it, in feature order; async only where one must wait. */
  event(e: GatewayEvent): Promise<void> | void {
    const steps: GuildFeature[] = [];
    for (const m of this.modules) {
      if (!m.events.includes(e.t as never)) continue;
      const part = this.partOf(m);
      if (part?.onEvent) steps.push(part);
    }
    return inOrder(steps, e, 0);
  }

  /** Each built feature's batch buffers written (or dropped) with the batch's applied sequence. */
  writeBatch(): void {
    for (const f of this.built?.values() ?? []) f.writeBatch?.();
  }
  discardBatch(): void {
    for (const f of this.built?.values() ?? []) f.discardBatch?.();
  }

  runJob(job: Job<string>): Promise<JobOutcome> {
    const m = this.byJob.get(job.kind);
    const part = this.partOf(m);
    if (part?.runJob) return part.runJob(job);
    // A delayed job of a kind that is a timer now, queued by code before the scheduler: run it as that timer.
    const timerOwner = this.partOf(this.byTimer.get(job.kind));
    if (timerOwner?.runTimer) return Promise.resolve(timerOwner.runTimer({ key: `job:${job.id}`, kind: job.kind, at: now(), payload: job.payload }));
    console.error(`guild ${this.base.guildId}: no feature runs job kind ${job.kind}; dropped`);
    return Promise.resolve('done');
  }

  runTimer(t: Timer<string>): Promise<TimerResult> | TimerResult {
    const part = this.partOf(this.byTimer.get(t.kind));
    if (part?.runTimer) return part.runTimer(t);
    console.error(`guild ${this.base.guildId}: no feature runs timer kind ${t.kind}; dropped`);
    return 'done';
  }

  /** Each feature's health report; one that fails is reported as failing, not dropped. */
  async diagnostics(locale: string | undefined): Promise<DiagnosticSection[]> {
    const out: DiagnosticSection[] = [];
    for (const [m, f] of this.parts()) {
      if (!f.diagnose) continue;
      try {
        out.push(await f.diagnose(locale));
      } catch (e) {
        out.push({ feature: m.name, ok: false, lines: [e instanceof Error ? e.message.split('\n')[0]! : String(e)] });
      }
    }
    return out;
  }

  /** Each feature's own daily sweep. */
  housekeeping(): void {
    const t = now();
    for (const f of this.parts().values()) {
      try {
        f.housekeeping?.(t);
      } catch (e) {
        console.error(`guild ${this.base.guildId}: housekeeping: ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
  }

  private partOf(m: FeatureModule | undefined): GuildFeature | undefined {
    return m ? this.parts().get(m) : undefined;
  }

  private parts(): Map<FeatureModule, GuildFeature> {
    if (!this.built) {
      const built = new Map<FeatureModule, GuildFeature>();
      for (const m of this.modules) {
        const part = this.build(m, this.hostFor(m));
        if (part) built.set(m, part);
      }
      this.built = built;
    }
    return this.built;
  }
}

/** Runs each feature's handler in order, synchronously until one returns a promise. */
function inOrder(steps: readonly GuildFeature[], e: GatewayEvent, from: number): Promise<void> | void {
  for (let i = from; i < steps.length; i++) {
    const r = steps[i]!.onEvent!(e);
    if (r) return r.then(() => inOrder(steps, e, i + 1));
  }
}
