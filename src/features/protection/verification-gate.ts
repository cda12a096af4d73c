import {
  type APIChatInputApplicationCommandInteraction,
  type APIMessage,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  InteractionResponseType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  Routes,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { isPermanent } from '../../discord/errors.ts';
import { hasPermission, parsePermissions } from '../../discord/hierarchy.ts';
import { invokerOf, modalValues, numberOption, reply, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { describeRestError } from '../../discord/rest.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import { render } from '../../i18n/text.ts';
import { now as clockNow } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import type { GuildFeatureHost } from '../guild-feature.ts';
import type { Handled } from '../tickets/guild-commands.ts';
import type { RoleQueue } from './roles.ts';
import { applyGateOptions, DEFAULT_GATE, type GateConfig } from './rules/config.ts';
import {
  type AnswerOutcome,
  type AnswerResult,
  beginChallenge,
  emptyVerificationStats,
  expireChallenge,
  newVerificationEntry,
  type Random,
  removalDue,
  submitAnswer,
  tally,
  type VerificationStats,
} from './rules/verification.ts';
import type { ProtectionStore } from './store.ts';
import { ANSWER_FIELD, answerModal, challengeReply, ephemeral, VerifyActions, verifyPanel } from './views.ts';

export const GATE_JOBS = { panel: 'verify-panel' } as const;
/** Timer kinds, one keyed timer per member each: a challenge's expiry and the removal deadline. */
export const GATE_TIMERS = { expire: 'verify-expire', deadline: 'verify-deadline' } as const;

const CONFIG_KEY = 'verification';
const STATS_KEY = 'verification-stats';
const PANEL_KEY = 'verification-panel';

const refused = (code: string, message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: `refused:${code}`, detail });
const done = (message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: 'ok', detail });

export interface GateStatus {
  enabled: boolean;
  pending: number;
  stats: VerificationStats;
}

/**
 * The verification gate: while it is on, a new member gets only the
 * unverified role; pressing Verify in the verify channel gives them a
 * challenge (verification.ts) answered in a modal; passing takes the role
 * away. Challenges that expire count as timeouts, and members still
 * unverified after the set time are removed, from delayed outbox jobs.
 * Each job's due time stands for "now" when it runs: an alarm never fires
 * early, so a late run changes nothing, and moving a job forward is how a
 * test lets time pass.
 */
export class VerificationGate {
  private readonly host: GuildFeatureHost;
  private readonly store: ProtectionStore;
  private readonly roles: RoleQueue;
  private readonly rand: Random;

  constructor(host: GuildFeatureHost, store: ProtectionStore, roles: RoleQueue, rand: Random = Math.random) {
    this.host = host;
    this.store = store;
    this.roles = roles;
    this.rand = rand;
  }

  config(): GateConfig {
    return this.store.get(CONFIG_KEY, DEFAULT_GATE);
  }

  /** A checked configuration (/verification, the dashboard, the REST API); a gate that is on gets its Verify button posted. */
  save(cfg: GateConfig): void {
    this.store.set(CONFIG_KEY, cfg);
    if (cfg.enabled) this.ensurePanel(cfg);
  }

  private stats(): VerificationStats {
    return this.store.get(STATS_KEY, emptyVerificationStats());
  }

  private count(event: AnswerOutcome | 'timed-out' | 'removed'): void {
    const before = this.stats();
    const after = tally(before, event);
    if (after !== before) this.store.set(STATS_KEY, after);
    // Passes and failures (wrong, pasted, used up, timed out) also feed the analytics charts.
    const outcome = event === 'passed' ? 'pass' : event === 'removed' || after === before ? null : 'fail';
    if (outcome) this.host.metric({ kind: 'verification', guildId: this.host.guildId, outcome });
  }

  onJoin(userId: string, at: number): void {
    const cfg = this.config();
    if (!cfg.enabled || !cfg.unverifiedRoleId) return;
    this.store.saveVerification(newVerificationEntry(userId, at));
    this.roles.queue(userId, cfg.unverifiedRoleId, 'add', 'Guildkeep verification: new member');
    if (cfg.removeAfterMs !== null) this.scheduleDeadline(userId, at, at + cfg.removeAfterMs);
  }

