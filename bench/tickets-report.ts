// The tickets part of the bench output (issue 12): its table and verdicts.
// BENCHMARKS.md's section is written by hand from a run's output and
// bench/results/tickets.json.
import type { Target } from './report.ts';
import type { TicketsResult } from './tickets.ts';

const f0 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(0));
const f1 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(1));
const f2 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(2));
const s1 = (ms: number) => f1(ms / 1000);
const pcts = (p: { p50: number; p99: number; max: number }, unit: 'ms' | 's') =>
  unit === 'ms' ? `${f0(p.p50)} / ${f0(p.p99)} / ${f0(p.max)} ms` : `${s1(p.p50)} / ${s1(p.p99)} / ${s1(p.max)} s`;

export function ticketsTargets(r: TicketsResult): Target[] {
  const c = r.critical;
  return [
    {
      name: `tickets: c=1 /ticket open p50 ÷ PING p50 with ${r.background.ok} open tickets in the guild, not worse than today's 1.63×`,
      measured: `${f1(r.rt.open.latencyMs.p50)} ms ÷ ${f1(r.rt.ping.latencyMs.p50)} ms = ${f2(r.rt.ratio)}×`,
      pass: r.rt.pass,
    },
    {
      name: `tickets: ${c.tickets} critical tickets due within one minute, every one escalated and its breach message delivered (no fixed lateness target)`,
      measured: `${c.escalated}/${c.ok} escalated, due → step p50 ${f0(c.stepMs.p50)} ms, p99 ${f0(c.stepMs.p99)} ms; ${c.breachMessages} breach messages (${c.mentioningRole} mentioning the role), due → simulator p50 ${s1(c.messageMs.p50)} s, p99 ${s1(c.messageMs.p99)} s (35/s bound p50 ${s1(c.boundMs.governor.p50)}, max ${s1(c.boundMs.governor.max)} s)`,
      pass: c.ok === c.tickets && c.escalated === c.ok && c.breachMessages === c.ok && c.mentioningRole === c.ok,
    },
  ];
}

export function printTickets(r: TicketsResult): void {
  const b = r.background;
  const c = r.critical;
  const routes = (x: Record<string, number>) =>
    Object.entries(x)
      .sort((a, z) => z[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  console.log('\nTickets: open tickets in one guild, SLA timers');
  const rows: string[][] = [
    ['background tickets opened / provisioned+archived', `${b.ok}/${b.tickets} / ${b.archived} (${r.originChannels} channels, ${r.guildMembers} members)`],
    ['background: answers wall / provisioned after / phase', `${s1(b.answerWallMs)} s / ${s1(b.provisionedMs)} s / ${s1(b.phaseMs)} s`],
    ['background open p50 / p99 (c=50)', `${f0(b.latencyMs.p50)} / ${f0(b.latencyMs.p99)} ms`],
    ['REST calls per open (bot)', routes(r.callsPerOpen)],
    ['archive failures', b.archiveFailures.join('; ') || 'none'],
    ['active threads before the critical tickets', String(r.activeThreadsBefore)],
    ['c=1 PING p50 / p99', `${f1(r.rt.ping.latencyMs.p50)} / ${f1(r.rt.ping.latencyMs.p99)} ms (${r.rt.ping.ok})`],
    ['c=1 /ticket open p50 / p99', `${f1(r.rt.open.latencyMs.p50)} / ${f1(r.rt.open.latencyMs.p99)} ms (${r.rt.open.ok} real opens)`],
    ['open ÷ PING (p50)', `${f2(r.rt.ratio)}× (target ≤ ${r.rt.target}×: ${r.rt.pass ? 'PASS' : 'FAIL'})`],
    ['c=1 open in an empty guild p50 / p99, ÷ PING', `${f1(r.rt.empty.latencyMs.p50)} / ${f1(r.rt.empty.latencyMs.p99)} ms, ${f2(r.rt.emptyRatio)}×`],
    [
      `c=1 open from all ${r.originChannels} channels p50 / p99, ÷ PING`,
      `${f1(r.rt.spread.latencyMs.p50)} / ${f1(r.rt.spread.latencyMs.p99)} ms, ${f2(r.rt.spreadRatio)}× (diagnostic)`,
    ],
    [
      `paced (${r.rt.paced.gapMs} ms apart) PING / open p50, ratio`,
      `${f1(r.rt.paced.ping.latencyMs.p50)} / ${f1(r.rt.paced.open.latencyMs.p50)} ms, ${f2(r.rt.paced.ratio)}× (diagnostic)`,
    ],
    ['settles not quiet (of blocks)', `${r.rt.settles.filter((x) => !x.quiet).length} of ${r.rt.settles.length}`],
    [
      `critical opened (c=${r.plan.openConcurrency}) / wall / provisioned after`,
      `${c.ok}/${c.tickets} / ${s1(c.answerWallMs)} s / ${s1(c.provisionedMs)} s (before the first warning: ${c.provisionedBeforeWarn ? 'yes' : 'no'}; before the lone breach: ${c.provisionedBeforeLone ? 'yes' : 'no'})`,
    ],
    ['critical target / due spread', `${c.targetMin}m / ${s1(c.dueSpreadMs)} s`],
    ['escalated / breach messages / mentioning the role / warnings', `${c.escalated} / ${c.breachMessages} / ${c.mentioningRole} / ${c.warnMessages}`],
    ['(a) due → escalated by the ticket actor p50 / p99 / max', pcts(c.stepMs, 'ms')],
    ['(b) due → breach message at the simulator p50 / p99 / max', pcts(c.messageMs, 's')],
    ['(b) first breach message', `${f0(c.firstMessageMs)} ms`],
    ['lone: (a) / (b) / its warning', `${f0(r.lone.stepMs)} ms / ${f0(r.lone.messageMs)} ms / ${f0(r.lone.warnMessageMs)} ms`],
    ['bound: breach posts alone at 35/s p50 / p99 / max', pcts(c.boundMs.governor, 's')],
    ['bound: breach posts alone at 50/s', pcts(c.boundMs.discord, 's')],
    ['bound: FIFO with warnings and control edits at 35/s', pcts(c.boundMs.governorFifo, 's')],
    ['REST calls from the first warning due', routes(c.windowCalls)],
    ['429s / invalid requests in that window', `${c.rateLimited} / ${c.invalidRequests} ${routes(c.rateLimitedBy)}`],
    ['duration', `${f0(r.durationS)} s`],
  ];
  const w = Math.max(...rows.map((x) => x[0]!.length));
  for (const [k, v] of rows) console.log(`  ${k!.padEnd(w)}  ${v}`);
}
