import { type APIMessage, Routes } from 'discord-api-types/v10';
import { isPermanent } from '../../../discord/errors.ts';
import { t as tr } from '../../../i18n/index.ts';
import { now } from '../../../runtime/clock.ts';
import type { JobResult } from '../../../runtime/outbox.ts';
import type { TimerControl, TimerResult } from '../../../runtime/scheduler.ts';
import { afterOpenTime, openDuration } from '../hours/rules.ts';
import type { Ticket } from '../model.ts';
import type { Actor, TicketAction } from '../rules.ts';
import type { ProvisionPlan, TicketStore } from '../store.ts';
import type { ActOutcome } from '../ticket-port.ts';
import {
  type Due,
  dueSteps,
  INITIAL_STATE,
  onStatus,
  prune,
  type SlaCalendar,
  showMinutes,
  slaDue,
  type TicketPolicy,
  UPKEEP_KINDS,
  type UpkeepKind,
  type UpkeepState,
  WALL_CLOCK,
} from './rules.ts';
import { closeRequestMessage } from './views.ts';

export const UPKEEP_TIMER = 'upkeep';
export const UPKEEP_JOB = 'upkeep-post';

/** A message the upkeep posts in the ticket's conversation. */
export type UpkeepPost =
  | { kind: 'first-warn' | 'resolve-warn'; due: number }
  | { kind: 'first-breach' | 'resolve-breach'; targetMin: number }
  | { kind: 'remind-staff'; since: number }
  | { kind: 'remind-member' }
  | { kind: 'autoclose-warn'; closeAt: number }
  | { kind: 'close-request' };

/** What the ticket lends its upkeep: storage, timers, the outbox, and acting on the ticket as the bot. */
export interface UpkeepHost {
  sql: SqlStorage;
  rest: import('../../../discord/rest.ts').DiscordRest;
  timers: TimerControl;
  enqueue(kind: string, payload: unknown, opts?: { lane?: string; dedupe?: string }): void;
  kick(): void;
  act(action: TicketAction, actor: Actor): ActOutcome;
  audit(action: string, detail: string): void;
}

const timerKey = (kind: UpkeepKind) => `upkeep:${kind}`;

/**
 * A ticket's clocks: SLA warnings and breaches (escalating), reminders to
 * staff and member, auto-close after a warning, and staff close requests.
 * After every change the ticket's steps are worked out again (pure rules in
 * rules.ts) and one keyed timer per kind is set or cancelled. A firing timer
 * takes its step only if it is still due and not yet marked done, and marks
 * it in the same write, so a timer run twice, or again after a restart,
 * acts once.
 */
export class TicketUpkeep {
  private readonly host: UpkeepHost;
  private readonly store: TicketStore;

  constructor(host: UpkeepHost, store: TicketStore) {
    this.host = host;
    this.store = store;
  }

  /** The policy the ticket was opened under; null for tickets opened before there was one (they keep no clocks). */
  policy(): TicketPolicy | null {
    return this.store.getMeta<ProvisionPlan>('plan')?.policy ?? null;
  }

  /** How the ticket's SLA clock counts: only support hours' open time when the guild had hours at opening and the policy says so. */
  private calendar(p: TicketPolicy | null): SlaCalendar {
    const hours = this.store.getMeta<ProvisionPlan>('plan')?.hours ?? null;
    if (!p || p.sla.pauseOutsideHours === false || !hours || hours.windows.length === 0) return WALL_CLOCK;
    return { measure: (from, to) => openDuration(from, to, hours), advance: (from, ms) => afterOpenTime(from, ms, hours) };
  }

  state(): UpkeepState {
    return { ...INITIAL_STATE, ...(this.store.getMeta<Partial<UpkeepState>>('upkeep') ?? {}) };
  }

  private save(s: UpkeepState): void {
    this.store.setMeta('upkeep', s);
  }

