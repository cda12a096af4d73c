import {
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageComponentInteraction,
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { encodeCustomId } from '../../discord/custom-id.ts';
import {
  checkStaffAction,
  checkTimeoutDuration,
  hasPermission,
  parseDuration,
  parsePermissions,
  permissionName,
  REQUIRED_PERMISSION,
  type StaffAction,
  type StaffRefusalCode,
} from '../../discord/hierarchy.ts';
import { invokerOf, numberOption, reply, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { describeRestError } from '../../discord/rest.ts';
import { formatDurationIn } from '../../i18n/format.ts';
import { guildLocaleOf, localeOf, type MessageKey, t as tr } from '../../i18n/index.ts';
import { render, renderValue, textList } from '../../i18n/text.ts';
import type { Handled } from '../tickets/guild-commands.ts';
import { ephemeral } from '../tickets/views.ts';
import { purgeChannel } from './actions.ts';
import type { ModerationDesk } from './desk.ts';
import { highestPosition } from './guild-facts.ts';
import { escalationText, planEnforcement } from './rules/enforcement.ts';
import { pardon } from './rules/infractions.ts';
import { checkPurgeCount, PURGE_MAX, purgeSummary } from './rules/purge.ts';
import type { ModCase, WorkStep } from './store.ts';
import { infractionsText, MOD_FEATURE, ModActions } from './views.ts';

const refused = (code: string, message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: `refused:${code}`, detail });
const answer = (message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: 'ok', detail });

const BAN_DELETE_SECONDS: Record<string, number> = { none: 0, '1h': 3600, '1d': 86_400, '7d': 604_800 };

/**
 * Permission and role-hierarchy check of a staff action, with the facts
 * Discord gives in the interaction (the invoker's roles and permissions, the
 * target's, the bot's permissions) and the role positions from REST.
 */
async function check(desk: ModerationDesk, i: APIInteraction, action: StaffAction, targetId: string | null): Promise<Handled | null> {
  const inv = invokerOf(i);
  const h = await desk.facts.hierarchy();
  if (!h.ok) return refused('discord-unavailable', tr(localeOf(i), 'mod.discord-down'), h.error);
  const resolved =
    targetId && 'data' in i && i.data && 'resolved' in i.data
      ? (i.data.resolved as { members?: Record<string, { roles: string[]; permissions?: string }> } | undefined)?.members?.[targetId]
      : undefined;
  const r = checkStaffAction({
    action,
    invoker: { id: inv.userId, permissions: inv.permissions ?? '0', highestRolePosition: highestPosition(inv.roles, h.value.positions) },
    bot: { id: h.value.botUserId, permissions: i.app_permissions ?? '0', highestRolePosition: h.value.botHighest },
    ownerId: h.value.ownerId,
    ...(targetId
      ? {
          target: {
            id: targetId,
            isMember: resolved !== undefined,
            highestRolePosition: highestPosition(resolved?.roles ?? [], h.value.positions),
            ...(resolved?.permissions ? { permissions: resolved.permissions } : {}),
          },
        }
      : {}),
  });
  return r.ok ? null : refused(r.error.code, staffRefusalText(r.error.code, action, targetId, localeOf(i)), targetId ? `<@${targetId}>` : '');
}

/** The refusal of src/discord/hierarchy.ts `checkStaffAction` in the moderator's language (its `message` is the English). */
function staffRefusalText(code: StaffRefusalCode, action: StaffAction, targetId: string | null, locale?: string): string {
  const verb = tr(locale, 'mod.verb', { action });
  const values = { verb, permission: permissionName(REQUIRED_PERMISSION[action]), target: targetId ? 'yes' : 'no', user: targetId ?? '' };
  const key = (
    {
      'invoker-permission': 'mod.refuse.invoker-permission',
      'bot-permission': 'mod.refuse.bot-permission',
      'role-hierarchy': 'mod.refuse.role-hierarchy',
      self: 'mod.refuse.self',
      'bot-target': 'mod.refuse.bot-target',
      owner: 'mod.refuse.owner',
      'not-member': 'mod.refuse.not-member',
      'invoker-hierarchy': 'mod.refuse.invoker-hierarchy',
      'bot-hierarchy': 'mod.refuse.bot-hierarchy',
      'administrator-timeout': 'mod.refuse.administrator-timeout',
    } as const satisfies Record<StaffRefusalCode, MessageKey>
  )[code];
  return tr(locale, key, values);
}

