// The game-server part of the bench output (issue 10): its table, its targets
// and its section of BENCHMARKS.md.
import type { Target } from './report.ts';
import type { ServersKind, ServersResult } from './servers.ts';
import { mdTable, textTable } from './tables.ts';

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '—');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');

const NAMES: Record<ServersKind, string> = {
  ping: 'PING (reference)',
  status: '/server status (running server)',
  autocomplete: 'autocomplete, `server` option',
};
const KINDS: ServersKind[] = ['ping', 'status', 'autocomplete'];

/** How the run was made, for a section written by `--only servers` rather than the full run. */
export interface RunNote {
  date: string;
  command: string;
  loadavgAtStart: number[];
  loadavgAtEnd?: number[];
  /** The bot measured, e.g. "commit `437bfdd` (clean tree)". */
  bot?: string;
}

const ratio = (r: ServersResult, k: ServersKind) => r.phases[k].latencyMs.p50 / r.phases.ping.latencyMs.p50;

export function serversTargets(r: ServersResult): Target[] {
  const d = r.display;
  const ping = r.phases.ping.latencyMs.p50;
  const failed = KINDS.reduce((s, k) => s + r.phases[k].failed, 0);
  const minEdits = Math.floor(d.windowMs / d.intervalMs);
  return [
    ...(['status', 'autocomplete'] as const).map((k) => ({
      name: `servers: ${k === 'status' ? '/server status' : 'autocomplete'} p50 ≤ 2× PING p50 with the panel answering in ${r.panelLatencyMs} ms (c=1)`,
      measured: `${f1(r.phases[k].latencyMs.p50)} / ${f1(ping)} ms = ${f2(ratio(r, k))}×${k === 'status' ? `; ${r.statusWaited.count} of ${r.statusWaited.of} answers waited for the panel` : ''}`,
      pass: ratio(r, k) <= 2,
    })),
    {
      name: `servers: panel calls with ${d.displays} status displays ≤ ${f0(d.boundPerMin)}/min (one read per display per ${d.intervalMs / 1000} s interval, plus a list refresh)`,
      measured: `${f1(d.callsPerMin)}/min over ${f0(d.windowMs / 1000)} s (${d.panelCalls.total} calls); steady rate from per-server gaps ${f1(d.steadyCallsPerMin)}/min; shortest gap between reads of one server ${f1(d.gapMs.min / 1000)} s`,
      pass: d.callsPerMin <= d.boundPerMin && d.gapMs.min >= d.intervalMs - 1000 && d.gapMs.count > 0,
    },
    {
      name: `servers: every display posted and edited ≥ ${minEdits}× in the window, showing its server at the end`,
      measured: `${d.posted}/${d.displays} posted, ${d.editedEnough}/${d.displays} edited ≥ ${minEdits}× (${d.edits.perDisplayMin}–${d.edits.perDisplayMax} each), ${d.freshAtEnd}/${d.displays} current at the end`,
      pass: d.posted === d.displays && d.editedEnough === d.displays && d.freshAtEnd === d.displays,
    },
    { name: 'servers: every measured request answered as expected', measured: `${failed} failed`, pass: failed === 0 },
  ];
}

const HEAD = ['request', 'ok/sent', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'p50 vs PING', 'p99 vs PING'];
function rows(r: ServersResult): string[][] {
  const ping = r.phases.ping.latencyMs;
  return KINDS.map((k) => {
    const x = r.phases[k];
    return [
      NAMES[k],
      `${x.ok}/${x.sent}`,
      f1(x.latencyMs.p50),
      f1(x.latencyMs.p90),
      f1(x.latencyMs.p99),
      f1(x.latencyMs.max),
      `${f2(x.latencyMs.p50 / ping.p50)}×`,
      `${f2(x.latencyMs.p99 / ping.p99)}×`,
    ];
  });
}

const DISPLAY_HEAD = ['', 'measured'];
function displayRows(r: ServersResult): string[][] {
  const d = r.display;
  return [
    ['displays (servers, channels)', `${d.displays} (${d.displays}, ${d.channels})`],
    ['all first messages posted after', `${f1(d.postedAfterMs / 1000)} s`],
    ['steady window', `${f0(d.windowMs / 1000)} s = ${f2(d.windowMs / d.intervalMs)} display intervals`],
    [
      'panel calls in the window',
      `${d.panelCalls.total} (${d.panelCalls.resources} resources, ${d.panelCalls.list} list, ${d.panelCalls.other} other; ${d.panelCalls.failed} failed)`,
    ],
    ['panel calls per minute', `${f1(d.callsPerMin)} (bound ${f0(d.boundPerMin)})`],
    ['resources reads per server in the window', `${d.readsPerServer.min}–${d.readsPerServer.max}`],
    [
      'gap between reads of one server',
      `min ${f1(d.gapMs.min / 1000)} s, median ${f1(d.gapMs.median / 1000)} s, max ${f1(d.gapMs.max / 1000)} s (${d.gapMs.count} gaps)`,
    ],
    ['steady rate from the gaps', `${f1(d.steadyCallsPerMin)} calls/min`],
    [
      'message edits in the window',
      `${d.edits.ok} (each display ${d.edits.perDisplayMin}–${d.edits.perDisplayMax}; ${d.edits.rateLimited} answered 429, ${d.edits.otherFailed} other failures)`,
    ],
    ['displays current at the end', `${d.freshAtEnd}/${d.displays}`],
  ];
}