  onLeave(userId: string): void {
    this.store.dropVerification(userId);
  }

  private scheduleDeadline(userId: string, joinedAt: number, dueAt: number): void {
    this.host.timers.set(`${GATE_TIMERS.deadline}:${userId}`, GATE_TIMERS.deadline, dueAt, { userId, joinedAt, dueAt });
  }

  // ---- interactions ------------------------------------------------------------

  /** Verify (a fresh challenge) and Answer (the modal). */
  component(i: APIMessageComponentInteraction, cid: CustomId): Handled {
    const cfg = this.config();
    const inv = invokerOf(i);
    const locale = i.locale;
    if (!cfg.enabled) return refused('off', tr(locale, 'prot.verify.off'));
    const now = clockNow();
    let entry = this.store.verification(inv.userId);
    if (cid.action === VerifyActions.start) {
      if (!entry) {
        // Members who joined before the gate was on verify too, if they hold the role.
        if (!cfg.unverifiedRoleId || !inv.roles.includes(cfg.unverifiedRoleId)) return refused('not-needed', tr(locale, 'prot.verify.already'));
        entry = newVerificationEntry(inv.userId, now);
      }
      const began = beginChallenge(entry, cfg, this.rand, now, locale);
      if (!began.ok) {
        const e = began.error;
        return refused(
          e.code,
          e.code === 'cooling-down'
            ? tr(locale, 'prot.verify.cooling-down', { at: Math.ceil(e.retryAt / 1000) })
            : tr(locale, e.code === 'removed' ? 'prot.verify.removed' : 'prot.verify.already'),
        );
      }
      if (began.value.entry.timeouts > entry.timeouts) this.count('timed-out');
      const challenge = began.value.entry.challenge!;
      this.store.saveVerification(began.value.entry);
      this.host.timers.set(`${GATE_TIMERS.expire}:${inv.userId}`, GATE_TIMERS.expire, challenge.expiresAt, {
        userId: inv.userId,
        issuedAt: challenge.issuedAt,
        dueAt: challenge.expiresAt,
      });
      return {
        response: reply(challengeReply(this.host.guildId, began.value.view, challenge.expiresAt, locale)),
        outcome: 'ok',
        detail: `challenge ${challenge.kind}`,
      };
    }
    if (cid.action === VerifyActions.answer) {
      if (entry?.status === 'verified') return refused('already-verified', tr(locale, 'prot.verify.already'));
      if (!entry?.challenge) return refused('no-challenge', tr(locale, 'prot.verify.no-challenge'));
      if (now >= entry.challenge.expiresAt) return refused('expired', tr(locale, 'prot.verify.expired'));
      return { response: { type: InteractionResponseType.Modal, data: answerModal(this.host.guildId, locale) }, outcome: 'ok', detail: 'answer form' };
    }
    return refused('unknown', tr(locale, 'common.button-unknown'));
  }

  modal(i: APIModalSubmitInteraction, cid: CustomId): Handled {
    const locale = i.locale;
    if (cid.action !== VerifyActions.submit) return refused('unknown', tr(locale, 'common.form-unknown'));
    const cfg = this.config();
    const inv = invokerOf(i);
    const entry = this.store.verification(inv.userId);
    if (!entry) return refused('not-needed', tr(locale, 'prot.verify.already'));
    const res = submitAnswer(entry, modalValues(i).get(ANSWER_FIELD) ?? '', cfg, Date.now());
    this.store.saveVerification(res.entry);
    this.count(res.outcome);
    if (res.outcome === 'passed') {
      if (cfg.unverifiedRoleId) this.roles.queue(inv.userId, cfg.unverifiedRoleId, 'remove', 'Guildkeep verification: passed');
      if (cfg.verifiedRoleId) this.roles.queue(inv.userId, cfg.verifiedRoleId, 'add', 'Guildkeep verification: passed');
    }
    return {
      response: reply(ephemeral(answerText(res, cfg.retryCooldownMs > 0, locale))),
      outcome: res.outcome === 'passed' ? 'ok' : `refused:${res.outcome}`,
      detail: `verification ${res.outcome}`,
    };
  }

