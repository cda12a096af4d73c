import { type APIChannel, type APIGuild, type APIGuildMember, PermissionFlagsBits as P, Routes } from 'discord-api-types/v10';
import { isPermanent } from '../../discord/errors.ts';
import { describeRestError } from '../../discord/rest.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import type { GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { BotFacts, BotStanding } from './facts.ts';
import { type Achievement, newlyEarned } from './rules/achievements.ts';
import type { LevelsConfig } from './rules/config.ts';
import { levelOf } from './rules/curve.ts';
import { type GrantProblem, grantProblem, rewardChanges } from './rules/rewards.ts';
import { fillTemplate } from './rules/template.ts';
import type { LevelsStore, MemberRow } from './store.ts';
import type { XpChange } from './xp-buffer.ts';

export const ROLES_JOB = 'levels-roles';
export const ANNOUNCE_JOB = 'levels-announce';

interface RolesPayload {
  userId: string;
  level: number;
}
type AnnouncePayload = { userId: string; channelId: string | null } & ({ kind: 'level'; level: number } | { kind: 'achievement'; name: string });

/** Why the bot cannot give a role, in the reader's words. */
export const grantReason = (p: GrantProblem, roleId: string, locale: string | undefined): string => tr(locale, `levels.grant.${p}`, { role: roleId });

/** Whether the bot can give `roleId`, from facts already read: null when it can. */
export const canGrant = (f: BotFacts, roleId: string): GrantProblem | null =>
  grantProblem(f.roles.get(roleId), f.permissions, f.highest, P.ManageRoles, P.Administrator);

/**
 * What follows a change of XP, as durable jobs: reward roles brought in line
 * with the new level, the level-up message, and each achievement reached
 * (recorded as earned in the same step, so it is announced once).
 */
export class LevelEffects {
  private readonly host: GuildHost;
  private readonly store: LevelsStore;
  private readonly standing: BotStanding;

  constructor(host: GuildHost, store: LevelsStore, standing: BotStanding) {
    this.host = host;
    this.store = store;
    this.standing = standing;
  }

  /** Synchronous: decides and queues, so it can run inside a batch's write. */
  after(changes: readonly XpChange[]): void {
    if (changes.length === 0) return;
    const config = this.store.config();
    const defs = this.store.achievements();
    const rewards = this.store.rewards().length > 0;
    let queued = false;
    for (const ch of changes) {
      const from = levelOf(config.curve, ch.before);
      const to = levelOf(config.curve, ch.after.xp);
      if (from !== to && rewards) {
        this.host.enqueue(ROLES_JOB, { userId: ch.userId, level: to } satisfies RolesPayload, { lane: `levels-roles-${ch.userId}` });
        queued = true;
      }
      if (to > from && config.announce !== 'off') {
        this.announce({ kind: 'level', userId: ch.userId, level: to, channelId: ch.channelId });
        queued = true;
      }
      if (defs.length > 0) queued = this.achievements(defs, ch.after, config, ch.channelId) || queued;
    }
    if (queued) this.host.kick();
  }

  /**
   * After an import: reward roles brought in line for every member whose
   * imported level has one (no level-up messages: nobody levelled up just
   * now). Returns how many members were queued.
   */
  imported(rows: readonly { userId: string; xp: number }[]): number {
    const rewards = this.store.rewards();
    if (rewards.length === 0) return 0;
    const curve = this.store.config().curve;
    const lowest = Math.min(...rewards.map((r) => r.level));
    let n = 0;
    for (const r of rows) {
      const level = levelOf(curve, r.xp);
      if (level < lowest) continue;
      this.host.enqueue(ROLES_JOB, { userId: r.userId, level } satisfies RolesPayload, { lane: `levels-roles-${r.userId}` });
      n++;
    }
    if (n > 0) this.host.kick();
    return n;
  }

  private achievements(defs: readonly Achievement[], m: MemberRow, config: LevelsConfig, channelId: string | null): boolean {
    const reached = newlyEarned(
      defs,
      { messages: m.messages, level: levelOf(config.curve, m.xp), events: m.events, voiceMinutes: m.voiceMinutes },
      this.store.earned(m.userId),
    );
    for (const a of reached) {
      this.store.earn(m.userId, a.id, now());
      if (config.announce !== 'off') this.announce({ kind: 'achievement', userId: m.userId, name: a.name, channelId });
    }
    return reached.length > 0;
  }