export function printServers(r: ServersResult): void {
  console.log(`\nGame-server control: panel latency ${r.panelLatencyMs} ms, resources cache ${r.statusCacheMs / 1000} s (concurrency 1, interleaved)\n`);
  console.log(textTable(HEAD, rows(r)));
  console.log(
    `status answers that waited for the panel (≥ ${f0(r.statusWaited.thresholdMs)} ms): ${r.statusWaited.count} of ${r.statusWaited.of} (${r.statusWaited.waitedMs.join(', ') || 'none'} ms) over ${f0(r.spanMs / 1000)} s; panel calls during the rounds: ${r.roundsPanelCalls.resources} resources, ${r.roundsPanelCalls.list} list`,
  );
  console.log(
    `cache expired (${r.cold.n} servers, once each): p50 ${f0(r.cold.latencyMs.p50)} ms, max ${f0(r.cold.latencyMs.max)} ms, ${r.cold.panelReads} panel reads`,
  );
  console.log(`\nStatus displays\n`);
  console.log(textTable(DISPLAY_HEAD, displayRows(r)));
}

export function serversMd(r: ServersResult, run?: RunNote): string {
  const d = r.display;
  const blockList = (k: ServersKind) => r.blockP50s[k].map(f1).join(', ');
  const w = r.statusWaited;
  const runLine = run
    ? `Measured on **${run.date}** with \`${run.command}\` (${f0(r.durationS)} s), load average at start ${run.loadavgAtStart.join(', ')}${run.loadavgAtEnd ? `, at the end ${run.loadavgAtEnd.join(', ')}` : ''}${run.bot ? `; bot measured: ${run.bot}` : ''}.\n\n`
    : '';
  return `### Game-server control (issue 10)

${runLine}\`bench/servers.ts\`: its own simulator, \`wrangler dev\` and game-panel simulator (\`sim/panel\`); a Pterodactyl world whose every API call
answers after **${r.panelLatencyMs} ms**, connected to a simulator guild through the real \`/server connect\` form by the guild's administrator.

**Does the cache hide the panel?** Blocks of ${r.rounds.perBlock} PINGs, ${r.rounds.perBlock} \`/server status\` of a running server and ${r.rounds.perBlock} autocompletes
of the \`server\` option (typing "surv"), interleaved at concurrency 1 (order flipped every round), ${r.rounds.n} rounds ${r.rounds.gapMs / 1000} s apart, spread over
${f0(r.spanMs / 1000)} s — longer than the ${r.statusCacheMs / 1000} s resources cache, so the status answers that found it expired are in the numbers.
Autocomplete answers from the stored list and never waits for the panel.

${mdTable(HEAD, rows(r))}

p50 per block, in run order — PING ${blockList('ping')}; status ${blockList('status')}; autocomplete ${blockList('autocomplete')}.

**${w.count} of ${w.of}** status answers waited for the panel (≥ ${f0(w.thresholdMs)} ms: ${w.waitedMs.join(', ') || 'none'} ms); the panel logged
${r.roundsPanelCalls.resources} resources and ${r.roundsPanelCalls.list} list calls during the rounds. That is what the cache costs at this rate of asking
(about ${f0((w.of / Math.max(1, r.spanMs)) * r.statusCacheMs)} status asks per ${r.statusCacheMs / 1000} s): the first asker after the cache expires waits, the others share its read. A server asked about
rarely waits every time: ${r.cold.n} servers asked once each after their cache had expired took p50 **${f0(r.cold.latencyMs.p50)} ms** (max ${f0(r.cold.latencyMs.max)} ms;
${r.cold.panelReads} panel reads).

**What do status displays cost the panel?** ${d.displays} displays (\`/server display set\`) of ${d.displays} running servers in ${d.channels} channels; the display
interval is ${d.intervalMs / 1000} s. The window starts once every display's first message is in its channel and lasts
${f0(d.windowMs / 1000)} s; panel calls are counted from the panel simulator's request log, message edits from the Discord simulator's call log.

${mdTable(DISPLAY_HEAD, displayRows(r))}

Calls per minute in a window of ${f2(d.windowMs / d.intervalMs)} intervals depend on where its edges fall among the displays' refreshes;
the gaps between reads of each server do not, and give the steady rate (${f1(d.steadyCallsPerMin)}/min for ${d.displays} displays). A display's next refresh
is timed from the end of its last one, so its period is the interval plus the refresh itself (the panel's ${r.panelLatencyMs} ms and the edit): the median gap. The longest gap
runs from the read made when the panel was connected (which the first messages showed, still cached) to the first refresh.
${
  // In the full run these targets are in the run's own table; a section measured apart carries its verdicts with it.
  run
    ? `
| target | measured | |
|---|---|---|
${serversTargets(r)
  .map((t) => `| ${t.name} | ${t.measured} | ${t.pass ? 'PASS' : '**FAIL**'} |`)
  .join('\n')}
`
    : ''
}`;
}
