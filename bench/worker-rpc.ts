// Runs inside workerd (wrangler dev -c bench/wrangler.rpc.jsonc): the
// references for the gateway fan-out, i.e. how many RPCs per second one
// Durable Object can make to another in the local runtime when each call
// waits for the previous one, as a shard does per guild. `write` adds one
// SQLite write per call in the callee: its reply then waits for the commit,
// as a guild actor's applyEvents does. `fanout` spreads such calls over many
// callees at once, one in flight per callee, as a shard does over its guilds.
import { DurableObject } from 'cloudflare:workers';

interface RpcEnv {
  CALLER: DurableObjectNamespace<Caller>;
  CALLEE: DurableObjectNamespace<Callee>;
}

export type Mode = 'empty' | 'write';

export class Callee extends DurableObject<RpcEnv> {
  constructor(ctx: DurableObjectState, env: RpcEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS calls (k INTEGER PRIMARY KEY, n INTEGER NOT NULL)`);
  }

  noop(): number {
    return 0;
  }

  write(i: number): number {
    this.ctx.storage.sql.exec(`INSERT INTO calls (k, n) VALUES (1, ?) ON CONFLICT(k) DO UPDATE SET n = excluded.n`, i);
    return i;
  }
}

export class Caller extends DurableObject<RpcEnv> {
  /** `n` sequential calls; the clock advances across each awaited RPC (I/O), so the in-actor time is real. */
  async run(n: number, mode: Mode): Promise<{ n: number; innerMs: number; sum: number }> {
    const callee = this.env.CALLEE.get(this.env.CALLEE.idFromName('callee'));
    // One call before the clock starts: the callee exists and the stub is connected.
    await callee.noop();
    let sum = 0;
    const t0 = Date.now();
    for (let i = 0; i < n; i++) sum += mode === 'write' ? await callee.write(i) : await callee.noop();
    return { n, innerMs: Date.now() - t0, sum };
  }

  /** `n` write calls round-robin over `targets` callees, each callee's calls in sequence and all callees at once. */
  async fanout(n: number, targets: number): Promise<{ n: number; innerMs: number; sum: number }> {
    const callees = Array.from({ length: targets }, (_, i) => this.env.CALLEE.get(this.env.CALLEE.idFromName(`callee-${i}`)));
    await Promise.all(callees.map((c) => c.noop()));
    let sum = 0;
    const t0 = Date.now();
    await Promise.all(
      callees.map(async (c, k) => {
        for (let i = k; i < n; i += targets) {
          const v = await c.write(i);
          sum += v;
        }
      }),
    );
    return { n, innerMs: Date.now() - t0, sum };
  }
}

export default {
  async fetch(request: Request, env: RpcEnv): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n') ?? '0');
    if (url.pathname === '/fanout') {
      const targets = Number(url.searchParams.get('targets') ?? '0');
      if (!Number.isInteger(n) || n < 0 || n > 50_000 || !Number.isInteger(targets) || targets < 1 || targets > 2000)
        return Response.json({ error: 'n must be 0..50000, targets 1..2000' }, { status: 400 });
      return Response.json(await env.CALLER.get(env.CALLER.idFromName('caller')).fanout(n, targets));
    }
    if (url.pathname !== '/run') return new Response('rpc bench worker\n');
    const mode = url.searchParams.get('mode');
    if (!Number.isInteger(n) || n < 0 || n > 50_000) return Response.json({ error: 'n must be 0..50000' }, { status: 400 });
    if (mode !== 'empty' && mode !== 'write') return Response.json({ error: 'mode must be empty or write' }, { status: 400 });
    const caller = env.CALLER.get(env.CALLER.idFromName('caller'));
    return Response.json(await caller.run(n, mode));
  },
} satisfies ExportedHandler<RpcEnv>;