/** Reading and forgiving infractions changes nothing on Discord: only the invoker's permission matters. */
function mayModerate(i: APIInteraction, what: 'view' | 'pardon'): Handled | null {
  const needed = REQUIRED_PERMISSION.warn;
  return hasPermission(parsePermissions(invokerOf(i).permissions), needed)
    ? null
    : refused(
        'invoker-permission',
        tr(localeOf(i), what === 'view' ? 'mod.need-permission.view' : 'mod.need-permission.pardon', { permission: permissionName(needed) }),
      );
}

/** Runs the case's work now, so the moderator hears how it went; if Discord is unreachable, the job retries it. */
async function carryOut(desk: ModerationDesk, c: ModCase, done: (c: ModCase) => string, locale?: string): Promise<Handled> {
  const r = await desk.runCase(c.id);
  if (r === 'retry') {
    desk.queueCase(c);
    return { response: reply(ephemeral(tr(locale, 'mod.case.queued', { case: String(c.id) }))), outcome: 'ok:queued', detail: `case #${c.id}` };
  }
  const after = desk.store.case(c.id)!;
  if (after.result === 'failed')
    return {
      response: reply(ephemeral(tr(locale, 'mod.case.refused', { case: String(c.id), note: after.resultNote ?? '' }))),
      outcome: 'error',
      detail: `case #${c.id}`,
    };
  return answer(done(after), `case #${c.id}`);
}

const noteOf = (c: ModCase) => (c.resultNote ? ` (${c.resultNote})` : '');

