import { type RESTPostAPIChannelMessageJSONBody, Routes } from 'discord-api-types/v10';
import { timeoutUntil } from '../../discord/hierarchy.ts';
import { describeRestError, type RestError } from '../../discord/rest.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import { render, renderValue, textList } from '../../i18n/text.ts';
import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import { isAlertDesk } from '../alerts/peers.ts';
import { maskPersonalData } from '../audit/mask.ts';
import { addRole, banUser, deleteMessage, isGone, isPermanent, kickMember, postMessage, removeRole, sendDm, timeoutMember, unbanUser } from './actions.ts';
import { appealFormLink } from './appeal-token.ts';
import { isApprovalMirror } from './approval-peers.ts';
import { type ClassifierChain, classifierFromSecrets } from './classifier-providers.ts';
import { GuildFacts } from './guild-facts.ts';
import { type ApprovalOrigin, createApproval, type ModAction, markExecuted } from './rules/approvals.ts';
import { escalationText } from './rules/enforcement.ts';
import { type Escalation, nextStep } from './rules/escalation.ts';
import type { InfractionSource } from './rules/infractions.ts';
import { planPurge } from './rules/purge.ts';
import type { ModSettings } from './settings.ts';
import { type CaseSource, type ModCase, ModerationStore, type StoredApproval, type WorkStep } from './store.ts';
import { appealMessage, approvalMessage, approvalOutcome, channelNotice, dmNotice, modLogMessage } from './views.ts';

/** Outbox job kinds of the moderation desk. */
export const MOD_JOBS = {
  enforce: 'mod-enforce',
  log: 'mod-log',
  queue: 'mod-queue',
  render: 'mod-render',
  classify: 'mod-classify',
  appealPost: 'mod-appeal-post',
  appealRender: 'mod-appeal-render',
  appealDm: 'mod-appeal-dm',
} as const;

/** Timer kinds: a pending approval's expiry (one keyed timer per request). */
export const MOD_TIMERS = { expire: 'mod-expire' } as const;

export type CaseInput = Pick<ModCase, 'userId' | 'action' | 'source' | 'reason'> & Partial<Omit<ModCase, 'id'>>;

type StepOutcome = { kind: 'ok'; note?: string } | { kind: 'failed'; note: string } | { kind: 'retry'; note: string };

const SOURCE_OF: Record<ApprovalOrigin['kind'], CaseSource> = { automod: 'automod', escalation: 'escalation', classifier: 'classifier', raid: 'automod' };
const snippet = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The moderation state and its Discord work: infractions and the ladder,
 * cases (every action, for the mod log and appeals), the approval queue,
 * and the jobs that carry them out. Every decision is written synchronously
 * before any await, so concurrent presses and events cannot both act.
 */
export class ModerationDesk {
  readonly host: GuildHost;
  readonly store: ModerationStore;
  readonly facts: GuildFacts;
  private settingsCache: ModSettings | null = null;
  private classifier: ClassifierChain | null = null;
  /** Classifier jobs queued by this instance and not yet run (a bound on the backlog, not an exact count). */
  private classifyBacklog = 0;
  private backlogWarnedAt = 0;

  constructor(host: GuildHost) {
    this.host = host;
    this.store = new ModerationStore(host.sql);
    this.facts = new GuildFacts(host.rest, () => host.guildId);
  }

  get guildId(): string {
    return this.host.guildId;
  }

  settings(): ModSettings {
    return (this.settingsCache ??= this.store.settings());
  }

  saveSettings(s: ModSettings): void {
    this.store.setSettings(s);
    this.settingsCache = s;
  }

  private enqueue(kind: string, payload: unknown, opts?: { lane?: string; dedupe?: string }): void {
    this.host.enqueue(kind, payload, opts);
    this.host.kick();
  }

