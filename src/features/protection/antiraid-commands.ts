import {
  type APIChatInputApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  InteractionResponseType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { hasPermission, parsePermissions, permissionName } from '../../discord/hierarchy.ts';
import { invokerOf, numberOption, reply, type SubcommandCall, stringOption } from '../../discord/interaction.ts';
import { guildLocaleOf, t as tr } from '../../i18n/index.ts';
import { render } from '../../i18n/text.ts';
import type { Handled } from '../tickets/guild-commands.ts';
import type { AntiRaid } from './antiraid.ts';
import { applyAntiRaidOptions } from './rules/config.ts';
import { isLocked, type LockdownRecord, newLockdownRecord } from './rules/lockdown-record.ts';
import { decideRemoval } from './rules/removal.ts';
import { antiraidSummary, ephemeral, lockdownPlanSummary, lockdownSummary, RaidActions } from './views.ts';

/**
 * What moderators do about raids: /antiraid (Administrator), /lockdown and
 * the alert's buttons (Manage Server; the removal needs Ban Members). Each
 * refusal says exactly why.
 */

const refused = (code: string, message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: `refused:${code}`, detail });
const done = (message: string, detail = ''): Handled => ({ response: reply(ephemeral(message)), outcome: 'ok', detail });

/** Moderators for lockdowns: Manage Server (or Administrator), what the lockdown's own calls need. */
const isModerator = (permissions: string | undefined) => hasPermission(parsePermissions(permissions), PermissionFlagsBits.ManageGuild);

const quarantined = (raid: AntiRaid) => {
  const cur = raid.currentLockdown();
  return cur ? raid.quarantinedCount(cur.id) : 0;
};

/** End lockdown, Approve removal, Reject removal. Every decision is recorded before any await. */
export function raidComponent(raid: AntiRaid, i: APIMessageComponentInteraction, cid: CustomId): Handled {
  const inv = invokerOf(i);
  const locale = i.locale;
  const r = cid.extra ? raid.load(cid.extra) : null;
  if (!r) return refused('unknown', tr(locale, 'prot.raid.unknown'));
  if (cid.action === RaidActions.end) {
    if (!isModerator(inv.permissions)) return refused('not-allowed', tr(locale, 'prot.raid.end-not-allowed'));
    const refusal = endRefusal(r, locale);
    if (refusal) return refusal;
    raid.beginEnd(r, inv.userId);
    return { response: { type: InteractionResponseType.DeferredMessageUpdate }, outcome: 'ok', detail: `lockdown ${r.id} ended` };
  }
  if (cid.action !== RaidActions.approve && cid.action !== RaidActions.reject) return refused('unknown', tr(locale, 'common.button-unknown'));
  if (!r.removal) return refused('unknown', tr(locale, 'prot.raid.no-removal'));
  const decision = cid.action === RaidActions.approve ? 'approve' : 'reject';
  const before = r.removal;
  const d = decideRemoval(r.removal, decision, { id: inv.userId, permissions: inv.permissions ?? '0' }, Date.now());
  if (!d.ok) {
    // The same refusals as the mod queue's (rules/removal.ts decides through decideApproval; a removal is a ban).
    const text =
      d.error.code === 'not-allowed'
        ? tr(locale, 'mod.approval.not-allowed', { permission: permissionName(PermissionFlagsBits.BanMembers), decision })
        : d.error.code === 'expired'
          ? tr(locale, 'mod.approval.expired', { at: Math.floor(before.expiresAt / 1000), decision })
          : tr(locale, 'mod.approval.already-decided', {
              status: before.status,
              who: before.decidedBy ? ` ${tr(locale, 'common.by-user', { user: before.decidedBy })}` : '',
              when: before.decidedAt !== null ? ` <t:${Math.floor(before.decidedAt / 1000)}:R>` : '',
            });
    if (d.error.expired) {
      r.removal = d.error.expired;
      raid.save(r);
      raid.requestAlert(r);
    }
    return refused(d.error.code, text, `lockdown ${r.id}`);
  }
  r.removal = d.value;
  raid.save(r);
  if (decision === 'approve') raid.queueRemoval(r.id);
  raid.requestAlert(r);
  return { response: { type: InteractionResponseType.DeferredMessageUpdate }, outcome: 'ok', detail: `lockdown ${r.id}: removal ${d.value.status}` };
}

