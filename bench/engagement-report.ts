// The engagement part of the bench output (issue 11): its tables, its
// verdicts and its section of BENCHMARKS.md.
import type { EngagementResult } from './engagement.ts';
import type { Target } from './report.ts';
import type { RunNote } from './servers-report.ts';
import { mdTable, textTable } from './tables.ts';

const f0 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(0));
const f1 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(1));
const f2 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(2));
const s1 = (ms: number) => f1(ms / 1000);

export function engagementTargets(r: EngagementResult): Target[] {
  const h = r.hot;
  const m = r.reminders;
  const f = r.faq;
  return [
    {
      name: `engagement: hot guild, every one of ${h.sent} messages counted in levels (sum of messages in the export)`,
      measured: `${h.counted}/${h.sent} counted, ${h.applied} applied by the shard, ${h.delivered} delivered by the simulator`,
      pass: h.counted === h.sent && h.applied >= h.sent,
    },
    {
      name: `engagement: hot guild keeps up with ${h.targetRatePerS} messages/s for ${h.seconds} s (levels + ${h.rules} automod rules)`,
      measured: `sent at ${f0(h.sentPerS)}/s; lag p50 ${f0(h.lagMs.p50)} ms, p99 ${f0(h.lagMs.p99)} ms = ${f1(r.lagP99VsRpc)}× one RPC with a write (${f2(r.rpcWriteMs)} ms); drained ${f0(h.drainMs)} ms after the last send: ${h.keptUp ? 'kept up' : 'did not keep up'}`,
      pass: h.keptUp,
    },
    {
      name: `engagement: FAQ match per question with ${f.entries} entries (no fixed target; against JSON.parse of the payload)`,
      measured: `p50 ${f0(f.matchUs.p50)} µs, p99 ${f0(f.matchUs.p99)} µs; mean ${f0(f.batchMatchUs)} µs = ${f0(f.batchMatchUs / f.batchParseUs)}× JSON.parse (${f1(f.batchParseUs)} µs); index built in ${f1(f.buildMs)} ms; ${f.right} right, ${f.wrong} wrong answers`,
      pass: Number.isFinite(f.matchUs.p50) && f.wrong === 0,
    },
    {
      name: `engagement: ${m.members} reminder DMs due at one instant, all delivered (no fixed lateness target; Discord's 50 requests/s bounds it)`,
      measured: `${m.delivered}/${m.members} to ${m.distinctMembers} members; due → sent p50 ${s1(m.lateMs.p50)} s, p99 ${s1(m.lateMs.p99)} s, max ${s1(m.lateMs.max)} s (bound p50 ${s1(m.boundMs.p50)}, max ${s1(m.boundMs.max)} s); lone ${f0(m.loneMs)} ms`,
      pass: m.delivered === m.members && m.distinctMembers === m.members,
    },
  ];
}

const HOT_HEAD = ['', 'measured'];
function hotRows(r: EngagementResult): string[][] {
  const h = r.hot;
  const cpu = Object.entries(h.cpuS)
    .filter(([, v]) => (v ?? 0) > 0.005)
    .map(([k, v]) => `${k} ${f1(v)}`)
    .join(', ');
  return [
    ['messages sent / delivered to the bot', `${h.sent} / ${h.delivered} (${h.violating} written to break a rule)`],
    ['counted in levels (export, after − before)', `${h.counted} (${h.exportedMembers} members in the export)`],
    ['applied by the shard', `${h.applied}`],
    ['send rate asked / achieved', `${h.targetRatePerS}/s / ${f0(h.sentPerS)}/s over ${s1(h.sendMs)} s`],
    ['apply lag p50 / p99 / max (histogram bucket bounds)', `${f0(h.lagMs.p50)} / ${f0(h.lagMs.p99)} / ${f0(h.lagMs.max)} ms`],
    ['reference: one actor RPC with a write', `${f2(r.rpcWriteMs)} ms (${f0(r.rpc.write.callsPerS)} calls/s sequential)`],
    ['lag p99 ÷ one RPC with a write', `${f1(r.lagP99VsRpc)}×`],
    ['last send → all applied', `${f0(h.drainMs)} ms`],
    ['most queued in the shard / unread on the socket', `${h.maxQueued} / ${h.maxUnread}`],
    ['verdict', h.keptUp ? 'kept up' : '**did not keep up**'],
    [
      'REST calls the bot made (flood and after)',
      Object.entries(h.restCalls)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ') || 'none',
    ],
    ['CPU seconds by process over the flood', cpu],
  ];
}