/** /warn, /timeout, /kick, /ban, /unban, /purge, /infractions, /pardon. */
export async function handleStaffCommand(desk: ModerationDesk, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Promise<Handled> {
  const inv = invokerOf(i);
  const now = Date.now();
  const target = stringOption(call, 'member');
  const locale = i.locale;
  // Stored in the case and shown in the mod log and the member's notice: the guild's language.
  const guildLocale = guildLocaleOf(i);
  const reasonText = stringOption(call, 'reason')?.trim() || tr(guildLocale, 'mod.no-reason');
  switch (call.path) {
    case 'warn': {
      const no = await check(desk, i, 'warn', target);
      if (no) return no;
      const { id, escalation } = desk.addInfraction(target!, 'warn', null, reasonText, inv.userId, now);
      const plan = planEnforcement([], null, escalation, target!);
      const steps: WorkStep[] = ['notify', ...(plan.timeoutMs !== null ? ['timeout' as const] : [])];
      const c = desk.openCase(
        {
          userId: target!,
          action: plan.timeoutMs !== null ? 'timeout' : 'warn',
          source: 'moderator',
          moderatorId: inv.userId,
          channelId: i.channel.id,
          reason: escalation ? renderValue(guildLocale, textList([reasonText, escalationText(escalation)], 'semicolon')) : reasonText,
          infractionIds: [id],
          durationMs: plan.timeoutMs,
          timedOut: plan.timeoutMs !== null,
          work: { steps, done: [] },
        },
        now,
      );
      // The DM and any ladder timeout run in the background: a warning is recorded whatever Discord says.
      desk.queueCase(c);
      const approval = plan.approval
        ? desk.requestApproval(
            plan.approval.action,
            plan.approval.origin,
            target!,
            render(guildLocale, escalationText(escalation!)),
            tr(guildLocale, 'mod.evidence.after-warn', { user: inv.userId, reason: reasonText }),
            now,
          )
        : null;
      const step = escalation
        ? ` ${tr(locale, 'mod.warn.ladder', { reason: render(locale, escalation.reason), queue: plan.approval ? (approval ? 'new' : 'already') : 'none' })}`
        : '';
      return answer(`${tr(locale, 'mod.warn.done', { user: target!, case: String(c.id), infraction: String(id) })}${step}`, `case #${c.id}`);
    }
    case 'timeout': {
      const text = (stringOption(call, 'duration') ?? '').trim().toLowerCase();
      const off = text === 'off' || text === '0' || text === 'none';
      let ms = 0;
      if (!off) {
        const d = parseDuration(text);
        if (!d.ok) return refused('bad-input', render(locale, d.error));
        const t = checkTimeoutDuration(d.value);
        if (!t.ok) return refused('bad-input', render(locale, t.error));
        ms = t.value;
      }
      const no = await check(desk, i, off ? 'untimeout' : 'timeout', target);
      if (no) return no;
      const c = off
        ? desk.openCase(
            {
              userId: target!,
              action: 'untimeout',
              source: 'moderator',
              moderatorId: inv.userId,
              reason: reasonText,
              work: { steps: ['untimeout'], done: [] },
            },
            now,
          )
        : desk.openCase(
            {
              userId: target!,
              action: 'timeout',
              source: 'moderator',
              moderatorId: inv.userId,
              reason: reasonText,
              channelId: i.channel.id,
              durationMs: ms,
              timedOut: true,
              work: { steps: ['timeout', 'notify'], done: [] },
            },
            now,
          );
      return carryOut(
        desk,
        c,
        (d) =>
          off
            ? tr(locale, 'mod.timeout.lifted', { user: target!, case: String(d.id) })
            : tr(locale, 'mod.timeout.done', { user: target!, duration: formatDurationIn(locale, ms), case: String(d.id), note: noteOf(d) }),
        locale,
      );
    }
    case 'kick': {
      const no = await check(desk, i, 'kick', target);
      if (no) return no;
      // The DM goes first: once kicked, the member may share no server with the bot.
      const c = desk.openCase(
        { userId: target!, action: 'kick', source: 'moderator', moderatorId: inv.userId, reason: reasonText, work: { steps: ['notify', 'kick'], done: [] } },
        now,
      );
      return carryOut(desk, c, (d) => tr(locale, 'mod.kick.done', { user: target!, case: String(d.id), note: noteOf(d) }), locale);
    }
    case 'ban': {
      const no = await check(desk, i, 'ban', target);
      if (no) return no;
      const member = i.data.resolved?.members?.[target!];
      const seconds = BAN_DELETE_SECONDS[stringOption(call, 'delete_messages') ?? 'none'] ?? 0;
      const steps: WorkStep[] = member ? ['notify', 'ban'] : ['ban'];
      const c = desk.openCase(
        {
          userId: target!,
          action: 'ban',
          source: 'moderator',
          moderatorId: inv.userId,
          reason: reasonText,
          work: { steps, done: [], deleteMessageSeconds: seconds },
        },
        now,
      );
      return carryOut(desk, c, (d) => tr(locale, 'mod.ban.done', { user: target!, case: String(d.id), note: noteOf(d) }), locale);
    }
    case 'unban': {
      const no = await check(desk, i, 'unban', target);
      if (no) return no;
      const c = desk.openCase(
        { userId: target!, action: 'unban', source: 'moderator', moderatorId: inv.userId, reason: reasonText, work: { steps: ['unban'], done: [] } },
        now,
      );
      return carryOut(desk, c, (d) => tr(locale, 'mod.unban.done', { user: target!, case: String(d.id), note: noteOf(d) }), locale);
    }
    case 'purge': {
      const count = numberOption(call, 'count') ?? 0;
      const ok = checkPurgeCount(count, false);
      if (!ok.ok && ok.error.code === 'out-of-range') return refused('bad-input', tr(locale, 'mod.purge.out-of-range', { max: PURGE_MAX }));
      const no = await check(desk, i, 'purge', null);
      if (no) return no;
      if (!ok.ok) return confirmPurge(desk.guildId, i.channel.id, count, tr(locale, 'mod.purge.confirm', { count }), locale);
      return runPurge(desk, i, i.channel.id, count, false);
    }
    case 'infractions': {
      const no = mayModerate(i, 'view');
      if (no) return no;
      const window = Math.max(...desk.settings().ladder.map((s) => s.withinMs), 86_400_000);
      return answer(infractionsText(desk.store.record(target!), now, window, locale).slice(0, 2000), `<@${target}>`);
    }
    case 'pardon': {
      const no = mayModerate(i, 'pardon');
      if (no) return no;
      const infractionId = String(numberOption(call, 'infraction') ?? '');
      const record = desk.store.record(target!);
      const r = pardon(record, infractionId, inv.userId, now, stringOption(call, 'reason') ?? '');
      if (!r.ok) {
        const e = r.error;
        return refused(
          e.code,
          e.code === 'not-found'
            ? tr(locale, 'mod.pardon.not-found', { user: target!, infraction: String(infractionId) })
            : tr(locale, 'mod.pardon.already', { infraction: String(infractionId), user: e.by, at: Math.floor(e.at / 1000) }),
          `<@${target}>`,
        );
      }
      desk.store.savePardon(target!, r.value.items.find((x) => x.id === infractionId)!);
      const c = desk.openCase(
        {
          userId: target!,
          action: 'pardon',
          source: 'moderator',
          moderatorId: inv.userId,
          reason: `infraction #${infractionId} pardoned: ${reasonText}`,
          infractionIds: [infractionId],
        },
        now,
      );
      return answer(tr(locale, 'mod.pardon.done', { infraction: String(infractionId), user: target!, case: String(c.id) }), `case #${c.id}`);
    }
  }
  return refused('unknown-command', tr(locale, 'common.not-a-command', { command: call.path }));
}

function confirmPurge(guildId: string, channelId: string, count: number, question: string, locale?: string): Handled {
  const extra = `${channelId}.${count}`;
  return {
    response: reply({
      ...ephemeral(question),
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Danger,
              label: tr(locale, 'mod.purge.button', { count }),
              custom_id: encodeCustomId({ feature: MOD_FEATURE, action: ModActions.purge, id: guildId, extra }),
            },
            {
              type: ComponentType.Button,
              style: ButtonStyle.Secondary,
              label: tr(locale, 'mod.button.cancel'),
              custom_id: encodeCustomId({ feature: MOD_FEATURE, action: ModActions.purgeCancel, id: guildId, extra }),
            },
          ],
        },
      ],
    }),
    outcome: 'ok:confirm',
    detail: `purge ${count} in <#${channelId}>`,
  };
}

