// Fan-out from one ticket change to N staff sockets in the guild's inbox room:
// the whole path (staff API request → TicketActor → guild notification →
// partyserver broadcast → every socket), measured per socket from the moment
// the change request is sent. One socket is the reference, in the same run.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalStack } from '../scripts/local-stack.ts';
import { signStaffToken } from '../src/features/inbox/token.ts';

export interface FanoutResult {
  sockets: number;
  changes: number;
  /** Latency per (socket, change), from sending the change request. */
  latencyMs: { p50: number; p99: number; max: number };
  /** The same, from the ticket actor's commit of the change (its updatedAt). */
  fromCommitMs: { p50: number; p99: number };
  received: number;
  expected: number;
  connectMs: number;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

interface Demo {
  guildId: string;
  staffId: string;
  memberIds: string[];
  supportChannelId: string;
}

async function openTicket(simUrl: string, demo: Demo, memberId: string): Promise<number> {
  const r = await fetch(`${simUrl}/_sim/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 2,
      guild_id: demo.guildId,
      channel_id: demo.supportChannelId,
      user_id: memberId,
      deliver: true,
      data: {
        name: 'ticket',
        type: 1,
        options: [
          {
            name: 'open',
            type: 1,
            options: [
              { name: 'issue_type', type: 3, value: 'bug' },
              { name: 'severity', type: 3, value: 'high' },
              { name: 'subject', type: 3, value: 'fan-out' },
            ],
          },
        ],
      },
    }),
  });
  const body = (await r.json()) as { response: { data: { content: string } } };
  const n = /Ticket #(\d+)/.exec(body.response.data.content)?.[1];
  if (!n) throw new Error(`ticket not opened: ${body.response.data.content}`);
  return Number(n);
}

async function measure(
  workerUrl: string,
  linkToken: string,
  ticketId: string,
  sockets: number,
  changes: number,
  startVersion: number,
): Promise<FanoutResult & { endVersion: number }> {
  const auth = { Authorization: `Bearer ${linkToken}`, 'content-type': 'application/json' };
  const inbox = (await (await fetch(`${workerUrl}/api/guilds/${ticketId.split('-')[0]}/inbox`, { headers: auth })).json()) as { socketToken: string };
  // The socket token travels as a subprotocol, as the inbox page sends it (never in the URL).
  const wsUrl = `${workerUrl.replace(/^http/, 'ws')}/parties/guild/${ticketId.split('-')[0]}`;
  const protocols = ['guildkeep', `guildkeep.auth.${inbox.socketToken}`];
  const waiters = new Map<number, { t0: number; commit: number; got: number[]; commitLat: number[] }>();
  const t0c = performance.now();
  const all: WebSocket[] = [];
  await Promise.all(
    Array.from(
      { length: sockets },
      () =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(wsUrl, protocols);
          all.push(ws);
          const timer = setTimeout(() => reject(new Error('socket did not open in 20 s')), 20_000);
          ws.addEventListener('message', (e: { data: unknown }) => {
            const m = JSON.parse(String(e.data)) as { type: string; ticket?: { id: string; version: number; updatedAt: number } };
            if (m.type === 'inbox') {
              clearTimeout(timer);
              resolve();
              return;
            }
            if (m.type !== 'ticket' || m.ticket?.id !== ticketId) return;
            const w = waiters.get(m.ticket.version);
            if (w) {
              w.got.push(performance.now() - w.t0);
              w.commitLat.push(Date.now() - m.ticket.updatedAt);
            }
          });
          ws.addEventListener('error', () => reject(new Error('socket error')));
        }),
    ),
  );
  const connectMs = performance.now() - t0c;
  let version = startVersion;
  for (let i = 0; i < changes; i++) {
    const status = i % 2 === 0 ? 'waiting' : 'escalated';
    const w = { t0: performance.now(), commit: 0, got: [] as number[], commitLat: [] as number[] };
    waiters.set(version + 1, w);
    const r = await fetch(`${workerUrl}/api/tickets/${ticketId}/actions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kind: 'act', version, action: { kind: 'set-status', status } }),
    });
    if (r.status !== 200) throw new Error(`change refused: ${r.status} ${await r.text()}`);
    await r.body?.cancel();
    version++;
    // Wait (bounded) for every socket to hear of it before the next change.
    const until = performance.now() + 5000;
    while (w.got.length < sockets && performance.now() < until) await new Promise((res) => setTimeout(res, 5));
    await new Promise((res) => setTimeout(res, 50));
  }
  for (const ws of all) ws.close();
  const lat = [...waiters.values()].flatMap((w) => w.got).sort((a, b) => a - b);
  const commit = [...waiters.values()].flatMap((w) => w.commitLat).sort((a, b) => a - b);
  return {
    sockets,
    changes,
    received: lat.length,
    expected: sockets * changes,
    connectMs,
    latencyMs: { p50: pct(lat, 50), p99: pct(lat, 99), max: lat.at(-1) ?? NaN },
    fromCommitMs: { p50: pct(commit, 50), p99: pct(commit, 99) },
    endVersion: version,
  };
}

/** Its own stack (with a staff-link secret), so the main phases' background work is gone. */
export async function runFanoutBench(opts: { workerPort: number; simPort: number; sizes: number[]; changes: number }): Promise<FanoutResult[]> {
  const persistTo = mkdtempSync(join(tmpdir(), 'guildkeep-bench-fanout-'));
  const secret = randomBytes(16).toString('hex');
  const stack = await startLocalStack({ workerPort: opts.workerPort, simPort: opts.simPort, persistTo, quiet: true, vars: { STAFF_LINK_SECRET: secret } });
  try {
    const demo = stack.sim.demo as unknown as Demo;
    const link = await signStaffToken(secret, { guildId: demo.guildId, userId: demo.staffId, exp: Math.floor(Date.now() / 1000) + 3600 });
    const n = await openTicket(stack.sim.url, demo, demo.memberIds[0]!);
    const ticketId = `${demo.guildId}-${n}`;
    // Claim first: waiting/escalated then alternate.
    const auth = { Authorization: `Bearer ${link}`, 'content-type': 'application/json' };
    await (
      await fetch(`${stack.workerUrl}/api/tickets/${ticketId}/actions`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ kind: 'act', version: 1, action: { kind: 'claim' } }),
      })
    ).body?.cancel();
    let version = 2;
    const out: FanoutResult[] = [];
    for (const sockets of [1, ...opts.sizes]) {
      const r = await measure(stack.workerUrl, link, ticketId, sockets, opts.changes, version);
      version = r.endVersion;
      const { endVersion: _v, ...result } = r;
      out.push(result);
      console.log(
        `  fan-out to ${String(sockets).padStart(3)} sockets: p50 ${result.latencyMs.p50.toFixed(1)} ms  p99 ${result.latencyMs.p99.toFixed(1)} ms  (${result.received}/${result.expected} received, connect ${result.connectMs.toFixed(0)} ms)`,
      );
    }
    return out;
  } finally {
    await stack.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
