import {
  type APIChannel,
  type APIGuild,
  type APIMessage,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIGuildBulkBanJSONBody,
  type RESTPostAPIGuildBulkBanResult,
  Routes,
} from 'discord-api-types/v10';
import { isPermanent } from '../../discord/errors.ts';
import { describeRestError, type RestError } from '../../discord/rest.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { type MessageKey, type MessageValues, t as tr } from '../../i18n/index.ts';
import { render } from '../../i18n/text.ts';
import { ok, type Result } from '../../lib/result.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import { isAlertDesk } from '../alerts/peers.ts';
import type { GuildFeatureHost } from '../guild-feature.ts';
import { BatchedJob } from './batched-job.ts';
import type { HotState } from './hot-state.ts';
import type { RoleQueue } from './roles.ts';
import { type AntiRaidConfig, DEFAULT_ANTIRAID } from './rules/config.ts';
import {
  applyChanges,
  type KnownSettings,
  knownFromGuildCreate,
  readGuildSettings,
  settingsFor,
  withChannel,
  withGuildUpdate,
} from './rules/guild-settings.ts';
import { extendLockdown, lockdownEndsAt, planLockdown, planRestore } from './rules/lockdown.ts';
import { isLocked, type LockdownRecord, newLockdownRecord } from './rules/lockdown-record.ts';
import { assess, recordJoin } from './rules/raid.ts';
import { banBatches, RAID_BAN_DELETE_SECONDS, removalExecuted, requestRemoval } from './rules/removal.ts';
import type { ProtectionStore } from './store.ts';
import { type AlertTarget, describeAlertTarget, describeChange, ownerAlert, raidAlert } from './views.ts';

/** The guild's own notice channels and owner, for alerts when no alert channel is configured. */
export interface AlertFallbackFacts {
  safetyAlertsChannelId: string | null;
  systemChannelId: string | null;
  ownerId: string | null;
}

/** Where one lockdown's alert was posted, so its later edits go there too. */
interface PostedAlert {
  channelId: string;
  dm: boolean;
}

const fallbackFacts = (g: Pick<APIGuild, 'owner_id'> & Partial<Pick<APIGuild, 'system_channel_id' | 'safety_alerts_channel_id'>>): AlertFallbackFacts => ({
  safetyAlertsChannelId: g.safety_alerts_channel_id ?? null,
  systemChannelId: g.system_channel_id ?? null,
  ownerId: g.owner_id ?? null,
});

/**
 * The places to alert about a lockdown, in order: the configured alert
 * channel, the guild's Safety Notifications channel, its System Messages
 * channel, and a DM to its owner; each is tried when the one before is
 * missing or refused (a deleted channel, no permission to post). Pure.
 */
export function alertTargets(configured: string | null, facts: AlertFallbackFacts | null): AlertTarget[] {
  const out: AlertTarget[] = configured ? [{ kind: 'channel', channelId: configured, via: 'configured' }] : [];
  const seen = new Set(configured ? [configured] : []);
  for (const [id, via] of [
    [facts?.safetyAlertsChannelId, 'safety-alerts'],
    [facts?.systemChannelId, 'system'],
  ] as const) {
    if (id && !seen.has(id)) {
      seen.add(id);
      out.push({ kind: 'channel', channelId: id, via });
    }
  }
  if (facts?.ownerId) out.push({ kind: 'owner-dm', userId: facts.ownerId });
  return out;
}

export const RAID_JOBS = { lockdown: 'raid-lockdown', alert: 'raid-alert', restore: 'raid-restore', remove: 'raid-remove' } as const;
/** Timer kinds: a lockdown's end (one keyed timer per lockdown, moved by each new spike). */
export const RAID_TIMERS = { end: 'raid-end' } as const;

const CONFIG_KEY = 'antiraid';
const CURRENT_KEY = 'lockdown-current';
const LAST_KEY = 'lockdown-last';
const KNOWN_KEY = 'guild-settings';
const FALLBACK_KEY = 'alert-fallback';
const ALERT_AT_KEY = 'alert-at:';
/** A raid that goes on moves the lockdown's end; once a second is enough. */
const EXTEND_EVERY_MS = 1000;
const AUTOMATION = 'automation';
/** Longest a lockdown holds back the joins that follow the one that started it. */
const PRIORITY_MAX_MS = 2000;

