import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIInteractionResponseCallbackData,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../../discord/custom-id.ts';
import { formatDurationIn } from '../../i18n/format.ts';
import { type MessageKey, t as tr } from '../../i18n/index.ts';
import type { PanelFailure, PanelKind, ServerStatus } from './panel/types.ts';
import type { Grant } from './rules/capabilities.ts';
import { type Period, type Summary, sparkline } from './rules/history.ts';
import type { ServerState, Signal } from './rules/safety.ts';
import type { CachedServer, PanelRow } from './store.ts';

export const SERVERS_FEATURE = 'servers';
export const ServerActions = { connect: 'connect', confirm: 'confirm', cancel: 'cancel' } as const;
export const CONNECT_FIELDS = { name: 'name', url: 'url', key: 'key', mapping: 'mapping' } as const;

const ICONS: Record<ServerState, string> = {
  running: '🟢',
  starting: '🟡',
  stopping: '🟠',
  offline: '🔴',
  installing: '🛠️',
  suspended: '⛔',
  restoring: '♻️',
  unknown: '❔',
};
const COLORS: Record<ServerState, number> = {
  running: 0x2ecc71,
  starting: 0xf1c40f,
  stopping: 0xe67e22,
  offline: 0xe74c3c,
  installing: 0x3498db,
  suspended: 0x7f8c8d,
  restoring: 0x3498db,
  unknown: 0x95a5a6,
};

export const stateLabel = (s: ServerState, locale?: string): string => `${ICONS[s]} ${tr(locale, `srv.state.${s}` as MessageKey)}`;

/** Bytes as MiB or GiB with one decimal, in the reader's number format. */
export function bytes(n: number, locale?: string): string {
  const gib = n / 1024 ** 3;
  const fmt = (v: number) => new Intl.NumberFormat(locale ?? 'en', { maximumFractionDigits: 1 }).format(v);
  return gib >= 1 ? `${fmt(gib)} GiB` : `${fmt(n / 1024 ** 2)} MiB`;
}

const pct = (n: number, locale?: string) => `${new Intl.NumberFormat(locale ?? 'en', { maximumFractionDigits: 1 }).format(n)} %`;

function against(used: string, limit: string | undefined, locale?: string): string {
  return limit ? tr(locale, 'srv.status.of', { used, limit }) : used;
}

/** `/server status`: the state with its icon, CPU, memory and disk against the limits, uptime, and players where the panel reports them. */
export function statusEmbed(name: string, panelName: string, s: ServerStatus, locale?: string): APIEmbed {
  const fields: APIEmbed['fields'] = [{ name: tr(locale, 'srv.status.state'), value: stateLabel(s.state, locale), inline: true }];
  if (s.cpuPct !== undefined)
    fields.push({
      name: tr(locale, 'srv.status.cpu'),
      value: against(pct(s.cpuPct, locale), s.limits?.cpuPct ? pct(s.limits.cpuPct, locale) : undefined, locale),
      inline: true,
    });
  if (s.memoryBytes !== undefined)
    fields.push({
      name: tr(locale, 'srv.status.memory'),
      value: against(bytes(s.memoryBytes, locale), s.limits?.memoryBytes ? bytes(s.limits.memoryBytes, locale) : undefined, locale),
      inline: true,
    });
  if (s.diskBytes !== undefined)
    fields.push({
      name: tr(locale, 'srv.status.disk'),
      value: against(bytes(s.diskBytes, locale), s.limits?.diskBytes ? bytes(s.limits.diskBytes, locale) : undefined, locale),
      inline: true,
    });
  if (s.uptimeMs !== undefined && s.state === 'running')
    fields.push({ name: tr(locale, 'srv.status.uptime'), value: formatDurationIn(locale, s.uptimeMs), inline: true });
  if (s.players !== undefined) fields.push({ name: tr(locale, 'srv.status.players'), value: String(s.players), inline: true });
  if (s.networkRxBytes !== undefined && s.networkTxBytes !== undefined)
    fields.push({
      name: tr(locale, 'srv.status.network'),
      value: tr(locale, 'srv.status.network-value', { rx: bytes(s.networkRxBytes, locale), tx: bytes(s.networkTxBytes, locale) }),
      inline: true,
    });
  return {
    title: `${ICONS[s.state]} ${name}`.slice(0, 256),
    color: COLORS[s.state],
    fields,
    footer: { text: tr(locale, 'srv.status.footer', { panel: panelName }) },
  };
}

/** `/server list`: each panel's servers with their state; a panel that did not answer says so. */
export function listEmbed(
  panels: readonly { panel: PanelRow; servers: readonly CachedServer[]; failure: PanelFailure | null; cachedAt: number | null }[],
  locale?: string,
): APIEmbed {
  const fields = panels.map(({ panel, servers, failure, cachedAt }) => {
    const lines = servers.slice(0, 20).map((s) => `${ICONS[s.state]} **${s.name}** · \`${s.id}\``);
    if (servers.length > 20) lines.push(tr(locale, 'srv.list.more', { n: servers.length - 20 }));
    if (servers.length === 0) lines.push(tr(locale, 'srv.list.none'));
    if (failure)
      lines.unshift(tr(locale, 'srv.list.stale', { reason: failureText(failure, (k, v) => tr(locale, k, v)), at: Math.floor((cachedAt ?? 0) / 1000) }));
    return { name: `${panel.name}`.slice(0, 256), value: lines.join('\n').slice(0, 1024) };
  });
  return { title: tr(locale, 'srv.list.title'), fields, color: 0x5865f2 };
}

