import {
  type APIChatInputApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  InteractionResponseType,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { permissionName } from '../../discord/hierarchy.ts';
import { invokerOf, modalValues, reply, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { guildLocaleOf, t as tr } from '../../i18n/index.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { maskPersonalData } from '../audit/mask.ts';
import type { Handled } from '../tickets/guild-commands.ts';
import { ephemeral } from '../tickets/views.ts';
import { parseCaseRef } from './appeal-token.ts';
import { MOD_JOBS, type ModerationDesk } from './desk.ts';
import {
  type Appeal,
  type AppealDecisionRefusal,
  type AppealRefusal,
  appealPermission,
  type CaseAction,
  checkAppeal,
  decideAppeal,
  revertSteps,
} from './rules/appeals.ts';
import { pardon } from './rules/infractions.ts';
import type { WorkStep } from './store.ts';
import { APPEAL_TEXT_FIELD, appealMessage, appealModal } from './views.ts';

const refused = (code: string, message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: `refused:${code}`, detail });

/**
 * Opens an appeal: checked against the case (theirs, appealable, not yet
 * appealed), written, and queued for the staff channel. Synchronous, so two
 * submissions cannot both pass the one-appeal-per-case check.
 */
export function submitAppeal(
  desk: ModerationDesk,
  caseId: number,
  userId: string,
  text: string,
  via: Appeal['via'],
  now: number,
  locale?: string,
): Result<Appeal, AppealRefusal> {
  if (!desk.settings().appealsChannelId) return err({ code: 'not-appealable', message: tr(locale, 'mod.appeal.off') });
  const checked = checkAppeal(desk.store.case(caseId), caseId, userId, desk.store.appealsOf(caseId), text);
  if (!checked.ok) return checked;
  // Staff see the appeal in a channel and the audit log keeps it: personal data is masked before it is stored.
  const text_ = maskPersonalData(checked.value);
  const appeal = desk.store.addAppeal({
    caseId,
    userId,
    text: text_,
    via,
    at: now,
    status: 'open',
    decidedBy: null,
    decidedAt: null,
    channelId: null,
    messageId: null,
  });
  desk.host.enqueue(MOD_JOBS.appealPost, { appealId: appeal.id }, { lane: 'mod-appeals' });
  desk.host.kick();
  desk.host.audit({
    at: now,
    guildId: desk.guildId,
    userId,
    action: 'mod appeal',
    outcome: 'ok',
    latencyMs: 0,
    detail: `appeal #${appeal.id} of case #${caseId} (${via}): ${text_}`,
  });
  return ok(appeal);
}

const when = (at: number | null) => (at !== null ? ` <t:${Math.floor(at / 1000)}:R>` : '');

/** A refusal of rules/appeals.ts `checkAppeal` in the member's language (its `message` is the English). */
export function appealRefusalText(desk: ModerationDesk, e: AppealRefusal, caseId: number, locale?: string): string {
  switch (e.code) {
    case 'no-case':
      return tr(locale, 'mod.appeal.no-case', { case: String(caseId) });
    case 'not-appealable':
      return tr(locale, desk.settings().appealsChannelId ? 'mod.appeal.not-appealable' : 'mod.appeal.off', { case: String(caseId) });
    case 'reverted':
      return tr(locale, 'mod.appeal.reverted', { case: String(caseId) });
    case 'open':
      return tr(locale, 'mod.appeal.open', { case: String(caseId) });
    case 'decided': {
      const d = desk.store.appealsOf(caseId).find((a) => a.status !== 'open');
      return tr(locale, 'mod.appeal.decided', { case: String(caseId), status: d?.status ?? 'rejected', when: when(d?.decidedAt ?? null) });
    }
    case 'empty':
      return tr(locale, 'mod.appeal.empty');
  }
}

/** A refusal of rules/appeals.ts `decideAppeal` in the staff member's language. */
function decisionRefusalText(e: AppealDecisionRefusal, a: Appeal, action: CaseAction, decision: 'accept' | 'reject', locale?: string): string {
  if (e.code === 'not-allowed') return tr(locale, 'mod.appeal.not-allowed', { permission: permissionName(appealPermission(action)), decision });
  return tr(locale, 'mod.appeal.already-decided', {
    status: a.status,
    who: a.decidedBy ? ` ${tr(locale, 'common.by-user', { user: a.decidedBy })}` : '',
    when: when(a.decidedAt),
  });
}

const sent = (a: Appeal, locale?: string): Handled => ({
  response: reply(ephemeral(tr(locale, 'mod.appeal.sent', { case: String(a.caseId), appeal: String(a.id) }))),
  outcome: 'ok',
  detail: `appeal #${a.id} of case #${a.caseId}`,
});

/** Whether the appeal may be written at all: asked before showing the form, so nobody types into a dead end. */
function mayAppeal(desk: ModerationDesk, caseId: number, userId: string, locale?: string): AppealRefusal | null {
  if (!desk.settings().appealsChannelId) return { code: 'not-appealable', message: tr(locale, 'mod.appeal.off') };
  const r = checkAppeal(desk.store.case(caseId), caseId, userId, desk.store.appealsOf(caseId), 'pending');
  return r.ok ? null : r.error;
}

/** `/appeal case [reason]`, in a DM with the bot (the case names the server) or in the server itself. */
export function handleAppealCommand(desk: ModerationDesk, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
  const userId = invokerOf(i).userId;
  const locale = i.locale;
  const ref = parseCaseRef(stringOption(call, 'case') ?? '', i.guild_id ?? null);
  if (!ref) return refused('bad-input', tr(locale, 'route.dm-case-format'));
  if (ref.guildId !== desk.guildId) return refused('other-guild', tr(locale, 'mod.appeal.other-server'));
  const text = stringOption(call, 'reason')?.trim() ?? '';
  if (!text) {
    const no = mayAppeal(desk, ref.caseId, userId, locale);
    if (no) return refused(no.code, appealRefusalText(desk, no, ref.caseId, locale));
    return {
      response: { type: InteractionResponseType.Modal, data: appealModal(desk.guildId, ref.caseId, locale) },
      outcome: 'ok',
      detail: `appeal form for case #${ref.caseId}`,
    };
  }
  const r = submitAppeal(desk, ref.caseId, userId, text, 'dm', Date.now(), locale);
  return r.ok ? sent(r.value, locale) : refused(r.error.code, appealRefusalText(desk, r.error, ref.caseId, locale));
}

/** The Appeal button in the member's DM: the form for that case. */
export function handleAppealButton(desk: ModerationDesk, i: APIMessageComponentInteraction, cid: CustomId): Handled {
  const caseId = Number(cid.extra);
  const no = mayAppeal(desk, caseId, invokerOf(i).userId, i.locale);
  if (no) return refused(no.code, appealRefusalText(desk, no, caseId, i.locale));
  return {
    response: { type: InteractionResponseType.Modal, data: appealModal(desk.guildId, caseId, i.locale) },
    outcome: 'ok',
    detail: `appeal form for case #${caseId}`,
  };
}

export function handleAppealModal(desk: ModerationDesk, i: APIModalSubmitInteraction, cid: CustomId): Handled {
  const r = submitAppeal(desk, Number(cid.extra), invokerOf(i).userId, modalValues(i).get(APPEAL_TEXT_FIELD) ?? '', 'dm', Date.now(), i.locale);
  return r.ok ? sent(r.value, i.locale) : refused(r.error.code, appealRefusalText(desk, r.error, Number(cid.extra), i.locale));
}

const REVERT_STEP: Record<string, WorkStep> = { unban: 'unban', untimeout: 'untimeout', 'remove-role': 'unrole' };

/**
 * Accept or Reject, by staff holding the permission the original action
 * needed. Accepting pardons the case's infractions at once and queues the
 * Discord side of the revert (unban, lift the timeout, remove the role).
 */
export function handleAppealDecision(desk: ModerationDesk, i: APIMessageComponentInteraction, cid: CustomId): Handled {
  const inv = invokerOf(i);
  const now = Date.now();
  const appeal = desk.store.appeal(Number(cid.extra));
  const c = appeal ? desk.store.case(appeal.caseId) : null;
  if (!appeal || !c) return refused('unknown-appeal', tr(i.locale, 'mod.appeal.gone'));
  const decision = cid.action === 'appeal-accept' ? 'accept' : 'reject';
  const r = decideAppeal(appeal, c.action, decision, { id: inv.userId, permissions: inv.permissions ?? '0' }, now);
  if (!r.ok) return refused(r.error.code, decisionRefusalText(r.error, appeal, c.action, decision, i.locale), `appeal #${appeal.id}`);
  desk.store.saveAppeal(r.value);
  let note = '';
  if (r.value.status === 'accepted') {
    const steps = revertSteps(c);
    for (const s of steps) {
      if (s.kind !== 'pardon') continue;
      const p = pardon(
        desk.store.record(s.userId),
        s.infractionId,
        inv.userId,
        now,
        tr(guildLocaleOf(i), 'mod.reason.appeal-pardon', { appeal: String(appeal.id) }),
      );
      if (p.ok) desk.store.savePardon(s.userId, p.value.items.find((x) => x.id === s.infractionId)!);
    }
    desk.store.saveCase({ ...c, revertedAt: now });
    const work = steps.flatMap((s) => (REVERT_STEP[s.kind] ? [REVERT_STEP[s.kind]!] : []));
    const action: CaseAction = work.includes('unban') ? 'unban' : work.includes('untimeout') ? 'untimeout' : 'pardon';
    const revert = desk.openCase(
      {
        userId: c.userId,
        action,
        source: 'appeal',
        moderatorId: inv.userId,
        roleId: c.roleId,
        infractionIds: c.infractionIds,
        // Stored and shown in the mod log and the member's notice: the guild's language.
        reason: tr(guildLocaleOf(i), 'mod.reason.appeal-accepted', { appeal: String(appeal.id), case: String(c.id) }),
        evidence: appeal.text,
        ...(work.length ? { work: { steps: work, done: [] } } : {}),
      },
      now,
    );
    if (work.length) desk.queueCase(revert);
    note = ` Reverting as case #${revert.id}.`;
  } else {
    desk.host.audit({
      at: now,
      guildId: desk.guildId,
      userId: inv.userId,
      action: 'mod appeal rejected',
      outcome: 'ok',
      latencyMs: 0,
      detail: `appeal #${appeal.id} of case #${c.id}`,
    });
  }
  desk.host.enqueue(MOD_JOBS.appealDm, { appealId: appeal.id }, { lane: `mod-user:${c.userId}` });
  desk.host.kick();
  return {
    response: { type: InteractionResponseType.UpdateMessage, data: appealMessage(desk.guildId, r.value, desk.store.case(c.id)!, guildLocaleOf(i)) },
    outcome: 'ok',
    detail: `appeal #${appeal.id} ${r.value.status}${note}`,
  };
}
