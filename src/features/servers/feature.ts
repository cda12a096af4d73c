import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  type APIChatInputApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
  InteractionResponseType,
  PermissionFlagsBits as P,
} from 'discord-api-types/v10';
import { focusedOf, matching } from '../../discord/autocomplete.ts';
import type { CustomId } from '../../discord/custom-id.ts';
import { ephemeral, type Handled, refused, reply } from '../../discord/handled.ts';
import { type Invoker, invokerOf, modalValues, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { localeOf, type MessageKey, t as tr } from '../../i18n/index.ts';
import type { DiagnosticSection, FeatureModule, GuildFeature, GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import type { Timer, TimerResult } from '../../runtime/scheduler.ts';
import { SERVERS_COMMANDS } from './commands.ts';
import { DISPLAY_JOB, DISPLAY_TIMER, ServerDisplays } from './displays.ts';
import { EVENT_JOB, ServerEvents } from './events.ts';
import { HINT_JOB, PrefixHints } from './hints.ts';
import { ServerOpsCommands, zoneChoices } from './ops-commands.ts';
import type { PanelFailure, PanelKind } from './panel/types.ts';
import { ANSWER_WITHIN_MS, adapterFor, LIST_CACHE_MS, PanelAccess, STATUS_CACHE_MS, type Target, targetLabel } from './panels.ts';
import { allowed, type Capability, isCapability } from './rules/capabilities.ts';
import { parseMapping } from './rules/generic-config.ts';
import type { Period, Summary } from './rules/history.ts';
import { parsePanelUrl } from './rules/panel-url.ts';
import { CONFIRM_TTL_MS, checkPower, needsConfirmation, type Signal, secondsUntilPower } from './rules/safety.ts';
import { seal } from './rules/secret-box.ts';
import { SCHEDULE_JOB, SCHEDULE_TIMER, ServerSchedules } from './schedules.ts';
import { SERVERS_MIGRATIONS, ServersStore } from './store.ts';
import {
  CONNECT_FIELDS,
  confirmMessage,
  connectModal,
  failureText,
  grantsText,
  listEmbed,
  panelsText,
  SERVERS_FEATURE,
  ServerActions,
  stateLabel,
  statusEmbed,
} from './views.ts';

const MAX_PANELS = 10;

export const SERVERS_JOBS = { refresh: 'servers-refresh' } as const;

type Reply = (key: MessageKey, values?: Record<string, string | number>) => string;

const ok = (content: string, detail: string): Handled => ({ response: reply(ephemeral(content)), outcome: 'ok', detail });
const isAdmin = (inv: Invoker) => inv.permissions !== undefined && (BigInt(inv.permissions) & P.Administrator) !== 0n;

/**
 * Game servers in the guild actor: panels connected by administrators (keys
 * sealed under CONFIG_KEY), server lists and resources cached here so a busy
 * channel and autocomplete never hammer a panel, power with confirmation and
 * a per-server interval, role grants checked on every interaction.
 */
export class GuildServers implements GuildFeature {
  private readonly host: GuildHost;
  private readonly store: ServersStore;
  private readonly panels: PanelAccess;
  private readonly events: ServerEvents;
  private readonly displays: ServerDisplays;
  private readonly schedules: ServerSchedules;
  private readonly ops: ServerOpsCommands;
  private readonly hints: PrefixHints;

  constructor(host: GuildHost) {
    this.host = host;
    this.store = new ServersStore(host.sql);
    this.panels = new PanelAccess(host, this.store);
    this.events = new ServerEvents(host, this.store);
    this.displays = new ServerDisplays(host, this.store, this.panels, this.events);
    this.schedules = new ServerSchedules(host, this.store, this.panels, this.events);
    this.hints = new PrefixHints(host);
    this.ops = new ServerOpsCommands(host, this.store, this.panels, this.displays, this.schedules);
  }

  // ---- interactions ----

  async command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> {
    const inv = invokerOf(i);
    const locale = localeOf(i);
    const t: Reply = (k, v) => tr(locale, k, v);
    const sub = call.path.replace(/^server /, '');
    const adminOnly = [
      'connect',
      'disconnect',
      'panels',
      'permissions grant',
      'permissions revoke',
      'permissions list',
      'settings',
      'webhook set',
      'webhook off',
    ];
    if (adminOnly.includes(sub) && !isAdmin(inv)) return refused('not-admin', t('srv.refused.admin'));
    switch (sub) {
      case 'connect':
        return this.openConnect(i, stringOption(call, 'kind'), t);
      case 'disconnect':
        return this.disconnect(stringOption(call, 'panel') ?? '', t);
      case 'panels':
        return ok(panelsText(this.store.panels(), this.store.servers(), locale), '');
      case 'permissions grant':
      case 'permissions revoke':
        return this.changeGrant(sub === 'permissions grant', stringOption(call, 'role') ?? '', stringOption(call, 'capability'), t);
      case 'permissions list':
        return ok(grantsText(this.store.grants(), locale), '');
      case 'settings':
        return this.settings(call, t);
      case 'list':
        return this.guard(inv, 'view', t) ?? this.list(locale);
      case 'webhook set':
      case 'webhook off':
        return (await this.ops.handle(sub, i, call, inv, null, t))!;
      case 'schedule list':
      case 'schedule remove':
        return this.guard(inv, 'manage', t) ?? (await this.ops.handle(sub, i, call, inv, null, t))!;
    }
    const target = this.panels.resolve(stringOption(call, 'server') ?? '');
    const need: Capability =
      sub === 'command'
        ? 'console'
        : sub.startsWith('backup')
          ? 'backup'
          : sub === 'status' || sub === 'panel-schedule list'
            ? 'view'
            : sub === 'panel-schedule run'
              ? 'manage'
              : 'power';
    const denied = this.guard(inv, need, t);
    if (denied) return denied;
    if (!target) return refused('unknown-server', t('srv.refused.unknown-server'));
    switch (sub) {
      case 'status':
        return this.statusOf(target, locale, t);
      case 'start':
      case 'stop':
      case 'restart':
      case 'kill':
        return this.askPower(i, inv, target, sub, t);
      case 'command':
        return this.console(target, stringOption(call, 'command') ?? '', inv.userId, t);
      case 'backup create':
        return this.backup(target, stringOption(call, 'name'), inv.userId, t);
      case 'backup list':
        return this.backups(target, t);
      case 'panel-schedule list':
        return this.panelSchedules(target, t);
      case 'panel-schedule run':
        return this.runPanelSchedule(target, stringOption(call, 'schedule') ?? '', t);
    }
    const handled = await this.ops.handle(sub, i, call, inv, target, t);
    if (handled) return handled;
    return refused('unknown-command', t('srv.refused.unknown-command'));
  }

  async component(i: APIMessageComponentInteraction, cid: CustomId): Promise<Handled> {
    const inv = invokerOf(i);
    const locale = localeOf(i);
    const t: Reply = (k, v) => tr(locale, k, v);
    const update = (content: string, outcome: string, detail: string): Handled => ({
      response: { type: InteractionResponseType.UpdateMessage, data: { content, components: [] } },
      outcome,
      detail,
    });
    const id = cid.extra ?? '';
    if (cid.action === ServerActions.cancel) {
      this.store.dropConfirmation(id);
      return update(t('srv.confirm.cancelled'), 'ok', 'cancelled');
    }
    if (cid.action !== ServerActions.confirm) return refused('unknown-button', t('srv.refused.unknown-command'));
    // Checked again at the press: a role revoked in the last minute no longer acts.
    const denied = this.guard(inv, 'power', t);
    if (denied) return denied;
    const taken = this.store.takeConfirmation(id, now());
    if (taken.outcome !== 'ok') return update(t(`srv.confirm.${taken.outcome}`), `refused:confirm-${taken.outcome}`, '');
    const c = taken.c;
    if (c.userId !== inv.userId) return refused('not-yours', t('srv.confirm.not-yours'));
    const target = this.panels.find(c.panelId, c.serverId);
    if (!target) return update(t('srv.refused.unknown-server'), 'refused:unknown-server', '');
    const done = await this.power(target, c.signal, inv.userId, t);
    return { ...done, response: { type: InteractionResponseType.UpdateMessage, data: { content: contentOf(done), components: [] } } };
  }

  async modal(i: APIModalSubmitInteraction, cid: CustomId): Promise<Handled> {
    const inv = invokerOf(i);
    const t: Reply = (k, v) => tr(localeOf(i), k, v);
    if (cid.action !== ServerActions.connect) return refused('unknown-modal', t('srv.refused.unknown-command'));
    if (!isAdmin(inv)) return refused('not-admin', t('srv.refused.admin'));
    const kind = cid.extra === 'http' ? 'http' : 'pterodactyl';
    const v = modalValues(i);
    return this.connect(
      inv,
      kind,
      v.get(CONNECT_FIELDS.name) ?? '',
      v.get(CONNECT_FIELDS.url) ?? '',
      v.get(CONNECT_FIELDS.key) ?? '',
      v.get(CONNECT_FIELDS.mapping),
      t,
    );
  }

  /** From the stored list only (refreshed in the background when stale): the panel is never waited for here. */
  autocomplete(i: APIApplicationCommandAutocompleteInteraction): APIApplicationCommandOptionChoice[] {
    const f = focusedOf(i);
    if (!f) return [];
    const inv = invokerOf(i);
    if (f.name === 'panel')
      return isAdmin(inv)
        ? matching(
            f.typed,
            this.store.panels().map((p) => ({ name: `${p.name} (${p.kind})`, value: p.id })),
          )
        : [];
    if (f.name === 'timezone') return zoneChoices(f.typed);
    if (f.name !== 'server') return [];
    if (!allowed(inv.permissions, inv.roles, this.store.grants(), 'view')) return [];
    const servers = this.store.servers();
    const stale = servers.length === 0 || servers.some((s) => now() - s.fetchedAt > LIST_CACHE_MS);
    if (stale && this.store.panels().length > 0) {
      this.host.enqueue(SERVERS_JOBS.refresh, {}, { dedupe: 'servers-refresh' });
      this.host.kick();
    }
    const panels = new Map(this.store.panels().map((p) => [p.id, p.name]));
    const multi = panels.size > 1;
    return matching(
      f.typed,
      servers.map((s) => ({
        name: `${stateLabel(s.state, localeOf(i)).split(' ')[0]} ${s.name}${multi ? ` · ${panels.get(s.panelId)}` : ''}`,
        value: `${s.panelId}/${s.id}`,
      })),
    );
  }

  async runJob(job: Job<string>): Promise<JobResult> {
    switch (job.kind) {
      case SERVERS_JOBS.refresh:
        for (const p of this.store.panels()) await this.panels.refreshList(p);
        return 'done';
      case DISPLAY_JOB:
        return this.displays.refresh(job);
      case SCHEDULE_JOB:
        return this.schedules.run(job);
      case EVENT_JOB:
        return this.events.deliver(job);
      case HINT_JOB:
        return this.hints.send(job);
    }
    return 'done';
  }

  runTimer(t: Timer<string>): TimerResult {
    if (t.kind === DISPLAY_TIMER) return this.displays.onTimer(t);
    if (t.kind === SCHEDULE_TIMER) return this.schedules.onTimer(t);
    return 'done';
  }

  onEvent(e: GatewayEvent): void {
    // Every message of the guild passes here: the settings are read only for one that looks like a prefix command.
    if (e.t === GatewayDispatchEvents.MessageCreate) this.hints.onMessage(e.d as GatewayMessageCreateDispatchData, () => this.store.settings().prefixHints);
  }

  /** A connected server's usage over a period, for the chart route; null when the server is not (or no longer) connected. */
  usage(panelId: string, serverId: string, period: Period): Summary | null {
    return this.panels.find(panelId, serverId) ? this.ops.summary(panelId, serverId, period) : null;
  }

  /** Each panel tested now (a list call, bounded by the panel timeout), with its latency; and what runs in the background. */
  async diagnose(locale: string | undefined): Promise<DiagnosticSection> {
    const t: Reply = (k, v) => tr(locale, k, v);
    const lines: string[] = [];
    if (!this.host.config.configKey) lines.push(`❌ ${t('srv.diag.no-config-key')}`);
    const panels = this.store.panels();
    if (panels.length === 0) lines.push(t('srv.diag.no-panels'));
    const results = await Promise.all(
      panels.map(async (p) => {
        const started = performance.now();
        // The list call alone is timed: states it starts to read are not waited for.
        const failure = await this.panels.refreshList(p, 0);
        return { p, failure, ms: Math.round(performance.now() - started) };
      }),
    );
    for (const { p, failure, ms } of results)
      lines.push(
        failure
          ? `❌ ${t('srv.diag.panel-failed', { name: p.name, reason: failureText(failure, t) })}`
          : `✅ ${t('srv.diag.panel-ok', { name: p.name, n: this.store.servers(p.id).length, ms })}`,
      );
    lines.push(t('srv.diag.background', { displays: this.store.displays().length, schedules: this.store.schedules().length }));
    return { feature: 'servers', ok: !!this.host.config.configKey && results.every((r) => !r.failure), lines };
  }

  housekeeping(at: number): void {
    this.store.sweep(at);
  }

  // ---- connecting ----

  private openConnect(i: APIChatInputApplicationCommandInteraction, kind: string | null, t: Reply): Handled {
    if (!this.host.config.configKey) return refused('no-config-key', t('srv.connect.no-config-key'));
    if (this.store.panels().length >= MAX_PANELS) return refused('too-many-panels', t('srv.connect.too-many', { max: MAX_PANELS }));
    const k: PanelKind = kind === 'http' ? 'http' : 'pterodactyl';
    return { response: { type: InteractionResponseType.Modal, data: connectModal(this.host.guildId, k, localeOf(i)) }, outcome: 'ok', detail: `form ${k}` };
  }

  private async connect(
    inv: Invoker,
    kind: PanelKind,
    nameIn: string,
    urlIn: string,
    keyIn: string,
    mappingIn: string | undefined,
    t: Reply,
  ): Promise<Handled> {
    const answerBy = Date.now() + ANSWER_WITHIN_MS;
    const secret = this.host.config.configKey;
    if (!secret) return refused('no-config-key', t('srv.connect.no-config-key'));
    const name = nameIn.trim().slice(0, 40);
    const key = keyIn.trim();
    if (!name) return refused('bad-name', t('srv.connect.bad-name'));
    if (this.store.panels().some((p) => p.name.toLowerCase() === name.toLowerCase())) return refused('name-taken', t('srv.connect.name-taken', { name }));
    const url = parsePanelUrl(urlIn, this.host.config.allowHttpPanels === true);
    if (!url.ok) return refused(`url-${url.error}`, t(`srv.connect.url-${url.error}`));
    if (!key || /\s/.test(key)) return refused('bad-key', t('srv.connect.bad-key'));
    let mapping: string | null = null;
    if (kind === 'http') {
      const m = parseMapping(mappingIn ?? '');
      if (!m.ok) return refused(`mapping-${m.error.code}`, t(`srv.connect.mapping-${m.error.code}`, 'field' in m.error ? { field: m.error.field } : {}));
      mapping = JSON.stringify(m.value);
    }
    // Tested before anything is saved: a wrong URL or key changes nothing.
    const adapter = adapterFor(kind, url.value, key, mapping);
    const listed = await adapter.list();
    if (!listed.ok) return refused(`test-${listed.error.kind}`, t('srv.connect.test-failed', { reason: failureText(listed.error, t) }), listed.error.detail);
    const id = `p${crypto.randomUUID().replace(/-/g, '').slice(0, 8)}`;
    const sealed = await seal(secret, this.host.guildId, id, key);
    if (!sealed.ok) return refused('no-config-key', t('srv.connect.no-config-key'));
    const at = now();
    this.store.addPanel({ id, name, kind, url: url.value, sealedKey: sealed.value, mapping, addedBy: inv.userId, addedAt: at });
    this.store.replaceServers(id, listed.value, at);
    this.panels.remember(id, adapter);
    await this.panels.fillStates(id, answerBy);
    return ok(t('srv.connect.done', { name, n: listed.value.length }), `panel ${id} "${name}" (${kind}) at ${url.value}: ${listed.value.length} servers`);
  }

  private disconnect(panelId: string, t: Reply): Handled {
    const p = this.store.panel(panelId) ?? this.store.panels().find((x) => x.name.toLowerCase() === panelId.toLowerCase());
    if (!p) return refused('unknown-panel', t('srv.refused.unknown-panel'));
    this.store.removePanel(p.id);
    this.panels.forget(p.id);
    return ok(t('srv.disconnect.done', { name: p.name }), `panel ${p.id} "${p.name}" removed with its key`);
  }

  // ---- settings and grants ----

  private changeGrant(grant: boolean, roleId: string, cap: string | null, t: Reply): Handled {
    if (!/^\d{15,20}$/.test(roleId)) return refused('bad-role', t('srv.perm.bad-role'));
    if (cap !== null && !isCapability(cap)) return refused('bad-capability', t('srv.perm.bad-capability'));
    if (grant) {
      if (!cap) return refused('bad-capability', t('srv.perm.bad-capability'));
      this.store.grant(roleId, cap);
      return ok(t('srv.perm.granted', { role: roleId, capability: cap }), `grant ${cap} to role ${roleId}`);
    }
    const n = this.store.revoke(roleId, cap);
    return ok(t(n > 0 ? 'srv.perm.revoked' : 'srv.perm.nothing', { role: roleId, capability: cap ?? '*' }), `revoke ${cap ?? 'all'} from role ${roleId}`);
  }

  /** /server settings' switches, for the dashboard and the REST API (the webhook is set by its own command, with its secret). */
  switches(): { allowKill: boolean; prefixHints: boolean } {
    const s = this.store.settings();
    return { allowKill: s.allowKill, prefixHints: s.prefixHints };
  }

  saveSwitches(v: { allowKill: boolean; prefixHints: boolean }): void {
    this.store.saveSettings({ ...this.store.settings(), ...v });
  }

  private settings(call: SubcommandCall, t: Reply): Handled {
    const s = this.store.settings();
    const kill = call.options.get('allow_kill');
    const hints = call.options.get('prefix_hints');
    if (typeof kill === 'boolean') s.allowKill = kill;
    if (typeof hints === 'boolean') s.prefixHints = hints;
    this.store.saveSettings(s);
    return ok(
      t('srv.settings.summary', { kill: s.allowKill ? 'yes' : 'no', hints: s.prefixHints ? 'yes' : 'no', webhook: s.webhookUrl ? 'yes' : 'no' }),
      `allow_kill=${s.allowKill} prefix_hints=${s.prefixHints}`,
    );
  }

  private guard(inv: Invoker, need: Capability, t: Reply): Handled | null {
    return allowed(inv.permissions, inv.roles, this.store.grants(), need) ? null : refused(`no-${need}`, t('srv.refused.capability', { capability: need }));
  }

  // ---- commands ----

  private async list(locale: string | undefined): Promise<Handled> {
    const panels = this.store.panels();
    if (panels.length === 0) return refused('no-panels', tr(locale, 'srv.refused.no-panels'));
    // Panels in parallel, and states waited for only until the answer is due.
    const until = Date.now() + ANSWER_WITHIN_MS;
    const shown = await Promise.all(
      panels.map(async (panel) => {
        const cached = this.store.servers(panel.id);
        const fresh = cached.length > 0 && cached.every((s) => now() - s.fetchedAt < STATUS_CACHE_MS);
        const failure = fresh ? null : await this.panels.refreshList(panel, until);
        if (fresh) await this.panels.fillStates(panel.id, until);
        return { panel, servers: this.store.servers(panel.id), failure, cachedAt: cached[0]?.fetchedAt ?? null };
      }),
    );
    return {
      response: reply({ embeds: [listEmbed(shown, locale)], flags: 64, allowed_mentions: { parse: [] } }),
      outcome: 'ok',
      detail: `${panels.length} panels`,
    };
  }

  private async statusOf(target: Target, locale: string | undefined, t: Reply): Promise<Handled> {
    const r = await this.panels.status(target);
    if (!r.ok) return this.panelRefused(target, 'status', r.error, t);
    return {
      response: reply({ embeds: [statusEmbed(target.server.name, target.panel.name, r.value, locale)], flags: 64, allowed_mentions: { parse: [] } }),
      outcome: 'ok',
      detail: `${targetLabel(target)}: ${r.value.state}`,
    };
  }

  private async askPower(i: APIChatInputApplicationCommandInteraction, inv: Invoker, target: Target, signal: Signal, t: Reply): Promise<Handled> {
    const blocked = await this.powerBlocked(target, signal, t);
    if (blocked) return blocked;
    if (!needsConfirmation(signal)) return this.power(target, signal, inv.userId, t);
    const id = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
    const expiresAt = now() + CONFIRM_TTL_MS;
    this.store.addConfirmation({ id, userId: inv.userId, signal, panelId: target.panel.id, serverId: target.server.id, expiresAt });
    return {
      response: reply(confirmMessage(this.host.guildId, id, signal, target.server.name, expiresAt, localeOf(i))),
      outcome: 'ok',
      detail: `${targetLabel(target)}: ${signal} asked, awaiting confirmation`,
    };
  }

  /** A conflicting state, kill switched off or the per-server interval: answered without calling the panel's power endpoint. */
  private async powerBlocked(target: Target, signal: Signal, t: Reply): Promise<Handled | null> {
    const st = await this.panels.status(target);
    const state = st.ok ? st.value.state : target.server.state;
    const last = this.store.lastPower(target.panel.id, target.server.id);
    const why = checkPower(signal, state, { killEnabled: this.store.settings().allowKill, lastPowerAt: last, now: now() });
    if (!why) return null;
    const values = { server: target.server.name, s: last === null ? 0 : secondsUntilPower(last, now()) };
    return refused(why, t(`srv.power.${why}`, values), `${targetLabel(target)}: ${signal} refused (${why}, state ${state})`);
  }

  private async power(target: Target, signal: Signal, by: string, t: Reply): Promise<Handled> {
    // The press may come up to a minute after the question: check again.
    const blocked = await this.powerBlocked(target, signal, t);
    if (blocked) return blocked;
    this.store.notePower(target.panel.id, target.server.id, now());
    const r = await this.panels.with(target.panel, (o) => o.power(target.server.id, signal));
    this.panels.invalidate(target);
    this.emitAction(target, signal, by, r.ok ? 'ok' : `failed:${r.error.kind}`);
    if (!r.ok) return this.panelRefused(target, signal, r.error, t);
    return ok(t(`srv.power.sent-${signal}`, { server: target.server.name }), `${targetLabel(target)}: ${signal} accepted by the panel`);
  }

  private emitAction(target: Target, action: string, by: string, outcome: string): void {
    this.events.emit({ type: 'server.action', panel: target.panel.id, server: target.server.id, serverName: target.server.name, action, by, outcome });
  }

  private async console(target: Target, command: string, by: string, t: Reply): Promise<Handled> {
    const c = command.trim();
    if (!c || c.length > 200) return refused('bad-command', t('srv.command.bad'));
    const r = await this.panels.with(target.panel, (o) => o.command(target.server.id, c));
    this.emitAction(target, 'command', by, r.ok ? 'ok' : `failed:${r.error.kind}`);
    if (!r.ok) return this.panelRefused(target, 'command', r.error, t);
    return ok(t('srv.command.sent', { server: target.server.name }), `${targetLabel(target)}: command "${c.slice(0, 100)}" accepted`);
  }

  private async backup(target: Target, name: string | null, by: string, t: Reply): Promise<Handled> {
    const label = (name ?? '').trim() || `guildkeep-${new Date(now()).toISOString().slice(0, 16).replace(/[:T]/g, '-')}`;
    const r = await this.panels.with(target.panel, (o) => o.createBackup(target.server.id, label));
    this.emitAction(target, 'backup', by, r.ok ? 'ok' : `failed:${r.error.kind}`);
    if (!r.ok) return this.panelRefused(target, 'backup', r.error, t);
    return ok(t('srv.backup.started', { server: target.server.name, name: label }), `${targetLabel(target)}: backup "${label}" started`);
  }

  private async backups(target: Target, t: Reply): Promise<Handled> {
    const r = await this.panels.with(target.panel, (o) => o.backups(target.server.id));
    if (!r.ok) return this.panelRefused(target, 'backups', r.error, t);
    if (r.value.length === 0) return ok(t('srv.backup.none', { server: target.server.name }), '');
    const lines = r.value
      .slice(0, 20)
      .map((b) => t(b.completed ? 'srv.backup.line' : 'srv.backup.line-running', { name: b.name, at: Math.floor(Date.parse(b.createdAt) / 1000) || 0 }));
    return ok([t('srv.backup.title', { server: target.server.name }), ...lines].join('\n'), '');
  }

  private async panelSchedules(target: Target, t: Reply): Promise<Handled> {
    const r = await this.panels.with(target.panel, (o) => o.schedules(target.server.id));
    if (!r.ok) return this.panelRefused(target, 'schedules', r.error, t);
    if (r.value.length === 0) return ok(t('srv.pschedule.none', { server: target.server.name }), '');
    const lines = r.value.map((s) => t('srv.pschedule.line', { id: s.id, name: s.name, cron: s.cron, active: s.active ? 'yes' : 'no' }));
    return ok([t('srv.pschedule.title', { server: target.server.name }), ...lines].join('\n'), '');
  }

  private async runPanelSchedule(target: Target, scheduleId: string, t: Reply): Promise<Handled> {
    if (!/^\d{1,10}$/.test(scheduleId)) return refused('bad-schedule', t('srv.pschedule.bad-id'));
    const r = await this.panels.with(target.panel, (o) => o.runSchedule(target.server.id, scheduleId));
    if (!r.ok) return this.panelRefused(target, 'schedule run', r.error, t);
    return ok(t('srv.pschedule.ran', { server: target.server.name, id: scheduleId }), `${targetLabel(target)}: panel schedule ${scheduleId} run`);
  }

  private panelRefused(target: Target, what: string, f: PanelFailure, t: Reply): Handled {
    return refused(
      `panel-${f.kind}`,
      t('srv.fail.wrap', { server: target.server.name, reason: failureText(f, t) }),
      `${targetLabel(target)}: ${what}: ${f.kind}: ${f.detail}`,
    );
  }
}

function contentOf(h: Handled): string {
  const d = (h.response as { data?: { content?: string } }).data;
  return d?.content ?? '';
}

export const servers: FeatureModule = {
  name: 'servers',
  commands: SERVERS_COMMANDS,
  customIds: [SERVERS_FEATURE],
  autocomplete: ['server'],
  jobs: [...Object.values(SERVERS_JOBS), DISPLAY_JOB, SCHEDULE_JOB, EVENT_JOB, HINT_JOB],
  timers: [DISPLAY_TIMER, SCHEDULE_TIMER],
  // Legacy prefix commands (optional per guild) need the messages' text.
  events: [GatewayDispatchEvents.MessageCreate],
  intents: GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
  // Status displays, schedule announcements and prefix hints are posted (and displays edited) in channels.
  permissions: P.ViewChannel | P.SendMessages | P.EmbedLinks | P.ReadMessageHistory,
  migrations: { guild: SERVERS_MIGRATIONS },
  routes: [
    // Discord fetches the /server stats chart from here; the signed file name is the permission. Loaded on first use.
    { method: 'GET', path: '/charts/servers/:file', handle: async (req, env) => (await import('./chart-route.ts')).handleChart(env, req.params.file!) },
  ],
  guild: (host) => new GuildServers(host),
};