/** What a panel failure means, for the member who asked. */
export function failureText(f: PanelFailure, t: (key: MessageKey, values?: Record<string, string | number>) => string): string {
  switch (f.kind) {
    case 'rate-limited':
      return t('srv.fail.rate-limited', { s: f.retryAfterS });
    case 'refused-key':
      return t('srv.fail.refused-key', { status: f.status });
    case 'panel-error':
      return t('srv.fail.panel-error', { status: f.status });
    default:
      return t(`srv.fail.${f.kind}` as MessageKey);
  }
}

const ephemeralFlags = MessageFlags.Ephemeral;
type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Stop, restart, kill: the question, with Confirm and Cancel buttons that stop working after 60 s. */
export function confirmMessage(
  guildId: string,
  confirmId: string,
  signal: Signal,
  name: string,
  expiresAt: number,
  locale?: string,
): APIInteractionResponseCallbackData {
  const id = (action: string) => encodeCustomId({ feature: SERVERS_FEATURE, action, id: guildId, extra: confirmId });
  const row: Row = {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Danger, label: tr(locale, `srv.button.${signal}` as MessageKey), custom_id: id(ServerActions.confirm) },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: tr(locale, 'srv.button.cancel'), custom_id: id(ServerActions.cancel) },
    ],
  };
  return {
    content: tr(locale, `srv.confirm.${signal}` as MessageKey, { server: name, until: Math.floor(expiresAt / 1000) }),
    components: [row],
    flags: ephemeralFlags,
    allowed_mentions: { parse: [] },
  };
}

/** The connect form: Name, Panel URL and API key, and for an HTTP orchestrator the mapping. */
export function connectModal(guildId: string, kind: PanelKind, locale?: string): APIModalInteractionResponseCallbackData {
  const input = (custom_id: string, label: MessageKey, style: TextInputStyle, max: number, placeholder?: string) => ({
    type: ComponentType.ActionRow as const,
    components: [
      {
        type: ComponentType.TextInput as const,
        custom_id,
        label: tr(locale, label),
        style,
        max_length: max,
        required: true,
        ...(placeholder ? { placeholder } : {}),
      },
    ],
  });
  return {
    custom_id: encodeCustomId({ feature: SERVERS_FEATURE, action: ServerActions.connect, id: guildId, extra: kind }),
    title: tr(locale, kind === 'pterodactyl' ? 'srv.modal.title-pterodactyl' : 'srv.modal.title-http'),
    components: [
      input(CONNECT_FIELDS.name, 'srv.modal.name', TextInputStyle.Short, 40),
      input(CONNECT_FIELDS.url, 'srv.modal.url', TextInputStyle.Short, 200, 'https://panel.example.com'),
      input(CONNECT_FIELDS.key, 'srv.modal.key', TextInputStyle.Short, 200, kind === 'pterodactyl' ? 'ptlc_…' : undefined),
      ...(kind === 'http'
        ? [input(CONNECT_FIELDS.mapping, 'srv.modal.mapping', TextInputStyle.Paragraph, 4000, '{"auth":{"header":"X-Api-Key"},"list":{…}}')]
        : []),
    ],
  };
}

export function panelsText(panels: readonly PanelRow[], servers: readonly CachedServer[], locale?: string): string {
  if (panels.length === 0) return tr(locale, 'srv.panels.none');
  const lines = panels.map((p) =>
    tr(locale, 'srv.panels.line', {
      name: p.name,
      id: p.id,
      kind: p.kind,
      url: p.url,
      n: servers.filter((s) => s.panelId === p.id).length,
      by: p.addedBy,
      at: Math.floor(p.addedAt / 1000),
    }),
  );
  return [tr(locale, 'srv.panels.title'), ...lines].join('\n');
}

export function grantsText(grants: readonly Grant[], locale?: string): string {
  if (grants.length === 0) return tr(locale, 'srv.perm.none');
  const byRole = new Map<string, string[]>();
  for (const g of grants) byRole.set(g.roleId, [...(byRole.get(g.roleId) ?? []), g.capability]);
  return [tr(locale, 'srv.perm.title'), ...[...byRole].map(([role, caps]) => `<@&${role}>: ${caps.join(', ')}`)].join('\n');
}

/**
 * `/server stats`: uptime and averages/maxima over the period, with a one-line
 * text chart of each series, and the chart image when the deployment can link one.
 */
export function statsEmbed(name: string, period: Period, s: Summary, locale?: string, chartUrl?: string | null): APIEmbed {
  const n = (v: number | null, digits = 1) => (v === null ? '–' : new Intl.NumberFormat(locale ?? 'en', { maximumFractionDigits: digits }).format(v));
  const line = (label: MessageKey, avg: string, max: string, series: readonly (number | null)[]) => ({
    name: tr(locale, label),
    value: `${tr(locale, 'srv.stats.avg-max', { avg, max })}\n\`${sparkline(series) || ' '}\``,
  });
  return {
    title: tr(locale, 'srv.stats.title', { server: name, period: tr(locale, `srv.period.${period}`) }),
    color: 0x5865f2,
    fields: [
      { name: tr(locale, 'srv.stats.uptime'), value: `${n(s.uptimePct)} %`, inline: true },
      { name: tr(locale, 'srv.stats.samples'), value: String(s.samples), inline: true },
      line('srv.status.cpu', `${n(s.cpuAvg)} %`, `${n(s.cpuMax)} %`, s.series.cpu),
      line(
        'srv.status.memory',
        s.memoryAvg === null ? '–' : bytes(s.memoryAvg, locale),
        s.memoryMax === null ? '–' : bytes(s.memoryMax, locale),
        s.series.memory,
      ),
      line('srv.status.players', n(s.playersAvg), n(s.playersMax, 0), s.series.players),
    ],
    ...(chartUrl ? { image: { url: chartUrl }, footer: { text: tr(locale, 'srv.stats.chart-legend') } } : {}),
  };
}
