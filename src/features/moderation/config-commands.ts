import { type APIChatInputApplicationCommandInteraction, PermissionFlagsBits } from 'discord-api-types/v10';
import { hasPermission, parseDuration, parsePermissions } from '../../discord/hierarchy.ts';
import { invokerOf, numberOption, reply, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { t as tr } from '../../i18n/index.ts';
import { render } from '../../i18n/text.ts';
import type { Handled } from '../tickets/guild-commands.ts';
import { ephemeral } from '../tickets/views.ts';
import type { AutomodDesk } from './automod-desk.ts';
import type { ModerationDesk } from './desk.ts';
import { checkApprovalTtl } from './rules/approvals.ts';
import { AUTOMOD_LIMITS, type ConfigIssue, describeRule, issueText, parseAutomodRule, type RuleKind, removeRule, upsertRule } from './rules/automod-config.ts';
import { describeSettings, ladderErrorText, type ModSettings, parseLadderText } from './settings.ts';

const refused = (code: string, message: string): Handled => ({ response: reply(ephemeral(message)), outcome: `refused:${code}`, detail: '' });
const answer = (message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: 'ok', detail });

const isAdmin = (i: APIChatInputApplicationCommandInteraction) => hasPermission(parsePermissions(invokerOf(i).permissions), PermissionFlagsBits.Administrator);
const boolOption = (call: SubcommandCall, name: string): boolean | null => {
  const v = call.options.get(name);
  return typeof v === 'boolean' ? v : null;
};

/** `/modconfig`: with no options shows the settings; otherwise changes the ones given, all or nothing. */
export function handleModconfig(desk: ModerationDesk, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
  const locale = i.locale;
  if (!isAdmin(i)) return refused('not-admin', tr(locale, 'mod.config.not-admin'));
  const s: ModSettings = { ...desk.settings() };
  const changed: string[] = [];
  const channel = (name: string, key: 'modLogChannelId' | 'queueChannelId' | 'appealsChannelId') => {
    const v = stringOption(call, name);
    if (v) {
      s[key] = v;
      changed.push(name);
    }
  };
  channel('mod_log', 'modLogChannelId');
  channel('mod_queue', 'queueChannelId');
  channel('appeals', 'appealsChannelId');
  const expiry = stringOption(call, 'approval_expiry');
  if (expiry) {
    const d = parseDuration(expiry);
    if (!d.ok) return refused('bad-input', render(locale, d.error));
    const ttl = checkApprovalTtl(d.value);
    if (!ttl.ok) return refused('bad-input', render(locale, ttl.error));
    s.approvalTtlMs = ttl.value;
    changed.push('approval_expiry');
  }
  const ladder = stringOption(call, 'ladder');
  if (ladder) {
    const l = parseLadderText(ladder);
    if (!l.ok) return refused('bad-input', tr(locale, 'mod.config.ladder-unchanged', { error: ladderErrorText(locale, l.error) }));
    s.ladder = l.value;
    changed.push('ladder');
  }
  const ai = boolOption(call, 'ai');
  if (ai !== null) {
    s.ai = ai;
    changed.push('ai');
  }
  if (changed.length === 0) return answer(tr(locale, 'mod.config.show', { settings: render(locale, describeSettings(s)) }));
  desk.saveSettings(s);
  return answer(
    tr(locale, 'mod.config.saved', { changed: changed.join(', '), settings: render(locale, describeSettings(s)) }),
    JSON.stringify({ changed, settings: s }),
  );
}