export interface RaidStatus {
  enabled: boolean;
  joinsInWindow: number;
  lockdown:
    | (Pick<LockdownRecord, 'id' | 'phase' | 'detectedAt' | 'crossedBy' | 'appliedAt' | 'endsAt' | 'endedAt' | 'endedBy' | 'summary'> & {
        quarantined: number;
        changes: string[];
      })
    | null;
}

/**
 * Anti-raid inside the guild actor: every join goes through the sliding
 * window (raid.ts); the join that crosses it starts a lockdown at once,
 * without approval, from an outbox job kicked on the spot. lockdown.ts plans
 * it from the settings the gateway last described (read over REST when
 * unknown) and the restore puts back exactly those, read fresh. Members who
 * joined in the spike, and everyone who joins while locked down, are
 * quarantined. Banning them waits for a moderator's approval.
 */
export class AntiRaid {
  private readonly host: GuildFeatureHost;
  private readonly store: ProtectionStore;
  private readonly hot: HotState;
  private readonly roles: RoleQueue;
  private readonly alertJob: BatchedJob;
  /** The lockdown in progress (or last looked at), the same object as stored: loaded once, saved on each change. */
  private current: LockdownRecord | null | undefined;
  /** The lockdown job while it runs in this instance. */
  private applying: Promise<JobResult> | null = null;

  constructor(host: GuildFeatureHost, store: ProtectionStore, hot: HotState, roles: RoleQueue) {
    this.host = host;
    this.store = store;
    this.hot = hot;
    this.roles = roles;
    this.alertJob = new BatchedJob(host, RAID_JOBS.alert);
  }

  config(): AntiRaidConfig {
    return this.store.get(CONFIG_KEY, DEFAULT_ANTIRAID);
  }

  setConfig(c: AntiRaidConfig): void {
    this.store.set(CONFIG_KEY, c);
  }

  /** The quarantine role, once created at the first lockdown, is kept in the configuration. */
  rememberQuarantineRole(roleId: string): void {
    this.setConfig({ ...this.config(), quarantineRoleId: roleId });
  }

  /** A lockdown that is not over (starting, active or ending). */
  currentLockdown(): LockdownRecord | null {
    if (this.current === undefined) {
      const id = this.store.get<string | null>(CURRENT_KEY, null);
      this.current = id ? this.store.lockdown<LockdownRecord>(id) : null;
    }
    return this.current;
  }

  load(id: string): LockdownRecord | null {
    const cur = this.currentLockdown();
    return cur?.id === id ? cur : this.store.lockdown<LockdownRecord>(id);
  }

  save(r: LockdownRecord): void {
    this.store.saveLockdown(r.id, r.detectedAt, r);
    if (this.currentLockdown()?.id !== r.id) return;
    if (r.phase === 'ended' || r.phase === 'failed') {
      this.store.set(CURRENT_KEY, null);
      this.current = null;
    } else {
      this.current = r;
    }
  }

  // ---- events ---------------------------------------------------------------------

  /**
   * One join, in event order. Synchronous, so the decision and its record
   * commit together; only the join that starts a lockdown returns a promise
   * (see `priority`).
   */
  onJoin(userId: string, name: string, at: number): Promise<void> | void {
    const cfg = this.config();
    this.hot.countJoin(at);
    const a = recordJoin(this.hot.joinWindow(cfg.raid), { userId, at, name }, cfg.raid);
    this.hot.windowChanged();
    const cur = this.currentLockdown();
    if (isLocked(cur)) {
      if (this.store.quarantine(cur.id, [userId], at).length > 0) this.roles.queue(userId, null, 'add', this.auditReason('prot.audit.joined-lockdown'));
      if (a.crossed && cur.lockdown && at - cur.lockdown.lastSpikeAt >= EXTEND_EVERY_MS) {
        cur.lockdown = extendLockdown(cur.lockdown, at);
        this.save(cur);
      }
      return;
    }
    // A lockdown being ended finishes first: the next spike starts a new one from the restored settings.
    if (!a.crossed || cur) return;
    // Stored on the record and shown in alerts, so in the guild's language.
    const summary = render(guildLocale(this.host.sql), a.summary);
    const rec = newLockdownRecord(at.toString(36), at, cfg.lockdown, summary, { crossedBy: userId }, cfg.alertChannelId);
    if (cfg.alertChannelId) rec.removal = requestRemoval(rec.id, tr(guildLocale(this.host.sql), 'prot.raid.removal-reason', { summary }), at);
    this.begin(rec, a.memberIds);
    return this.priority();
  }

