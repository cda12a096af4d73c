// The issue-5 part of the bench: automod decision cost (bench/automod.ts) and
// the time from the join that crosses the raid threshold to the lockdown REST
// calls (bench/raid.ts). Table, targets and the BENCHMARKS.md section.
import type { AutomodBenchResult } from './automod.ts';
import type { RaidBenchResult } from './raid.ts';
import type { Target } from './report.ts';

export interface ModerationResult {
  automod: AutomodBenchResult;
  raid: RaidBenchResult;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '—');

export function moderationTargets(r: ModerationResult): Target[] {
  const a = r.automod;
  const raid = r.raid;
  return [
    {
      name: `automod: decision per message with ${a.rules} rules (no fixed target; reported against JSON.parse of the payload)`,
      measured: `${f1(a.decide.usPerMessage)} µs = ${f1(a.ratioToParse)}× JSON.parse (${f1(a.jsonParse.usPerMessage)} µs); 0 rules ${f1(a.noRules.usPerMessage)} µs; ${f0(a.violatingShare * 100)}% of messages broke a rule`,
      pass: Number.isFinite(a.decide.usPerMessage) && a.violatingShare > 0,
    },
    {
      name: `anti-raid: crossing join → lockdown calls sent, p99 < ${raid.targetMs} ms in ${raid.joinsPerRaid}-join bursts, no join unprocessed`,
      measured: `p50 ${f0(raid.lockdownMs.p50)} ms, p99 ${f0(raid.lockdownMs.p99)} ms over ${raid.raids} raids; every admitted join processed: ${raid.allProcessed ? 'yes' : 'NO'}`,
      pass: raid.pass,
    },
  ];
}

const RAID_HEAD = [
  'raid',
  'admitted',
  'refused',
  'processed',
  'crossing join',
  'first call ms',
  'lockdown ms',
  'quarantined',
  'quarantine done ms',
  'burst ms',
];
const raidRows = (r: RaidBenchResult) =>
  r.samples.map((s, i) => [
    String(i + 1),
    String(s.admitted),
    String(s.refused),
    String(s.processed),
    `#${s.crossingJoin}`,
    f0(s.firstCallMs),
    f0(s.lockdownMs),
    String(s.quarantined),
    s.quarantineMs === null ? '—' : f0(s.quarantineMs),
    f0(s.burstMs),
  ]);

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function printModeration(r: ModerationResult): void {
  const a = r.automod;
  console.log(
    `\nAutomod (inside workerd, ${a.rules} rules, ${a.messagesPerBatch} messages × ${a.batches} batches): ${f1(a.decide.usPerMessage)} µs per message (from Node ${f1(a.decide.usPerMessageOuter)} µs); no rules ${f1(a.noRules.usPerMessage)} µs; JSON.parse ${f1(a.jsonParse.usPerMessage)} µs; compile ${f1(a.compileMs)} ms`,
  );
  console.log(
    `\nAnti-raid lockdown (${r.raid.raids} raids of ${r.raid.joinsPerRaid} joins): p50 ${f0(r.raid.lockdownMs.p50)} ms, p99 ${f0(r.raid.lockdownMs.p99)} ms, max ${f0(r.raid.lockdownMs.max)} ms`,
  );
  for (const row of raidRows(r.raid)) console.log(`  ${RAID_HEAD.map((h, i) => `${h} ${row[i]}`).join(', ')}`);
}

export function moderationMd(r: ModerationResult): string {
  const a = r.automod;
  const raid = r.raid;
  return `### Moderation and anti-raid

**Automod decision cost** (\`bench/automod.ts\`: its own Worker, \`bench/worker-automod.ts\`, runs the real compiled rule set of
\`src/features/moderation/automod.ts\` inside workerd over a corpus of ${a.corpus} messages from ${a.members} authors, ${f0(a.violatingShare * 100)}% of them breaking a rule):

| | µs per message (in workerd) | µs per message (from Node) |
|---|---|---|
| decision with ${a.rules} rules (context, every rule with the author's window, fold into actions) | ${f1(a.decide.usPerMessage)} | ${f1(a.decide.usPerMessageOuter)} |
| reference: the same with no rules | ${f1(a.noRules.usPerMessage)} | ${f1(a.noRules.usPerMessageOuter)} |
| reference: \`JSON.parse\` of the MESSAGE_CREATE payload | ${f1(a.jsonParse.usPerMessage)} | ${f1(a.jsonParse.usPerMessageOuter)} |

Ratio to JSON.parse: ${f1(a.ratioToParse)}×. Compiling the ${a.rules}-rule set (what each \`/automod\` change costs): ${f1(a.compileMs)} ms.

**Raid → lockdown** (\`bench/raid.ts\`: its own simulator, \`wrangler dev\` and gateway shard; one fresh guild per raid, ${raid.joinsPerRaid} joins
${raid.ratePerS ? `at ${raid.ratePerS}/s` : 'as fast as the simulator sends them'}, threshold ${raid.threshold.joins} joins in ${raid.threshold.seconds} s). Latency runs from the simulator sending the
GUILD_MEMBER_ADD that crossed the threshold to the simulator receiving each lockdown call (verification level, incident actions, slowmode).
After invites are paused the simulator refuses further joins, as Discord would.

${table(RAID_HEAD, raidRows(raid))}

p50 ${f0(raid.lockdownMs.p50)} ms, p99 ${f0(raid.lockdownMs.p99)} ms (target < ${raid.targetMs} ms); every admitted join processed: ${raid.allProcessed ? 'yes' : '**no**'}.
`;
}
