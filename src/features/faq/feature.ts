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
  MessageFlags,
  PermissionFlagsBits as P,
  Routes,
} from 'discord-api-types/v10';
import { focusedOf, matching } from '../../discord/autocomplete.ts';
import type { CustomId } from '../../discord/custom-id.ts';
import { ephemeral, type Handled, refused, reply } from '../../discord/handled.ts';
import { invokerOf, modalValues, numberOption, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { hasAnyPermission } from '../../discord/staff-permissions.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { guildLocale } from '../../i18n/guild-locale.ts';
import { localeOf, type MessageKey, t as tr } from '../../i18n/index.ts';
import { ProviderError, providersFromSecrets } from '../../lib/ai-providers.ts';
import type { FeatureModule, GuildFeature, GuildHost } from '../../platform/feature.ts';
import { now } from '../../runtime/clock.ts';
import type { Job, JobResult } from '../../runtime/outbox.ts';
import { maskPersonalData } from '../audit/mask.ts';
import type { TicketDeflector, TicketDesk, TicketDraft } from '../tickets/deflection.ts';
import { FAQ_COMMAND, faqCommand } from './commands.ts';
import { FaqImporter, IMPORT_JOB, ImportActions } from './importer.ts';
import { FaqMatcher } from './matcher.ts';
import { aiPrompt, FAQ_AI_SYSTEM_PROMPT, readAiAnswer } from './rules/ai-answer.ts';
import { decide, looksLikeQuestion, suggestions } from './rules/decide.ts';
import { checkDraft, FAQ_LIMITS, type FaqDraft, type FaqEntry, parseLines, parseTags } from './rules/entry.ts';
import type { UnansweredRow } from './store.ts';
import { FAQ_MIGRATIONS, FaqStore, type Source } from './store.ts';
import {
  answerEmbed,
  draftRow,
  ENTRY_FIELDS,
  entryModal,
  FAQ_FEATURE,
  FaqActions,
  feedbackRow,
  LIST_PAGE_SIZE,
  listText,
  problemText,
  statsText,
  unansweredText,
} from './views.ts';

export const FAQ_JOBS = { reply: 'faq-reply', import: IMPORT_JOB } as const;

const DAY_MS = 86_400_000;
/** A member's question in a help channel is answered at most once per this window (no reply storms). */
export const HELP_COOLDOWN_MS = 5 * 60_000;
/** Answered and no ticket from the same member within this: deflected. */
export const DEFLECTION_WINDOW_MS = DAY_MS;
/** The whole AI call's budget on /faq ask: the member's answer is due within Discord's 3 seconds. */
const AI_BUDGET_MS = 2000;
const AI_SETTING = 'ai';
/** Entries offered on a /ticket open form. */
const SUGGESTIONS_MAX = 3;

// FAQ staff: those who may moderate messages or manage the server (checked on every call).
const STAFF_BITS = P.Administrator | P.ManageGuild | P.ManageMessages | P.ManageThreads;

type Reply = (key: MessageKey, values?: Record<string, string | number>) => string;

const randomId = () => crypto.randomUUID().replace(/-/g, '').slice(0, 16);
const ok = (content: string, detail = ''): Handled => ({ response: reply(ephemeral(content)), outcome: 'ok', detail });

/**
 * The FAQ inside the guild actor: entries in SQLite, the MiniSearch index in
 * memory (rebuilt after a change), answers to /faq ask, to help-channel
 * questions (replies through a durable job) and suggestions on the /ticket
 * open form, and the metrics staff read.
 */
export class GuildFaq implements GuildFeature, TicketDeflector {
  private readonly host: GuildHost;
  private readonly store: FaqStore;
  private readonly desk: TicketDesk | null;
  private readonly importer: FaqImporter;
  private index: FaqMatcher | null = null;

  constructor(host: GuildHost, desk: TicketDesk | null) {
    this.host = host;
    this.store = new FaqStore(host.sql);
    this.desk = desk;
    this.importer = new FaqImporter(host, this.store, () => this.changed());
  }

  private matcher(): FaqMatcher {
    this.index ??= new FaqMatcher(this.store.entries());
    return this.index;
  }

  private changed(): void {
    this.index = null;
  }

  // ---- interactions ----

  /** The settings /faq config and /faq channels change, for the dashboard and the REST API. */
  settings(): { ai: boolean; channels: string[] } {
    return { ai: this.store.setting(AI_SETTING) === 'on', channels: this.store.channels() };
  }

  /** Saves the AI switch and makes the help channels exactly `channels`. */
  saveSettings(s: { ai: boolean; channels: readonly string[] }): void {
    this.store.setSetting(AI_SETTING, s.ai ? 'on' : 'off');
    const now = this.store.channels();
    for (const c of now) if (!s.channels.includes(c)) this.store.removeChannel(c);
    for (const c of s.channels) if (!now.includes(c)) this.store.addChannel(c);
  }

  async command(i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> {
    const locale = localeOf(i);
    const t: Reply = (k, v) => tr(locale, k, v);
    const sub = call.path.replace(/^faq /, '');
    if (sub === 'ask') return this.ask(i, stringOption(call, 'question') ?? '', t);
    if (!hasAnyPermission(invokerOf(i).permissions, STAFF_BITS)) return refused('not-staff', t('faq.refused.staff'));
    if (sub === 'config') {
      const on = call.options.get('ai') === true;
      this.store.setSetting(AI_SETTING, on ? 'on' : 'off');
      const none = on && providersFromSecrets(this.host.config.classifier).length === 0;
      return ok([t('faq.config.ai', { on: on ? 'yes' : 'no' }), ...(none ? [t('faq.config.no-provider')] : [])].join('\n'), `ai ${on ? 'on' : 'off'}`);
    }
    switch (sub) {
      case 'add':
        if (this.store.count() >= FAQ_LIMITS.entries) return refused('full', t('faq.refused.full', { max: FAQ_LIMITS.entries }));
        return { response: { type: InteractionResponseType.Modal, data: entryModal(this.host.guildId, locale) }, outcome: 'ok', detail: 'asked for the entry' };
      case 'edit': {
        const entry = this.store.entry(numberOption(call, 'entry') ?? 0);
        if (!entry) return refused('unknown-entry', t('faq.refused.unknown-entry', { id: numberOption(call, 'entry') ?? 0 }));
        return {
          response: { type: InteractionResponseType.Modal, data: entryModal(this.host.guildId, locale, entry) },
          outcome: 'ok',
          detail: `editing #${entry.id}`,
        };
      }
      case 'remove': {
        const id = numberOption(call, 'entry') ?? 0;
        const entry = this.store.entry(id);
        if (!entry || !this.store.remove(id)) return refused('unknown-entry', t('faq.refused.unknown-entry', { id }));
        this.changed();
        return ok(t('faq.removed', { id, question: entry.question, answer: entry.answer.slice(0, 1500) }), `removed #${id}`);
      }
      case 'import':
        return this.importer.start(i, call);
      case 'list':
        return ok(listText(this.store.entries(), Math.max(0, (numberOption(call, 'page') ?? 1) - 1), locale));
      case 'channels add':
      case 'channels remove': {
        const channel = stringOption(call, 'channel') ?? '';
        if (sub === 'channels add')
          return this.store.addChannel(channel) ? ok(t('faq.channels.added', { channel }), channel) : ok(t('faq.channels.already', { channel }));
        return this.store.removeChannel(channel) ? ok(t('faq.channels.removed', { channel }), channel) : ok(t('faq.channels.not-one', { channel }));
      }
      case 'channels list': {
        const list = this.store.channels();
        return ok(list.length ? t('faq.channels.list', { channels: list.map((c) => `<#${c}>`).join(', ') }) : t('faq.channels.none'));
      }
      case 'stats':
        return ok(this.stats(numberOption(call, 'days') ?? 7, locale));
      case 'unanswered':
        return ok(unansweredText(this.store.unanswered(LIST_PAGE_SIZE), locale));
    }
    return refused('unknown-command', t('faq.refused.unknown-command'));
  }

  modal(i: APIModalSubmitInteraction, cid: CustomId): Handled {
    const locale = localeOf(i);
    const t: Reply = (k, v) => tr(locale, k, v);
    if (cid.action !== FaqActions.add && cid.action !== FaqActions.edit) return refused('unknown-modal', t('faq.refused.unknown-command'));
    const inv = invokerOf(i);
    if (!hasAnyPermission(inv.permissions, STAFF_BITS)) return refused('not-staff', t('faq.refused.staff'));
    const v = modalValues(i);
    const draft: FaqDraft = {
      question: v.get(ENTRY_FIELDS.question) ?? '',
      phrasings: parseLines(v.get(ENTRY_FIELDS.phrasings) ?? ''),
      answer: v.get(ENTRY_FIELDS.answer) ?? '',
      tags: parseTags(v.get(ENTRY_FIELDS.tags) ?? ''),
    };
    const checked = checkDraft(draft);
    if (!checked.ok) return refused('bad-entry', t('faq.invalid', { problem: problemText(checked.error, locale) }));
    if (cid.action === FaqActions.add) {
      if (this.store.count() >= FAQ_LIMITS.entries) return refused('full', t('faq.refused.full', { max: FAQ_LIMITS.entries }));
      const id = this.store.add(checked.value, inv.userId, now());
      this.changed();
      return ok(t('faq.added', { id, question: checked.value.question }), `added #${id}`);
    }
    const id = Number(cid.extra);
    if (!this.store.update(id, checked.value, inv.userId, now())) return refused('unknown-entry', t('faq.refused.unknown-entry', { id }));
    this.changed();
    return ok(t('faq.edited', { id, question: checked.value.question }), `edited #${id}`);
  }

  async component(i: APIMessageComponentInteraction, cid: CustomId): Promise<Handled> {
    const locale = localeOf(i);
    const t: Reply = (k, v) => tr(locale, k, v);
    const userId = invokerOf(i).userId;
    switch (cid.action) {
      case ImportActions.replace:
      case ImportActions.cancel:
        if (!hasAnyPermission(invokerOf(i).permissions, STAFF_BITS)) return refused('not-staff', t('faq.refused.staff'));
        return this.importer.confirm(i, cid.extra ?? '', cid.action === ImportActions.replace);
      case FaqActions.helpful:
      case FaqActions.notHelpful: {
        const a = this.store.answer(cid.extra ?? '');
        if (!a) return refused('gone', t('faq.feedback.gone'));
        if (a.userId !== userId) return refused('not-yours', t('faq.feedback.not-yours'));
        const helpful = cid.action === FaqActions.helpful;
        if (!this.store.setFeedback(a.id, helpful ? 'helpful' : 'not-helpful')) return refused('already', t('faq.feedback.already'));
        this.store.bump(helpful ? 'helpful' : 'not-helpful', now());
        if (helpful) return ok(t('faq.feedback.thanks'), `helpful #${a.entryId}`);
        if (!this.desk) return ok(t('faq.feedback.open-yourself'), `not helpful #${a.entryId}`);
        const entry = this.store.entry(a.entryId);
        const opened = await this.desk.openDraft(i, {
          issueType: 'other',
          severity: 'medium',
          subject: a.question.replace(/\s+/g, ' ').slice(0, 100),
          description: t('faq.ticket.description', { question: a.question, id: a.entryId, entry: entry?.question ?? '' }).slice(0, 2000),
        });
        if (opened.outcome === 'ok') this.store.markTicket(a.id);
        return opened;
      }
      case FaqActions.solved:
      case FaqActions.openAnyway: {
        const draftId = cid.extra ?? '';
        const kept = this.store.draft(draftId);
        if (!kept) return refused('gone', t('faq.draft.gone'));
        if (kept.userId !== userId) return refused('not-yours', t('faq.draft.not-yours'));
        if (cid.action === FaqActions.solved) {
          this.store.dropDraft(draftId);
          if (this.store.setFeedback(kept.answerId, 'helpful')) this.store.bump('helpful', now());
          return {
            response: { type: InteractionResponseType.UpdateMessage, data: { content: t('faq.solved'), embeds: [], components: [] } },
            outcome: 'ok',
            detail: 'ticket deflected',
          };
        }
        const opened = await (this.desk?.openDraft(i, kept.draft) ?? Promise.resolve(refused('no-tickets', t('faq.feedback.open-yourself'))));
        // The form stays kept until a ticket really opened (a refusal, e.g. the open-ticket limit, loses nothing).
        if (opened.outcome === 'ok') {
          this.store.dropDraft(draftId);
          this.store.markTicket(kept.answerId);
          if (this.store.setFeedback(kept.answerId, 'not-helpful')) this.store.bump('not-helpful', now());
        }
        return opened;
      }
    }
    return refused('unknown-button', t('faq.refused.unknown-command'));
  }

  autocomplete(i: APIApplicationCommandAutocompleteInteraction): APIApplicationCommandOptionChoice[] {
    const f = focusedOf(i);
    if (!f || f.name !== 'entry' || !hasAnyPermission(invokerOf(i).permissions, STAFF_BITS)) return [];
    return matching(
      f.typed.replace(/^#/, ''),
      this.store.entries().map((e) => ({ name: `#${e.id} ${e.question}`, value: e.id })),
    );
  }

  // ---- answering ----

  private async ask(i: APIChatInputApplicationCommandInteraction, question: string, t: Reply): Promise<Handled> {
    const q = question.trim();
    const at = now();
    this.store.bump('seen', at);
    const hits = this.matcher().rank(q);
    const d = decide(hits);
    let found: { entry: FaqEntry; confidence: number | null; ai?: string } | null = null;
    let why: string = d.kind;
    if (d.kind === 'answer') found = { entry: this.store.entry(d.id)!, confidence: d.confidence };
    else if (this.store.setting(AI_SETTING) === 'on') {
      const ai = await this.askModel(
        q,
        hits.map((h) => h.id),
      );
      why = ai.ok ? 'ai' : `quiet: ${d.reason}, ai ${ai.reason}`;
      if (ai.ok) found = { entry: ai.entry, confidence: null, ai: ai.answer };
    } else why = `quiet: ${d.reason}`;
    if (!found) {
      this.store.noteUnanswered(q, at);
      return ok(t('faq.ask.quiet'), why);
    }
    const answerId = this.answered(invokerOf(i).userId, found.entry.id, q, 'ask', at);
    const locale = localeOf(i);
    return {
      response: reply({
        content: t('faq.ask.asked', { user: invokerOf(i).userId, question: q.replace(/\s+/g, ' ').slice(0, 300) }),
        embeds: [answerEmbed(found.entry, locale, found.confidence, found.ai)],
        components: [feedbackRow(this.host.guildId, answerId, locale)],
        allowed_mentions: { parse: [] },
      }),
      outcome: 'ok',
      detail: `answered #${found.entry.id} (${found.ai !== undefined ? 'ai' : `${Math.round((found.confidence ?? 0) * 100)}%`})`,
    };
  }

  /**
   * Asks the configured AI providers, in order, with the closest entries as
   * the only ground; within AI_BUDGET_MS so the interaction is answered in
   * time. A provider that fails hands over to the next; a model that cites no
   * given entry ends it (the FAQ stays quiet).
   */
  private async askModel(question: string, ids: number[]): Promise<{ ok: true; entry: FaqEntry; answer: string } | { ok: false; reason: string }> {
    const entries = ids.map((id) => this.store.entry(id)).filter((e) => e !== null);
    if (entries.length === 0) return { ok: false, reason: 'no-candidates' };
    const providers = providersFromSecrets(this.host.config.classifier, AI_BUDGET_MS);
    if (providers.length === 0) return { ok: false, reason: 'no-provider' };
    const user = aiPrompt(maskPersonalData(question), entries);
    for (const p of providers) {
      try {
        const read = readAiAnswer(await p.complete({ system: FAQ_AI_SYSTEM_PROMPT, user, maxTokens: 600, json: true }), ids);
        if (!read.ok) return { ok: false, reason: `${p.name} ${read.reason}` };
        return { ok: true, entry: entries.find((e) => e.id === read.entryId)!, answer: read.answer };
      } catch (e) {
        if (!(e instanceof ProviderError)) throw e;
        console.warn(`faq ai: ${p.name} failed: ${e.message}`);
      }
    }
    return { ok: false, reason: 'providers-failed' };
  }

  private answered(userId: string, entryId: number, question: string, source: Source, at: number): string {
    const id = randomId();
    this.store.recordAnswer({ id, userId, entryId, question: question.slice(0, 1000), source, at });
    this.store.bump('answered', at);
    return id;
  }

  /** The /ticket open form: confident entries shown first, the form kept server-side; null lets the ticket open. */
  deflectTicket(i: APIModalSubmitInteraction, draft: TicketDraft): Handled | null {
    const at = now();
    const text = `${draft.subject}\n${draft.description}`;
    this.store.bump('seen', at);
    // The subject alone first: a long description dilutes how much of the text an entry covers.
    let ids = suggestions(this.matcher().rank(draft.subject), SUGGESTIONS_MAX);
    if (ids.length === 0 && draft.description) ids = suggestions(this.matcher().rank(text), SUGGESTIONS_MAX);
    if (ids.length === 0) {
      this.store.noteUnanswered(draft.subject, at);
      return null;
    }
    const userId = invokerOf(i).userId;
    const answerId = this.answered(userId, ids[0]!, text, 'ticket', at);
    const draftId = randomId();
    this.store.keepDraft(draftId, userId, answerId, draft, at + 7 * DAY_MS);
    const locale = localeOf(i);
    const entries = ids.map((id) => this.store.entry(id)).filter((e) => e !== null);
    return {
      response: reply({
        content: tr(locale, 'faq.suggest.intro'),
        embeds: entries.map((e) => answerEmbed(e, locale, null)),
        components: [draftRow(this.host.guildId, draftId, locale)],
        flags: MessageFlags.Ephemeral,
        allowed_mentions: { parse: [] },
      }),
      outcome: 'ok',
      detail: `suggested ${ids.map((id) => `#${id}`).join(', ')} before opening`,
    };
  }

  /** Member questions in help channels: a confident answer is queued as a reply; otherwise nothing is said. */
  onEvent(e: GatewayEvent): void {
    if (e.t !== GatewayDispatchEvents.MessageCreate) return;
    const m = e.d as GatewayMessageCreateDispatchData;
    if (m.author.bot || m.webhook_id || !m.content || !this.store.isHelpChannel(m.channel_id) || !looksLikeQuestion(m.content)) return;
    const at = now();
    this.store.bump('seen', at);
    const d = decide(this.matcher().rank(m.content));
    if (d.kind === 'quiet') {
      this.store.noteUnanswered(m.content, at);
      return;
    }
    if (!this.store.takeCooldown(m.author.id, at, HELP_COOLDOWN_MS)) return;
    const answerId = this.answered(m.author.id, d.id, m.content, 'channel', at);
    this.host.enqueue(
      FAQ_JOBS.reply,
      { channelId: m.channel_id, messageId: m.id, answerId, entryId: d.id, confidence: d.confidence },
      { lane: `faq-reply:${m.channel_id}`, dedupe: `faq-reply:${m.id}` },
    );
    this.host.kick();
  }

  async runJob(job: Job<string>): Promise<JobResult> {
    if (job.kind === FAQ_JOBS.import) return this.importer.run(job.payload);
    if (job.kind !== FAQ_JOBS.reply) return 'done';
    const p = job.payload as { channelId: string; messageId: string; answerId: string; entryId: number; confidence: number };
    const entry = this.store.entry(p.entryId);
    if (!entry) return 'done';
    // Help channels are read by the whole guild: its language.
    const locale = guildLocale(this.host.sql);
    const r = await this.host.rest.post(Routes.channelMessages(p.channelId), {
      body: {
        message_reference: { message_id: p.messageId, fail_if_not_exists: false },
        embeds: [answerEmbed(entry, locale, p.confidence)],
        components: [feedbackRow(this.host.guildId, p.answerId, locale)],
        allowed_mentions: { parse: [], replied_user: false },
      },
    });
    return r.ok || (r.error.kind === 'discord' && r.error.status < 500 && r.error.status !== 429) ? 'done' : 'retry';
  }

  // ---- metrics ----

  /** Decides deflection for answers whose 24 hours have passed: no ticket from that member in the window, and not marked unhelpful. */
  private settle(): void {
    const at = now();
    for (const a of this.store.due(at - DEFLECTION_WINDOW_MS)) {
      const ticket = a.ticket || (this.desk?.openedBetween(a.userId, a.at, a.at + DEFLECTION_WINDOW_MS) ?? false);
      if (!ticket && a.feedback !== 'not-helpful') this.store.bump('deflected', a.at);
      this.store.settle(a.id);
    }
  }

  /** Questions the FAQ could not answer, most asked first (the dashboard's review queue). */
  unanswered(limit: number): UnansweredRow[] {
    return this.store.unanswered(limit);
  }

  private stats(days: number, locale: string | undefined): string {
    this.settle();
    const today = Math.floor(now() / DAY_MS);
    return statsText(days, this.store.totals(today - days + 1, today), this.store.count(), this.store.unanswered(1000).length, locale);
  }

  housekeeping(at: number): void {
    this.settle();
    this.store.sweep(at);
  }
}

/**
 * The guild's knowledge base. Help-channel questions need message content;
 * answers go out as embeds with buttons.
 */
export const faq: FeatureModule = {
  name: 'faq',
  commands: [faqCommand],
  customIds: [FAQ_FEATURE],
  autocomplete: [FAQ_COMMAND],
  jobs: Object.values(FAQ_JOBS),
  timers: [],
  events: [GatewayDispatchEvents.MessageCreate],
  intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
  permissions: P.ViewChannel | P.SendMessages | P.EmbedLinks | P.ReadMessageHistory,
  migrations: { guild: FAQ_MIGRATIONS },
  routes: [],
  // Built by the guild actor with the ticket desk (see src/objects/guild.ts); alone, it answers but cannot open tickets.
  guild: (host) => new GuildFaq(host, null),
};