  /** Records an infraction and returns the ladder step the member's record has just reached. */
  addInfraction(
    userId: string,
    source: InfractionSource,
    ruleId: string | null,
    reason: string,
    moderatorId: string | null,
    now: number,
  ): { id: string; escalation: Escalation | null } {
    const id = this.store.addInfraction({ userId, at: now, source, ruleId, reason: maskPersonalData(reason), moderatorId });
    return { id, escalation: nextStep(this.store.record(userId), this.settings().ladder, now) };
  }

  /** Writes a case; one without Discord work is final at once and goes to the mod log. */
  openCase(input: CaseInput, now = Date.now()): ModCase {
    const c = this.store.addCase({
      at: now,
      moderatorId: null,
      durationMs: null,
      channelId: null,
      messageId: null,
      resultNote: '',
      approvalId: null,
      infractionIds: [],
      timedOut: false,
      roleId: null,
      revertedAt: null,
      work: null,
      ...input,
      // Reasons and evidence quote members (an automod hit, a moderator's note): masked before they are stored.
      reason: maskPersonalData(input.reason),
      evidence: maskPersonalData(input.evidence ?? ''),
      result: input.work && input.work.steps.length > 0 ? 'pending' : (input.result ?? 'done'),
    });
    if (c.result !== 'pending') this.finish(c);
    return c;
  }

  /** Runs a case's Discord work later, in the member's lane (after their earlier cases). */
  queueCase(c: ModCase): void {
    this.enqueue(MOD_JOBS.enforce, { caseId: c.id }, { lane: `mod-user:${c.userId || 'guild'}` });
  }

  /**
   * Carries out the case's remaining steps, in order, recording each; used
   * inline by staff commands and as the enforce job. 'retry' when Discord
   * could not be reached (the steps done so far stay done).
   */
  async runCase(caseId: number): Promise<JobResult> {
    const start = this.store.case(caseId);
    if (!start?.work || start.result !== 'pending') return 'done';
    const work = start.work;
    const notes = start.resultNote ? [start.resultNote] : [];
    // Only this run writes the case's work and result; anything else (an appeal marking it reverted) is re-read after each await.
    const record = (patch: Partial<ModCase>): ModCase => {
      const c: ModCase = { ...this.store.case(caseId)!, work, resultNote: notes.join('; '), ...patch };
      this.store.saveCase(c);
      return c;
    };
    for (const step of work.steps) {
      if (work.done.includes(step)) continue;
      const r = await this.step(this.store.case(caseId)!, step);
      if (r.kind === 'retry') {
        console.error(`case ${this.guildId}#${caseId} ${step}: ${r.note}`);
        return 'retry';
      }
      if (r.kind === 'failed') work.failed = true;
      if (r.note) notes.push(r.note);
      work.done.push(step);
      record({});
    }
    this.finish(record({ result: work.failed ? 'failed' : 'done' }));
    return 'done';
  }

  /** A finished case: to the audit log and the mod log, and to the approval it carried out. */
  private finish(c: ModCase): void {
    this.host.audit({
      at: Date.now(),
      guildId: this.guildId,
      userId: c.moderatorId ?? c.source,
      action: `mod ${c.action}`,
      outcome: c.result === 'failed' ? 'error' : 'ok',
      latencyMs: 0,
      detail: `case #${c.id}${c.userId ? ` <@${c.userId}>` : ''}: ${c.reason}${c.evidence ? ` | evidence: ${c.evidence}` : ''}${c.resultNote ? ` | ${c.resultNote}` : ''}`,
    });
    if (this.settings().modLogChannelId) this.enqueue(MOD_JOBS.log, { caseId: c.id }, { lane: 'mod-log' });
    if (c.approvalId) {
      const a = this.store.approval(c.approvalId);
      if (a) {
        a.outcome = approvalOutcome({ kind: c.result === 'failed' ? 'failed' : 'done', caseId: c.id, note: c.resultNote ?? undefined });
        this.store.saveApproval(a);
        this.enqueue(MOD_JOBS.render, { approvalId: a.id }, { lane: 'mod-queue' });
        this.approvalChanged(a);
      }
    }
  }

