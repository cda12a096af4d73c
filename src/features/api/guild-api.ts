import { type APIGuild, type APIGuildMember, type APIRole, PermissionFlagsBits as P, Routes } from 'discord-api-types/v10';
import { describeRestError } from '../../discord/rest.ts';
import { t } from '../../i18n/index.ts';
import { render } from '../../i18n/text.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import type { DiagnosticSection, GuildFeature, GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import { isAnalyticsRecorder } from '../analytics/guild-analytics.ts';
import type { Range } from '../analytics/rules.ts';
import { effectivePermissions } from '../governance/rules.ts';
import { GuildLevels } from '../levels/feature.ts';
import { levelOf } from '../levels/rules/curve.ts';
import { GuildModeration } from '../moderation/feature.ts';
import { GuildProtection } from '../protection/feature.ts';
import { guildSection } from '../settings/guild-side.ts';
import { SECTION_NAMES, type SectionName } from '../settings/names.ts';
import { TicketsGuildSide } from '../tickets/guild-side.ts';
import type { IssueType, Severity, TicketStatus } from '../tickets/model.ts';
import { hashKey, type KeyScope, keyPrefix, MAX_KEYS_PER_GUILD, newKey, RATE, take } from './keys.ts';
import { approvalView, ticketView } from './views.ts';

/** The API's tables in the guild actor: keys (hashed) with their rate buckets, and each config section's version. */
export const API_MIGRATIONS = [
  {
    name: 'keys',
    sql: `CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, prefix TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, scope TEXT NOT NULL,
     created_by TEXT NOT NULL, permissions TEXT NOT NULL, created_at INTEGER NOT NULL, last_used_at INTEGER, tokens REAL NOT NULL, refilled_at INTEGER NOT NULL);
   CREATE TABLE api_config_versions (section TEXT PRIMARY KEY, version INTEGER NOT NULL, digest TEXT NOT NULL, changed_by TEXT, changed_at INTEGER);`,
  },
] as const;

/** A key as lists show it: never the key itself, nor its hash. */
export interface KeyInfo {
  id: string;
  name: string;
  prefix: string;
  scope: KeyScope;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Who is calling: a dashboard user, or a key (acting with its creator's permissions as Discord has them now). */
export interface Caller {
  userId: string;
  name: string;
  permissions: string;
  keyId: string | null;
  /** The user's Discord name, when the dashboard knows it (shown as who changed a setting). */
  display?: string;
}

export type ApiCall =
  | { op: 'keys.create'; name: string; scope: KeyScope; by: Caller }
  | { op: 'keys.list' }
  | { op: 'keys.revoke'; id: string; by: Caller }
  | { op: 'auth'; hash: string }
  | { op: 'config.get'; section?: SectionName }
  | { op: 'config.update'; section: SectionName; patch: Record<string, unknown>; version: number; by: Caller; via: 'api' | 'dashboard'; locale?: string }
  | { op: 'stats' }
  | { op: 'analytics'; range: Range }
  | { op: 'cases'; before: number | null; limit: number }
  | { op: 'approvals' }
  | { op: 'approval.decide'; id: string; decision: 'approve' | 'reject'; by: Caller }
  | { op: 'member'; userId: string }
  | { op: 'leaderboard'; page: number; size: number }
  | { op: 'tickets'; status: TicketStatus | 'active' | 'all'; tag: string | null; page: number; size: number }
  | { op: 'tickets.open'; ticket: NewTicket; by: Caller };

/** A ticket the API opens for a member (checked by the Worker: ids, issue type, severity, lengths). */
export interface NewTicket {
  openerId: string;
  channelId: string;
  issueType: IssueType;
  severity: Severity;
  subject: string;
  description: string;
}

/** An answer the Worker sends as it is: status, JSON body, headers (Retry-After). */
export interface ApiAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const json = (body: unknown, status = 200): ApiAnswer => ({ status, body });
const problem = (status: number, error: string, extra: Record<string, unknown> = {}): ApiAnswer => ({ status, body: { error, ...extra } });

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  scope: string;
  created_by: string;
  permissions: string;
  created_at: number;
  last_used_at: number | null;
  tokens: number;
  refilled_at: number;
  [k: string]: SqlStorageValue;
}

const infoOf = (r: KeyRow): KeyInfo => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scope: r.scope as KeyScope,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

const CREATOR_CHECK_MS = 60_000;

const callerName = (c: Caller): string => (c.keyId ? `key ${c.keyId} (${c.name})` : c.display ? `${c.display} (user ${c.userId})` : `user ${c.userId}`);

/**
 * The REST API's part inside the guild actor: its keys and rate buckets, and
 * every read or change that must happen in the guild's own turn (a config
 * version checked and written in one step, an approval decided once). The
 * data comes from the features that own it, through the same methods their
 * commands and buttons use.
 */
export class GuildApi implements GuildFeature {
  private readonly host: GuildHost;
  /** Key creators' current permissions, asked of Discord at most once a minute each (like the dashboard's own check). */
  private readonly creators = new Map<string, { at: number; permissions: Result<bigint, 'left' | string> }>();
  constructor(host: GuildHost) {
    this.host = host;
  }