  onLeave(at: number): void {
    this.hot.countLeave(at);
  }

  /** The settings a lockdown changes, as the gateway describes them (a guild without them in its payload is read over REST instead). */
  onGuild(
    g: Parameters<typeof knownFromGuildCreate>[0] & Partial<Pick<APIGuild, 'owner_id' | 'system_channel_id' | 'safety_alerts_channel_id'>>,
    created: boolean,
  ): void {
    if (g.owner_id) this.store.set(FALLBACK_KEY, fallbackFacts(g as Pick<APIGuild, 'owner_id'> & typeof g));
    if (typeof g.verification_level !== 'number') return;
    const known = this.store.get<KnownSettings | null>(KNOWN_KEY, null);
    if (created) this.store.set(KNOWN_KEY, knownFromGuildCreate(g));
    else if (known) this.store.set(KNOWN_KEY, withGuildUpdate(known, g));
  }

  onChannel(c: Parameters<typeof withChannel>[1], deleted: boolean): void {
    const known = this.store.get<KnownSettings | null>(KNOWN_KEY, null);
    if (known) this.store.set(KNOWN_KEY, withChannel(known, c, deleted));
  }

  /**
   * Starts a lockdown: the record first, then the lockdown job, kicked now so
   * its reads go out before anything else this join queues; then the spike's
   * members to quarantine.
   */
  begin(rec: LockdownRecord, spike: readonly string[]): void {
    this.store.set(CURRENT_KEY, rec.id);
    this.store.set(LAST_KEY, rec.id);
    this.current = rec;
    this.save(rec);
    this.host.enqueue(RAID_JOBS.lockdown, { id: rec.id }, { lane: RAID_JOBS.lockdown, dedupe: `${RAID_JOBS.lockdown}:${rec.id}` });
    // Quarantine calls wait until the lockdown's own calls are out: they share Discord's global limit.
    this.roles.hold();
    this.host.kick();
    const why = this.auditReason('prot.audit.joined-raid');
    for (const u of this.store.quarantine(rec.id, spike, rec.detectedAt)) this.roles.queue(u, null, 'add', why);
    this.audit(rec.startedBy ?? AUTOMATION, 'lockdown start', 'ok', `lockdown ${rec.id}: ${rec.summary}; ${spike.length} quarantined`);
    // Detected (not started by a moderator): a raid alert; the lockdown itself is raised once applied.
    if (!rec.startedBy) this.raise('raid', rec.summary, rec.detectedAt);
  }

  /** Also tells the alert desk, when the guild routes this kind there (the lockdown's own alert is posted as before). */
  private raise(kind: 'raid' | 'lockdown', evidence: string, at: number): void {
    this.host.peer(isAlertDesk)?.raise({ kind, evidence, at });
  }

  // ---- jobs -------------------------------------------------------------------------

  async runJob(job: Job<string>): Promise<JobResult> {
    const p = (job.payload ?? {}) as { id?: string; lastSpikeAt?: number };
    const id = p.id ?? '';
    switch (job.kind) {
      case RAID_JOBS.lockdown:
        return this.applyLockdown(id);
      case RAID_JOBS.alert:
        return this.postAlert(id);
      // Queued as a delayed job by code before the scheduler; runs as the timer would.
      case RAID_TIMERS.end:
        return this.timerDue(id, p.lastSpikeAt ?? 0);
      case RAID_JOBS.restore:
        return this.restore(id);
      case RAID_JOBS.remove:
        return this.removeRaiders(id);
      default:
        return 'done';
    }
  }

  runTimer(t: Timer<string>): Promise<TimerResult> {
    const p = (t.payload ?? {}) as { id?: string; lastSpikeAt?: number };
    return t.kind === RAID_TIMERS.end ? this.timerDue(p.id ?? '', p.lastSpikeAt ?? 0) : Promise.resolve('done');
  }

  private applyLockdown(id: string): Promise<JobResult> {
    const run = (async () => {
      try {
        return await this.lockDown(id);
      } finally {
        this.roles.release();
      }
    })();
    this.applying = run;
    const clear = () => {
      if (this.applying === run) this.applying = null;
    };
    run.then(clear, clear);
    return run;
  }