  /**
   * After any change to the ticket (`before` → `after`): the pause and the
   * last staff word brought up to date, SLA results recorded, timers reset.
   * Returns the ticket with its due times and results (saved by the caller).
   */
  changed(before: Ticket | null, after: Ticket, at: number, by: 'staff' | 'member' | null = null): Ticket {
    const p = this.policy();
    if (!p) return after;
    let s = this.state();
    const cal = this.calendar(p);
    if (before && before.status !== after.status) s = onStatus(s, before.status, after.status, at, cal);
    if (by === 'staff') s = { ...s, lastStaffAt: at };
    if (after.status === 'closed' || after.status === 'resolved') s = { ...s, closeRequest: null };
    const next = { ...after };
    // A target counts as met when its answer came before the due time shown until then, and no breach was recorded.
    if (next.firstResponseAt !== null && (next.firstMet ?? null) === null && p.sla.enabled)
      next.firstMet = !s.done.includes('first-breach') && (before?.firstDueAt == null || next.firstResponseAt <= before.firstDueAt);
    if (next.resolvedAt !== null && (next.resolveMet ?? null) === null && p.sla.enabled)
      next.resolveMet = !s.done.includes('resolve-breach') && (before?.resolveDueAt == null || next.resolvedAt <= before.resolveDueAt);
    const due = slaDue(next, p, s, cal);
    next.firstDueAt = due.first;
    next.resolveDueAt = due.resolve;
    this.arm(next, p, s);
    return next;
  }

  /** Staff ask the member to close: the request, its deadline timer and the message with Accept / Deny. */
  requestClose(t: Ticket, by: { userId: string; name: string }, reason: string | null, delayMin: number): void {
    const s: UpkeepState = { ...this.state(), closeRequest: { by: by.userId, byName: by.name, reason, deadline: now() + delayMin * 60_000, messageId: null } };
    this.arm(t, this.policy(), s);
    this.post({ kind: 'close-request' });
  }

  /** The member answered a close request (or it was withdrawn by a close): it is gone either way. */
  endCloseRequest(): UpkeepState['closeRequest'] {
    const s = this.state();
    if (!s.closeRequest) return null;
    const t = this.store.load();
    this.save({ ...s, closeRequest: null });
    if (t) this.arm(t, this.policy(), { ...s, closeRequest: null });
    return s.closeRequest;
  }

  /** Staff take one ticket out of auto-close, or put it back. */
  setAutoClose(t: Ticket, on: boolean): void {
    this.arm(t, this.policy(), { ...this.state(), autoCloseOff: !on });
  }

  private arm(t: Ticket, p: TicketPolicy | null, s0: UpkeepState): void {
    // A close request works without a policy (tickets opened before one existed).
    const steps = p ? dueSteps(t, p, s0, this.calendar(p)) : s0.closeRequest && t.status !== 'closed' ? dueSteps(t, NO_POLICY, s0) : [];
    const s = prune(s0, steps);
    this.save(s);
    for (const kind of UPKEEP_KINDS) {
      const step = steps.find((d) => d.kind === kind);
      if (step) this.host.timers.set(timerKey(kind), UPKEEP_TIMER, step.at, { kind, mark: step.mark });
      else if (this.host.timers.dueAt(timerKey(kind)) !== null) this.host.timers.cancel(timerKey(kind));
    }
  }

  onTimer(payload: { kind: UpkeepKind; mark: string }): TimerResult {
    const t = this.store.load();
    if (!t) return 'done';
    const p = this.policy() ?? NO_POLICY;
    const s = this.state();
    const cal = this.calendar(p);
    const step: Due | undefined = dueSteps(t, p, s, cal).find((d) => d.kind === payload.kind && d.mark === payload.mark);
    if (!step || step.at > now()) {
      // Moved since the timer was set (a message, a status change): set it again from what is due now.
      this.arm(t, this.policy(), s);
      return 'done';
    }
    this.save({ ...s, done: [...s.done, step.mark] });
    const bot = { userId: this.store.getMeta<ProvisionPlan>('plan')?.applicationId ?? 'guildkeep', name: 'Guildkeep', isStaff: true };
    switch (step.kind) {
      case 'first-warn':
      case 'resolve-warn':
        this.post({ kind: step.kind, due: slaDue(t, p, s, cal)[step.kind === 'first-warn' ? 'first' : 'resolve'] ?? step.at });
        break;
      case 'first-breach':
      case 'resolve-breach': {
        const targetMin = (step.kind === 'first-breach' ? p.sla.firstResponseMin : p.sla.resolutionMin)[t.severity];
        this.host.audit(`sla ${step.kind}`, `ticket #${t.number}: ${showMinutes(targetMin)} target missed`);
        this.post({ kind: step.kind, targetMin });
        if (t.status !== 'escalated') this.host.act({ kind: 'set-status', status: 'escalated' }, bot);
        break;
      }
      case 'remind-staff':
        this.post({ kind: 'remind-staff', since: t.lastMemberMessageAt ?? t.createdAt });
        break;
      case 'remind-member':
        this.post({ kind: 'remind-member' });
        break;
      case 'autoclose-warn':
        this.post({ kind: 'autoclose-warn', closeAt: dueSteps(t, p, s, cal).find((d) => d.kind === 'autoclose')?.at ?? step.at });
        break;
      case 'autoclose': {
        const hours = p.autoClose?.closeAfterH ?? 0;
        this.host.act({ kind: 'close', reason: tr(this.locale(), 'ticket.autoclose.reason', { hours }) }, bot);
        break;
      }
      case 'close-request': {
        const req = s.closeRequest;
        this.save({ ...this.state(), closeRequest: null });
        this.host.act(
          { kind: 'close', reason: tr(this.locale(), 'ticket.closerequest.timeout', { hasReason: req?.reason ? 'yes' : 'no', reason: req?.reason ?? '' }) },
          bot,
        );
        break;
      }
    }
    const after = this.store.load();
    if (after) this.arm(after, this.policy(), this.state());
    return 'done';
  }

