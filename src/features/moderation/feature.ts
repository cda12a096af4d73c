import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  type APIChatInputApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  GatewayDispatchEvents as E,
  type GatewayGuildMemberAddDispatchData,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
  InteractionResponseType,
  PermissionFlagsBits as P,
} from 'discord-api-types/v10';
import { focusedOf, matching } from '../../discord/autocomplete.ts';
import type { CustomId } from '../../discord/custom-id.ts';
import { ephemeral, type Handled } from '../../discord/handled.ts';
import { permissionName, REQUIRED_PERMISSION } from '../../discord/hierarchy.ts';
import { invokerOf, reply, type SubcommandCall } from '../../discord/interaction.ts';
import { hasAnyPermission } from '../../discord/staff-permissions.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { guildLocaleOf, t as tr } from '../../i18n/index.ts';
import { render, renderValue } from '../../i18n/text.ts';
import type { FeatureModule, GuildFeature, GuildHost } from '../../platform/feature.ts';
import { now as clockNow } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import { isAlertDesk } from '../alerts/peers.ts';
import { appealRefusalText, handleAppealButton, handleAppealCommand, handleAppealDecision, handleAppealModal, submitAppeal } from './appeals-desk.ts';
import type { ApprovalDesk, DecisionRefusal } from './approval-peers.ts';
import { AutomodDesk } from './automod-desk.ts';
import { MODERATION_COMMANDS } from './commands.ts';
import { handleAutomod, handleModconfig } from './config-commands.ts';
import { MOD_JOBS, MOD_TIMERS, ModerationDesk } from './desk.ts';
import type { Appeal } from './rules/appeals.ts';
import { decideApproval, STAFF_ACTION } from './rules/approvals.ts';
import { type AutomodResult, decideActions, evaluateJoin, type Violation } from './rules/automod.ts';
import type { AutomodConfig } from './rules/automod-config.ts';
import { planEnforcement } from './rules/enforcement.ts';
import type { Escalation } from './rules/escalation.ts';
import type { ModSettings } from './settings.ts';
import { handlePurgeButton, handleStaffCommand } from './staff-commands.ts';
import type { ModCase, StoredApproval, WorkStep } from './store.ts';
import { MODERATION_DESK_SCHEMA } from './store.ts';
import { approvalMessage, MOD_FEATURE, ModActions } from './views.ts';

const refused = (code: string, message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: `refused:${code}`, detail });
const snippet = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export interface AppealFormAnswer {
  ok: boolean;
  message: string;
}

/** The web form's answer when moderation is not running in the guild. */
export const appealsUnavailable = (locale?: string): AppealFormAnswer => ({ ok: false, message: tr(locale, 'appeal.unavailable') });

/**
 * Moderation inside the guild actor: automod on every message (in memory,
 * synchronous unless it must load the guild's invites once), the escalation
 * ladder, staff commands, the approval queue, the mod log, appeals, and the
 * optional AI classifier as a background job.
 */
export class GuildModeration implements GuildFeature, ApprovalDesk {
  private readonly desk: ModerationDesk;
  private readonly automod: AutomodDesk;
  /** Interactions being handled across an await: a concurrent redelivery of one of them is not run twice. */
  private readonly inFlight = new Set<string>();

  constructor(host: GuildHost) {
    this.desk = new ModerationDesk(host);
    this.automod = new AutomodDesk(this.desk.store, host.rest, () => host.guildId);
  }

  private async once(id: string, locale: string | undefined, run: () => Handled | Promise<Handled>): Promise<Handled> {
    if (this.inFlight.has(id)) return refused('duplicate', tr(locale, 'common.already-handling'));
    this.inFlight.add(id);
    try {
      return await run();
    } finally {
      this.inFlight.delete(id);
    }
  }

