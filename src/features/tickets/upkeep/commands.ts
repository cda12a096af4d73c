import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { ephemeral, type Handled, refused, reply } from '../../../discord/handled.ts';
import { invokerOf, numberOption, type SubcommandCall, stringOption } from '../../../discord/interaction.ts';
import { isAdministrator, isTicketStaff } from '../../../discord/staff-permissions.ts';
import { t as tr } from '../../../i18n/index.ts';
import { now } from '../../../runtime/clock.ts';
import type { GuildTicketIndex } from '../guild-index.ts';
import { isSeverity, SEVERITIES } from '../model.ts';
import { attainment, parseMinutes, showMinutes, type TicketPolicy } from './rules.ts';

const ok = (content: string, detail = ''): Handled => ({ response: reply(ephemeral(content)), outcome: 'ok', detail });

/** The guild-wide policy commands: `/tickets sla …`, `/tickets autoclose set|off`, `/tickets reminders`. Null for other paths. */
export function handlePolicyCommand(index: GuildTicketIndex, i: APIChatInputApplicationCommandInteraction, call: SubcommandCall): Handled | null {
  const l = i.locale;
  const paths = [
    'tickets sla set',
    'tickets sla options',
    'tickets sla show',
    'tickets sla stats',
    'tickets autoclose set',
    'tickets autoclose off',
    'tickets autoclose leaving',
    'tickets reminders',
  ];
  if (!paths.includes(call.path)) return null;
  const inv = invokerOf(i);
  const readOnly = call.path === 'tickets sla show' || call.path === 'tickets sla stats';
  if (readOnly && !isTicketStaff(inv.permissions, inv.roles, index.config().staffRoleId)) return refused('not-staff', tr(l, 'ticket.upkeep.staff-only'));
  if (call.path === 'tickets sla stats') return stats(index, numberOption(call, 'weeks') ?? 8, l);
  if (!readOnly && !isAdministrator(inv.permissions)) return refused('not-admin', tr(l, 'ticket.setup.not-admin'));
  const p: TicketPolicy = structuredClone(index.policy());
  const duration = (name: string, allowOff: boolean): number | null | 'off' | { bad: string } => {
    const raw = stringOption(call, name);
    if (raw === null) return null;
    if (allowOff && raw.trim().toLowerCase() === 'off') return 'off';
    const r = parseMinutes(raw);
    return r.ok ? r.value : { bad: raw };
  };
  const bad = (raw: string) => refused('bad-duration', tr(l, 'ticket.upkeep.bad-duration', { value: raw.slice(0, 40) }));
  switch (call.path) {
    case 'tickets sla set': {
      const severity = stringOption(call, 'severity');
      if (!isSeverity(severity)) return refused('bad-input', tr(l, 'ticket.open.bad-input'));
      const first = duration('first_response', false);
      const resolution = duration('resolution', false);
      if (first !== null && typeof first === 'object') return bad(first.bad);
      if (resolution !== null && typeof resolution === 'object') return bad(resolution.bad);
      if (typeof first === 'number') p.sla.firstResponseMin[severity] = first;
      if (typeof resolution === 'number') p.sla.resolutionMin[severity] = resolution;
      if (p.sla.resolutionMin[severity] < p.sla.firstResponseMin[severity]) return refused('resolution-before-answer', tr(l, 'ticket.sla.order'));
      break;
    }
    case 'tickets sla options': {
      const enabled = call.options.get('enabled');
      const pause = call.options.get('pause_while_waiting');
      if (typeof enabled === 'boolean') p.sla.enabled = enabled;
      if (typeof pause === 'boolean') p.sla.pauseWhileWaiting = pause;
      const outside = call.options.get('pause_outside_hours');
      if (typeof outside === 'boolean') p.sla.pauseOutsideHours = outside;
      p.sla.escalationRoleId = stringOption(call, 'escalation_role') ?? p.sla.escalationRoleId;
      break;
    }
    case 'tickets autoclose set': {
      const warn = duration('warn_after', false);
      const close = duration('close_after', false);
      if (warn !== null && typeof warn === 'object') return bad(warn.bad);
      if (close !== null && typeof close === 'object') return bad(close.bad);
      if (typeof warn !== 'number' || typeof close !== 'number' || warn >= close) return refused('warn-after-close', tr(l, 'ticket.autoclose.order'));
      p.autoClose = { warnAfterH: warn / 60, closeAfterH: close / 60 };
      break;
    }
    case 'tickets autoclose off':
      p.autoClose = null;
      break;
    case 'tickets autoclose leaving':
      p.closeWhenOpenerLeaves = call.options.get('enabled') === true;
      break;
    case 'tickets reminders': {
      const staff = duration('staff_after', true);
      const member = duration('member_after', true);
      if (staff !== null && typeof staff === 'object') return bad(staff.bad);
      if (member !== null && typeof member === 'object') return bad(member.bad);
      if (staff !== null) p.remindStaffH = staff === 'off' ? null : staff / 60;
      if (member !== null) p.remindMemberH = member === 'off' ? null : member / 60;
      break;
    }
  }
  if (call.path !== 'tickets sla show') index.setPolicy(p);
  return ok(describePolicy(p, l), call.path === 'tickets sla show' ? '' : JSON.stringify(p));
}

