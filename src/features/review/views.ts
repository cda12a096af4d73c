import { type AppLocale, type MessageKey, type MessageValues, t } from '../../i18n/index.ts';
import { esc, htmlPage } from '../dashboard/pages.ts';
import type { UserGuild } from '../dashboard/rules.ts';
import { REVIEW_KINDS, type ReviewFilter, type ReviewItem, type ReviewKind } from './rules.ts';

const tx = (l: AppLocale, k: MessageKey, v?: MessageValues) => esc(t(l, k, v));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** "waiting 5 minutes / 3 hours / 2 days": minutes below an hour, hours below two days. */
export function ageText(l: string | undefined, ms: number): string {
  if (ms < HOUR) return t(l, 'review.age', { minutes: Math.floor(ms / MINUTE) });
  if (ms < 48 * HOUR) return t(l, 'review.age.hours', { hours: Math.floor(ms / HOUR) });
  return t(l, 'review.age.days', { days: Math.floor(ms / (24 * HOUR)) });
}

const KIND_KEY: Record<ReviewKind, MessageKey> = {
  ticket: 'review.kind.ticket',
  approval: 'review.kind.approval',
  appeal: 'review.kind.appeal',
  faq: 'review.kind.faq',
};

function itemHtml(l: AppLocale, i: ReviewItem): string {
  const owner = i.ownerId ? tx(l, 'review.owner', { name: i.ownerName ?? i.ownerId }) : tx(l, 'review.owner.nobody');
  const buttons = i.actions.map((a) => `<button type="button" data-action="${a}">${tx(l, `review.action.${a}` as MessageKey)}</button>`).join(' ');
  return `<li data-kind="${i.kind}" data-id="${esc(i.id)}"${i.version === null ? '' : ` data-version="${i.version}"`}>
<span class="kind">${tx(l, KIND_KEY[i.kind])}</span> <strong>${esc(i.title)}</strong>
<span class="meta">${owner} · ${esc(ageText(l, i.ageMs))}</span>${buttons ? ` <span class="actions">${buttons}</span>` : ''}</li>`;
}

export interface ReviewView {
  guild: UserGuild;
  filter: ReviewFilter;
  items: readonly ReviewItem[];
  counts: Record<ReviewKind, number>;
  total: number;
  title: string;
}

/** The queue page; /review.js refreshes the list from this same page and wires the buttons to the REST API. */
export function reviewPage(l: AppLocale, v: ReviewView): Response {
  const base = `/dashboard/guilds/${esc(v.guild.id)}/review`;
  const link = (href: string, text: string, current: boolean) => `<li><a href="${href}"${current ? ' aria-current="page"' : ''}>${esc(text)}</a></li>`;
  const f = v.filter;
  const filters = [
    link(base, t(l, 'review.filter.all', { count: v.total }), f.kind === null && f.owner === null),
    ...REVIEW_KINDS.map((k) =>
      link(`${base}?kind=${k}`, t(l, 'review.filter.kind', { kind: t(l, KIND_KEY[k]), count: v.counts[k] }), f.kind === k && f.owner === null),
    ),
    link(`${base}?owner=me`, t(l, 'review.filter.mine'), f.owner === 'me'),
    link(`${base}?owner=nobody`, t(l, 'review.filter.unowned'), f.owner === 'nobody'),
  ].join('');
  const list = v.items.length ? v.items.map((i) => itemHtml(l, i)).join('\n') : `<li class="empty">${tx(l, 'review.empty')}</li>`;
  return htmlPage(
    l,
    v.title,
    `<header><p><a href="/dashboard/guilds/${esc(v.guild.id)}">${esc(v.guild.name)}</a></p><h1>${tx(l, 'review.heading')}</h1></header>
<p>${tx(l, 'review.intro')}</p>
<nav aria-label="${tx(l, 'review.heading')}"><ul class="filters">${filters}</ul></nav>
<ul class="review" id="review-list" data-guild="${esc(v.guild.id)}" aria-live="polite">${list}</ul>
<p class="live" id="review-status" role="status">${tx(l, 'review.live')}</p>
<script src="/review.js" defer></script>`,
  );
}