  command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> {
    return this.once(i.id, i.locale, () => {
      if (i.data.name === 'appeal') return handleAppealCommand(this.desk, i, call);
      if (!i.guild_id) return refused('dm', tr(i.locale, 'mod.use-in-server'));
      switch (i.data.name) {
        case 'modconfig':
          return handleModconfig(this.desk, i, call);
        case 'automod':
          return handleAutomod(this.desk, this.automod, i, call);
        default:
          return handleStaffCommand(this.desk, i, call);
      }
    });
  }

  component(i: APIMessageComponentInteraction, cid: CustomId): Promise<Handled> {
    return this.once(i.id, i.locale, () => {
      switch (cid.action) {
        case ModActions.approve:
        case ModActions.reject:
          return this.decide(i, cid);
        case ModActions.purge:
        case ModActions.purgeCancel:
          return handlePurgeButton(this.desk, i, cid);
        case ModActions.appeal:
          return handleAppealButton(this.desk, i, cid);
        case ModActions.appealAccept:
        case ModActions.appealReject:
          return handleAppealDecision(this.desk, i, cid);
      }
      return refused('unknown-button', tr(i.locale, 'common.button-unknown'));
    });
  }

  async modal(i: APIModalSubmitInteraction, cid: CustomId): Promise<Handled> {
    if (cid.action === ModActions.appealForm) return handleAppealModal(this.desk, i, cid);
    return refused('unknown-modal', tr(i.locale, 'common.form-unknown'));
  }

  /** An appeal from the signed web form; the Worker has checked the link. */
  appealFromForm(caseId: number, userId: string, text: string, locale?: string): AppealFormAnswer {
    const r = submitAppeal(this.desk, caseId, userId, text, 'form', clockNow(), locale);
    return r.ok
      ? { ok: true, message: tr(locale, 'mod.appeal.sent-form', { case: String(caseId), appeal: String(r.value.id) }) }
      : { ok: false, message: appealRefusalText(this.desk, r.error, caseId, locale) };
  }

  /**
   * Approve or Reject in the mod queue. The decision is written before
   * anything else happens, so of two moderators pressing at once, the second
   * is told who decided first and nothing runs twice.
   */
  private decide(i: APIMessageComponentInteraction, cid: CustomId): Handled {
    const inv = invokerOf(i);
    const decision = cid.action === ModActions.approve ? 'approve' : 'reject';
    const r = this.decideApproval(cid.extra ?? '', decision, { id: inv.userId, permissions: inv.permissions ?? '0' }, 'discord', i.locale, false);
    if (!r.ok) return refused(r.error.code, r.error.text, `approval #${cid.extra ?? ''}`);
    return {
      response: { type: InteractionResponseType.UpdateMessage, data: approvalMessage(this.desk.guildId, r.approval, guildLocaleOf(i)) },
      outcome: 'ok',
      detail: `approval #${r.approval.id} ${r.approval.status}`,
    };
  }

  /** The settings /modconfig changes (the REST API reads and changes them too). */
  settings(): ModSettings {
    return this.desk.settings();
  }

  saveSettings(s: ModSettings): void {
    this.desk.saveSettings(s);
  }

  /** The automod configuration /automod changes (the dashboard and the REST API read and change it too). */
  automodConfig(): AutomodConfig {
    return this.desk.store.automod();
  }

  /** A configuration checked by parseAutomodConfig: stored and compiled at once. */
  saveAutomod(c: AutomodConfig): void {
    this.desk.store.setAutomod(c);
    this.automod.reload();
  }

  /** Cases newest first, below `beforeId` when given (the REST API's moderation log). */
  cases(beforeId: number | null, limit: number): ModCase[] {
    return this.desk.store.casesPage(beforeId, limit);
  }

  /** Appeals waiting for a decision, oldest first (the review queue). */
  openAppeals(limit: number): Appeal[] {
    return this.desk.store.openAppeals(limit);
  }

  /** Approvals waiting for a decision, oldest first (the REST API). */
  pendingApprovals(limit: number): StoredApproval[] {
    return this.desk.store.pendingApprovals(limit);
  }

