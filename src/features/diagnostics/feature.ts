import {
  type APIChatInputApplicationCommandInteraction,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { ephemeral, type Handled, reply } from '../../discord/handled.ts';
import { permissionBits } from '../../discord/permissions.ts';
import { GuildRecord } from '../../gateway/guild-record.ts';
import { localeOf, t as tr } from '../../i18n/index.ts';
import { type FeatureModule, type GuildFeature, type GuildHost, NO_CLAIMS } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import { readAudit } from '../audit/log.ts';
import { FEATURES } from '../index.ts';
import { missingByFeature } from './rules.ts';

export const diagnosticsCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'diagnostics',
  type: ApplicationCommandType.ChatInput,
  description: 'Check the bot’s permissions, connections and recent errors (administrators)',
  contexts: [InteractionContextType.Guild],
  default_member_permissions: permissionBits(PermissionFlagsBits.Administrator),
};

/** Discord caps a message at 2,000 characters. */
const MAX_CONTENT = 2000;

/**
 * /diagnostics: what an administrator checks first when something does not
 * work. The bot's permissions against what each feature needs, what the
 * gateway delivered, this actor's Discord REST answers, each feature's own
 * report (panels' reachability and latency), and the last errors.
 */
export class GuildDiagnostics implements GuildFeature {
  private readonly host: GuildHost;

  constructor(host: GuildHost) {
    this.host = host;
  }

  async command(i: APIChatInputApplicationCommandInteraction): Promise<Handled> {
    const locale = localeOf(i);
    const t = (k: Parameters<typeof tr>[1], v?: Record<string, string | number>) => tr(locale, k, v);
    const isAdmin = i.member?.permissions !== undefined && (BigInt(i.member.permissions) & PermissionFlagsBits.Administrator) !== 0n;
    if (!isAdmin) return { response: reply(ephemeral(t('diag.admin-only'))), outcome: 'refused:not-admin', detail: '' };
    const lines: string[] = [`**${t('diag.title')}**`, '', `__${t('diag.permissions')}__`];
    const have = BigInt(i.app_permissions ?? '0');
    for (const f of missingByFeature(
      have,
      FEATURES.map((m) => ({ feature: m.name, permissions: m.permissions })),
    ))
      lines.push(f.missing.length === 0 ? `✅ ${f.feature}` : `❌ ${f.feature}: ${t('diag.missing', { names: f.missing.join(', ') })}`);

    const record = new GuildRecord(this.host.sql).summary();
    const hour = record.counts.filter((c) => c.hour >= now() - 3_600_000 * 2).reduce((s, c) => s + c.n, 0);
    const day = record.counts.reduce((s, c) => s + c.n, 0);
    lines.push('', `__${t('diag.gateway')}__`);
    lines.push(record.guild ? `✅ ${t('diag.gateway-seen', { at: Math.floor(record.guild.at / 1000), hour, day })}` : `❌ ${t('diag.gateway-unseen')}`);
    const rest = this.host.rest.health;
    lines.push('', `__${t('diag.rest')}__`);
    lines.push(
      rest.lastFailure
        ? `⚠️ ${t('diag.rest-failed', { ok: rest.ok, failed: rest.failed, route: rest.lastFailure.route, kind: rest.lastFailure.kind, at: Math.floor(rest.lastFailure.at / 1000) })}`
        : `✅ ${t('diag.rest-ok', { ok: rest.ok })}`,
    );
    for (const s of await this.host.diagnostics(locale)) {
      if (s.feature === 'diagnostics') continue;
      lines.push('', `__${s.feature}__`, ...s.lines);
    }
    const errors = readAudit(this.host.sql, 300)
      .filter((e) => e.outcome === 'error' || e.outcome.startsWith('failed') || e.outcome.startsWith('refused:panel-'))
      .slice(0, 5);
    lines.push('', `__${t('diag.errors')}__`);
    if (errors.length === 0) lines.push(t('diag.no-errors'));
    for (const e of errors) lines.push(`• <t:${Math.floor(e.at / 1000)}:R> ${e.action}: ${e.outcome}${e.detail ? ` — ${e.detail.slice(0, 120)}` : ''}`);
    let content = lines.join('\n');
    if (content.length > MAX_CONTENT) content = `${content.slice(0, MAX_CONTENT - 1)}…`;
    return { response: reply(ephemeral(content)), outcome: 'ok', detail: `${errors.length} recent errors` };
  }
}

export const diagnostics: FeatureModule = {
  name: 'diagnostics',
  ...NO_CLAIMS,
  commands: [diagnosticsCommand],
  guild: (host) => new GuildDiagnostics(host),
};