  private async step(c: ModCase, step: WorkStep): Promise<StepOutcome> {
    const rest = this.host.rest;
    const g = this.guildId;
    // Notes are stored on the case and shown in the mod log and to the moderator, and the reason goes to Discord's audit log: the guild's language. Discord's error stays as Discord wrote it.
    const locale = guildLocale(this.host.sql);
    const why = tr(locale, 'mod.audit.case', { id: c.id, reason: c.reason }).slice(0, 400);
    type Gone = 'message' | 'messages' | 'left' | 'notBanned' | 'absent';
    type Step = 'delete' | 'bulkDelete' | 'timeout' | 'role' | 'kick' | 'ban' | 'unban' | 'untimeout' | 'unrole';
    const outcome = (r: { ok: true } | { ok: false; error: RestError }, what: Step, gone?: Gone): StepOutcome => {
      if (r.ok) return { kind: 'ok' };
      if (gone && isGone(r.error)) return { kind: 'ok', note: tr(locale, 'mod.note.gone', { what: gone }) };
      return isPermanent(r.error)
        ? { kind: 'failed', note: tr(locale, 'mod.note.failed', { step: what, error: describeRestError(r.error) }) }
        : { kind: 'retry', note: describeRestError(r.error) };
    };
    switch (step) {
      case 'delete':
        if (!c.channelId || !c.messageId) return { kind: 'ok' };
        return outcome(await deleteMessage(rest, c.channelId, c.messageId, why), 'delete', 'message');
      case 'purge': {
        if (!c.channelId || !c.work?.messageIds?.length) return { kind: 'ok' };
        const plan = planPurge(c.work.messageIds, Date.now());
        for (const chunk of plan.bulk) {
          const r = outcome(await rest.post(Routes.channelBulkDelete(c.channelId), { body: { messages: chunk }, reason: why }), 'bulkDelete');
          if (r.kind !== 'ok') return r;
        }
        for (const id of plan.single) {
          const r = outcome(await deleteMessage(rest, c.channelId, id, why), 'delete', 'messages');
          if (r.kind !== 'ok') return r;
        }
        return { kind: 'ok', note: plan.tooOld.length ? tr(locale, 'mod.note.too-old', { count: plan.tooOld.length }) : undefined };
      }
      case 'notify':
        return this.notify(c);
      case 'timeout':
        return outcome(await timeoutMember(rest, g, c.userId, timeoutUntil(Date.now(), c.durationMs ?? 60_000), why), 'timeout');
      case 'role':
        return c.roleId ? outcome(await addRole(rest, g, c.userId, c.roleId, why), 'role') : { kind: 'ok' };
      case 'kick':
        return outcome(await kickMember(rest, g, c.userId, why), 'kick', 'left');
      case 'ban':
        return outcome(await banUser(rest, g, c.userId, c.work?.deleteMessageSeconds ?? 0, why), 'ban');
      case 'unban':
        return outcome(await unbanUser(rest, g, c.userId, why), 'unban', 'notBanned');
      case 'untimeout':
        return outcome(await timeoutMember(rest, g, c.userId, null, why), 'untimeout', 'absent');
      case 'unrole':
        return c.roleId ? outcome(await removeRole(rest, g, c.userId, c.roleId, why), 'unrole', 'absent') : { kind: 'ok' };
    }
  }

