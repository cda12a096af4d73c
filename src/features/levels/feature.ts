import {
  type APIChatInputApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  GatewayDispatchEvents,
  type GatewayGuildCreateDispatchData,
  type GatewayGuildUpdateDispatchData,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
  type GatewayVoiceState,
  type GatewayVoiceStateUpdateDispatchData,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits as P,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { ephemeral, type Handled, refused, reply } from '../../discord/handled.ts';
import { invokerOf, numberOption, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { localeOf, t as tr } from '../../i18n/index.ts';
import { b64url } from '../../lib/base64url.ts';
import type { DiagnosticSection, FeatureModule, GuildFeature, GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import type { AttendanceRewarder } from '../events/attendance.ts';
import { boardMessage, LEVELS_FEATURE, PAGE_ACTION, PAGE_SIZE } from './board.ts';
import { LEVELS_COMMANDS } from './commands.ts';
import { ANNOUNCE_JOB, canGrant, grantReason, LevelEffects, ROLES_JOB } from './effects.ts';
import { BotStanding } from './facts.ts';
import { FILE_JOB, type FilePayload, LevelFiles } from './files.ts';
import { PAGE_ROWS, type PublicBoard, sameKey } from './page.ts';
import { isAchievementKind } from './rules/achievements.ts';
import { factorFor, MAX_FACTOR, offCooldown, rollXp } from './rules/award.ts';
import { type Announce, applyLevelsOptions, type LevelsConfig } from './rules/config.ts';
import { levelOf, progressOf } from './rules/curve.ts';
import { voiceEarners } from './rules/voice.ts';
import { LEVELS_MIGRATIONS, LevelsStore } from './store.ts';
import { XP_WRITES, XpBuffer, type XpChange } from './xp-buffer.ts';

export const VOICE_TIMER = 'levels-voice';
const VOICE_KEY = 'levels-voice';
const MINUTE = 60_000;

type Reply = (key: string, values?: Record<string, string | number>) => string;
const ok = (content: string, detail = ''): Handled => ({ response: reply(ephemeral(content)), outcome: 'ok', detail });
const isAdmin = (permissions: string | undefined) => permissions !== undefined && (BigInt(permissions) & (P.Administrator | P.ManageGuild)) !== 0n;

/**
 * Levels in the guild actor: XP for messages (write-behind per gateway batch,
 * see xp-buffer.ts) and minutes in voice (a per-minute timer), reward roles,
 * level-up messages and achievements (durable jobs, effects.ts), the board,
 * and staff corrections. Rewards attended events for the events feature (`rewardAttendance`).
 */
export class GuildLevels implements GuildFeature, AttendanceRewarder {
  private readonly host: GuildHost;
  readonly store: LevelsStore;
  private readonly buffer: XpBuffer;
  private readonly effects: LevelEffects;
  private readonly standing: BotStanding;
  private readonly files: LevelFiles;
  /** Settings and multipliers are read for every message: cached, and refreshed by the commands that change them. */
  private cached: { config: LevelsConfig; multipliers: ReturnType<LevelsStore['multipliers']> } | null = null;

  constructor(host: GuildHost) {
    this.host = host;
    this.store = new LevelsStore(host.sql);
    this.buffer = new XpBuffer(this.store);
    this.standing = new BotStanding(host.rest, () => host.guildId);
    this.effects = new LevelEffects(host, this.store, this.standing);
    this.files = new LevelFiles(host, this.store, (rows) => this.effects.imported(rows));
  }

  private settings() {
    this.cached ??= { config: this.store.config(), multipliers: this.store.multipliers() };
    return this.cached;
  }

  // ---- gateway ----

  onEvent(e: GatewayEvent): void {
    if (e.t === GatewayDispatchEvents.MessageCreate) this.onMessage(e.d as GatewayMessageCreateDispatchData);
    else if (e.t === GatewayDispatchEvents.VoiceStateUpdate) this.onVoice(e.d as GatewayVoiceStateUpdateDispatchData);
    else if (e.t === GatewayDispatchEvents.GuildUpdate) this.store.setAfkChannel((e.d as GatewayGuildUpdateDispatchData).afk_channel_id ?? null);
    else if (e.t === GatewayDispatchEvents.GuildCreate) {
      // A (re)connect: who is in voice now replaces what was remembered.
      const g = e.d as GatewayGuildCreateDispatchData;
      this.store.setAfkChannel(g.afk_channel_id ?? null);
      this.store.clearVoice();
      for (const v of g.voice_states ?? []) this.onVoice({ ...v, guild_id: g.id } as GatewayVoiceStateUpdateDispatchData);
    }
  }

  private onMessage(m: GatewayMessageCreateDispatchData): void {
    if (!m.guild_id || m.author.bot || m.webhook_id || !m.member) return;
    const { config, multipliers } = this.settings();
    const factor = factorFor(multipliers, m.channel_id, m.member.roles);
    if (factor === 0) return;
    const at = now();
    const xp = offCooldown(this.buffer.lastAwardOf(m.author.id), at, config.cooldownS) ? rollXp(config.xpMin, config.xpMax, factor, Math.random()) : 0;
    this.buffer.message(m.author.id, xp, at, m.channel_id, m.author.global_name ?? m.author.username, m.author.avatar);
  }

  private onVoice(v: GatewayVoiceState): void {
    const userId = v.user_id;
    if (!v.channel_id) {
      this.store.setVoice({ userId, channelId: null });
      return;
    }
    this.store.setVoice({
      userId,
      channelId: v.channel_id,
      deaf: v.self_deaf || v.deaf,
      bot: v.member?.user?.bot === true,
      roles: v.member?.roles ?? [],
    });
    if (this.settings().config.voicePerMinute > 0 && this.host.timers.dueAt(VOICE_KEY) === null) this.host.timers.every(VOICE_KEY, VOICE_TIMER, MINUTE);
  }

  /** The batch's XP is stored with its applied sequence (called by the actor's batch effects). */
  writeBatch(): void {
    this.effects.after(this.buffer.flush());
  }

  discardBatch(): void {
    this.buffer.discard();
  }

  runTimer(t: Timer<string>): TimerResult {
    if (t.kind !== VOICE_TIMER) return 'done';
    const { config, multipliers } = this.settings();
    const inVoice = this.store.voice();
    if (config.voicePerMinute === 0 || inVoice.length === 0) {
      this.host.timers.cancel(VOICE_KEY);
      return 'done';
    }
    const changes: XpChange[] = [];
    for (const m of voiceEarners(inVoice, this.store.afkChannel())) {
      const factor = factorFor(multipliers, m.channelId, m.roles);
      if (factor === 0) continue;
      const xp = Math.round(config.voicePerMinute * factor);
      const after = this.store.apply(m.userId, { xp, messages: 0, events: 0, voiceMinutes: 1, lastAwardAt: null, name: null, avatar: null });
      changes.push({ userId: m.userId, before: after.xp - xp, after, channelId: null });
    }
    this.effects.after(changes);
    return 'done';
  }

  /** Members who attended an event: the guild's event XP each (maybe 0), and one more event towards achievements. */
  rewardAttendance(userIds: readonly string[], what: string): void {
    const xp = this.settings().config.eventXp;
    for (const u of userIds) this.grantXp(u, xp, `${what} attended`, { event: true });
  }

  /**
   * XP from elsewhere (an attended event): applied at once, with its level-up
   * and achievements. `event` counts towards "events attended" achievements.
   */
  grantXp(userId: string, amount: number, reason: string, opts: { event?: boolean } = {}): void {
    if (!Number.isInteger(amount) || amount < 0) return;
    const after = this.store.apply(userId, {
      xp: amount,
      messages: 0,
      events: opts.event ? 1 : 0,
      voiceMinutes: 0,
      lastAwardAt: null,
      name: null,
      avatar: null,
    });
    this.host.audit({ at: now(), guildId: this.host.guildId, userId, action: 'levels grant', outcome: 'ok', latencyMs: 0, detail: `${amount} XP: ${reason}` });
    this.effects.after([{ userId, before: after.xp - amount, after, channelId: null }]);
  }

  runJob(job: Job<string>): Promise<JobResult> {
    if (job.kind === FILE_JOB) return this.files.run(job);
    return this.effects.run(job);
  }

  // ---- interactions ----

  async command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> {
    const locale = localeOf(i);
    const t: Reply = (k, v) => tr(locale, k as never, v);
    const inv = invokerOf(i);
    if (call.path === 'leaderboard') return this.board(0, locale, false);
    if (call.path === 'rank') return this.rank(i, stringOption(call, 'member') ?? inv.userId, inv.name);
    if (!isAdmin(inv.permissions)) return refused('not-admin', t('levels.refused.admin'));
    const member = stringOption(call, 'member');
    const amount = numberOption(call, 'amount');
    switch (call.path) {
      case 'xp set':
      case 'xp add':
      case 'xp remove':
        return this.changeXp(call.path.slice(3) as 'set' | 'add' | 'remove', member ?? '', amount ?? 0, i, t);
      case 'xp reset':
        return this.resetXp(member ?? '', t);
      case 'levels config':
        return this.configure(call, t);
      case 'levels reward add':
        return this.addReward(numberOption(call, 'level') ?? 0, stringOption(call, 'role') ?? '', i.app_permissions, locale, t);
      case 'levels reward remove': {
        const level = numberOption(call, 'level') ?? 0;
        return this.store.removeReward(level) ? ok(t('levels.reward.removed', { level })) : refused('no-reward', t('levels.reward.none-at', { level }));
      }
      case 'levels reward list':
        return this.listRewards(t);
      case 'levels multiplier channel':
      case 'levels multiplier role':
        return this.setMultiplier(call.path.endsWith('channel') ? 'channel' : 'role', call, t);
      case 'levels multiplier list':
        return this.listMultipliers(t);
      case 'levels achievement add':
        return this.addAchievement(call, t);
      case 'levels achievement remove': {
        const id = numberOption(call, 'id') ?? 0;
        return this.store.removeAchievement(id)
          ? ok(t('levels.achievement.removed', { id }))
          : refused('unknown-achievement', t('levels.achievement.unknown', { id }));
      }
      case 'levels achievement list':
        return this.listAchievements(t);
      case 'levels export': {
        const format = stringOption(call, 'format') === 'json' ? 'json' : 'csv';
        return this.defer({ kind: 'export', format, token: i.token, locale }, true, `export ${format}`);
      }
      case 'levels import': {
        const id = stringOption(call, 'file') ?? '';
        const att = i.data.resolved?.attachments?.[id];
        if (!att) return refused('no-file', t('levels.import.fetch', { reason: 'no file' }));
        return this.defer(
          { kind: 'import', attachment: { url: att.url, size: att.size, filename: att.filename }, token: i.token, locale },
          true,
          `import ${att.filename} (${att.size} bytes)`,
        );
      }
    }
    return refused('unknown-command', t('levels.refused.unknown'));
  }

  component(i: APIMessageComponentInteraction, cid: CustomId): Handled {
    if (cid.action !== PAGE_ACTION) return refused('unknown-button', tr(localeOf(i), 'common.button-unknown'));
    return this.board(Number(cid.extra ?? '0') || 0, localeOf(i), true);
  }

  private board(pageIn: number, locale: string | undefined, update: boolean): Handled {
    const total = this.store.ranked();
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(Math.max(0, Math.floor(pageIn)), pages - 1);
    const data = boardMessage(this.host.guildId, this.store.board(page * PAGE_SIZE, PAGE_SIZE), page, total, this.settings().config.curve, locale);
    return {
      response: update ? { type: InteractionResponseType.UpdateMessage, data } : reply(data),
      outcome: 'ok',
      detail: `page ${page + 1}/${pages}`,
    };
  }

  /** /rank: answered at once as "thinking", the card drawn and attached by a job that edits the answer. */
  private rank(i: APIChatInputApplicationCommandInteraction, userId: string, invokerName: string): Handled {
    const u = i.data.resolved?.users?.[userId] ?? (i.member?.user.id === userId ? i.member.user : undefined);
    const nick = i.data.resolved?.members?.[userId]?.nick;
    const name = userId === i.member?.user.id ? invokerName : (nick ?? u?.global_name ?? u?.username ?? userId);
    return this.defer({ kind: 'rank', userId, name, avatar: u?.avatar ?? null, token: i.token, locale: localeOf(i) }, false, `rank card of ${userId}`);
  }

  private defer(p: FilePayload, hidden: boolean, detail: string): Handled {
    this.host.enqueue(FILE_JOB, p);
    this.host.kick();
    return {
      response: { type: InteractionResponseType.DeferredChannelMessageWithSource, ...(hidden ? { data: { flags: MessageFlags.Ephemeral } } : {}) },
      outcome: 'ok',
      detail,
    };
  }

  private changeXp(op: 'set' | 'add' | 'remove', userId: string, amount: number, i: APIChatInputApplicationCommandInteraction, t: Reply): Handled {
    if (!/^\d{15,20}$/.test(userId)) return refused('bad-member', t('levels.xp.bad-member'));
    const target = i.data.resolved?.users?.[userId];
    if (target?.bot) return refused('bot', t('levels.xp.bot'));
    const before = this.store.member(userId)?.xp ?? 0;
    const delta = op === 'set' ? amount - before : op === 'add' ? amount : -Math.min(amount, before);
    const after = this.store.apply(userId, { xp: delta, messages: 0, events: 0, voiceMinutes: 0, lastAwardAt: null, name: null, avatar: null });
    this.effects.after([{ userId, before, after, channelId: null }]);
    const level = progressOf(this.settings().config.curve, after.xp).level;
    return ok(t('levels.xp.done', { user: userId, xp: after.xp, level }), `${op} ${amount}: ${before} → ${after.xp} XP`);
  }

  private resetXp(userId: string, t: Reply): Handled {
    if (!/^\d{15,20}$/.test(userId)) return refused('bad-member', t('levels.xp.bad-member'));
    const before = this.store.member(userId)?.xp ?? 0;
    this.store.reset(userId);
    this.buffer.forget(userId);
    if (before > 0 && this.store.rewards().length > 0)
      this.effects.after([
        { userId, before, after: { userId, xp: 0, messages: 0, events: 0, voiceMinutes: 0, lastAwardAt: null, name: null, avatar: null }, channelId: null },
      ]);
    return ok(t('levels.xp.reset', { user: userId }), `reset from ${before} XP`);
  }

  /** A checked configuration (/levels config, the dashboard, the REST API): stored, the cache dropped, voice XP started when it was turned on. */
  saveConfig(c: LevelsConfig): void {
    this.store.saveConfig(c);
    this.cached = null;
    if (c.voicePerMinute > 0 && this.store.voice().length > 0) this.host.timers.every(VOICE_KEY, VOICE_TIMER, MINUTE);
  }

  private configure(call: SubcommandCall, t: Reply): Handled {
    const int = (k: string) => numberOption(call, k) ?? undefined;
    const bool = (k: string) => {
      const v = call.options.get(k);
      return typeof v === 'boolean' ? v : undefined;
    };
    const announce = stringOption(call, 'announce');
    const next = applyLevelsOptions(this.store.config(), {
      xpMin: int('xp_min'),
      xpMax: int('xp_max'),
      cooldownS: int('cooldown'),
      voicePerMinute: int('voice_xp'),
      eventXp: int('event_xp'),
      curve: stringOption(call, 'curve') ?? undefined,
      announce: announce === 'channel' || announce === 'dm' || announce === 'off' ? (announce as Announce) : undefined,
      announceChannel: stringOption(call, 'announce_channel') ?? undefined,
      alertChannel: stringOption(call, 'alert_channel') ?? undefined,
      message: stringOption(call, 'message') ?? undefined,
      stack: bool('stack'),
    });
    if (!next.ok) return refused(`bad-${next.error}`, t(`levels.config.bad-${next.error}`));
    const c = next.value;
    const page = bool('public_page');
    if (page === true && !c.pageKey) c.pageKey = b64url(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
    if (page === false) c.pageKey = null;
    this.saveConfig(c);
    const url = c.pageKey ? this.pageUrl(c.pageKey) : null;
    const lines = [
      t('levels.config.summary', {
        min: c.xpMin,
        max: c.xpMax,
        cooldown: c.cooldownS,
        curve: `${c.curve.a},${c.curve.b},${c.curve.c}`,
        voice: c.voicePerMinute,
        event: c.eventXp,
        announce: c.announce,
        channel: c.announceChannel ? `<#${c.announceChannel}>` : '—',
        stack: c.stack ? 'yes' : 'no',
        alerts: c.alertChannel ? `<#${c.alertChannel}>` : '—',
      }),
      ...(c.message ? [t('levels.config.message', { message: c.message })] : []),
      c.pageKey ? (url ? t('levels.config.page', { url }) : t('levels.config.page-no-url')) : t('levels.config.page-off'),
    ];
    return ok(lines.join('\n'), JSON.stringify({ ...c, pageKey: c.pageKey ? 'set' : null }));
  }

  /** The board for the public page, only when `key` is this guild's page key (the page is off otherwise). */
  publicBoard(key: string, guildName: string): PublicBoard | null {
    const { config } = this.settings();
    if (!config.pageKey || !sameKey(config.pageKey, key)) return null;
    const rows = this.store.board(0, PAGE_ROWS).map((m, i) => ({ rank: i + 1, name: m.name ?? m.userId, level: levelOf(config.curve, m.xp), xp: m.xp }));
    return { guildName, locale: guildLocale(this.host.sql), rows };
  }

  /** The public page's address, when the Worker knows its own. */
  pageUrl(key: string): string | null {
    const base = this.host.config.publicUrl?.replace(/\/$/, '');
    return base ? `${base}/levels/${this.host.guildId}/${key}` : null;
  }

  private async addReward(level: number, roleId: string, appPermissions: string | undefined, locale: string | undefined, t: Reply): Promise<Handled> {
    if (!/^\d{15,20}$/.test(roleId) || roleId === this.host.guildId) return refused('bad-role', t('levels.reward.bad-role'));
    // Read fresh: the admin may have just created or moved the role.
    this.standing.forget();
    const facts = await this.standing.read();
    if (!facts.ok) return refused('facts', t('levels.reward.facts-failed', { reason: facts.error }));
    // The interaction's app_permissions is the freshest word on the bot's permissions.
    const value = appPermissions ? { ...facts.value, permissions: BigInt(appPermissions) } : facts.value;
    const problem = canGrant(value, roleId);
    if (problem) return refused(`grant-${problem}`, grantReason(problem, roleId, locale));
    this.store.setReward(level, roleId);
    return ok(t('levels.reward.added', { level, role: roleId }), `level ${level} → role ${roleId}`);
  }

  private listRewards(t: Reply): Handled {
    const rewards = this.store.rewards();
    if (rewards.length === 0) return ok(t('levels.reward.empty'));
    const mode = t(this.store.config().stack ? 'levels.reward.mode-stack' : 'levels.reward.mode-replace');
    return ok([t('levels.reward.title'), ...rewards.map((r) => t('levels.reward.line', { level: r.level, role: r.roleId })), mode].join('\n'));
  }

  private setMultiplier(kind: 'channel' | 'role', call: SubcommandCall, t: Reply): Handled {
    const id = stringOption(call, kind) ?? '';
    const factor = numberOption(call, 'factor');
    if (!/^\d{15,20}$/.test(id)) return refused('bad-target', t('levels.multiplier.bad-target'));
    if (factor === null || !Number.isFinite(factor) || factor < 0 || factor > MAX_FACTOR) return refused('bad-factor', t('levels.multiplier.bad-factor'));
    const rounded = Math.round(factor * 100) / 100;
    this.store.setMultiplier(kind, id, rounded);
    this.cached = null;
    const target = kind === 'channel' ? `<#${id}>` : `<@&${id}>`;
    const key = rounded === 0 ? 'levels.multiplier.none' : rounded === 1 ? 'levels.multiplier.cleared' : 'levels.multiplier.set';
    return ok(t(key, { target, factor: rounded }), `${kind} ${id} ×${rounded}`);
  }

  private listMultipliers(t: Reply): Handled {
    const m = this.store.multipliers();
    const lines = [
      ...[...m.channels].map(([id, f]) => t('levels.multiplier.line', { target: `<#${id}>`, factor: f })),
      ...[...m.roles].map(([id, f]) => t('levels.multiplier.line', { target: `<@&${id}>`, factor: f })),
    ];
    return ok(lines.length > 0 ? [t('levels.multiplier.title'), ...lines].join('\n') : t('levels.multiplier.empty'));
  }

  private addAchievement(call: SubcommandCall, t: Reply): Handled {
    const kind = stringOption(call, 'kind') ?? '';
    const threshold = numberOption(call, 'threshold') ?? 0;
    const name = (stringOption(call, 'name') ?? '').trim().slice(0, 80);
    if (!isAchievementKind(kind)) return refused('bad-kind', t('levels.achievement.bad'));
    if (!Number.isInteger(threshold) || threshold < 1 || !name) return refused('bad-achievement', t('levels.achievement.bad'));
    if (this.store.achievements().length >= 50) return refused('too-many', t('levels.achievement.too-many', { max: 50 }));
    const id = this.store.addAchievement(kind, threshold, name);
    return ok(t('levels.achievement.added', { id, name }), `#${id} ${kind} ≥ ${threshold}`);
  }

  private listAchievements(t: Reply): Handled {
    const defs = this.store.achievements();
    if (defs.length === 0) return ok(t('levels.achievement.empty'));
    return ok(
      [
        t('levels.achievement.title'),
        ...defs.map((a) => t('levels.achievement.line', { id: a.id, name: a.name, kind: t(`levels.kind.${a.kind}`), threshold: a.threshold })),
      ].join('\n'),
    );
  }

  // ---- health ----

  /** Reward roles the bot cannot give now, and how XP writes are going. */
  async diagnose(locale: string | undefined): Promise<DiagnosticSection> {
    const t: Reply = (k, v) => tr(locale, k as never, v);
    const lines: string[] = [];
    const rewards = this.store.rewards();
    let allGood = true;
    if (rewards.length > 0) {
      const facts = await this.standing.read();
      if (!facts.ok) {
        allGood = false;
        lines.push(`❌ ${t('levels.reward.facts-failed', { reason: facts.error })}`);
      } else
        for (const r of rewards) {
          const problem = canGrant(facts.value, r.roleId);
          if (!problem) continue;
          allGood = false;
          lines.push(`❌ ${t('levels.diag.reward', { level: r.level, reason: grantReason(problem, r.roleId, locale) })}`);
        }
    }
    if (allGood) lines.push(`✅ ${t('levels.diag.ok', { rewards: rewards.length, members: this.store.ranked() })}`);
    lines.push(t('levels.diag.writes', { flushes: XP_WRITES.flushes, rows: XP_WRITES.rows }));
    return { feature: 'levels', ok: allGood, lines };
  }
}

export const levels: FeatureModule = {
  name: 'levels',
  commands: LEVELS_COMMANDS,
  customIds: [LEVELS_FEATURE],
  autocomplete: [],
  jobs: [ROLES_JOB, ANNOUNCE_JOB, FILE_JOB],
  timers: [VOICE_TIMER],
  // GUILD_CREATE carries who is in voice when the bot (re)connects.
  // GUILD_CREATE and GUILD_UPDATE carry the AFK channel, where voice earns nothing.
  events: [GatewayDispatchEvents.MessageCreate, GatewayDispatchEvents.VoiceStateUpdate, GatewayDispatchEvents.GuildCreate, GatewayDispatchEvents.GuildUpdate],
  // XP needs only that a message was sent, not its text: no Message Content intent.
  intents: GatewayIntentBits.GuildMessages | GatewayIntentBits.GuildVoiceStates | GatewayIntentBits.Guilds,
  // Reward roles, and level-up messages (with the rank card as a file).
  permissions: P.ManageRoles | P.ViewChannel | P.SendMessages | P.AttachFiles | P.EmbedLinks,
  migrations: { guild: LEVELS_MIGRATIONS },
  routes: [
    // The guild's public leaderboard (off unless turned on); loaded on first use.
    {
      method: 'GET',
      path: '/levels/:guild/:key',
      handle: async (req, env) => (await import('./page.ts')).handleBoardPage(env, req.params.guild!, req.params.key!),
    },
  ],
  guild: (host) => new GuildLevels(host),
};
