import { t as tr } from '../../i18n/index.ts';
import { type DiagnosticSection, type FeatureModule, type GuildFeature, type GuildHost, lazyRoutes, NO_CLAIMS } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import { GuildFaq } from '../faq/feature.ts';
import { GuildModeration } from '../moderation/feature.ts';
import { TicketsGuildSide } from '../tickets/guild-side.ts';
import { type ReviewSources, reviewItems } from './rules.ts';
import { ageText } from './views.ts';

const DAY_MS = 86_400_000;

/** How many of each kind the queue reads; a queue longer than this is a different problem. */
const PER_KIND = 200;

/**
 * The review queue's part in the guild actor: it owns nothing and stores
 * nothing, it reads what the other features have waiting.
 */
export class GuildReview implements GuildFeature {
  private readonly host: GuildHost;

  constructor(host: GuildHost) {
    this.host = host;
  }

  /** /diagnostics: how much is waiting and for how long; not well when something has waited a day. */
  diagnose(locale: string | undefined): DiagnosticSection {
    const items = reviewItems(this.sources(), now());
    const oldest = items[0];
    if (!oldest) return { feature: 'review', ok: true, lines: [tr(locale, 'review.empty')] };
    return {
      feature: 'review',
      ok: oldest.ageMs < DAY_MS,
      lines: [tr(locale, 'review.diag.waiting', { count: items.length, age: ageText(locale, oldest.ageMs) })],
    };
  }

  sources(): ReviewSources {
    const tickets = this.host.peer((f): f is TicketsGuildSide => f instanceof TicketsGuildSide);
    const mod = this.host.peer((f): f is GuildModeration => f instanceof GuildModeration);
    const faq = this.host.peer((f): f is GuildFaq => f instanceof GuildFaq);
    return {
      tickets: tickets?.inbox() ?? [],
      approvals: mod?.pendingApprovals(PER_KIND) ?? [],
      appeals: mod?.openAppeals(PER_KIND) ?? [],
      faq: faq?.unanswered(PER_KIND) ?? [],
    };
  }
}

/** Loaded on first use (routes.ts reads other features' modules). */
const route = lazyRoutes(() => import('./routes.ts').then((m) => m.HANDLERS));

/**
 * One review queue on the dashboard (issue 13 item 5): tickets waiting for
 * staff, pending approvals, appeals and unanswered FAQ questions, with their
 * owner and age; its buttons call the REST API's operations, the same as
 * Discord's buttons.
 */
export const review: FeatureModule = {
  name: 'review',
  ...NO_CLAIMS,
  routes: [route('GET', '/dashboard/guilds/:id/review', 'page'), route('GET', '/api/dashboard/guilds/:id/review', 'api')],
  guild: (host) => new GuildReview(host),
};