  private announce(p: AnnouncePayload): void {
    this.host.enqueue(ANNOUNCE_JOB, p);
  }

  async run(job: Job<string>): Promise<JobResult> {
    if (job.kind === ROLES_JOB) return this.syncRoles(job.payload as RolesPayload);
    return this.sendAnnouncement(job.payload as AnnouncePayload);
  }

  /** The member's reward roles made to match their level; a role the bot cannot give is reported, the others still given. */
  private async syncRoles(p: RolesPayload): Promise<JobResult> {
    const g = this.host.guildId;
    const member = await this.host.rest.get<APIGuildMember>(Routes.guildMember(g, p.userId));
    if (!member.ok) return isPermanent(member.error) ? 'done' : 'retry';
    const config = this.store.config();
    const changes = rewardChanges(this.store.rewards(), p.level, config.stack, member.value.roles);
    if (changes.add.length + changes.remove.length === 0) return 'done';
    const facts = await this.standing.read();
    if (!facts.ok) return 'retry';
    let retry = false;
    for (const [roleId, add] of [...changes.add.map((r) => [r, true] as const), ...changes.remove.map((r) => [r, false] as const)]) {
      const problem = canGrant(facts.value, roleId);
      if (problem) {
        await this.alert(p.userId, roleId, p.level, problem);
        continue;
      }
      const path = Routes.guildMemberRole(g, p.userId, roleId);
      const reason = `Level ${p.level} reward`;
      const r = add ? await this.host.rest.put(path, { reason }) : await this.host.rest.delete(path, { reason });
      if (!r.ok && !isPermanent(r.error)) retry = true;
      if (!r.ok) console.error(`guild ${g}: levels: role ${roleId} for ${p.userId}: ${describeRestError(r.error)}`);
    }
    return retry ? 'retry' : 'done';
  }

  /** Tells admins why a reward role was not given: the alert channel when set, always the audit log. */
  private async alert(userId: string, roleId: string, level: number, problem: GrantProblem): Promise<void> {
    const locale = guildLocale(this.host.sql);
    const text = tr(locale, 'levels.grant.alert', { user: userId, role: roleId, level, reason: grantReason(problem, roleId, locale) });
    this.host.audit({ at: now(), guildId: this.host.guildId, userId, action: 'levels reward', outcome: `refused:${problem}`, latencyMs: 0, detail: text });
    const channel = this.store.config().alertChannel;
    if (channel) await this.host.rest.post(Routes.channelMessages(channel), { body: { content: text, allowed_mentions: { parse: [] } } });
  }

  private async sendAnnouncement(p: AnnouncePayload): Promise<JobResult> {
    const config = this.store.config();
    if (config.announce === 'off') return 'done';
    const locale = guildLocale(this.host.sql);
    const m = this.store.member(p.userId);
    let content: string;
    if (p.kind === 'achievement') content = tr(locale, 'levels.achievement.earned', { user: `<@${p.userId}>`, name: p.name });
    else if (config.message) {
      const server = config.message.includes('{server}') ? await this.guildName() : '';
      content = fillTemplate(config.message, { userId: p.userId, name: m?.name ?? '', level: p.level, xp: m?.xp ?? 0, server });
    } else content = tr(locale, 'levels.up.default', { user: `<@${p.userId}>`, level: p.level });
    let channel = config.announce === 'channel' ? (config.announceChannel ?? p.channelId) : null;
    if (config.announce === 'dm') {
      const dm = await this.host.rest.post<APIChannel>(Routes.userChannels(), { body: { recipient_id: p.userId } });
      if (!dm.ok) return isPermanent(dm.error) ? 'done' : 'retry';
      channel = dm.value.id;
    }
    if (!channel) return 'done';
    const r = await this.host.rest.post(Routes.channelMessages(channel), { body: { content, allowed_mentions: { users: [p.userId] } } });
    // A closed DM or a channel the bot cannot write in will not open by retrying.
    if (!r.ok) return isPermanent(r.error) ? 'done' : 'retry';
    return 'done';
  }

  private async guildName(): Promise<string> {
    const g = await this.host.rest.get<APIGuild>(Routes.guild(this.host.guildId));
    return g.ok ? g.value.name : '';
  }
}