  /** /verification on | off | config | status (Administrator). */
  command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
    const inv = invokerOf(i);
    const locale = i.locale;
    if (!hasPermission(parsePermissions(inv.permissions), PermissionFlagsBits.Administrator)) return refused('not-admin', tr(locale, 'prot.verify.not-admin'));
    const cfg = this.config();
    const change = (o: Parameters<typeof applyGateOptions>[1], detail: string, say: (c: GateConfig) => string): Handled => {
      const next = applyGateOptions(cfg, o);
      if (!next.ok) return refused('bad-input', tr(locale, 'prot.nothing-changed', { errors: next.error.map((e) => render(locale, e)).join('; ') }));
      this.save(next.value);
      return done(say(next.value), detail);
    };
    switch (call.path) {
      case 'verification on':
        return change({ enabled: true }, 'on', (c) => tr(locale, 'prot.verify.on', { role: c.unverifiedRoleId ?? '', channel: c.verifyChannelId ?? '' }));
      case 'verification off':
        return change({ enabled: false }, 'off', () => tr(locale, 'prot.verify.off-now'));
      case 'verification config':
        return change(
          {
            unverifiedRoleId: stringOption(call, 'unverified_role'),
            verifiedRoleId: stringOption(call, 'verified_role'),
            verifyChannelId: stringOption(call, 'verify_channel'),
            challenge: stringOption(call, 'challenge'),
            timeoutMinutes: numberOption(call, 'timeout_minutes'),
            kickAfterMinutes: numberOption(call, 'kick_after_minutes'),
          },
          'config',
          (c) => tr(locale, 'prot.verify.saved', { status: describe(c, this.stats(), this.store.pendingVerifications(), locale) }),
        );
      case 'verification status':
        return done(describe(cfg, this.stats(), this.store.pendingVerifications(), locale), 'status');
      default:
        return refused('unsupported', tr(locale, 'common.unsupported-command'));
    }
  }

  /** Posts the Verify button in the verify channel, unless it is already there. */
  private ensurePanel(cfg: GateConfig): void {
    const panel = this.store.get<{ channelId: string; messageId: string } | null>(PANEL_KEY, null);
    if (!cfg.verifyChannelId || panel?.channelId === cfg.verifyChannelId) return;
    this.host.enqueue(GATE_JOBS.panel, { channelId: cfg.verifyChannelId }, { lane: GATE_JOBS.panel, dedupe: `${GATE_JOBS.panel}:${cfg.verifyChannelId}` });
    this.host.kick();
  }

  // ---- jobs -------------------------------------------------------------------------

  async runJob(job: Job<string>): Promise<JobResult> {
    const p = (job.payload ?? {}) as { userId?: string; issuedAt?: number; joinedAt?: number; dueAt?: number; channelId?: string };
    switch (job.kind) {
      case GATE_JOBS.panel:
        return this.postPanel(p.channelId ?? '');
      default:
        return this.runTimer({ key: '', kind: job.kind, at: 0, payload: job.payload });
    }
  }

  /** Timers; delayed jobs of the same kinds queued by code before the scheduler run here too. */
  async runTimer(t: Timer<string>): Promise<TimerResult> {
    const p = (t.payload ?? {}) as { userId?: string; issuedAt?: number; joinedAt?: number; dueAt?: number };
    switch (t.kind) {
      case GATE_TIMERS.expire:
        return this.expire(p.userId ?? '', p.issuedAt ?? 0, p.dueAt ?? 0);
      case GATE_TIMERS.deadline:
        return this.deadline(p.userId ?? '', p.joinedAt ?? 0, p.dueAt ?? 0);
      default:
        return 'done';
    }
  }

  private async postPanel(channelId: string): Promise<JobResult> {
    const r = await this.host.rest.post<APIMessage>(Routes.channelMessages(channelId), { body: verifyPanel(this.host.guildId, guildLocale(this.host.sql)) });
    if (!r.ok) {
      if (!isPermanent(r.error)) return 'retry';
      console.error(`guild ${this.host.guildId}: verify panel: ${describeRestError(r.error)}`);
      return 'done';
    }
    this.store.set(PANEL_KEY, { channelId, messageId: r.value.id });
    return 'done';
  }

  private async expire(userId: string, issuedAt: number, dueAt: number): Promise<JobResult> {
    const e = this.store.verification(userId);
    if (!e?.challenge || e.challenge.issuedAt !== issuedAt) return 'done';
    const x = expireChallenge(e, Math.max(clockNow(), dueAt));
    if (x.timedOut) {
      this.store.saveVerification(x.entry);
      this.count('timed-out');
    }
    return 'done';
  }

  private async deadline(userId: string, joinedAt: number, dueAt: number): Promise<JobResult> {
    const e = this.store.verification(userId);
    if (!e || e.joinedAt !== joinedAt || e.status !== 'pending') return 'done';
    const cfg = this.config();
    if (cfg.removeAfterMs === null) return 'done';
    if (!removalDue(e, cfg, Math.max(clockNow(), dueAt))) {
      // The setting was lengthened since this was queued: wait for the new time.
      this.scheduleDeadline(userId, joinedAt, joinedAt + cfg.removeAfterMs);
      return 'done';
    }
    const r = await this.host.rest.delete(Routes.guildMember(this.host.guildId, userId), {
      reason: tr(guildLocale(this.host.sql), 'prot.audit.unverified'),
    });
    if (!r.ok && !isPermanent(r.error)) return 'retry';
    const gone = !r.ok && r.error.kind === 'discord' && r.error.code === RESTJSONErrorCodes.UnknownMember;
    if (!r.ok && !gone) {
      console.error(`guild ${this.host.guildId}: removing unverified ${userId}: ${describeRestError(r.error)}`);
      return 'done';
    }
    if (r.ok) this.count('removed');
    const latest = this.store.verification(userId);
    if (latest?.status === 'pending') this.store.saveVerification({ ...latest, status: 'removed' });
    this.host.audit({
      at: Date.now(),
      guildId: this.host.guildId,
      userId: 'automation',
      action: 'verification remove',
      outcome: r.ok ? 'ok' : 'refused:gone',
      latencyMs: 0,
      detail: `member ${userId} not verified in time`,
    });
    return 'done';
  }

  status(): GateStatus {
    return { enabled: this.config().enabled, pending: this.store.pendingVerifications(), stats: this.stats() };
  }
}