  /** The member's DM (with the appeal button, and a form link for bans); a channel notice when DMs are closed. */
  private async notify(c: ModCase): Promise<StepOutcome> {
    const facts = await this.facts.hierarchy();
    // No interaction here: the member's DM and the channel notice speak the guild's language.
    const locale = guildLocale(this.host.sql);
    const guildName = facts.ok ? facts.value.guildName : tr(locale, 'mod.the-server');
    const cfg = this.host.config;
    const link =
      c.action === 'ban'
        ? await appealFormLink(cfg.publicUrl, cfg.staffLinkSecret, { guildId: this.guildId, caseId: c.id, userId: c.userId }, Math.floor(Date.now() / 1000))
        : null;
    const dm = await sendDm(this.host.rest, c.userId, dmNotice(this.guildId, guildName, c, link, locale));
    if (dm.ok) return { kind: 'ok', note: tr(locale, 'mod.note.notified') };
    if (!isPermanent(dm.error)) return { kind: 'retry', note: describeRestError(dm.error) };
    if (c.channelId && c.action !== 'kick' && c.action !== 'ban') {
      const posted = await postMessage(this.host.rest, c.channelId, channelNotice(c, locale));
      if (posted.ok) return { kind: 'ok', note: tr(locale, 'mod.note.notice-posted', { channel: c.channelId }) };
    }
    return { kind: 'ok', note: tr(locale, 'mod.note.not-notified') };
  }

  // ---- approvals ----

  /** A peer showing the queue elsewhere (Telegram) updates its copy. */
  approvalChanged(a: StoredApproval): void {
    this.host.peer(isApprovalMirror)?.approvalChanged(a);
  }

  /**
   * Puts a kick, ban, mass delete or classifier review in the mod queue. A
   * request already waiting for the same member and action is not repeated.
   */
  requestApproval(action: ModAction, origin: ApprovalOrigin, userId: string | null, reason: string, evidence: string, now: number): StoredApproval | null {
    if (userId && this.store.pendingApprovalFor(userId, action.kind)) return null;
    const ttl = this.settings().approvalTtlMs;
    const a: StoredApproval = {
      ...createApproval(this.store.newApprovalId(), action, origin, maskPersonalData(reason), now, ttl),
      userId,
      evidence: maskPersonalData(evidence),
      channelId: null,
      caseId: null,
      outcome: '',
    };
    this.store.saveApproval(a);
    this.enqueue(MOD_JOBS.queue, { approvalId: a.id }, { lane: 'mod-queue' });
    // Also shown elsewhere (Telegram) when such a peer is on; never in the way of the Discord post.
    this.host.peer(isApprovalMirror)?.approvalRequested(a);
    // And to the alert desk, when the guild routes waiting approvals there.
    this.host.peer(isAlertDesk)?.raise({ kind: 'approval', evidence: `#${a.id} ${action.kind}${userId ? ` <@${userId}>` : ''}: ${a.reason}`, at: now });
    this.host.timers.set(`${MOD_TIMERS.expire}:${a.id}`, MOD_TIMERS.expire, a.expiresAt, { approvalId: a.id });
    this.host.audit({
      at: now,
      guildId: this.guildId,
      userId: SOURCE_OF[origin.kind],
      action: `mod approval requested`,
      outcome: 'ok',
      latencyMs: 0,
      detail: `approval #${a.id}: ${action.kind}${userId ? ` <@${userId}>` : ''}: ${a.reason}`,
    });
    return a;
  }

