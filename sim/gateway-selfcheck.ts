// Gateway part of `node sim/selfcheck.ts`: a small `ws` client drives the
// simulator's gateway through the protocol, its faults and a flood.

import type { GatewayReceivePayload } from 'discord-api-types/v10';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { WebSocket } from 'ws';

type Msg = GatewayReceivePayload;
type Expect = (cond: unknown, what: string, detail?: unknown) => void;
export interface GatewayCheckEnv {
  url: string;
  botToken: string;
  expect: Expect;
  ctl: (method: string, path: string, body?: unknown) => Promise<any>;
  call: (method: string, path: string, body?: unknown, auth?: boolean) => Promise<{ status: number; body: any }>;
}

const I = GatewayIntentBits;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class GatewayTestClient {
  readonly ws: WebSocket;
  readonly inbox: Msg[] = [];
  lastSeq: number | null = null;
  readonly closed: Promise<number>;
  closeCode: number | null = null;
  hello: Promise<number | null>;
  // Return true to consume a dispatch without queueing it (floods).
  onDispatch: ((m: Msg & { op: GatewayOpcodes.Dispatch }) => boolean) | null = null;
  private wake: (() => void) | null = null;
  private hb: NodeJS.Timeout | null = null;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as Msg;
      if (m.op === GatewayOpcodes.Dispatch) {
        this.lastSeq = m.s;
        if (this.onDispatch?.(m)) return;
      }
      this.inbox.push(m);
      this.wake?.();
    });
    this.ws.on('error', () => {
      /* close follows */
    });
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code) => {
        this.closeCode = code;
        if (this.hb) clearInterval(this.hb);
        resolve(code);
        this.wake?.();
      }),
    );
    this.hello = this.next((m) => m.op === GatewayOpcodes.Hello, 3000).then(
      (m) => (m.op === GatewayOpcodes.Hello ? m.d.heartbeat_interval : null),
      () => null,
    );
  }

  async next(pred: (m: Msg) => boolean = () => true, timeoutMs = 3000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex(pred);
      if (i >= 0) return this.inbox.splice(i, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0 || this.closeCode !== null) throw new Error(`no matching gateway message (closed: ${this.closeCode})`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, left).unref();
      });
    }
  }

  async nothing(pred: (m: Msg) => boolean, ms: number): Promise<boolean> {
    try {
      await this.next(pred, ms);
      return false;
    } catch {
      return true;
    }
  }

  send(op: number, d: unknown): void {
    this.ws.send(JSON.stringify({ op, d }));
  }
  heartbeat(): void {
    this.send(GatewayOpcodes.Heartbeat, this.lastSeq);
  }
  autoHeartbeat(ms: number): void {
    this.hb = setInterval(() => this.heartbeat(), ms);
    this.hb.unref();
  }
  stopHeartbeat(): void {
    if (this.hb) clearInterval(this.hb);
    this.hb = null;
  }
  close(code = 4000): Promise<number> {
    this.ws.close(code);
    return this.closed;
  }

  identify(token: string, intents: number, extra: Record<string, unknown> = {}): void {
    this.send(GatewayOpcodes.Identify, { token, intents, properties: { os: 'linux', browser: 'selfcheck', device: 'selfcheck' }, ...extra });
  }
}

const isDispatch = (t: string) => (m: Msg) => m.op === GatewayOpcodes.Dispatch && m.t === t;