  /**
   * The right of way for a lockdown being applied: the join that started it
   * holds the rest of its batch back until the lockdown's calls are answered
   * (at most PRIORITY_MAX_MS), so they are not queued behind hundreds of
   * joins being recorded in the same turn.
   */
  private priority(): Promise<void> | void {
    const applying = this.applying;
    if (!applying) return;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, PRIORITY_MAX_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      applying.then(done, done);
    });
  }

  private async lockDown(id: string): Promise<JobResult> {
    const first = this.load(id);
    if (!first || first.phase !== 'starting') return 'done';
    // A retry after a failure part-way re-sends the plan made the first time:
    // re-planning would take the lockdown's own values for the ones to restore.
    if (!first.lockdown) {
      const known = this.store.get<KnownSettings | null>(KNOWN_KEY, null);
      const current = known
        ? ok(settingsFor(known, first.settings.slowmodeChannelIds))
        : await readGuildSettings(this.host.rest, this.host.guildId, first.settings.slowmodeChannelIds);
      const r = this.load(id);
      if (!r || r.phase !== 'starting') return 'done';
      if (!current.ok) {
        if (!isPermanent(current.error)) return 'retry';
        r.phase = 'failed';
        r.error = describeRestError(current.error);
        this.save(r);
        this.requestAlert(r);
        this.audit(AUTOMATION, 'lockdown apply', 'error', `lockdown ${id}: ${r.error}`);
        return 'done';
      }
      r.lockdown = planLockdown(current.value, r.settings, Date.now(), r.summary);
      this.save(r);
    }
    const planned = this.load(id)!.lockdown!;
    const res = await applyChanges(this.host.rest, this.host.guildId, planned.changes, this.auditReason('prot.audit.lockdown', { summary: first.summary }));
    const r = this.load(id);
    if (!r?.lockdown) return 'done';
    r.lockdown = { ...r.lockdown, changes: res.applied };
    r.failed = res.failed;
    r.phase = 'active';
    r.appliedAt = Date.now();
    r.endsAt = lockdownEndsAt(r.lockdown, r.settings);
    this.save(r);
    this.scheduleEnd(r);
    this.requestAlert(r);
    this.raise('lockdown', tr(guildLocale(this.host.sql), 'alerts.ev.lockdown-on', { id, summary: r.summary }), now());
    this.audit(
      AUTOMATION,
      'lockdown apply',
      res.failed.length ? 'partial' : 'ok',
      `lockdown ${id}: ${[...res.applied.map(describeChange), ...res.failed.map((f) => `not applied: ${describeChange(f.change)} (${f.error})`)].join('; ') || 'nothing to change'}`,
    );
    return 'done';
  }

  private scheduleEnd(r: LockdownRecord): void {
    if (!r.lockdown || r.endsAt === null) return;
    const lastSpikeAt = r.lockdown.lastSpikeAt;
    // One timer per lockdown, replaced when a spike moves the end.
    this.host.timers.set(`${RAID_TIMERS.end}:${r.id}`, RAID_TIMERS.end, r.endsAt, { id: r.id, lastSpikeAt });
  }

  /** The timer: a spike since it was set moves the end; otherwise the lockdown ends now. */
  private async timerDue(id: string, lastSpikeAt: number): Promise<JobResult> {
    const r = this.load(id);
    if (!r || r.phase !== 'active' || !r.lockdown) return 'done';
    if (r.lockdown.lastSpikeAt > lastSpikeAt) {
      r.endsAt = lockdownEndsAt(r.lockdown, r.settings);
      this.save(r);
      this.scheduleEnd(r);
      return 'done';
    }
    this.beginEnd(r, 'timer');
    return 'done';
  }

  /** Marks the lockdown as ending (before any await, so a second End finds it ending) and queues the restore. */
  beginEnd(r: LockdownRecord, by: string): void {
    r.phase = 'ending';
    r.endedBy = by;
    r.endedAt = Date.now();
    this.save(r);
    this.host.enqueue(RAID_JOBS.restore, { id: r.id }, { lane: RAID_JOBS.lockdown, dedupe: `${RAID_JOBS.restore}:${r.id}` });
    this.host.kick();
  }

  private async restore(id: string): Promise<JobResult> {
    const first = this.load(id);
    if (!first || first.phase !== 'ending') return 'done';
    const changes = first.lockdown?.changes ?? [];
    let restore: NonNullable<LockdownRecord['restore']> = { restored: [], skipped: [], failed: [] };
    if (changes.length > 0) {
      const channels = changes.flatMap((c) => (c.kind === 'slowmode' ? [c.channelId] : []));
      const current = await readGuildSettings(this.host.rest, this.host.guildId, channels);
      if (!current.ok) {
        if (!isPermanent(current.error)) return 'retry';
        restore.failed = changes.map((change) => ({ change, error: describeRestError(current.error) }));
      } else {
        const plan = planRestore(first.lockdown!, current.value, Date.now());
        const res = await applyChanges(this.host.rest, this.host.guildId, plan.changes, this.auditReason('prot.audit.lockdown-ended'));
        restore = { restored: res.applied, skipped: plan.skipped, failed: res.failed };
      }
    }
    const r = this.load(id);
    if (!r || r.phase !== 'ending') return 'done';
    r.restore = restore;
    r.phase = 'ended';
    this.save(r);
    this.requestAlert(r);
    this.raise('lockdown', tr(guildLocale(this.host.sql), 'alerts.ev.lockdown-off', { id }), now());
    this.audit(
      r.endedBy ?? AUTOMATION,
      'lockdown end',
      restore.failed.length ? 'partial' : 'ok',
      `lockdown ${id}: restored ${restore.restored.map(describeChange).join('; ') || 'nothing'}${restore.skipped.length ? `; left alone: ${restore.skipped.map((s) => s.reason).join(' ')}` : ''}`,
    );
    return 'done';
  }

  requestAlert(r: LockdownRecord): void {
    // Every lockdown is announced somewhere: the alert channel, else the guild's own choices, else its owner.
    this.alertJob.request({ key: r.id, payload: { id: r.id } });
  }

  /** Where the next alert goes (for /antiraid status); null when no channel is set and the guild's own channels are not known yet. */
  alertTarget(): AlertTarget | null {
    return alertTargets(this.config().alertChannelId, this.store.get<AlertFallbackFacts | null>(FALLBACK_KEY, null))[0] ?? null;
  }

  /** Posts the alert, or edits it to the record's current state (this job is its only writer). */
  private async postAlert(id: string): Promise<JobResult> {
    this.alertJob.taking();
    const r = this.load(id);
    if (!r) return 'done';
    const locale = guildLocale(this.host.sql);
    const body = raidAlert(this.host.guildId, r, this.store.quarantinedCount(id), locale);
    const posted = this.store.get<PostedAlert | null>(`${ALERT_AT_KEY}${id}`, null) ?? (r.alertChannelId ? { channelId: r.alertChannelId, dm: false } : null);
    if (r.alertMessageId && posted) {
      const res = await this.host.rest.patch<APIMessage>(Routes.channelMessage(posted.channelId, r.alertMessageId), {
        body: posted.dm ? ownerAlert(body, locale) : body,
      });
      if (!res.ok && !isPermanent(res.error)) return 'retry';
      if (!res.ok) console.error(`guild ${this.host.guildId}: raid alert for lockdown ${id}: ${describeRestError(res.error)}`);
      return 'done';
    }
    let facts = this.store.get<AlertFallbackFacts | null>(FALLBACK_KEY, null);
    const refusals: string[] = [];
    const tried = new Set<string>();
    for (;;) {
      for (const target of alertTargets(r.alertChannelId, facts)) {
        const key = target.kind === 'owner-dm' ? `dm:${target.userId}` : target.channelId;
        if (tried.has(key)) continue;
        tried.add(key);
        const res =
          target.kind === 'owner-dm'
            ? await this.dmOwner(target.userId, ownerAlert(body, locale))
            : await this.host.rest.post<APIMessage>(Routes.channelMessages(target.channelId), { body });
        if (!res.ok && !isPermanent(res.error)) return 'retry';
        if (!res.ok) {
          refusals.push(`${describeAlertTarget(target)}: ${describeRestError(res.error)}`);
          continue;
        }
        this.store.set(`${ALERT_AT_KEY}${id}`, { channelId: res.value.channel_id, dm: target.kind === 'owner-dm' } satisfies PostedAlert);
        const after = this.load(id);
        if (after && !after.alertMessageId) {
          after.alertMessageId = res.value.id;
          this.save(after);
        }
        if (refusals.length)
          this.audit(AUTOMATION, 'lockdown alert', 'partial', `lockdown ${id}: sent to ${describeAlertTarget(target)}; refused: ${refusals.join('; ')}`);
        return 'done';
      }
      if (facts) break;
      // No GUILD_CREATE seen yet: ask Discord where the server wants its notices, and who owns it.
      const g = await this.host.rest.get<APIGuild>(Routes.guild(this.host.guildId));
      if (!g.ok && !isPermanent(g.error)) return 'retry';
      if (!g.ok) break;
      this.store.set(FALLBACK_KEY, (facts = fallbackFacts(g.value)));
    }
    this.audit(
      AUTOMATION,
      'lockdown alert',
      'error',
      `lockdown ${id}: nobody could be alerted${refusals.length ? `: ${refusals.join('; ')}` : ' (no channel and no owner known)'}`,
    );
    console.error(`guild ${this.host.guildId}: raid alert for lockdown ${id}: nobody could be alerted`);
    return 'done';
  }

  private async dmOwner(userId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<Result<APIMessage, RestError>> {
    const dm = await this.host.rest.post<APIChannel>(Routes.userChannels(), { body: { recipient_id: userId } });
    if (!dm.ok) return dm;
    return this.host.rest.post<APIMessage>(Routes.channelMessages(dm.value.id), { body });
  }

  /** Bans the quarantined members of an approved removal, 200 per call, resuming where a retry left off. */
  private async removeRaiders(id: string): Promise<JobResult> {
    const first = this.load(id);
    if (!first?.removal || first.removal.status !== 'approved' || first.removal.executedAt !== null) return 'done';
    const batches = banBatches(this.store.quarantinedBy(id));
    for (let i = first.removalResult?.batches ?? 0; i < batches.length; i++) {
      const body: RESTPostAPIGuildBulkBanJSONBody = { user_ids: batches[i]!, delete_message_seconds: RAID_BAN_DELETE_SECONDS };
      const res = await this.host.rest.post<RESTPostAPIGuildBulkBanResult>(Routes.guildBulkBan(this.host.guildId), {
        body,
        reason: this.auditReason('prot.audit.raiders', { id, user: first.removal.decidedBy ?? '' }),
      });
      if (!res.ok && !isPermanent(res.error)) return 'retry';
      const r = this.load(id)!;
      const was = r.removalResult ?? { banned: 0, failed: 0, batches: 0 };
      r.removalResult = res.ok
        ? { banned: was.banned + res.value.banned_users.length, failed: was.failed + res.value.failed_users.length, batches: i + 1 }
        : { banned: was.banned, failed: was.failed + batches[i]!.length, batches: i + 1 };
      this.save(r);
    }
    const r = this.load(id)!;
    const executed = removalExecuted(r.removal!, Date.now());
    if (executed.ok) r.removal = executed.value;
    const result = r.removalResult ?? { banned: 0, failed: 0, batches: 0 };
    r.removalResult = result;
    this.save(r);
    this.requestAlert(r);
    this.audit(r.removal!.decidedBy ?? AUTOMATION, 'raid removal', 'ok', `lockdown ${id}: ${result.banned} banned, ${result.failed} not banned`);
    return 'done';
  }

  /** Queues the bans of an approved removal. */
  queueRemoval(id: string): void {
    this.host.enqueue(RAID_JOBS.remove, { id }, { lane: RAID_JOBS.remove, dedupe: `${RAID_JOBS.remove}:${id}` });
    this.host.kick();
  }

  quarantinedCount(id: string): number {
    return this.store.quarantinedCount(id);
  }

  status(now: number): RaidStatus {
    const cfg = this.config();
    const cur = this.currentLockdown() ?? this.lastLockdown();
    return {
      enabled: cfg.raid.enabled,
      joinsInWindow: assess(this.hot.joinWindow(cfg.raid), now, cfg.raid).count,
      lockdown: cur && {
        id: cur.id,
        phase: cur.phase,
        detectedAt: cur.detectedAt,
        crossedBy: cur.crossedBy,
        appliedAt: cur.appliedAt,
        endsAt: cur.endsAt,
        endedAt: cur.endedAt,
        endedBy: cur.endedBy,
        summary: cur.summary,
        quarantined: this.store.quarantinedCount(cur.id),
        changes: (cur.lockdown?.changes ?? []).map(describeChange),
      },
    };
  }

  private lastLockdown(): LockdownRecord | null {
    const id = this.store.get<string | null>(LAST_KEY, null);
    return id ? this.store.lockdown<LockdownRecord>(id) : null;
  }

  /** A reason for Discord's audit log, in the guild's language. */
  private auditReason(key: MessageKey, values?: MessageValues): string {
    return tr(guildLocale(this.host.sql), key, values);
  }

  private audit(userId: string, action: string, outcome: string, detail: string): void {
    this.host.audit({ at: Date.now(), guildId: this.host.guildId, userId, action, outcome, latencyMs: 0, detail });
  }
}
