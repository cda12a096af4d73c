import {
  InteractionResponseType, PermissionFlagsBits,
  type APIChatInputApplicationCommandInteraction, type APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import type { CustomId } from '../../discord/custom-id.ts';
import { invokerOf, numberOption, reply, stringOption, type SubcommandCall } from '../../discord/interaction.ts';
import { hasPermission, parsePermissions } from '../../discord/hierarchy.ts';
import type { Handled } from '../tickets/guild-commands.ts';
import type { AntiRaid } from './antiraid.ts';
import { applyAntiRaidOptions } from './rules/config.ts';
import { isLocked, newLockdownRecord, type LockdownRecord } from './rules/lockdown-record.ts';
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
  const r = cid.extra ? raid.load(cid.extra) : null;
  if (!r) return refused('unknown', 'This lockdown is no longer known here.');
  if (cid.action === RaidActions.end) {
    if (!isModerator(inv.permissions)) return refused('not-allowed', 'You need the Manage Server permission to end a lockdown.');
    const refusal = endRefusal(r);
    if (refusal) return refusal;
    raid.beginEnd(r, inv.userId);
    return { response: { type: InteractionResponseType.DeferredMessageUpdate }, outcome: 'ok', detail: `lockdown ${r.id} ended` };
  }
  if (cid.action !== RaidActions.approve && cid.action !== RaidActions.reject) return refused('unknown', 'That button is not handled any more.');
  if (!r.removal) return refused('unknown', 'There is no removal request for this lockdown.');
  const decision = cid.action === RaidActions.approve ? 'approve' : 'reject';
  const d = decideRemoval(r.removal, decision, { id: inv.userId, permissions: inv.permissions ?? '0' }, Date.now());
  if (!d.ok) {
    if (d.error.expired) {
      r.removal = d.error.expired;
      raid.save(r);
      raid.requestAlert(r);
    }
    return refused(d.error.code, d.error.message, `lockdown ${r.id}`);
  }
  r.removal = d.value;
  raid.save(r);
  if (decision === 'approve') raid.queueRemoval(r.id);
  raid.requestAlert(r);
  return { response: { type: InteractionResponseType.DeferredMessageUpdate }, outcome: 'ok', detail: `lockdown ${r.id}: removal ${d.value.status}` };
}

function endRefusal(r: LockdownRecord): Handled | null {
  if (r.phase === 'starting') return refused('starting', 'The lockdown is still being applied; try again in a moment.');
  if (r.phase === 'ending') return refused('ending', `This lockdown is already ending (${r.endedBy === 'timer' ? 'its time is up' : `ended by <@${r.endedBy}>`}).`);
  if (r.phase !== 'active') return refused('over', 'This lockdown is already over.');
  return null;
}

/** /antiraid and /lockdown. */
export function raidCommand(raid: AntiRaid, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled {
  const inv = invokerOf(i);
  const cfg = raid.config();
  const [name] = call.path.split(' ');
  if (name === 'antiraid' && !hasPermission(parsePermissions(inv.permissions), PermissionFlagsBits.Administrator)) {
    return refused('not-admin', 'Only administrators can change anti-raid settings.');
  }
  if (name === 'lockdown' && !isModerator(inv.permissions)) return refused('not-allowed', 'You need the Manage Server permission to start or end a lockdown.');
  switch (call.path) {
    case 'antiraid on':
      raid.setConfig({ ...cfg, raid: { ...cfg.raid, enabled: true } });
      return done(`Anti-raid is on: ${cfg.raid.joins} joins in ${cfg.raid.seconds} s start a lockdown.`, 'on');
    case 'antiraid off': {
      raid.setConfig({ ...cfg, raid: { ...cfg.raid, enabled: false } });
      const cur = raid.currentLockdown();
      return done(`Anti-raid is off: no lockdown will start on its own.${isLocked(cur) ? ' The lockdown in progress goes on; end it with /lockdown end.' : ''}`, 'off');
    }
    case 'antiraid status':
      return done(antiraidSummary(raid.config(), raid.currentLockdown(), quarantined(raid), raid.alertTarget()), 'status');
    case 'antiraid config': {
      const next = applyAntiRaidOptions(cfg, {
        threshold: numberOption(call, 'threshold'), windowSeconds: numberOption(call, 'window_seconds'),
        slowmodeChannels: stringOption(call, 'slowmode_channels'), slowmodeSeconds: numberOption(call, 'slowmode_seconds'),
        lockdownMinutes: numberOption(call, 'lockdown_minutes'), alertChannelId: stringOption(call, 'alert_channel'),
        quarantineRoleId: stringOption(call, 'quarantine_role'),
      });
      if (!next.ok) return refused('bad-input', `Nothing was changed: ${next.error.join('; ')}.`);
      raid.setConfig(next.value);
      return done(`Anti-raid settings saved.\n${antiraidSummary(raid.config(), raid.currentLockdown(), quarantined(raid))}`, 'config');
    }
    case 'lockdown start': {
      const cur = raid.currentLockdown();
      if (cur) return refused('locked', cur.phase === 'ending' ? 'The last lockdown is still ending; try again in a moment.' : 'The server is already locked down.');
      const now = Date.now();
      const reason = stringOption(call, 'reason')?.trim() || 'started by a moderator';
      raid.begin(newLockdownRecord(now.toString(36), now, cfg.lockdown, reason, { startedBy: inv.userId }, cfg.alertChannelId), []);
      return done(`Lockdown starting: ${lockdownPlanSummary(cfg)}. End it with /lockdown end${cfg.alertChannelId ? ` or the button in <#${cfg.alertChannelId}>` : ''}.`, 'start');
    }
    case 'lockdown end': {
      const cur = raid.currentLockdown();
      if (!cur) return refused('not-locked', 'There is no lockdown to end.');
      const refusal = endRefusal(cur);
      if (refusal) return refusal;
      raid.beginEnd(cur, inv.userId);
      return done(`Ending the lockdown: restoring ${cur.lockdown?.changes.length ?? 0} setting(s) to what they were.`, `lockdown ${cur.id}`);
    }
    case 'lockdown status':
      return done(lockdownSummary(raid.currentLockdown(), quarantined(raid)), 'status');
    default:
      return refused('unsupported', 'That command is not handled here.');
  }
}