/** Lists and bulk-deletes, then records the case; `update` answers a confirmation button by replacing its message. */
async function runPurge(desk: ModerationDesk, i: APIInteraction, channelId: string, count: number, update: boolean): Promise<Handled> {
  const inv = invokerOf(i);
  const respond = (content: string, outcome: string, detail: string): Handled => ({
    response: update ? { type: InteractionResponseType.UpdateMessage, data: { content, components: [] } } : reply(ephemeral(content)),
    outcome,
    detail,
  });
  const r = await purgeChannel(desk.host.rest, channelId, count, tr(guildLocaleOf(i), 'mod.audit.purge', { name: inv.name }));
  if (!r.ok) return respond(tr(localeOf(i), 'mod.purge.refused', { error: describeRestError(r.error) }), 'error', `<#${channelId}>`);
  const c = desk.openCase({
    userId: '',
    action: 'purge',
    source: 'moderator',
    moderatorId: inv.userId,
    channelId,
    reason: `/purge ${count}`,
    resultNote: render(guildLocaleOf(i), purgeSummary(r.value.deleted, r.value.plan)),
  });
  return respond(
    tr(localeOf(i), 'mod.purge.done', { deleted: r.value.deleted, skipped: r.value.plan.tooOld.length, case: String(c.id) }),
    'ok',
    `case #${c.id}`,
  );
}

/** The purge confirmation's buttons: checked again when pressed. */
export async function handlePurgeButton(desk: ModerationDesk, i: APIMessageComponentInteraction, cid: CustomId): Promise<Handled> {
  const [channelId = '', countText = ''] = (cid.extra ?? '').split('.');
  const count = Number(countText);
  if (cid.action === ModActions.purgeCancel) {
    return {
      response: { type: InteractionResponseType.UpdateMessage, data: { content: tr(i.locale, 'mod.purge.cancelled'), components: [] } },
      outcome: 'ok:cancelled',
      detail: '',
    };
  }
  const no = await check(desk, i, 'purge', null);
  if (no) return no;
  const ok = checkPurgeCount(count, true);
  if (!ok.ok) return refused('bad-input', ok.error.code === 'out-of-range' ? tr(i.locale, 'mod.purge.out-of-range', { max: PURGE_MAX }) : ok.error.message);
  return runPurge(desk, i, channelId, count, true);
}