const FAQ_HEAD = ['', 'p50 µs', 'p99 µs', 'max µs', 'mean µs (per-question)', 'mean µs (batches)'];
function faqRows(r: EngagementResult): string[][] {
  const f = r.faq;
  return [
    [
      'FAQ match (looksLikeQuestion, rank over 500 entries, decide)',
      f0(f.matchUs.p50),
      f0(f.matchUs.p99),
      f0(f.matchUs.max),
      f0(f.matchUs.mean),
      f0(f.batchMatchUs),
    ],
    ['reference: JSON.parse of the MESSAGE_CREATE payload', f2(f.parseUs.p50), f2(f.parseUs.p99), f2(f.parseUs.max), f2(f.parseUs.mean), f2(f.batchParseUs)],
    ['ratio', `${f0(f.ratioP50)}×`, `${f0(f.ratioP99)}×`, '', `${f0(f.matchUs.mean / f.parseUs.mean)}×`, `${f0(f.batchMatchUs / f.batchParseUs)}×`],
  ];
}

const REM_HEAD = ['', 'p50 s', 'p99 s', 'max s'];
function remRows(r: EngagementResult): string[][] {
  const m = r.reminders;
  return [
    [`${m.members} reminders due at one instant: due → DM received`, s1(m.lateMs.p50), s1(m.lateMs.p99), s1(m.lateMs.max)],
    [`bound: Discord's 50 requests/s, ${m.requestsPerDm} requests per DM`, s1(m.boundMs.p50), s1(m.boundMs.p99), s1(m.boundMs.max)],
    ['bound: the bot’s own governor (35 permits/s)', s1(m.governorBoundMs.p50), s1(m.governorBoundMs.p99), s1(m.governorBoundMs.max)],
    ['reference: one lone reminder, measured the same way', (m.loneMs / 1000).toFixed(3), '', ''],
  ];
}

export function printEngagement(r: EngagementResult): void {
  const h = r.hot;
  const f = r.faq;
  const m = r.reminders;
  console.log(`\nEngagement: hot guild (levels + ${h.rules} automod rules, ${h.members} members, ${h.targetRatePerS} messages/s for ${h.seconds} s)\n`);
  const rows = hotRows(r);
  const w = Math.max(...rows.map((x) => x[0]!.length));
  for (const [k, v] of rows) console.log(`  ${k!.padEnd(w)}  ${v!.replace(/\*\*/g, '')}`);
  console.log(`\nFAQ match inside workerd (${f.entries} entries, ${f.questions} questions, ${f.onTopic} about an entry)\n`);
  console.log(textTable(FAQ_HEAD, faqRows(r)));
  console.log(
    `index build ${f1(f.buildMs)} ms; first pass on a fresh index ${f0(f.firstPassUsPerQuestion)} µs per question; answered ${f.answered} (${f.right} right, ${f.wrong} wrong, ${f.answeredOffTopic} off-topic), quiet on ${f.quietOnTopic} on-topic`,
  );
  console.log(`\nReminder punctuality (${m.events} events × ${m.members / m.events} going, by DM)\n`);
  console.log(textTable(REM_HEAD, remRows(r)));
  console.log(
    `delivered ${m.delivered}/${m.members} to ${m.distinctMembers} members; first DM request ${f0(m.firstCallMs)} ms after due; ${m.rateLimited} answered 429; invalid requests +${m.invalidRequests}; setup ${s1(m.setupMs)} s (${m.rsvps} RSVPs), quiet before due: ${m.quietBeforeDue ? 'yes' : 'no'}`,
  );
}