  /** For /diagnostics: how many keys can reach this server's API. */
  diagnose(locale: string | undefined): DiagnosticSection {
    const n = this.host.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM api_keys`).one().n;
    return { feature: 'api', ok: true, lines: [t(locale, 'api.diag.keys', { count: n })] };
  }

  async handle(call: ApiCall): Promise<ApiAnswer> {
    switch (call.op) {
      case 'keys.create':
        return this.createKey(call.name, call.scope, call.by);
      case 'keys.list':
        return json({ keys: this.keys() });
      case 'keys.revoke': {
        const gone = this.host.sql.exec(`DELETE FROM api_keys WHERE id = ? RETURNING id`, call.id).toArray().length > 0;
        if (gone) this.audit(call.op, `key ${call.id} revoked`, call.by.userId);
        return gone ? { status: 204, body: null } : problem(404, 'no such key');
      }
      case 'auth':
        return this.authenticate(call.hash);
      case 'config.get':
        return call.section ? this.configOf(call.section) : json(this.configs());
      case 'config.update':
        return this.updateConfig(call);
      case 'stats':
        return this.stats();
      case 'analytics': {
        // The same pre-aggregated counts as the dashboard's analytics page (src/features/analytics).
        const a = this.host.peer(isAnalyticsRecorder);
        if (!a) return problem(404, 'analytics is not on in this server');
        const { paused: _p, spike: _s, ...d } = a.read(call.range);
        return json(d);
      }
      case 'cases': {
        const mod = this.host.peer((f): f is GuildModeration => f instanceof GuildModeration);
        if (!mod) return problem(404, 'moderation is not on in this server');
        const cases = mod.cases(call.before, call.limit + 1);
        const page = cases.slice(0, call.limit);
        return json({
          cases: page.map((c) => ({
            id: c.id,
            at: c.at,
            userId: c.userId,
            action: c.action,
            source: c.source,
            moderatorId: c.moderatorId,
            reason: c.reason,
            result: c.result,
            durationMs: c.durationMs,
            approvalId: c.approvalId,
          })),
          nextBefore: cases.length > call.limit ? page[page.length - 1]!.id : null,
        });
      }
      case 'approvals': {
        const mod = this.host.peer((f): f is GuildModeration => f instanceof GuildModeration);
        if (!mod) return problem(404, 'moderation is not on in this server');
        return json({ approvals: mod.pendingApprovals(100).map(approvalView) });
      }
      case 'approval.decide':
        return this.decide(call.id, call.decision, call.by);
      case 'member':
        return this.member(call.userId);
      case 'leaderboard': {
        const levels = this.host.peer((f): f is GuildLevels => f instanceof GuildLevels);
        if (!levels) return problem(404, 'levels are not on in this server');
        const curve = levels.store.config().curve;
        const total = levels.store.ranked();
        const rows = levels.store.board(call.page * call.size, call.size);
        return json({
          total,
          page: call.page,
          members: rows.map((m, i) => ({ rank: call.page * call.size + i + 1, userId: m.userId, name: m.name, xp: m.xp, level: levelOf(curve, m.xp) })),
        });
      }
      case 'tickets.open': {
        const r = await this.tickets().openFor({ ...call.ticket, by: { userId: call.by.userId, name: callerName(call.by) } });
        if (!r.ok) return problem(r.error.status, r.error.error);
        this.audit('tickets.open', `ticket #${r.value.number} for <@${call.ticket.openerId}> by ${callerName(call.by)}`, call.by.userId);
        return json({ ticket: ticketView(r.value) }, 201);
      }
      case 'tickets': {
        const t = this.tickets();
        const { rows, total } = t.index.page(call.status, call.page, call.size, call.tag);
        return json({ total, page: call.page, tickets: rows.map(ticketView) });
      }
    }
  }

  private tickets(): TicketsGuildSide {
    return this.host.peer((f): f is TicketsGuildSide => f instanceof TicketsGuildSide)!;
  }

  private audit(action: string, detail: string, userId = ''): void {
    this.host.audit({ at: now(), guildId: this.host.guildId, userId, action: `api ${action}`, outcome: 'ok', latencyMs: 0, detail });
  }

  private keys(): KeyInfo[] {
    return this.host.sql.exec<KeyRow>(`SELECT * FROM api_keys ORDER BY created_at, id`).toArray().map(infoOf);
  }

  /** A new key: the answer is the only place the key itself ever appears. */
  private async createKey(name: string, scope: KeyScope, by: Caller): Promise<ApiAnswer> {
    const count = this.host.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM api_keys`).one().n;
    if (count >= MAX_KEYS_PER_GUILD) return problem(409, `this server has ${MAX_KEYS_PER_GUILD} keys, the most it may; revoke one first`);
    const key = newKey(this.host.guildId);
    const id = crypto.randomUUID().slice(0, 8);
    const at = now();
    const hash = await hashKey(key);
    this.host.sql.exec(
      `INSERT INTO api_keys (id, name, prefix, hash, scope, created_by, permissions, created_at, last_used_at, tokens, refilled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      id,
      name,
      keyPrefix(key),
      hash,
      scope,
      by.userId,
      by.permissions,
      at,
      RATE.capacity,
      at,
    );
    this.audit('keys.create', `key ${id} "${name}" (${scope})`, by.userId);
    const info = infoOf(this.host.sql.exec<KeyRow>(`SELECT * FROM api_keys WHERE id = ?`, id).one());
    return json({ key, ...info }, 201);
  }

  /** The key with this hash, one request taken from its bucket; 401 for no such key, 429 when its bucket is empty. */
  /**
   * A key's creator as Discord has them now: a key made by an admin who was
   * since demoted, or who left, must not keep their powers.
   */
  private async creatorPermissions(userId: string): Promise<Result<bigint, 'left' | string>> {
    const cached = this.creators.get(userId);
    if (cached && now() - cached.at < CREATOR_CHECK_MS) return cached.permissions;
    const g = this.host.guildId;
    const [guild, roles, member] = await Promise.all([
      this.host.rest.get<APIGuild>(Routes.guild(g)),
      this.host.rest.get<APIRole[]>(Routes.guildRoles(g)),
      this.host.rest.get<APIGuildMember>(Routes.guildMember(g, userId)),
    ]);
    let permissions: Result<bigint, 'left' | string>;
    if (!member.ok) permissions = member.error.kind === 'discord' && member.error.status === 404 ? err('left') : err(describeRestError(member.error));
    else if (!guild.ok) permissions = err(describeRestError(guild.error));
    else if (!roles.ok) permissions = err(describeRestError(roles.error));
    else permissions = ok(effectivePermissions({ userId, roles: member.value.roles }, { id: g, ownerId: guild.value.owner_id, roles: roles.value }));
    // Discord not answering is not cached: the next call asks again.
    if (permissions.ok || permissions.error === 'left') this.creators.set(userId, { at: now(), permissions });
    return permissions;
  }

  private async authenticate(hash: string): Promise<ApiAnswer> {
    const row = this.host.sql.exec<KeyRow>(`SELECT * FROM api_keys WHERE hash = ?`, hash).toArray()[0];
    if (!row) return problem(401, 'unknown or revoked API key');
    const at = now();
    const r = take({ tokens: row.tokens, at: row.refilled_at }, at);
    this.host.sql.exec(
      `UPDATE api_keys SET tokens = ?, refilled_at = ?, last_used_at = CASE WHEN ? THEN ? ELSE last_used_at END WHERE id = ?`,
      r.bucket.tokens,
      r.bucket.at,
      r.ok ? 1 : 0,
      at,
      row.id,
    );
    if (!r.ok)
      return {
        status: 429,
        body: { error: 'rate limit: 60 requests a minute per key', retryAfter: r.retryAfterS },
        headers: { 'Retry-After': String(r.retryAfterS) },
      };
    const perms = await this.creatorPermissions(row.created_by);
    if (!perms.ok)
      return perms.error === 'left'
        ? problem(403, 'the member who created this key has left the server; create a new key')
        : problem(503, `Discord did not say whether this key's creator may still manage the server: ${perms.error}`);
    if ((perms.value & (P.ManageGuild | P.Administrator)) === 0n)
      return problem(403, 'the member who created this key can no longer manage the server; create a new key');
    return json({ caller: { userId: row.created_by, name: row.name, permissions: String(perms.value), keyId: row.id } satisfies Caller, scope: row.scope });
  }

  // ---- configuration ----

  private current(section: SectionName): Record<string, unknown> | null {
    return guildSection(this.host, section)?.values() ?? null;
  }

  /**
   * A section's version: bumped whenever its content differs from what the
   * version was taken of, so a change made by a slash command also makes an
   * API client's version stale.
   */
  private versionOf(section: SectionName, content: unknown): { version: number; changedBy: string | null; changedAt: number | null } {
    const digest = JSON.stringify(content);
    const row = this.host.sql
      .exec<{ version: number; digest: string; changed_by: string | null; changed_at: number | null }>(
        `SELECT version, digest, changed_by, changed_at FROM api_config_versions WHERE section = ?`,
        section,
      )
      .toArray()[0];
    if (row && row.digest === digest) return { version: row.version, changedBy: row.changed_by, changedAt: row.changed_at };
    const next = row ? { version: row.version + 1, changedBy: 'a command in Discord', changedAt: now() } : { version: 1, changedBy: null, changedAt: null };
    this.writeVersion(section, next.version, digest, next.changedBy, next.changedAt);
    return next;
  }

  private writeVersion(section: SectionName, version: number, digest: string, by: string | null, at: number | null): void {
    this.host.sql.exec(
      `INSERT INTO api_config_versions (section, version, digest, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(section) DO UPDATE SET version = excluded.version, digest = excluded.digest, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
      section,
      version,
      digest,
      by,
      at,
    );
  }

  private configs(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const section of SECTION_NAMES) {
      const config = this.current(section);
      if (config) out[section] = { ...this.versionOf(section, config), config };
    }
    return out;
  }

  private configOf(section: SectionName): ApiAnswer {
    const config = this.current(section);
    return config ? json({ ...this.versionOf(section, config), config }) : problem(404, `${section} is not on in this server`);
  }

  /**
   * A change against the version read: a stale version is answered with the
   * current values and who changed them; a refused field changes nothing;
   * an accepted change gets the next version and an audit entry (who, via
   * which front end, which fields).
   */
  private updateConfig(call: Extract<ApiCall, { op: 'config.update' }>): ApiAnswer {
    const { section, by } = call;
    const open = guildSection(this.host, section);
    if (!open) return problem(404, `${section} is not on in this server`);
    const before = open.values();
    const v = this.versionOf(section, before);
    if (v.version !== call.version) {
      const who = v.changedBy && v.changedAt !== null ? ` (version ${v.version}, by ${v.changedBy} at ${new Date(v.changedAt).toISOString()})` : '';
      return problem(409, `the ${section} configuration changed since version ${call.version}${who}`, { current: { ...v, config: before } });
    }
    const change = open.change(call.patch);
    if (!change.ok) return problem(400, `${change.error.field}: ${render(call.locale ?? 'en', change.error.problem)}`, { field: change.error.field });
    const after = change.save();
    const next = { version: v.version + 1, changedBy: callerName(by), changedAt: now() };
    this.writeVersion(section, next.version, JSON.stringify(after), next.changedBy, next.changedAt);
    this.touchOverlapping(section, next.changedBy, next.changedAt);
    this.audit(`config ${section}`, `${Object.keys(call.patch).join(', ')} by ${next.changedBy} via ${call.via}`, by.userId);
    return json({ ...next, config: after });
  }

  /**
   * Sections overlap (logging gathers the log channels that tickets,
   * moderation, anti-raid and levels keep): a section this change also
   * changed gets its next version now, credited to the same caller, rather
   * than to "a command in Discord" at its next read.
   */
  private touchOverlapping(changed: SectionName, by: string, at: number): void {
    const rows = this.host.sql.exec<{ section: string; version: number; digest: string }>(`SELECT section, version, digest FROM api_config_versions`).toArray();
    for (const row of rows) {
      if (row.section === changed) continue;
      const values = this.current(row.section as SectionName);
      const digest = values ? JSON.stringify(values) : null;
      if (digest !== null && digest !== row.digest) this.writeVersion(row.section as SectionName, row.version + 1, digest, by, at);
    }
  }

  // ---- reads ----

  private stats(): ApiAnswer {
    const m = this.tickets().metrics();
    const p = this.host.peer((f): f is GuildProtection => f instanceof GuildProtection)?.status() ?? null;
    const hour = p?.activity ?? [];
    return json({
      tickets: { open: m.queue.open, byStatus: m.queue.byStatus, bySeverity: m.queue.bySeverity, firstResponse: m.firstResponse, resolution: m.resolution },
      members: {
        joinsLastHour: hour.reduce((n, b) => n + b.joins, 0),
        leavesLastHour: hour.reduce((n, b) => n + b.leaves, 0),
        perMinute: hour,
      },
      verification: p ? { enabled: p.verification.enabled, pending: p.verification.pending, ...p.verification.stats } : null,
    });
  }

  private decide(id: string, decision: 'approve' | 'reject', by: Caller): ApiAnswer {
    const mod = this.host.peer((f): f is GuildModeration => f instanceof GuildModeration);
    if (!mod) return problem(404, 'moderation is not on in this server');
    // The queue's own decision (once only), which also turns the queue message's buttons off.
    const r = mod.decideApproval(id, decision, { id: by.userId, permissions: by.permissions }, 'api', undefined);
    if (r.ok) return json({ approval: approvalView(r.approval) });
    const current = mod.approval(id);
    if (r.error.code === 'unknown-approval' || !current) return problem(404, 'no such approval');
    const a = approvalView(current);
    if (r.error.code === 'not-allowed') return problem(403, `you lack the permission to ${decision} a ${a.action} request`, { approval: a });
    return problem(409, r.error.code === 'expired' ? 'this request expired' : `this request was already ${a.status}`, { approval: a });
  }

  private member(userId: string): ApiAnswer {
    const levels = this.host.peer((f): f is GuildLevels => f instanceof GuildLevels);
    const row = levels?.store.member(userId) ?? null;
    const curve = levels?.store.config().curve;
    return json({
      userId,
      levels:
        levels && row && curve
          ? { xp: row.xp, level: levelOf(curve, row.xp), rank: levels.store.rankOf(userId), messages: row.messages, voiceMinutes: row.voiceMinutes }
          : null,
      tickets: this.tickets().index.byOpener(userId, 10).map(ticketView),
    });
  }
}