const ids = (text: string | null): string[] => [...new Set(text?.match(/\d{15,20}/g) ?? [])];
const list = (text: string | null): string[] =>
  (text ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

/** Builds a rule from the /automod add options; `settings` JSON is merged over them for what the options do not cover. */
export function ruleFromOptions(call: SubcommandCall, locale?: string): { raw: Record<string, unknown> } | { error: string } {
  const kind = stringOption(call, 'kind') as RuleKind | null;
  const limit = numberOption(call, 'limit');
  const seconds = numberOption(call, 'seconds');
  const raw: Record<string, unknown> = { id: stringOption(call, 'id'), kind };
  const put = (key: string, v: unknown) => {
    if (v !== null && v !== undefined) raw[key] = v;
  };
  switch (kind) {
    case 'rate':
      put('messages', limit);
      put('seconds', seconds);
      break;
    case 'duplicate':
      put('count', limit);
      put('seconds', seconds);
      break;
    case 'mentions':
      put('max', limit);
      break;
    case 'caps':
      put('maxPercent', limit);
      put('minLetters', numberOption(call, 'min_letters'));
      break;
    case 'new-account':
      put('minAgeDays', limit);
      break;
    case 'invites':
      if (stringOption(call, 'list')) put('allowedCodes', list(stringOption(call, 'list')));
      break;
    case 'words': {
      put('words', list(stringOption(call, 'list')));
      const p = stringOption(call, 'pattern');
      put('patterns', p ? [p] : []);
      break;
    }
    case 'links':
      put('domains', list(stringOption(call, 'list')));
      put('mode', stringOption(call, 'mode'));
      break;
  }
  const effect = stringOption(call, 'effect') ?? 'delete';
  const e: Record<string, unknown> = { kind: effect };
  if (effect === 'timeout') {
    const d = parseDuration(stringOption(call, 'duration') ?? '');
    if (!d.ok) return { error: tr(locale, 'mod.automod.timeout-needs-duration', { error: render(locale, d.error) }) };
    e.durationMs = d.value;
  }
  if (effect === 'quarantine') e.roleId = stringOption(call, 'quarantine_role');
  raw.effect = e;
  const del = call.options.get('delete_message');
  if (typeof del === 'boolean') raw.deleteMessage = del;
  if (stringOption(call, 'exempt_roles')) raw.exemptRoleIds = ids(stringOption(call, 'exempt_roles'));
  if (stringOption(call, 'exempt_channels')) raw.exemptChannelIds = ids(stringOption(call, 'exempt_channels'));
  const json = stringOption(call, 'settings');
  if (json) {
    let extra: unknown;
    try {
      extra = JSON.parse(json);
    } catch {
      return { error: tr(locale, 'mod.automod.settings-not-json') };
    }
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) return { error: tr(locale, 'mod.automod.settings-not-object') };
    Object.assign(raw, extra, { id: raw.id, kind: raw.kind });
  }
  return { raw };
}

const issueLines = (issues: readonly ConfigIssue[], locale: string | undefined) =>
  issues
    .slice(0, 10)
    .map((i) => `• ${issueText(locale, { ...i, path: i.path.replace(/^rule\./, '') })}`)
    .join('\n');

/** `/automod add|remove|list`; every change recompiles the rule set once. */
export function handleAutomod(desk: ModerationDesk, automod: AutomodDesk, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
  const locale = i.locale;
  if (!isAdmin(i)) return refused('not-admin', tr(locale, 'mod.automod.not-admin'));
  const config = desk.store.automod();
  switch (call.path) {
    case 'automod list': {
      if (config.rules.length === 0) return answer(tr(locale, 'mod.automod.none'));
      const disabled = desk.store.disabledPatterns();
      const lines = config.rules.map((r) => render(locale, describeRule(r)));
      if (disabled.length) lines.push(tr(locale, 'mod.automod.disabled', { list: disabled.map((d) => `\`${d.ruleId}\` /${d.pattern}/`).join(', ') }));
      return answer(tr(locale, 'mod.automod.list', { count: config.rules.length, max: AUTOMOD_LIMITS.rules, lines: lines.join('\n') }).slice(0, 2000));
    }
    case 'automod remove': {
      const id = stringOption(call, 'id') ?? '';
      const next = removeRule(config, id);
      if (!next.ok) return refused('unknown-rule', render(locale, next.error[0]!.problem));
      desk.store.setAutomod(next.value);
      desk.store.clearDisabledPatterns(id);
      automod.reload();
      return answer(tr(locale, 'mod.automod.removed', { id, count: next.value.rules.length }), id);
    }
    case 'automod add': {
      const built = ruleFromOptions(call, locale);
      if ('error' in built) return refused('bad-input', built.error);
      const rule = parseAutomodRule(built.raw);
      if (!rule.ok) return refused('bad-input', tr(locale, 'mod.automod.not-saved', { issues: issueLines(rule.error, locale) }));
      const next = upsertRule(config, rule.value);
      if (!next.ok) return refused('too-many-rules', render(locale, next.error[0]!.problem));
      const replaced = config.rules.some((r) => r.id === rule.value.id);
      desk.store.setAutomod(next.value);
      desk.store.clearDisabledPatterns(rule.value.id);
      const compiled = automod.reload();
      const problems = compiled.problems.length
        ? `\n${tr(locale, 'mod.automod.problems', { list: compiled.problems.map((p) => issueText(locale, p)).join('; ') })}`
        : '';
      return answer(
        `${tr(locale, 'mod.automod.saved', { replaced: replaced ? 'yes' : 'no', rule: render(locale, describeRule(rule.value)) })}${problems}`,
        JSON.stringify(rule.value),
      );
    }
  }
  return refused('unknown-command', tr(locale, 'common.not-a-command', { command: call.path }));
}
