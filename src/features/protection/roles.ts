import { type APIRole, RESTJSONErrorCodes, type RESTPostAPIGuildRoleJSONBody, Routes } from 'discord-api-types/v10';
import { isPermanent } from '../../discord/errors.ts';
import { permissionBits } from '../../discord/permissions.ts';
import { describeRestError, type RestError } from '../../discord/rest.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { t as tr } from '../../i18n/index.ts';
import { ok, type Result } from '../../lib/result.ts';
import type { JobResult } from '../../runtime/outbox.ts';
import type { GuildFeatureHost } from '../guild-feature.ts';
import { BatchedJob } from './batched-job.ts';
import type { ProtectionStore, RoleOp } from './store.ts';

export const ROLE_JOB = 'protection-roles';
const BATCH = 25;

/** Where the quarantine role comes from: the configured one, or one created at first use and remembered. */
export interface QuarantineRoleSource {
  roleId(): string | null;
  remember(roleId: string): void;
}

/**
 * Member role changes (quarantine, unverified, verified), sent from a
 * durable queue: a burst of joins becomes a stream of calls at the pace
 * Discord allows. One member's changes go in order (given, then taken away
 * when they verify); different members' go side by side.
 */
export class RoleQueue {
  private readonly host: GuildFeatureHost;
  private readonly store: ProtectionStore;
  private readonly quarantine: QuarantineRoleSource;
  private readonly job: BatchedJob;
  private held = false;
  private deferred = false;

  constructor(host: GuildFeatureHost, store: ProtectionStore, quarantine: QuarantineRoleSource) {
    this.host = host;
    this.store = store;
    this.quarantine = quarantine;
    this.job = new BatchedJob(host, ROLE_JOB);
  }

  /** `roleId` null: the quarantine role. */
  queue(userId: string, roleId: string | null, op: RoleOp['op'], reason: string): void {
    this.store.queueRole(userId, roleId, op, reason);
    if (this.held) this.deferred = true;
    else this.job.request();
  }

  /**
   * Changes queued from now on are stored but not sent until `release`
   * (in memory: after an eviction the next change, or the release by the
   * retried lockdown job, sends them).
   */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    if (this.deferred) {
      this.deferred = false;
      this.job.request();
    }
  }

  pending(): number {
    return this.store.roleOpsPending();
  }

  async run(): Promise<JobResult> {
    this.job.taking();
    for (;;) {
      const ops = this.store.roleOps(BATCH);
      if (ops.length === 0) return 'done';
      let quarantineRole: string | null = null;
      if (ops.some((o) => o.roleId === null)) {
        const r = await this.quarantineRole();
        if (!r.ok) {
          if (!isPermanent(r.error)) return 'retry';
          console.error(`guild ${this.host.guildId}: no quarantine role: ${describeRestError(r.error)}`);
          for (const o of ops) if (o.roleId === null) this.store.roleOpDone(o.id);
          continue;
        }
        quarantineRole = r.value;
      }
      const byMember = new Map<string, RoleOp[]>();
      for (const o of ops) byMember.set(o.userId, [...(byMember.get(o.userId) ?? []), o]);
      const outcomes = await Promise.all([...byMember.values()].map((list) => this.sendInOrder(list, quarantineRole)));
      if (outcomes.includes('retry')) return 'retry';
    }
  }

  private async sendInOrder(list: readonly RoleOp[], quarantineRole: string | null): Promise<JobResult> {
    for (const o of list) {
      const roleId = o.roleId ?? quarantineRole;
      if (!roleId) {
        this.store.roleOpDone(o.id);
        continue;
      }
      const route = Routes.guildMemberRole(this.host.guildId, o.userId, roleId);
      const r = o.op === 'add' ? await this.host.rest.put(route, { reason: o.reason }) : await this.host.rest.delete(route, { reason: o.reason });
      if (!r.ok && !isPermanent(r.error)) return 'retry';
      // A member who left (10007) needs nothing more; other refusals are logged and not retried.
      if (!r.ok && !(r.error.kind === 'discord' && r.error.code === RESTJSONErrorCodes.UnknownMember)) {
        console.error(`guild ${this.host.guildId}: role ${o.op} for ${o.userId}: ${describeRestError(r.error)}`);
      }
      this.store.roleOpDone(o.id);
    }
    return 'done';
  }

  private async quarantineRole(): Promise<Result<string, RestError>> {
    const known = this.quarantine.roleId();
    if (known) return ok(known);
    // Created without permissions: a role can only take access away through channel
    // overwrites, which staff set for it (or name their own role with /antiraid config).
    // Named in the guild's language: members see the role.
    const locale = guildLocale(this.host.sql);
    const body: RESTPostAPIGuildRoleJSONBody = { name: tr(locale, 'prot.role.quarantined'), permissions: permissionBits(0n), mentionable: false, hoist: false };
    const r = await this.host.rest.post<APIRole>(Routes.guildRoles(this.host.guildId), {
      body,
      reason: tr(locale, 'prot.audit.quarantine-role'),
    });
    if (!r.ok) return r;
    this.quarantine.remember(r.value.id);
    return ok(r.value.id);
  }
}
