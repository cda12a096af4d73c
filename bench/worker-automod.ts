// Runs inside workerd (wrangler dev -c bench/wrangler.automod.jsonc): the
// automod decision per message as the guild actor makes it — the message's
// context, every rule's judgement with the author's window, the fold into
// actions — with 50 rules configured, against two references measured in the
// same batches: the same evaluation with no rules, and JSON.parse of the
// MESSAGE_CREATE payload (which the actor pays anyway when the event arrives).
//
// workerd only advances the clock across I/O, so each batch is bracketed by
// an awaited timer (see worker-signature.ts); the Node side also times whole
// requests.
import type { GatewayMessageCreateDispatchData } from 'discord-api-types/v10';
import { snowflakeAt } from '../src/discord/snowflake.ts';
import {
  type CompiledAutomod,
  compileAutomod,
  decideActions,
  evaluateMessage,
  type MemberWindow,
  messageContext,
} from '../src/features/moderation/rules/automod.ts';
import { type AutomodConfig, parseAutomodConfig } from '../src/features/moderation/rules/automod-config.ts';
import { fiftyRules, rng } from './automod-rules.ts';
import { memberMessage } from './message-fixture.ts';

const DAY = 86_400_000;
const GUILD = '1100000000000000000';

const LINES = [
  'gg everyone, see you at the raid tonight',
  'anyone up for ranked? need one more for the squad',
  'the patch notes say the boss drops the mount now',
  'lol that last round was wild',
  'check the guide here https://github.com/guildkeep/wiki/blob/main/raids.md',
  'stream is live https://twitch.tv/somestreamer come hang out',
  'WHY DOES THE SERVER KEEP CRASHING EVERY TIME',
  'does anyone sell gold? asking for a friend',
  'hey <@{u1}> and <@{u2}> are you joining?',
  'join my server discord.gg/lootparty for giveaways',
  'free nitro here https://free-nitro.gift/claim',
  'what build are you running on the new season? i went full crit and it feels great so far',
  'brb',
  'I think the drop rates were nerfed, I farmed for three hours and got nothing at all from the dungeon chest',
  'selling account-shop boosts, dm me',
  'https://youtube.com/watch?v=abc123 this clip is hilarious',
];

const TAILS = ['lol', 'tbh', 'ngl', 'gg', 'xd', 'imo', 'rn', 'btw'];

/** MESSAGE_CREATE payloads from `members` authors, one in ten of them new accounts. */
function corpus(n: number, members: number, now: number): string[] {
  const r = rng(42);
  const authors = Array.from({ length: members }, (_, i) => snowflakeAt(now - (i % 10 === 0 ? 2 * DAY : 400 * DAY), i));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const author = authors[Math.floor(r() * members)]!;
    // Half the lines get a word of their own, so the corpus repeats no more than chat does.
    const line = LINES[Math.floor(r() * LINES.length)]!.replace('{u1}', authors[1]!).replace('{u2}', authors[2]!);
    const content = r() < 0.5 ? `${line} ${TAILS[Math.floor(r() * TAILS.length)]}${Math.floor(r() * 100)}` : line;
    const stamp = new Date(now).toISOString();
    const m = memberMessage({
      id: snowflakeAt(now, i),
      channelId: '1500000000000000000',
      guildId: GUILD,
      author: { id: author },
      content,
      timestamp: stamp,
      roles: i % 7 === 0 ? ['1300000000000000003'] : [],
    });
    out.push(JSON.stringify(m));
  }
  return out;
}

interface Prepared {
  full: CompiledAutomod;
  empty: CompiledAutomod;
  payloads: string[];
  parsed: GatewayMessageCreateDispatchData[];
  compileMs: number;
  rules: number;
  t0: number;
}

let prepared: Prepared | null = null;
/**
 * Member windows live across batches, as in the actor. A simulated clock
 * moves 50 ms per message: a busy server (20 messages a second) where each
 * of the members speaks about every 25 seconds.
 */
let windows = new Map<string, MemberWindow>();
let clock = 0;

const tick = () => scheduler.wait(0);

async function setup(body: { messages: number; members: number }): Promise<Response> {
  const now = Date.now();
  const config = parseAutomodConfig(fiftyRules());
  if (!config.ok) return Response.json({ error: config.error }, { status: 500 });
  const emptyConfig: AutomodConfig = { ...config.value, rules: [] };
  await tick();
  const c0 = performance.now();
  let full: CompiledAutomod | null = null;
  for (let i = 0; i < 20; i++) full = compileAutomod(config.value);
  await tick();
  const compileMs = (performance.now() - c0) / 20;
  const payloads = corpus(body.messages, body.members, now);
  prepared = {
    full: full!,
    empty: compileAutomod(emptyConfig),
    payloads,
    parsed: payloads.map((p) => JSON.parse(p) as GatewayMessageCreateDispatchData),
    compileMs,
    rules: config.value.rules.length,
    t0: now,
  };
  windows = new Map();
  clock = now;
  return Response.json({ rules: prepared.rules, compileMs, problems: full!.problems, messages: payloads.length });
}

function decide(compiled: CompiledAutomod, m: GatewayMessageCreateDispatchData): number {
  const ctx = messageContext(m);
  if (!ctx) return 0;
  clock += 50;
  const r = evaluateMessage(compiled, ctx, windows.get(ctx.authorId), clock);
  windows.set(ctx.authorId, r.window);
  return decideActions(r.violations).infractions.length > 0 || r.violations.length > 0 ? 1 : 0;
}

async function run(impl: string, n: number): Promise<Response> {
  const p = prepared;
  if (!p) return Response.json({ error: 'POST /setup first' }, { status: 409 });
  if (!Number.isInteger(n) || n < 0 || n > 200_000) return Response.json({ error: 'n must be 0..200000' }, { status: 400 });
  let hits = 0;
  let sink = 0;
  const len = p.parsed.length;
  await tick();
  const t0 = performance.now();
  if (impl === 'decide') for (let i = 0; i < n; i++) hits += decide(p.full, p.parsed[i % len]!);
  else if (impl === 'empty') for (let i = 0; i < n; i++) hits += decide(p.empty, p.parsed[i % len]!);
  else if (impl === 'parse') for (let i = 0; i < n; i++) sink += (JSON.parse(p.payloads[i % len]!) as { content: string }).content.length;
  else if (impl !== 'none') return Response.json({ error: `unknown impl ${impl}` }, { status: 400 });
  await tick();
  const innerMs = performance.now() - t0;
  return Response.json({ impl, n, hits, sink, innerMs, windows: windows.size });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/setup' && request.method === 'POST') return setup(await request.json<{ messages: number; members: number }>());
    if (url.pathname === '/run') return run(url.searchParams.get('impl') ?? '', Number(url.searchParams.get('n') ?? '0'));
    return new Response('automod bench worker\n');
  },
} satisfies ExportedHandler;