  /**
   * An approved request becomes a case (the approver is its moderator) whose
   * work runs as a job; marking it executed here, synchronously, is what
   * makes a second approval of the same request impossible.
   */
  executeApproval(a: StoredApproval, now: number): { approval: StoredApproval; caseId: number | null } {
    const marked = markExecuted(a, now);
    if (!marked.ok) return { approval: a, caseId: null };
    const approval: StoredApproval = { ...a, ...marked.value };
    const base = { source: SOURCE_OF[a.origin.kind], moderatorId: a.decidedBy, reason: a.reason, evidence: a.evidence, approvalId: a.id };
    const act = a.action;
    let c: ModCase;
    switch (act.kind) {
      case 'kick':
        c = this.openCase({ ...base, userId: act.userId, action: 'kick', work: { steps: ['notify', 'kick'], done: [] } }, now);
        break;
      case 'ban':
        c = this.openCase(
          { ...base, userId: act.userId, action: 'ban', work: { steps: ['notify', 'ban'], done: [], deleteMessageSeconds: act.deleteMessageSeconds } },
          now,
        );
        break;
      case 'timeout':
        c = this.openCase(
          { ...base, userId: act.userId, action: 'timeout', durationMs: act.durationMs, timedOut: true, work: { steps: ['notify', 'timeout'], done: [] } },
          now,
        );
        break;
      case 'purge':
        c = this.openCase(
          { ...base, userId: '', action: 'purge', channelId: act.channelId, work: { steps: ['purge'], done: [], messageIds: act.messageIds } },
          now,
        );
        break;
      case 'delete': {
        // A classifier finding the moderator confirmed counts like any other violation; what is stored speaks the guild's language.
        const userId = a.userId ?? '';
        const locale = guildLocale(this.host.sql);
        const inf = userId
          ? this.addInfraction(
              userId,
              'classifier',
              null,
              tr(locale, 'mod.reason.classifier-approved', { user: a.decidedBy ?? '', reason: a.reason }),
              a.decidedBy,
              now,
            )
          : null;
        const step = inf?.escalation?.step.action;
        const steps: WorkStep[] = step?.kind === 'timeout' ? ['delete', 'notify', 'timeout'] : ['delete'];
        c = this.openCase(
          {
            ...base,
            userId,
            action: step?.kind === 'timeout' ? 'timeout' : 'delete',
            channelId: act.channelId,
            messageId: act.messageId,
            durationMs: step?.kind === 'timeout' ? step.durationMs : null,
            timedOut: step?.kind === 'timeout',
            infractionIds: inf ? [inf.id] : [],
            reason: inf?.escalation ? renderValue(locale, textList([a.reason, escalationText(inf.escalation)], 'semicolon')) : a.reason,
            work: { steps, done: [] },
          },
          now,
        );
        if (step?.kind === 'kick')
          this.requestApproval(
            { kind: 'kick', userId },
            { kind: 'escalation', step: inf!.escalation!.index },
            userId,
            render(locale, escalationText(inf!.escalation!)),
            a.evidence,
            now,
          );
        break;
      }
    }
    approval.caseId = c.id;
    approval.outcome = approvalOutcome({ kind: 'carrying', caseId: c.id });
    this.store.saveApproval(approval);
    this.queueCase(c);
    return { approval, caseId: c.id };
  }

  // ---- jobs ----

  async runJob(job: Job<string>): Promise<JobResult> {
    const p = job.payload as { caseId?: number; approvalId?: string; appealId?: number };
    switch (job.kind) {
      case MOD_JOBS.enforce:
        return this.runCase(p.caseId!);
      case MOD_JOBS.log:
        return this.postLog(p.caseId!);
      case MOD_JOBS.queue:
        return this.postApproval(p.approvalId!);
      case MOD_JOBS.render:
        return this.renderApproval(p.approvalId!);
      // Queued as a delayed job by code before the scheduler.
      case MOD_TIMERS.expire:
        return this.expire(p.approvalId!);
      case MOD_JOBS.classify:
        return this.classify(job.payload as ClassifyPayload);
      case MOD_JOBS.appealPost:
        return this.postAppeal(p.appealId!);
      case MOD_JOBS.appealRender:
        return this.renderAppeal(p.appealId!);
      case MOD_JOBS.appealDm:
        return this.appealDm(p.appealId!);
    }
    return 'done';
  }

