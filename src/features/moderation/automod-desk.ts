import {
  type APIChannel,
  type APIExtendedInvite,
  type APIGuild,
  GatewayDispatchEvents as E,
  type GatewayChannelDeleteDispatchData,
  type GatewayGuildCreateDispatchData,
  type GatewayInviteCreateDispatchData,
  type GatewayInviteDeleteDispatchData,
  type GatewayMessageCreateDispatchData,
  Routes,
} from 'discord-api-types/v10';
import type { DiscordRest } from '../../discord/rest.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import {
  type AutomodResult,
  type CompiledAutomod,
  compileAutomod,
  evaluateMessage,
  type GuildInvites,
  type MemberWindow,
  messageContext,
  sweepWindows,
} from './rules/automod.ts';
import type { ModerationStore } from './store.ts';

/** How often idle member windows are dropped (by message time). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Automod's in-memory side: the compiled rule set (rebuilt only when the
 * configuration changes), each member's recent-message window, the
 * channel → parent map exemptions need, and the guild's own invite codes.
 * Windows are short-lived (at most the longest rule window) and are not
 * persisted: after an eviction, counting starts again.
 */
export class AutomodDesk {
  private readonly store: ModerationStore;
  private readonly rest: DiscordRest;
  private readonly guildId: () => string;
  private compiled: CompiledAutomod | null = null;
  private readonly windows = new Map<string, MemberWindow>();
  private parents: Map<string, string> | null = null;
  private readonly invites: { codes: Set<string>; vanityCode: string | null; loaded: boolean } = { codes: new Set(), vanityCode: null, loaded: false };
  private lastSweep = 0;

  constructor(store: ModerationStore, rest: DiscordRest, guildId: () => string) {
    this.store = store;
    this.rest = rest;
    this.guildId = guildId;
  }

  rules(): CompiledAutomod {
    return (this.compiled ??= compileAutomod(this.store.automod(), this.store.disabledPatterns()));
  }

  /** After /automod add or remove: compile once, keep the members' windows. */
  reload(): CompiledAutomod {
    this.compiled = null;
    return this.rules();
  }

  /** The channel's parent and the parent's parent (thread → channel → category). */
  private parentIds(channelId: string): string[] {
    this.parents ??= this.store.channelParents();
    const out: string[] = [];
    let id = this.parents.get(channelId);
    while (id && out.length < 2) {
      out.push(id);
      id = this.parents.get(id);
    }
    return out;
  }

  /**
   * Judges a MESSAGE_CREATE; null when automod has nothing to say (no rules,
   * or a message it never judges). Waits only the first time a message
   * carries an invite link and the guild's own invites are not known yet.
   */
  evaluate(m: GatewayMessageCreateDispatchData, now: number): AutomodResult | null | Promise<AutomodResult | null> {
    const compiled = this.rules();
    if (compiled.rules.length === 0) return null;
    const ctx = messageContext(m, this.parentIds(m.channel_id));
    if (!ctx) return null;
    if (!this.invites.loaded && compiled.rules.some((r) => r.rule.kind === 'invites') && /discord/i.test(ctx.content)) {
      return this.loadInvites().then(() => this.judge(compiled, ctx, now));
    }
    return this.judge(compiled, ctx, now);
  }

  private judge(compiled: CompiledAutomod, ctx: NonNullable<ReturnType<typeof messageContext>>, now: number): AutomodResult {
    const invites: GuildInvites = this.invites;
    const r = evaluateMessage(compiled, ctx, this.windows.get(ctx.authorId), now, invites);
    this.windows.set(ctx.authorId, r.window);
    if (r.disabledPatterns.length > 0) this.store.addDisabledPatterns(r.disabledPatterns);
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      sweepWindows(this.windows, now, compiled);
    }
    return r;
  }

  /** The guild's invites and vanity code, asked once; events keep them current afterwards. */
  private async loadInvites(): Promise<void> {
    const g = this.guildId();
    const [invites, guild] = await Promise.all([this.rest.get<APIExtendedInvite[]>(Routes.guildInvites(g)), this.rest.get<APIGuild>(Routes.guild(g))]);
    if (invites.ok) for (const i of invites.value) this.invites.codes.add(i.code);
    if (guild.ok) this.invites.vanityCode = guild.value.vanity_url_code;
    this.invites.loaded = true;
  }

  /** Keeps parents and invites current from the gateway. */
  onEvent(e: GatewayEvent): void {
    switch (e.t) {
      case E.GuildCreate: {
        const g = e.d as GatewayGuildCreateDispatchData;
        this.invites.vanityCode = g.vanity_url_code;
        for (const c of [...g.channels, ...g.threads]) this.noteChannel(c);
        break;
      }
      case E.GuildUpdate:
        this.invites.vanityCode = (e.d as APIGuild).vanity_url_code;
        break;
      case E.ChannelCreate:
      case E.ChannelUpdate:
      case E.ThreadCreate:
      case E.ThreadUpdate:
        this.noteChannel(e.d as APIChannel);
        break;
      case E.ChannelDelete:
      case E.ThreadDelete: {
        const id = (e.d as GatewayChannelDeleteDispatchData).id;
        this.parents?.delete(id);
        this.store.forgetChannel(id);
        break;
      }
      case E.InviteCreate:
        this.invites.codes.add((e.d as GatewayInviteCreateDispatchData).code);
        break;
      case E.InviteDelete:
        this.invites.codes.delete((e.d as GatewayInviteDeleteDispatchData).code);
        break;
    }
  }

  private noteChannel(c: APIChannel): void {
    const parent = 'parent_id' in c ? (c.parent_id ?? null) : null;
    this.parents ??= this.store.channelParents();
    if ((this.parents.get(c.id) ?? null) === parent) return;
    if (parent) this.parents.set(c.id, parent);
    else this.parents.delete(c.id);
    this.store.setChannelParent(c.id, parent);
  }
}