/** The policy in words, as `/tickets sla show` and every change answer. */
export function describePolicy(p: TicketPolicy, l: string | undefined): string {
  const hours = (h: number | null) => (h === null ? tr(l, 'ticket.upkeep.off') : showMinutes(Math.round(h * 60)));
  const lines = [
    tr(l, p.sla.enabled ? 'ticket.sla.show.on' : 'ticket.sla.show.off', {
      pause: p.sla.pauseWhileWaiting ? 'yes' : 'no',
      role: p.sla.escalationRoleId ?? '',
      hasRole: p.sla.escalationRoleId ? 'yes' : 'no',
    }),
    tr(l, 'ticket.sla.show.hours', { on: p.sla.pauseOutsideHours === false ? 'no' : 'yes' }),
    ...SEVERITIES.map((s) =>
      tr(l, 'ticket.sla.show.line', {
        severity: tr(l, 'ticket.severity', { severity: s }),
        first: showMinutes(p.sla.firstResponseMin[s]),
        resolution: showMinutes(p.sla.resolutionMin[s]),
      }),
    ),
    tr(l, 'ticket.upkeep.show', {
      staff: hours(p.remindStaffH),
      member: hours(p.remindMemberH),
      autoclose: p.autoClose
        ? tr(l, 'ticket.autoclose.show', { warn: hours(p.autoClose.warnAfterH), close: hours(p.autoClose.closeAfterH) })
        : tr(l, 'ticket.upkeep.off'),
    }),
    tr(l, 'ticket.autoclose.leaving-show', { on: p.closeWhenOpenerLeaves === false ? 'no' : 'yes' }),
    tr(l, 'ticket.upkeep.applies'),
  ];
  return lines.join('\n');
}

const pct = (a: { met: number; missed: number }) =>
  a.met + a.missed === 0 ? '—' : `${Math.round((100 * a.met) / (a.met + a.missed))}% (${a.met}/${a.met + a.missed})`;

/** `/tickets sla stats`: targets met per severity and per week, from the tickets opened in the last `weeks` weeks. */
function stats(index: GuildTicketIndex, weeks: number, l: string | undefined): Handled {
  const rows = index.since(now() - weeks * 7 * 86_400_000);
  const a = attainment(rows.map((r) => ({ severity: r.severity, createdAt: r.createdAt, firstMet: r.firstMet ?? null, resolveMet: r.resolveMet ?? null })));
  const lines = [
    tr(l, 'ticket.sla.stats.title', { weeks }),
    ...SEVERITIES.map((s) =>
      tr(l, 'ticket.sla.stats.severity', {
        severity: tr(l, 'ticket.severity', { severity: s }),
        first: pct(a.bySeverity[s].first),
        resolution: pct(a.bySeverity[s].resolve),
      }),
    ),
    ...a.byWeek.map((w) => tr(l, 'ticket.sla.stats.week', { week: w.week, first: pct(w.first), resolution: pct(w.resolve) })),
  ];
  return ok(lines.join('\n').slice(0, 2000));
}
