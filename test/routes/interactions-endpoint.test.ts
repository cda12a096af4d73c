import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { guildActor } from '../../src/runtime/actors.ts';
import { deliver, env, lastSeq, newGuild, simApi, simLog, slash } from '../helpers.ts';

const post = (headers: Record<string, string>, body: string) => SELF.fetch('http://guildkeep.test/interactions', { method: 'POST', headers, body });
const signRaw = (body: string, timestamp?: number) => simApi<{ headers: Record<string, string> }>('/_sim/sign', { body: { body, timestamp } });

describe('POST /interactions', () => {
  it('answers PING with PONG', async () => {
    const d = await deliver({ type: 1 });
    expect(d.status).toBe(200);
    expect(d.response).toEqual({ type: 1 });
  });

  it('refuses missing, malformed and wrong signatures with 401, and does nothing else', async () => {
    const g = await newGuild();
    const signed = await simApi<{ body: string; headers: Record<string, string> }>('/_sim/interactions', {
      body: slash(g, g.memberIds[0]!, 'ticket open', { issue_type: 'crash', severity: 'high', subject: 'x' }),
    });
    const before = await lastSeq();
    const sig = signed.headers['X-Signature-Ed25519']!;
    const ts = signed.headers['X-Signature-Timestamp']!;
    const cases: [string, Record<string, string>, string][] = [
      ['no headers', { 'content-type': 'application/json' }, signed.body],
      ['no timestamp', { 'X-Signature-Ed25519': sig }, signed.body],
      ['not hex', { 'X-Signature-Ed25519': 'zz'.repeat(64), 'X-Signature-Timestamp': ts }, signed.body],
      ['short', { 'X-Signature-Ed25519': sig.slice(0, 64), 'X-Signature-Timestamp': ts }, signed.body],
      ['other body', { 'X-Signature-Ed25519': sig, 'X-Signature-Timestamp': ts }, signed.body.replace('"x"', '"y"')],
      ['other timestamp', { 'X-Signature-Ed25519': sig, 'X-Signature-Timestamp': String(Number(ts) - 1) }, signed.body],
      ['flipped bit', { 'X-Signature-Ed25519': (sig[0] === '0' ? '1' : '0') + sig.slice(1), 'X-Signature-Timestamp': ts }, signed.body],
    ];
    for (const [name, headers, body] of cases) {
      const res = await post(headers, body);
      expect(res.status, name).toBe(401);
      await res.body?.cancel();
    }
    // Nothing reached Discord and no ticket was opened.
    expect(await simLog(before)).toEqual([]);
    const audit = await guildActor(env, g.guildId).auditLog();
    expect(audit).toEqual([]);
  });

  it('refuses timestamps older than 5 minutes', async () => {
    const old = Math.floor(Date.now() / 1000) - 301;
    const d = await deliver({ type: 1, timestamp: old });
    expect(d.status).toBe(401);
    expect(d.text).toContain('stale-timestamp');
    const fresh = await deliver({ type: 1, timestamp: Math.floor(Date.now() / 1000) - 240 });
    expect(fresh.status).toBe(200);
  });

  it('answers malformed JSON and unknown interaction types with 400 and a clear message', async () => {
    const bad = '{"type": 1,';
    const r1 = await post((await signRaw(bad)).headers, bad);
    expect(r1.status).toBe(400);
    expect(await r1.json()).toEqual({ error: 'body is not valid JSON' });
    const unknown = JSON.stringify({ type: 99, id: '1', token: 't' });
    const r2 = await post((await signRaw(unknown)).headers, unknown);
    expect(r2.status).toBe(400);
    expect(await r2.json()).toEqual({ error: 'unknown interaction type 99' });
  });

  it('routes commands to the guild actor and ticket buttons to the ticket actor without lookups', async () => {
    const g = await newGuild();
    const d = await deliver(slash(g, g.memberIds[0]!, 'ticket list'));
    expect(d.status).toBe(200);
    expect(d.response).toMatchObject({ type: 4, data: { flags: 64, content: 'Only support staff can list tickets.' } });
    // A ticket button naming a ticket of another guild is refused at the edge.
    const msg = await simApi<{ id: string }>(`/_sim/channels/${g.supportChannelId}/messages`, { body: { user_id: g.staffId, content: 'hello' } });
    const other = await deliver({
      type: 3,
      guild_id: g.guildId,
      channel_id: g.supportChannelId,
      user_id: g.staffId,
      message_id: msg.id,
      data: { custom_id: 'ticket:claim:999999999999999999-1:1', component_type: 2 },
    });
    expect(other.response).toMatchObject({ data: { content: 'That button belongs to another server.' } });
  });
});