  /** The approval `id`, for a peer showing it elsewhere (Telegram). */
  approval(id: string): StoredApproval | null {
    return this.desk.store.approval(id);
  }

  /**
   * One decision on a pending approval, from Discord's buttons or a peer
   * (Telegram): the same rule, written synchronously, so whichever side is
   * first decides and the other is told. `editDiscord`: the queue message is
   * edited by a job (a Discord press updates it in its own response).
   */
  decideApproval(
    id: string,
    decision: 'approve' | 'reject',
    by: { id: string; permissions: string },
    via: string,
    locale: string | undefined,
    editDiscord = true,
  ): { ok: true; approval: StoredApproval } | { ok: false; error: DecisionRefusal } {
    const a = this.desk.store.approval(id);
    if (!a) return { ok: false, error: { code: 'unknown-approval', text: tr(locale, 'mod.approval.gone') } };
    const now = clockNow();
    const r = decideApproval(a, decision, by, now);
    if (!r.ok) {
      if (r.error.code === 'expired') {
        const expired: StoredApproval = { ...a, status: 'expired', decidedAt: a.expiresAt };
        this.desk.store.saveApproval(expired);
        this.desk.host.enqueue(MOD_JOBS.render, { approvalId: a.id }, { lane: 'mod-queue' });
        this.desk.host.kick();
        this.desk.approvalChanged(expired);
      }
      const who = a.decidedBy ? ` ${tr(locale, 'common.by-user', { user: a.decidedBy })}` : '';
      const when = (at: number | null) => (at !== null ? ` <t:${Math.floor(at / 1000)}:R>` : '');
      const text =
        r.error.code === 'not-allowed'
          ? tr(locale, 'mod.approval.not-allowed', { permission: permissionName(REQUIRED_PERMISSION[STAFF_ACTION[a.action.kind]]), decision })
          : r.error.code === 'expired'
            ? tr(locale, 'mod.approval.expired', { at: Math.floor(a.expiresAt / 1000), decision })
            : tr(locale, 'mod.approval.already-decided', { status: a.status, who, when: when(a.decidedAt) });
      return { ok: false, error: { code: r.error.code, text } };
    }
    let next: StoredApproval = { ...a, ...r.value };
    if (next.status === 'approved') next = this.desk.executeApproval(next, now).approval;
    else this.desk.store.saveApproval(next);
    this.desk.host.audit({
      at: now,
      guildId: this.desk.guildId,
      userId: by.id,
      action: `mod approval ${next.status}`,
      outcome: 'ok',
      latencyMs: 0,
      detail: `approval #${a.id}${via === 'discord' ? '' : ` (via ${via})`}: ${a.action.kind}${a.userId ? ` <@${a.userId}>` : ''}: ${a.reason}`,
    });
    if (editDiscord) {
      this.desk.host.enqueue(MOD_JOBS.render, { approvalId: a.id }, { lane: 'mod-queue' });
      this.desk.host.kick();
    }
    this.desk.approvalChanged(next);
    return { ok: true, approval: next };
  }