export async function gatewayChecks(
  env: GatewayCheckEnv,
  g: { guildId: string; generalChannelId: string; supportChannelId: string; memberIds: string[] },
): Promise<void> {
  const { expect, ctl, call, botToken } = env;
  const wsBase = env.url.replace(/^http/, 'ws');
  const open = async (path = '/gateway', query = '?v=10&encoding=json') => {
    const c = new GatewayTestClient(wsBase + path + query);
    await c.hello;
    return c;
  };
  const ALL = I.Guilds | I.GuildMembers | I.GuildModeration | I.GuildMessages | I.MessageContent;

  await ctl('POST', '/_sim/gateway/config', { heartbeatIntervalMs: 1000, identifyIntervalMs: 0, shards: 2, remaining: 1000 });
  let r = await call('GET', '/gateway/bot');
  expect(r.body.shards === 2 && r.body.url === `${wsBase}/gateway` && r.body.session_start_limit.remaining === 1000, 'gateway/bot: shards from config', r.body);
  await ctl('POST', '/_sim/gateway/config', { shards: 1 });

  // --- handshake
  const a = await open('/gateway/');
  expect((await a.hello) === 1000, 'HELLO with the configured heartbeat_interval');
  a.autoHeartbeat(800);
  a.identify(`Bot ${botToken}`, ALL);
  const ready = await a.next(isDispatch('READY'));
  const rd = ready.op === 0 && ready.t === 'READY' ? ready.d : null;
  expect(
    rd &&
      ready.s === 1 &&
      rd.v === 10 &&
      rd.user.bot === true &&
      rd.resume_gateway_url === `${wsBase}/gateway-resume` &&
      rd.guilds.some((x) => x.id === g.guildId && x.unavailable === true) &&
      rd.shard?.[0] === 0 &&
      rd.shard?.[1] === 1 &&
      rd.application.id,
    'IDENTIFY → READY (s=1, unavailable guilds, resume_gateway_url, shard, application)',
    rd,
  );
  const gc = await a.next((m) => m.op === 0 && m.t === 'GUILD_CREATE' && m.d.id === g.guildId);
  const gcd = gc.op === 0 && gc.t === 'GUILD_CREATE' ? gc.d : null;
  expect(
    gcd && gc.s! > 1 && gcd.channels.length >= 3 && gcd.member_count > 5 && gcd.members.length >= 1 && gcd.joined_at && gcd.unavailable === false,
    'GUILD_CREATE per guild (channels, members, member_count, joined_at)',
    gcd && { ...gcd, roles: undefined },
  );
  r = await call('GET', '/gateway/bot');
  expect(r.body.session_start_limit.remaining === 999, 'session_start_limit.remaining decreases per IDENTIFY', r.body);
  a.heartbeat();
  expect((await a.next((m) => m.op === GatewayOpcodes.HeartbeatAck)).op === 11, 'heartbeat → op 11 ACK');

  // A second session on the same shard without MESSAGE_CONTENT / GUILD_MEMBERS.
  const b = await open();
  b.autoHeartbeat(800);
  b.identify(botToken, I.Guilds | I.GuildMessages);
  await b.next(isDispatch('READY'));

  // --- dispatches from the simulator's REST and control sides
  const sessions = (await ctl('GET', '/_sim/gateway/sessions')).sessions;
  const sa = sessions.find((s: any) => s.intents === ALL && s.state === 'connected').id;
  const posted = await ctl('POST', `/_sim/channels/${g.generalChannelId}/messages`, { user_id: g.memberIds[0], content: 'hello gateway' });
  const ma = await a.next((m) => m.op === 0 && m.t === 'MESSAGE_CREATE' && m.d.id === posted.id);
  const mb = await b.next((m) => m.op === 0 && m.t === 'MESSAGE_CREATE' && m.d.id === posted.id);
  const mad = ma.op === 0 && ma.t === 'MESSAGE_CREATE' ? ma.d : null;
  const mbd = mb.op === 0 && mb.t === 'MESSAGE_CREATE' ? mb.d : null;
  expect(
    mad && mad.guild_id === g.guildId && mad.member && !('user' in mad.member) && mad.content === 'hello gateway' && ma.s! > gc.s!,
    'member message → MESSAGE_CREATE with guild_id and member, increasing s',
    mad,
  );
  expect(mbd && mbd.content === '', 'without MESSAGE_CONTENT the content is empty', mbd);
  r = await call('POST', `/guilds/${g.guildId}/channels`, { name: 'gateway-check', type: 0 });
  const fresh = r.body.id as string;
  const cc = await a.next((m) => m.op === 0 && m.t === 'CHANNEL_CREATE' && m.d.id === fresh);
  expect(cc.op === 0, 'REST channel create → CHANNEL_CREATE', r.body);
  r = await call('POST', `/channels/${fresh}/messages`, { content: 'bot says hi' });
  expect(r.status === 200, 'bot REST message create', r);
  const own = await b.next((m) => m.op === 0 && m.t === 'MESSAGE_CREATE' && m.d.id === r.body.id);
  expect(
    own.op === 0 && own.t === 'MESSAGE_CREATE' && own.d.content === 'bot says hi',
    "REST message create → MESSAGE_CREATE; the bot's own content kept without MESSAGE_CONTENT",
  );
  r = await call('POST', `/channels/${fresh}/threads`, { name: 'gw-thread', type: 11, auto_archive_duration: 60 });
  const th = await a.next((m) => m.op === 0 && m.t === 'THREAD_CREATE' && m.d.id === r.body.id);
  expect(th.op === 0 && th.t === 'THREAD_CREATE' && th.d.newly_created === true, 'thread create → THREAD_CREATE (newly_created)');
  const joined = await ctl('POST', '/_sim/members', { guild_id: g.guildId, username: 'gw_joiner' });
  const ja = await a.next((m) => m.op === 0 && m.t === 'GUILD_MEMBER_ADD' && m.d.user.id === joined.user_id);
  expect(ja.op === 0 && ja.t === 'GUILD_MEMBER_ADD' && ja.d.guild_id === g.guildId, 'member add → GUILD_MEMBER_ADD');
  expect(await b.nothing(isDispatch('GUILD_MEMBER_ADD'), 150), 'GUILD_MEMBER_ADD not sent without GUILD_MEMBERS');
  const d1 = await ctl('POST', '/_sim/gateway/dispatch', { guild_id: g.guildId, t: 'GUILD_BAN_ADD', d: { guild_id: g.guildId, user: { id: g.memberIds[1] } } });
  const ban = await a.next(isDispatch('GUILD_BAN_ADD'));
  expect(d1.sessionId === sa && d1.deliveries.length === 1 && ban.s === d1.s, 'control dispatch → {s, sessionId}, routed by intent', d1);
  const inter = await ctl('POST', '/_sim/interactions', {
    type: 2,
    guild_id: g.guildId,
    channel_id: g.supportChannelId,
    user_id: g.memberIds[0],
    data: { name: 'ping', type: 1 },
    deliver: true,
  });
  const ic = await b.next((m) => m.op === 0 && m.t === 'INTERACTION_CREATE' && m.d.id === inter.interaction.id);
  r = await call('POST', `/interactions/${inter.interaction.id}/${inter.interaction.token}/callback`, { type: 4, data: { content: 'pong' } }, false);
  expect(ic && r.status === 204, 'deliver without interactionsUrl → INTERACTION_CREATE; callback answers it');
  const reply = await b.next((m) => m.op === 0 && m.t === 'MESSAGE_CREATE' && m.d.content === 'pong');
  expect(reply.op === 0, 'interaction reply → MESSAGE_CREATE');

  // --- sharding: events go to (guild_id >> 22) % count
  await ctl('POST', '/_sim/gateway/config', { shards: 2 });
  const s0 = await open();
  s0.identify(botToken, I.Guilds, { shard: [0, 2] });
  await s0.next(isDispatch('READY'));
  const s1 = await open();
  s1.identify(botToken, I.Guilds, { shard: [1, 2] });
  await s1.next(isDispatch('READY'));
  const odd = String(3n << 22n);
  await ctl('POST', '/_sim/gateway/dispatch', {
    events: [
      { guild_id: odd, t: 'GUILD_UPDATE', d: { id: odd } },
      { t: 'USER_UPDATE', d: { id: '1' } },
    ],
  });
  const u1 = await s1.next(isDispatch('GUILD_UPDATE'));
  expect(
    u1.op === 0 &&
      (await s0.nothing(isDispatch('GUILD_UPDATE'), 100)) &&
      (await s0.next(isDispatch('USER_UPDATE'))).op === 0 &&
      (await s1.nothing(isDispatch('USER_UPDATE'), 50)),
    'shard routing: guild → (id >> 22) % 2; no guild → shard 0',
  );
  s0.close(1000);
  s1.close(1000);
  await ctl('POST', '/_sim/gateway/config', { shards: 1 });

  // --- zombie: no ACK, dispatches parked; the client closes and resumes
  b.close(1000);
  a.inbox.length = 0;
  await ctl('POST', '/_sim/gateway/faults', { session: sa, kind: 'zombie' });
  a.stopHeartbeat();
  a.heartbeat();
  expect(await a.nothing((m) => m.op === GatewayOpcodes.HeartbeatAck, 300), 'zombie: heartbeat gets no ACK');
  const parked = await ctl('POST', '/_sim/gateway/dispatch', {
    guild_id: g.guildId,
    t: 'MESSAGE_CREATE',
    d: { id: '1', content: 'while zombie', guild_id: g.guildId, author: { id: '2' }, mentions: [] },
  });
  expect(parked.deliveries[0].sent === false && (await a.nothing(isDispatch('MESSAGE_CREATE'), 100)), 'zombie: dispatches parked for replay', parked);
  let seen = a.lastSeq!;
  await a.close(4900);
  let c = await open('/gateway-resume');
  c.send(GatewayOpcodes.Resume, { token: botToken, session_id: sa, seq: seen });
  const replayed = await c.next(isDispatch('MESSAGE_CREATE'));
  let resumed = await c.next(isDispatch('RESUMED'));
  expect(replayed.s === parked.s && resumed.s === parked.s + 1, 'RESUME after zombie replays the parked event, then RESUMED');
  c.autoHeartbeat(800);

  // --- drop mid-stream, events while disconnected, RESUME replays exactly the missed ones
  await ctl('POST', '/_sim/gateway/faults', { session: sa, kind: 'drop', afterEvents: 5 });
  const mk = (i: number) => ({ guild_id: g.guildId, t: 'GUILD_AUDIT_LOG_ENTRY_CREATE', d: { guild_id: g.guildId, id: String(i) } });
  const burst = await ctl('POST', '/_sim/gateway/dispatch', { events: Array.from({ length: 10 }, (_, i) => mk(i)) });
  const code = await c.closed;
  const got = c.inbox.filter((m) => m.op === 0 && m.t === 'GUILD_AUDIT_LOG_ENTRY_CREATE').map((m) => (m as any).d.id);
  expect(code === 1006 && got.length <= 5 && burst.results[5].deliveries[0].sent === false, 'drop after 5 dispatches: socket destroyed (1006)', { code, got });
  const later = await ctl('POST', '/_sim/gateway/dispatch', { events: [mk(10), mk(11), mk(12)] });
  seen = c.lastSeq!;
  c = await open('/gateway-resume');
  c.send(GatewayOpcodes.Resume, { token: botToken, session_id: sa, seq: seen });
  resumed = await c.next(isDispatch('RESUMED'));
  const replay = c.inbox.filter((m) => m.op === 0 && m.t === 'GUILD_AUDIT_LOG_ENTRY_CREATE') as any[];
  const ids = [...got, ...replay.map((m) => m.d.id)];
  expect(
    ids.join() === Array.from({ length: 13 }, (_, i) => String(i)).join() &&
      replay.every((m, i) => m.s === seen + 1 + i) &&
      resumed.s === later.results[2].s + 1,
    'RESUME on resume_gateway_url replays exactly the missed events in order, then RESUMED',
    { seen, ids },
  );
  c.inbox.length = 0;

  // --- op 7, invalid session, close codes
  await ctl('POST', '/_sim/gateway/faults', { session: sa, kind: 'reconnect' });
  expect((await c.next((m) => m.op === GatewayOpcodes.Reconnect)).op === 7, 'fault reconnect → op 7');
  seen = c.lastSeq!;
  await c.close(4900);
  c = await open('/gateway-resume');
  c.send(GatewayOpcodes.Resume, { token: botToken, session_id: sa, seq: seen });
  expect((await c.next(isDispatch('RESUMED'))).op === 0, 'after op 7: reconnect + RESUME → RESUMED');
  await ctl('POST', '/_sim/gateway/faults', { session: sa, kind: 'heartbeat-request' });
  expect((await c.next((m) => m.op === GatewayOpcodes.Heartbeat)).op === 1, 'fault heartbeat-request → op 1');
  await ctl('POST', '/_sim/gateway/faults', { session: sa, kind: 'invalid-session', resumable: false });
  const inv = await c.next((m) => m.op === GatewayOpcodes.InvalidSession);
  expect(inv.op === 9 && inv.d === false, 'fault invalid-session → op 9 d:false');
  c.close(1000);
  c = await open('/gateway-resume');
  c.send(GatewayOpcodes.Resume, { token: botToken, session_id: sa, seq: seen });
  const inv2 = await c.next((m) => m.op === GatewayOpcodes.InvalidSession);
  expect(inv2.op === 9 && inv2.d === false, 'RESUME of an invalidated session → op 9 d:false');
  c.send(GatewayOpcodes.Resume, { token: botToken, session_id: 'nope', seq: 1 });
  const inv3 = await c.next((m) => m.op === GatewayOpcodes.InvalidSession);
  expect(inv3.op === 9 && inv3.d === false, 'RESUME with a bad session id → op 9 d:false');
  c.close(1000);

  const closeOf = async (what: string, want: number, act: (x: GatewayTestClient) => void, path = '/gateway', query = '?v=10&encoding=json') => {
    const x = await open(path, query);
    act(x);
    const got2 = await Promise.race([x.closed, sleep(3000).then(() => -1)]);
    expect(got2 === want, `${what} → close ${want}`, got2);
  };
  await closeOf('bad token', GatewayCloseCodes.AuthenticationFailed, (x) => x.identify('wrong', 513));
  await closeOf('shard [2, 2]', GatewayCloseCodes.InvalidShard, (x) => x.identify(botToken, 513, { shard: [2, 2] }));
  await closeOf('unknown intent bit', GatewayCloseCodes.InvalidIntents, (x) => x.identify(botToken, 1 << 30));
  await ctl('POST', '/_sim/gateway/config', { privilegedIntents: 0 });
  await closeOf('privileged intent not enabled', GatewayCloseCodes.DisallowedIntents, (x) => x.identify(botToken, I.Guilds | I.GuildMembers));
  await ctl('POST', '/_sim/gateway/config', { privilegedIntents: I.GuildMembers | I.GuildPresences | I.MessageContent });
  await closeOf('v=9', GatewayCloseCodes.InvalidAPIVersion, () => {}, '/gateway', '?v=9&encoding=json');
  await closeOf('payload over 4096 bytes', GatewayCloseCodes.DecodeError, (x) => x.send(3, { pad: 'x'.repeat(5000) }));
  await closeOf('op 8 before identifying', GatewayCloseCodes.NotAuthenticated, (x) => x.send(8, { guild_id: g.guildId, limit: 0 }));
  await closeOf('IDENTIFY twice', GatewayCloseCodes.AlreadyAuthenticated, (x) => {
    x.identify(botToken, 1);
    x.identify(botToken, 1);
  });
  await closeOf('unknown opcode', GatewayCloseCodes.UnknownOpcode, (x) => x.send(99, null));
  await ctl('POST', '/_sim/gateway/config', { sendLimit: 5 });
  await closeOf('6 payloads with a limit of 5', GatewayCloseCodes.RateLimited, (x) => {
    for (let i = 0; i < 6; i++) x.heartbeat();
  });
  await ctl('POST', '/_sim/gateway/config', { sendLimit: 120, heartbeatIntervalMs: 200 });
  const t0 = Date.now();
  await closeOf('no heartbeat for interval × 1.5', GatewayCloseCodes.UnknownError, () => {});
  expect(Date.now() - t0 >= 250, 'heartbeat deadline waited for interval × 1.5');
  await ctl('POST', '/_sim/gateway/config', { heartbeatIntervalMs: 1000 });
  const q = await open();
  q.identify(botToken, 1);
  await q.next(isDispatch('READY'));
  await ctl('POST', '/_sim/gateway/config', { identifyIntervalMs: 5000 });
  const q2 = await open();
  q2.identify(botToken, 1);
  const rl = await q2.next((m) => m.op === GatewayOpcodes.InvalidSession);
  expect(rl.op === 9 && rl.d === false, 'second IDENTIFY within 5 s on the same rate_limit_key → op 9 d:false');
  const sq = (await ctl('GET', '/_sim/gateway/sessions')).sessions.find((s: any) => s.state === 'connected' && s.intents === 1);
  await ctl('POST', '/_sim/gateway/faults', { session: sq.id, kind: 'close', code: 4009 });
  expect((await q.closed) === 4009, 'fault close 4009 → client sees 4009');
  const after = (await ctl('GET', '/_sim/gateway/sessions')).sessions.find((s: any) => s.id === sq.id);
  expect(after.state === 'invalidated' && after.closeCodesSent.includes(4009), 'close 4009 ends the session', after);
  q2.close(1000);
  await ctl('POST', '/_sim/gateway/config', { identifyIntervalMs: 0 });

  // --- flood: 20,000 events to one connection, in order, exactly once
  const f = await open();
  f.autoHeartbeat(800);
  f.identify(botToken, I.Guilds | I.GuildMessages | I.MessageContent);
  await f.next(isDispatch('READY'));
  const N = 20_000;
  let count = 0;
  let dupOrGap = 0;
  let lastS = 0;
  const perGuild = new Map<string, number>();
  let done!: () => void;
  const all = new Promise<void>((r) => {
    done = r;
  });
  f.onDispatch = (m) => {
    if (m.t !== GatewayDispatchEvents.MessageCreate) return false;
    const mark = (m.d as any).sim_flood;
    if (!mark) return false;
    if (m.s !== lastS + 1 && lastS !== 0) dupOrGap++;
    lastS = m.s;
    const prev = perGuild.get(m.d.guild_id!) ?? 0;
    if (mark.guild_seq !== prev + 1) dupOrGap++;
    perGuild.set(m.d.guild_id!, mark.guild_seq);
    if (++count === N) done();
    return true;
  };
  const start = performance.now();
  const flood = await ctl('POST', '/_sim/gateway/flood', { guilds: 4, events: N });
  await Promise.race([all, sleep(30_000)]);
  const ms = performance.now() - start;
  expect(count === N && dupOrGap === 0 && flood.sent === N && flood.delivered === N, `flood of ${N} events received in order, exactly once`, {
    count,
    dupOrGap,
    flood: { ...flood, first: undefined, last: undefined },
  });
  console.log(
    `     flood: ${N} events in ${ms.toFixed(0)} ms at the client → ${Math.round(N / (ms / 1000))} events/s (server send loop ${flood.durationMs} ms, ${flood.ratePerS} events/s)`,
  );
  f.close(1000);

  // --- observability
  const log = await ctl('GET', '/_sim/gateway/log?since=0');
  const ops = new Set(log.entries.map((e: any) => e.op));
  expect(
    [0, 1, 2, 6, 7, 9, 10, 11].every((o) => ops.has(o)) && log.entries.some((e: any) => e.code === 'drop'),
    'protocol log records opcodes, closes and drops',
  );
  const view = await ctl('GET', '/_sim/gateway/sessions');
  const va = view.sessions.find((s: any) => s.id === sa);
  expect(
    va.resumeCount === 3 && va.resumesOnGatewayUrl === 0 && va.heartbeats > 0 && va.state === 'invalidated',
    'sessions view (resumes, heartbeats, state)',
    va,
  );
  await ctl('POST', '/_sim/reset');
  const cleared = await ctl('GET', '/_sim/gateway/sessions');
  expect(cleared.sessions.length === 0 && cleared.config.heartbeatIntervalMs === 41250, '/_sim/reset clears the gateway');
}