  private async post(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<JobResult | string> {
    const r = await postMessage(this.host.rest, channelId, body);
    if (r.ok) return r.value.id;
    if (isPermanent(r.error)) {
      console.error(`moderation post in ${channelId}: ${describeRestError(r.error)}`);
      return 'done';
    }
    return 'retry';
  }

  private async edit(channelId: string, messageId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<JobResult> {
    const r = await this.host.rest.patch(Routes.channelMessage(channelId, messageId), { body });
    return r.ok || isPermanent(r.error) ? 'done' : 'retry';
  }

  private async postLog(caseId: number): Promise<JobResult> {
    const channel = this.settings().modLogChannelId;
    const c = this.store.case(caseId);
    if (!channel || !c) return 'done';
    // A repeat inside a rule's window is deleted without a new infraction; one log entry per burst is enough.
    if (c.action === 'delete' && c.source === 'automod' && c.infractionIds.length === 0) return 'done';
    const r = await this.post(channel, modLogMessage(c, guildLocale(this.host.sql)));
    return r === 'retry' ? 'retry' : 'done';
  }

  private async postApproval(id: string): Promise<JobResult> {
    const a = this.store.approval(id);
    if (!a || a.channelId) return 'done';
    const s = this.settings();
    const channel = s.queueChannelId ?? s.modLogChannelId;
    if (!channel) {
      this.host.audit({
        at: Date.now(),
        guildId: this.guildId,
        userId: 'automod',
        action: 'mod approval requested',
        outcome: 'refused:no-queue',
        latencyMs: 0,
        detail: `approval #${a.id} waits unseen: set a mod queue channel with /modconfig`,
      });
      return 'done';
    }
    const r = await this.post(channel, approvalMessage(this.guildId, a, guildLocale(this.host.sql)));
    if (r === 'retry') return 'retry';
    if (r !== 'done') {
      const now = this.store.approval(id)!;
      this.store.saveApproval({ ...now, channelId: channel, messageId: r });
      // Decided while the post was on its way: show the decision.
      if (now.status !== 'pending') this.enqueue(MOD_JOBS.render, { approvalId: id }, { lane: 'mod-queue' });
    }
    return 'done';
  }

  runTimer(t: Timer<string>): Promise<TimerResult> {
    const p = (t.payload ?? {}) as { approvalId?: string };
    return t.kind === MOD_TIMERS.expire ? this.expire(p.approvalId ?? '') : Promise.resolve('done');
  }

  private async renderApproval(id: string): Promise<JobResult> {
    const a = this.store.approval(id);
    if (!a?.channelId || !a.messageId) return 'done';
    return this.edit(a.channelId, a.messageId, approvalMessage(this.guildId, a, guildLocale(this.host.sql)));
  }

  private async expire(id: string): Promise<JobResult> {
    const a = this.store.approval(id);
    if (!a || a.status !== 'pending') return 'done';
    if (now() < a.expiresAt) return 'retry';
    const expired: StoredApproval = { ...a, status: 'expired', decidedAt: a.expiresAt };
    this.store.saveApproval(expired);
    this.approvalChanged(expired);
    this.host.audit({
      at: Date.now(),
      guildId: this.guildId,
      userId: 'automod',
      action: 'mod approval expired',
      outcome: 'ok',
      latencyMs: 0,
      detail: `approval #${a.id}: ${a.action.kind}${a.userId ? ` <@${a.userId}>` : ''} was not decided in time`,
    });
    return expired.channelId && expired.messageId
      ? this.edit(expired.channelId, expired.messageId, approvalMessage(this.guildId, expired, guildLocale(this.host.sql)))
      : 'done';
  }

  /**
   * Queues a message for the classifier. Four lanes, so one slow provider
   * call does not hold up every message; past CLASSIFY_BACKLOG waiting, new
   * messages are not classified (automod still judges them) rather than
   * letting the queue grow without bound.
   */
  queueClassification(p: ClassifyPayload): void {
    if (this.classifyBacklog >= CLASSIFY_BACKLOG) {
      const now = Date.now();
      if (now - this.backlogWarnedAt > 60_000) {
        this.backlogWarnedAt = now;
        console.warn(`guild ${this.guildId}: ${this.classifyBacklog} messages wait for the classifier; newer ones are not classified`);
      }
      return;
    }
    this.classifyBacklog++;
    this.enqueue(MOD_JOBS.classify, p, { lane: `mod-classify:${Number(p.messageId.slice(-2)) % 4}` });
  }

  /** The classifier, off the hot path: a `review` verdict becomes a request in the mod queue, never an action. */
  private async classify(p: ClassifyPayload): Promise<JobResult> {
    this.classifyBacklog = Math.max(0, this.classifyBacklog - 1);
    this.classifier ??= classifierFromSecrets(this.host.config.classifier);
    const { verdict, attempts } = await this.classifier.classify(p.content);
    const failures = attempts.filter((a) => !a.ok).map((a) => `${a.provider}: ${a.error}`);
    if (verdict.action !== 'review' && failures.length === 0) return 'done';
    const now = Date.now();
    this.host.audit({
      at: now,
      guildId: this.guildId,
      userId: p.userId,
      action: 'mod classify',
      outcome: verdict.action === 'review' ? 'ok' : 'ok:allow',
      latencyMs: 0,
      detail: `message ${p.messageId} by <@${p.userId}>: ${verdict.provider} ${verdict.action} ${verdict.score}${failures.length ? ` | failed: ${failures.join('; ')}` : ''}`,
    });
    if (verdict.action === 'review') {
      // Shown in the mod queue: the guild's language.
      const locale = guildLocale(this.host.sql);
      this.requestApproval(
        { kind: 'delete', channelId: p.channelId, messageId: p.messageId },
        { kind: 'classifier', provider: verdict.provider, labels: verdict.labels, score: verdict.score },
        p.userId,
        tr(locale, 'mod.reason.classifier', {
          hasLabels: verdict.labels.length ? 'yes' : 'no',
          labels: verdict.labels.join(', '),
          hasReason: verdict.reason ? 'yes' : 'no',
          reason: verdict.reason,
        }),
        tr(locale, 'mod.evidence.classified', { user: p.userId, channel: p.channelId, text: snippet(p.content) }),
        now,
      );
    }
    return 'done';
  }

  private async postAppeal(id: number): Promise<JobResult> {
    const a = this.store.appeal(id);
    const channel = this.settings().appealsChannelId;
    if (!a || a.messageId || !channel) return 'done';
    const c = this.store.case(a.caseId);
    if (!c) return 'done';
    const r = await this.post(channel, appealMessage(this.guildId, a, c, guildLocale(this.host.sql)));
    if (r === 'retry') return 'retry';
    if (r !== 'done') {
      const now = this.store.appeal(id)!;
      this.store.saveAppeal({ ...now, channelId: channel, messageId: r });
      if (now.status !== 'open') this.enqueue(MOD_JOBS.appealRender, { appealId: id }, { lane: 'mod-appeals' });
    }
    return 'done';
  }

  private async renderAppeal(id: number): Promise<JobResult> {
    const a = this.store.appeal(id);
    const c = a ? this.store.case(a.caseId) : null;
    if (!a?.channelId || !a.messageId || !c) return 'done';
    return this.edit(a.channelId, a.messageId, appealMessage(this.guildId, a, c, guildLocale(this.host.sql)));
  }

  /** Tells the member how their appeal ended (a banned and unbanned member may no longer share a server: then nothing). */
  private async appealDm(id: number): Promise<JobResult> {
    const a = this.store.appeal(id);
    if (!a || a.status === 'open') return 'done';
    const facts = await this.facts.hierarchy();
    const locale = guildLocale(this.host.sql);
    const name = facts.ok ? facts.value.guildName : tr(locale, 'mod.the-server');
    const text = tr(locale, 'mod.appeal.decided-dm', { status: a.status, case: `${this.guildId}-${a.caseId}`, guild: name });
    const r = await sendDm(this.host.rest, a.userId, { content: text, allowed_mentions: { parse: [] } });
    return r.ok || isPermanent(r.error) ? 'done' : 'retry';
  }
}

/** Most messages waiting for the classifier per guild actor. */
const CLASSIFY_BACKLOG = 500;

export interface ClassifyPayload {
  channelId: string;
  messageId: string;
  userId: string;
  content: string;
}