  private locale(): string | undefined {
    return this.store.getMeta<ProvisionPlan>('plan')?.guildLocale ?? undefined;
  }

  private post(p: UpkeepPost): void {
    this.host.enqueue(UPKEEP_JOB, p, { lane: 'discord' });
    this.host.kick();
  }

  /** Posts an upkeep message in the ticket's thread or channel, mentioning whom it concerns. */
  async runPost(p: UpkeepPost): Promise<JobResult> {
    const t = this.store.load();
    const plan = this.store.getMeta<ProvisionPlan>('plan');
    if (!t?.channelId || !plan) return 'done';
    const l = this.locale();
    const staff = t.assigneeId ? `<@${t.assigneeId}>` : plan.staffRoleId ? `<@&${plan.staffRoleId}>` : '';
    const escalation = plan.policy?.sla.escalationRoleId ?? plan.staffRoleId;
    const n = String(t.number);
    let content: string;
    let users: string[] = [];
    let roles: string[] = [];
    switch (p.kind) {
      case 'first-warn':
      case 'resolve-warn':
        content = tr(l, 'ticket.sla.warn', { what: p.kind === 'first-warn' ? 'first' : 'resolve', number: n, due: Math.floor(p.due / 1000), mention: staff });
        break;
      case 'first-breach':
      case 'resolve-breach':
        content = tr(l, 'ticket.sla.breach', {
          what: p.kind === 'first-breach' ? 'first' : 'resolve',
          number: n,
          target: showMinutes(p.targetMin),
          mention: escalation ? `<@&${escalation}>` : '',
        });
        roles = escalation ? [escalation] : [];
        break;
      case 'remind-staff':
        content = tr(l, 'ticket.remind.staff', { mention: staff, member: t.openerId, since: Math.floor(p.since / 1000), number: n });
        break;
      case 'remind-member':
        content = tr(l, 'ticket.remind.member', { member: t.openerId, number: n });
        users = [t.openerId];
        break;
      case 'autoclose-warn':
        content = tr(l, 'ticket.autoclose.warn', { number: n, at: Math.floor(p.closeAt / 1000) });
        break;
      case 'close-request':
        return this.postCloseRequest(t, l);
    }
    if (p.kind === 'first-warn' || p.kind === 'resolve-warn' || p.kind === 'remind-staff') {
      if (t.assigneeId) users = [t.assigneeId];
      else if (plan.staffRoleId) roles = [plan.staffRoleId];
    }
    const r = await this.host.rest.post<APIMessage>(Routes.channelMessages(t.channelId), {
      body: { content: content.slice(0, 2000), allowed_mentions: { users, roles } },
    });
    return r.ok || isPermanent(r.error) ? 'done' : 'retry';
  }

  private async postCloseRequest(t: Ticket, l: string | undefined): Promise<JobResult> {
    const req = this.state().closeRequest;
    if (!req || !t.channelId) return 'done';
    const r = await this.host.rest.post<APIMessage>(Routes.channelMessages(t.channelId), { body: closeRequestMessage(t, req, l) });
    if (!r.ok) return isPermanent(r.error) ? 'done' : 'retry';
    const s = this.state();
    if (s.closeRequest && s.closeRequest.deadline === req.deadline) this.save({ ...s, closeRequest: { ...s.closeRequest, messageId: r.value.id } });
    return 'done';
  }
}

/** For clocks that need no policy (a close request on a ticket opened before policies). */
const NO_POLICY: TicketPolicy = {
  sla: {
    enabled: false,
    firstResponseMin: { critical: 0, high: 0, medium: 0, low: 0 },
    resolutionMin: { critical: 0, high: 0, medium: 0, low: 0 },
    pauseWhileWaiting: false,
    escalationRoleId: null,
  },
  remindStaffH: null,
  remindMemberH: null,
  autoClose: null,
};