export function engagementMd(r: EngagementResult, run?: RunNote): string {
  const h = r.hot;
  const f = r.faq;
  const m = r.reminders;
  const runLine = run
    ? `Measured on **${run.date}** with \`${run.command}\` (${f0(r.durationS)} s), load average at start ${run.loadavgAtStart.join(', ')}${run.loadavgAtEnd ? `, at the end ${run.loadavgAtEnd.join(', ')}` : ''}${run.bot ? `; bot measured: ${run.bot}` : ''}.\n\n`
    : '';
  return `### Engagement: hot guild, FAQ matching, reminders (issue 11)

${runLine}\`bench/engagement.ts\`: its own simulator and \`wrangler dev\` with the bot's gateway (one ShardActor), then the RPC reference
(\`bench/rpc.ts\`) and the FAQ Worker (\`bench/worker-faq.ts\`) once that stack is stopped.

**Hot guild.** One guild with levels (\`/levels config\` 15–25 XP, 60 s cooldown: the default rule) and ${h.rules} automod rules (\`/automod add\`: the
automod bench's set, except that its 4 rate rules allow ${h.rateRules}: each member here writes ${f0(h.targetRatePerS / h.members)} messages a second, which the
bench's own 6–9 messages in 5–14 s would punish on every message), then ${h.sent} MESSAGE_CREATE at ${h.targetRatePerS}/s from ${h.members} members (synthetic ids of
year-old accounts: the simulator's users are all new accounts, which the 5 new-account rules would flag) through \`POST /_sim/gateway/dispatch\`
in paced batches, each stamped (\`timestamp\`) as it is handed to the simulator; the simulator's own flood has one author per guild and fixed text. Counted from what the bot stored: the sum of \`messages\` over members in \`/levels export\`, after minus before.

${mdTable(HOT_HEAD, hotRows(r))}

**FAQ match cost** inside workerd: the actor's path for a help-channel question (\`looksLikeQuestion\`, \`FaqMatcher.rank\` over ${f.entries}
generated gaming-support entries, \`decide\`) for ${f.questions} questions (${f.onTopic} paraphrases of an entry, every fourth with a typo; the rest game chat
no entry covers). workerd's clock moves in whole milliseconds and only across I/O, so per question ${f.reps.match} repetitions (JSON.parse: ${f.reps.parse},
each of 16 payloads differing in their ids) sit between two awaited-timer brackets, minus an empty bracket (${f1(f.emptyBracketMs)} ms); the median over the passes.
Batches over all questions give the mean the same way the automod bench does.

${mdTable(FAQ_HEAD, faqRows(r))}

Index build for ${f.entries} entries: ${f1(f.buildMs)} ms (what the first question after a change pays). First pass on a fresh index (each entry's
self-match score computed once): ${f0(f.firstPassUsPerQuestion)} µs per question. Answers: ${f.answered} (${f.right} right, ${f.wrong} wrong, ${f.answeredOffTopic} to off-topic chat);
quiet on ${f.quietOnTopic} on-topic questions (${Object.entries(f.quietReasons)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')} over all questions). The batch ratio is the one comparable with the automod bench's.

**Reminder punctuality.** \`/event config reminders:${m.offsetMin}m\` (by direct message, the default mode), ${m.events} events created through \`/event create\` and
its form, all starting at the same second; ${m.members} members press Going (${m.members / m.events} per event) on the posts, so ${m.members} reminders are due at one
instant. A lone event with one member going is due ${m.gapS} s earlier in the same guild: the reference. Due → the simulator receiving the DM message
(its call log); each DM is two requests (open the DM channel, send), so Discord's 50 requests/s puts the i-th DM no sooner than 2i/50 s after due.

${mdTable(REM_HEAD, remRows(r))}

${m.delivered}/${m.members} delivered to ${m.distinctMembers} distinct members; the first DM request came ${f0(m.firstCallMs)} ms after due; ${m.rateLimited} requests answered 429
during delivery. Setup (events, posts, ${m.rsvps} RSVPs and the posts' edits) took ${s1(m.setupMs)} s and had ${m.quietBeforeDue ? '' : '**not** '}gone quiet before the first due time.
${
  run
    ? `
| target | measured | |
|---|---|---|
${engagementTargets(r)
  .map((t) => `| ${t.name} | ${t.measured} | ${t.pass ? 'PASS' : '**FAIL**'} |`)
  .join('\n')}
`
    : ''
}`;
}