function describe(c: GateConfig, s: VerificationStats, pending: number, locale?: string): string {
  const notSet = tr(locale, 'prot.verify.not-set');
  return [
    tr(locale, 'prot.verify.status', {
      on: c.enabled ? 'yes' : 'no',
      role: c.unverifiedRoleId ? `<@&${c.unverifiedRoleId}>` : notSet,
      channel: c.verifyChannelId ? `<#${c.verifyChannelId}>` : notSet,
      hasVerified: c.verifiedRoleId ? 'yes' : 'no',
      verified: c.verifiedRoleId ?? '',
    }),
    tr(locale, 'prot.verify.challenge', {
      kind: c.challenge,
      minutes: Math.round(c.challengeTtlMs / 60_000),
      tries: c.maxAttempts,
      kept: c.removeAfterMs === null ? 'yes' : 'no',
      after: c.removeAfterMs === null ? 0 : Math.round(c.removeAfterMs / 60_000),
    }),
    tr(locale, 'prot.verify.counts', { passed: s.passed, failed: s.failed, timedOut: s.timedOut, removed: s.removed, pending }),
  ].join('\n');
}

/** What to tell the member about their answer: rules/verification.ts decides, and its `message` is the English of this. */
function answerText(res: AnswerResult, cooldown: boolean, locale?: string): string {
  switch (res.outcome) {
    case 'passed':
      return tr(locale, 'prot.verify.passed');
    case 'already-verified':
      return tr(locale, 'prot.verify.already');
    case 'no-challenge':
      return tr(locale, 'prot.verify.no-challenge');
    case 'expired':
      return tr(locale, 'prot.verify.expired');
    case 'used-up':
      return tr(locale, 'prot.verify.used-up', { cooldown: cooldown ? 'yes' : 'no', at: Math.ceil((res.entry.cooldownUntil ?? 0) / 1000) });
    case 'wrong':
    case 'pasted':
      return tr(locale, 'prot.verify.wrong', { pasted: res.outcome === 'pasted' ? 'yes' : 'no', left: res.attemptsLeft });
  }
}