function endRefusal(r: LockdownRecord, locale?: string): Handled | null {
  if (r.phase === 'starting') return refused('starting', tr(locale, 'prot.raid.starting'));
  if (r.phase === 'ending') return refused('ending', tr(locale, 'prot.raid.ending', { by: r.endedBy ?? '' }));
  if (r.phase !== 'active') return refused('over', tr(locale, 'prot.raid.over'));
  return null;
}

/** /antiraid and /lockdown. */
export function raidCommand(raid: AntiRaid, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
  const inv = invokerOf(i);
  const cfg = raid.config();
  const [name] = call.path.split(' ');
  const locale = i.locale;
  if (name === 'antiraid' && !hasPermission(parsePermissions(inv.permissions), PermissionFlagsBits.Administrator)) {
    return refused('not-admin', tr(locale, 'prot.raid.not-admin'));
  }
  if (name === 'lockdown' && !isModerator(inv.permissions)) return refused('not-allowed', tr(locale, 'prot.raid.not-allowed'));
  switch (call.path) {
    case 'antiraid on':
      raid.setConfig({ ...cfg, raid: { ...cfg.raid, enabled: true } });
      return done(tr(locale, 'prot.raid.on', { joins: cfg.raid.joins, seconds: cfg.raid.seconds }), 'on');
    case 'antiraid off': {
      raid.setConfig({ ...cfg, raid: { ...cfg.raid, enabled: false } });
      const cur = raid.currentLockdown();
      return done(tr(locale, 'prot.raid.off', { locked: isLocked(cur) ? 'yes' : 'no' }), 'off');
    }
    case 'antiraid status':
      return done(antiraidSummary(raid.config(), raid.currentLockdown(), quarantined(raid), raid.alertTarget(), locale), 'status');
    case 'antiraid config': {
      const next = applyAntiRaidOptions(cfg, {
        threshold: numberOption(call, 'threshold'),
        windowSeconds: numberOption(call, 'window_seconds'),
        slowmodeChannels: stringOption(call, 'slowmode_channels'),
        slowmodeSeconds: numberOption(call, 'slowmode_seconds'),
        lockdownMinutes: numberOption(call, 'lockdown_minutes'),
        alertChannelId: stringOption(call, 'alert_channel'),
        quarantineRoleId: stringOption(call, 'quarantine_role'),
      });
      if (!next.ok) return refused('bad-input', tr(locale, 'prot.nothing-changed', { errors: next.error.map((e) => render(locale, e)).join('; ') }));
      raid.setConfig(next.value);
      return done(
        tr(locale, 'prot.raid.saved', { summary: antiraidSummary(raid.config(), raid.currentLockdown(), quarantined(raid), raid.alertTarget(), locale) }),
        'config',
      );
    }
    case 'lockdown start': {
      const cur = raid.currentLockdown();
      if (cur) return refused('locked', tr(locale, cur.phase === 'ending' ? 'prot.raid.still-ending' : 'prot.raid.already-locked'));
      const now = Date.now();
      // Shown in the moderators' alert: the guild's language.
      const reason = stringOption(call, 'reason')?.trim() || tr(guildLocaleOf(i), 'prot.raid.default-reason');
      raid.begin(newLockdownRecord(now.toString(36), now, cfg.lockdown, reason, { startedBy: inv.userId }, cfg.alertChannelId), []);
      return done(tr(locale, 'prot.raid.starting-now', { plan: lockdownPlanSummary(cfg, locale), channel: cfg.alertChannelId ?? 'none' }), 'start');
    }
    case 'lockdown end': {
      const cur = raid.currentLockdown();
      if (!cur) return refused('not-locked', tr(locale, 'prot.raid.none-to-end'));
      const refusal = endRefusal(cur, locale);
      if (refusal) return refusal;
      raid.beginEnd(cur, inv.userId);
      return done(tr(locale, 'prot.raid.ending-now', { count: cur.lockdown?.changes.length ?? 0 }), `lockdown ${cur.id}`);
    }
    case 'lockdown status':
      return done(lockdownSummary(raid.currentLockdown(), quarantined(raid), locale), 'status');
    default:
      return refused('unsupported', tr(locale, 'common.unsupported-command'));
  }
}
