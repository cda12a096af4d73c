import { type AppLocale, type MessageKey, type MessageValues, t as tr } from '../../i18n/index.ts';
import type { TriageMetrics } from '../inbox/metrics.ts';
import type { AnalyticsData } from './guild-analytics.ts';
import { RANGES, SERIES, type SeriesMetric } from './rules.ts';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const SERIES_KEY: Record<SeriesMetric, MessageKey> = {
  join: 'analytics.series.join',
  leave: 'analytics.series.leave',
  'verify-pass': 'analytics.series.verify-pass',
  'verify-fail': 'analytics.series.verify-fail',
};

/** What the page says after a form's change came back to it (a resumed invite's new code among it). */
export type PageNotice = { kind: 'paused' } | { kind: 'resumed'; code: string } | { kind: 'saved' };

/** A bucket's start as the page shows it (UTC; the charts show the reader's local time). */
const when = (ms: number, bucketMs: number) =>
  new Date(ms)
    .toISOString()
    .slice(0, bucketMs >= 86_400_000 ? 10 : 16)
    .replace('T', ' ');

const durationText = (ms: number | null) => (ms === null ? '–' : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`);

/**
 * The analytics page: every chart is a figure whose data is also a table
 * (readable without script, by a screen reader and at 390 px); the script
 * (public/analytics.js) draws the charts with uPlot and keeps them live.
 */
export function analyticsPageBody(
  l: AppLocale,
  guild: { id: string; name: string },
  d: AnalyticsData,
  tickets: Pick<TriageMetrics, 'queue' | 'firstResponse' | 'resolution' | 'perDay'> | null,
  notice: PageNotice | null = null,
): string {
  const x = (k: MessageKey, v?: MessageValues) => esc(tr(l, k, v));
  const gid = esc(guild.id);
  const spikeField = (name: string, label: MessageKey, value: number) =>
    `<p><label for="spike-${name}">${x(label)}</label> <input id="spike-${name}" name="${name}" type="number" min="1" step="1" inputmode="numeric" value="${value}"></p>`;
  const noticeText =
    notice?.kind === 'resumed'
      ? x('analytics.done.resumed', { code: notice.code })
      : notice
        ? x(notice.kind === 'paused' ? 'analytics.done.paused' : 'analytics.done.saved')
        : '';
  const api = `/api/dashboard/guilds/${gid}/analytics`;
  const csv = (table: string) => `<a class="csv" href="${api}.csv?table=${table}&amp;range=${d.range}" download>${x('analytics.csv')}</a>`;
  const ranges = RANGES.map((r) =>
    r === d.range
      ? `<li><strong aria-current="page">${x(`analytics.range.${r}`)}</strong></li>`
      : `<li><a href="?range=${r}">${x(`analytics.range.${r}`)}</a></li>`,
  ).join('');
  const labels = SERIES.map((m) => `data-label-${m}="${x(SERIES_KEY[m])}"`).join(' ');
  const totals = SERIES.map((m) => `<li><span>${x(SERIES_KEY[m])}</span> <strong data-total="${m}">${d.totals[m]}</strong></li>`).join('');
  const seriesRows = d.buckets
    .map(
      (b, i) =>
        `<tr data-at="${b}"><th scope="row">${esc(when(b, d.bucketMs))}</th>${SERIES.map((m) => `<td data-m="${m}">${d.series[m][i]}</td>`).join('')}</tr>`,
    )
    .join('');
  const seriesTable = `<table id="series-table"><caption>${x('analytics.table.series')}</caption><thead><tr><th scope="col">${x('analytics.col.time')}</th>${SERIES.map((m) => `<th scope="col">${x(SERIES_KEY[m])}</th>`).join('')}</tr></thead><tbody>${seriesRows}</tbody></table>`;
  const pauseForm = (code: string) =>
    `<form method="post" action="${api}/invites/${esc(encodeURIComponent(code))}/pause"><button>${x('analytics.pause', { code })}</button></form>`;
  const topTable = (id: string, caption: MessageKey, col: MessageKey, rows: { key: string; n: number }[], action: boolean) =>
    rows.length === 0
      ? `<p id="${id}-none">${x('analytics.none')}</p>`
      : `<table id="${id}"><caption>${x(caption)}</caption><thead><tr><th scope="col">${x(col)}</th><th scope="col">${x('analytics.col.joins')}</th>${action ? `<th scope="col">${x('analytics.col.action')}</th>` : ''}</tr></thead><tbody>${rows
          .map(
            (r) =>
              `<tr><th scope="row">${esc(r.key)}</th><td>${r.n}</td>${action ? `<td>${d.paused.some((p) => p.code === r.key) ? x('analytics.paused-short') : pauseForm(r.key)}</td>` : ''}</tr>`,
          )
          .join('')}</tbody></table>`;
  const paused =
    d.paused.length === 0
      ? ''
      : `<section id="paused"><h2>${x('analytics.paused')}</h2><ul>${d.paused
          .map(
            (p) =>
              `<li>${x('analytics.paused-line', { code: p.code, channel: p.channelId, at: new Date(p.pausedAt).toISOString().slice(0, 16).replace('T', ' ') })} <form method="post" action="${api}/invites/${esc(encodeURIComponent(p.code))}/resume"><button>${x('analytics.resume', { code: p.code })}</button></form></li>`,
          )
          .join('')}</ul></section>`;
  const ticketSection = tickets
    ? `<section id="tickets"><h2>${x('analytics.tickets')}</h2>
<ul class="totals"><li><span>${x('analytics.tickets.open')}</span> <strong>${tickets.queue.open}</strong></li>
<li><span>${x('analytics.tickets.first-response')}</span> <strong>${durationText(tickets.firstResponse.days7.p50Ms)}</strong></li>
<li><span>${x('analytics.tickets.resolution')}</span> <strong>${durationText(tickets.resolution.days7.p50Ms)}</strong></li></ul>
<figure><div class="chart" id="chart-tickets" role="img" aria-labelledby="tickets-table-caption"></div></figure>
<figure><div class="chart" id="chart-ticket-times" role="img" aria-labelledby="tickets-table-caption"></div></figure>
<table id="tickets-table"><caption id="tickets-table-caption">${x('analytics.table.tickets')}</caption><thead><tr><th scope="col">${x('analytics.col.day')}</th><th scope="col">${x('analytics.tickets.opened')}</th><th scope="col">${x('analytics.tickets.closed')}</th><th scope="col">${x('analytics.tickets.backlog')}</th><th scope="col">${x('analytics.tickets.first-response-day')}</th><th scope="col">${x('analytics.tickets.resolution-day')}</th></tr></thead><tbody>${tickets.perDay
        .map(
          (r) =>
            `<tr><th scope="row">${r.day}</th><td>${r.opened}</td><td>${r.closed}</td><td>${r.backlog}</td><td>${durationText(r.firstResponseP50Ms)}</td><td>${durationText(r.resolutionP50Ms)}</td></tr>`,
        )
        .join('')}</tbody></table>${csv('tickets')}</section>`
    : '';
  return `<header class="analytics-head"><p><a href="/dashboard/guilds/${gid}">${x('dash.back')}</a></p><h1>${x('analytics.title', { guild: guild.name })}</h1></header>
<div id="analytics" data-guild="${gid}" data-range="${d.range}" ${labels} data-label-opened="${x('analytics.tickets.opened')}" data-label-closed="${x('analytics.tickets.closed')}" data-label-backlog="${x('analytics.tickets.backlog')}" data-label-first="${x('analytics.tickets.first-response-day')}" data-label-resolution="${x('analytics.tickets.resolution-day')}" data-live-on="${x('analytics.live.on')}" data-live-off="${x('analytics.live.off')}" data-spike="${x('analytics.live.spike', { code: '{code}', count: '{count}' })}">
${noticeText ? `<p class="saved" id="notice" role="status">${noticeText}</p>` : ''}
<nav aria-label="${x('analytics.range')}"><ul class="ranges">${ranges}</ul></nav>
<p id="live-status" role="status" aria-live="polite">${x('analytics.live.off')}</p>
<ul class="totals">${totals}</ul>
<section id="members"><h2>${x('analytics.members')}</h2>
<figure><div class="chart" id="chart-members" role="img" aria-labelledby="series-table-caption"></div></figure>
<div class="scroll" tabindex="0" role="region" aria-labelledby="series-table-caption">${seriesTable.replace('<caption>', '<caption id="series-table-caption">')}</div>
${csv('joins')}</section>
<section id="invites"><h2>${x('analytics.invites')}</h2>${topTable('invites-table', 'analytics.table.invites', 'analytics.col.code', d.invites, true)}${csv('invites')}</section>
${paused}
<section id="inviters"><h2>${x('analytics.inviters')}</h2>${topTable('inviters-table', 'analytics.table.inviters', 'analytics.col.inviter', d.inviters, false)}${csv('inviters')}</section>
<section id="campaigns"><h2>${x('analytics.campaigns')}</h2>${topTable('campaigns-table', 'analytics.table.campaigns', 'analytics.col.campaign', d.campaigns, false)}${csv('campaigns')}</section>
${ticketSection}
<section id="spike"><h2>${x('analytics.spike.title')}</h2>
<p class="hint">${x('analytics.spike-hint', { floor: d.spike.floor, window: d.spike.windowMin, factor: d.spike.factor })}</p>
<form method="post" action="${api}/spike" class="spike">${spikeField('floor', 'analytics.spike.floor', d.spike.floor)}${spikeField('windowMin', 'analytics.spike.window', d.spike.windowMin)}${spikeField('factor', 'analytics.spike.factor', d.spike.factor)}${spikeField('baselineMin', 'analytics.spike.baseline', d.spike.baselineMin)}${spikeField('cooldownMin', 'analytics.spike.cooldown', d.spike.cooldownMin)}
<p><button>${x('analytics.spike.save')}</button></p></form></section>
</div>
<script src="/vendor/uplot/uPlot.iife.min.js"></script>
<script src="/analytics.js"></script>`;
}