  /**
   * Nothing here waits on Discord or can fail for a while and then succeed,
   * so an error is a bug about this one event: it is logged, and the guild's
   * event stream goes on (a rethrow would have the event retried forever).
   */
  onEvent(e: GatewayEvent): void | Promise<void> {
    const failed = (err: unknown) =>
      console.error(`moderation: ${e.t} #${e.s} in guild ${this.desk.guildId}: ${err instanceof Error ? err.stack : String(err)}`);
    try {
      const r = this.dispatch(e);
      if (r) return r.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  private dispatch(e: GatewayEvent): void | Promise<void> {
    switch (e.t) {
      case E.MessageCreate:
        return this.onMessage(e.d as GatewayMessageCreateDispatchData);
      case E.GuildMemberAdd:
        return this.onJoin(e.d as GatewayGuildMemberAddDispatchData);
      case E.GuildRoleCreate:
      case E.GuildRoleUpdate:
      case E.GuildRoleDelete:
        this.desk.facts.invalidate();
        return;
      default:
        this.automod.onEvent(e);
    }
  }

  runJob(job: Job<string>): Promise<JobResult> {
    return this.desk.runJob(job);
  }

  runTimer(t: Timer<string>): Promise<TimerResult> {
    return this.desk.runTimer(t);
  }

  /**
   * `/automod remove id`: the guild's rule ids (compiled rules, in memory).
   * `/pardon infraction`: the chosen member's infractions that still count
   * (storage). Only for those the command itself is for.
   */
  autocomplete(i: APIApplicationCommandAutocompleteInteraction): APIApplicationCommandOptionChoice[] {
    const f = focusedOf(i);
    const perms = invokerOf(i).permissions;
    if (f?.path === 'automod remove' && f.name === 'id' && hasAnyPermission(perms, P.Administrator)) {
      return matching(
        f.typed,
        this.desk.store.automod().rules.map((r) => ({ name: `${r.id} (${r.kind})`, value: r.id })),
      );
    }
    if (f?.path === 'pardon' && f.name === 'infraction' && hasAnyPermission(perms, P.ModerateMembers | P.Administrator)) {
      const member = f.options.get('member');
      if (typeof member !== 'string') return [];
      const open = this.desk.store
        .record(member)
        .items.filter((x) => !x.pardon)
        .reverse();
      return matching(
        f.typed,
        open.map((x) => ({ name: `#${x.id}: ${x.reason}`, value: Number(x.id) })),
      );
    }
    return [];
  }

  private onMessage(m: GatewayMessageCreateDispatchData): void | Promise<void> {
    // Judged at the message's own time, so a batch delivered late still counts rates right.
    const at = Date.parse(m.timestamp);
    const now = Number.isFinite(at) ? at : clockNow();
    const r = this.automod.evaluate(m, now);
    if (r instanceof Promise) return r.then((res) => this.afterAutomod(m, res));
    this.afterAutomod(m, r);
  }

  private afterAutomod(m: GatewayMessageCreateDispatchData, r: AutomodResult | null): void {
    if (r && r.violations.length > 0) {
      this.enforce(m.author.id, r.violations, { channelId: m.channel_id, messageId: m.id, content: m.content });
      return;
    }
    if (!this.desk.settings().ai || !m.guild_id || m.author.bot || m.webhook_id || !m.content.trim()) return;
    this.desk.queueClassification({ channelId: m.channel_id, messageId: m.id, userId: m.author.id, content: m.content });
  }

  /** New-account rules at join time (no message to delete). */
  private onJoin(d: GatewayGuildMemberAddDispatchData): void {
    if (!d.user || d.user.bot) return;
    const rules = this.automod.rules();
    if (!rules.rules.some((r) => r.rule.kind === 'new-account')) return;
    const violations = evaluateJoin(rules, { userId: d.user.id, roleIds: d.roles ?? [] }, clockNow());
    if (violations.length > 0) this.enforce(d.user.id, violations, null);
  }

  /**
   * Records the infractions, applies the ladder, and turns the plan into a
   * case (its Discord work queued in the member's lane) and, for kick or
   * ban, a request in the mod queue. All of it before any await.
   */
  private enforce(userId: string, violations: readonly Violation[], message: { channelId: string; messageId: string; content: string } | null): void {
    const decision = decideActions(violations);
    const now = clockNow();
    // Reasons and evidence are stored and shown in the mod log, the mod queue and the member's notice: the guild's language.
    const locale = guildLocale(this.desk.host.sql);
    const infractionIds: string[] = [];
    let escalation: Escalation | null = null;
    for (const v of decision.infractions) {
      const added = this.desk.addInfraction(
        userId,
        'automod',
        v.ruleId,
        tr(locale, 'mod.reason.automod-hit', { rule: v.ruleId, evidence: render(locale, v.evidence) }),
        null,
        now,
      );
      infractionIds.push(added.id);
      if (added.escalation && (!escalation || added.escalation.index >= escalation.index)) escalation = added.escalation;
    }
    const plan = planEnforcement(violations, decision, escalation, userId);
    const reason = renderValue(locale, plan.reason);
    const evidence = renderValue(locale, plan.evidence);
    // The alert desk folds automod hits into one message per window, when the guild routes them there.
    this.desk.host.peer(isAlertDesk)?.raise({ kind: 'automod', evidence: `<@${userId}>: ${reason}`, at: now });
    if (plan.headline) {
      const steps: WorkStep[] = [];
      if (plan.deleteMessage && message) steps.push('delete');
      if (plan.notify) steps.push('notify');
      if (plan.timeoutMs !== null) steps.push('timeout');
      if (plan.quarantineRoleId) steps.push('role');
      const fromLadder = escalation !== null && plan.timeoutMs !== null && decision.effect?.kind !== 'timeout';
      const c = this.desk.openCase(
        {
          userId,
          action: plan.headline,
          source: fromLadder ? 'escalation' : 'automod',
          reason,
          evidence,
          channelId: message?.channelId ?? null,
          messageId: message?.messageId ?? null,
          durationMs: plan.timeoutMs,
          timedOut: plan.timeoutMs !== null,
          roleId: plan.quarantineRoleId,
          infractionIds,
          work: { steps, done: [] },
        },
        now,
      );
      if (steps.length > 0) this.desk.queueCase(c);
    }
    if (plan.approval) {
      const where = message ? `\n${tr(locale, 'mod.evidence.message', { channel: message.channelId, text: snippet(message.content) })}` : '';
      this.desk.requestApproval(plan.approval.action, plan.approval.origin, userId, reason, `${evidence}${where}`, now);
    }
  }
}

/**
 * Moderation as a feature: automod, cases and infractions, staff commands,
 * the approval queue, the mod log, appeals and the AI classifier.
 */
export const moderation: FeatureModule = {
  name: 'moderation',
  commands: MODERATION_COMMANDS,
  customIds: [MOD_FEATURE],
  autocomplete: ['automod', 'pardon'],
  jobs: Object.values(MOD_JOBS),
  timers: Object.values(MOD_TIMERS),
  events: [
    E.MessageCreate,
    E.GuildMemberAdd,
    E.GuildRoleCreate,
    E.GuildRoleUpdate,
    E.GuildRoleDelete,
    E.GuildCreate,
    E.GuildUpdate,
    E.ChannelCreate,
    E.ChannelUpdate,
    E.ChannelDelete,
    E.ThreadCreate,
    E.ThreadUpdate,
    E.ThreadDelete,
    E.InviteCreate,
    E.InviteDelete,
  ],
  intents:
    GatewayIntentBits.Guilds |
    GatewayIntentBits.GuildMembers |
    GatewayIntentBits.GuildMessages |
    GatewayIntentBits.MessageContent |
    GatewayIntentBits.GuildInvites,
  // Timeouts, kicks, bans, deleting messages, the quarantine role, and the mod log / queue posts.
  permissions:
    P.ModerateMembers | P.KickMembers | P.BanMembers | P.ManageMessages | P.ManageRoles | P.ViewChannel | P.SendMessages | P.EmbedLinks | P.ReadMessageHistory,
  migrations: { guild: [{ name: 'moderation-schema', sql: MODERATION_DESK_SCHEMA }] },
  routes: [
    // Loaded on first use, so Node scripts read these declarations without the Worker runtime.
    {
      method: 'GET',
      path: '/appeal/:guildId/:caseId',
      handle: async (req) =>
        (await import('../../routes/appeal.ts')).handleAppealPage(req.params.guildId!, req.params.caseId!, req.headers.get('accept-language')),
    },
    {
      method: 'POST',
      path: '/appeal/:guildId/:caseId',
      handle: async (req, env) => (await import('../../routes/appeal.ts')).handleAppealSubmit(req, env, req.params.guildId!, req.params.caseId!),
    },
  ],
  guild: (host) => new GuildModeration(host),
};
