import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deliverSigned, lastSeq, newGuild, simApi, simLog, slash } from '../helpers.ts';

const signRaw = (body: string) => simApi<{ headers: Record<string, string> }>('/_sim/sign', { body: { body } });
const post = async (body: string) => SELF.fetch('http://guildkeep.test/interactions', { method: 'POST', headers: (await signRaw(body)).headers, body });

describe('POST /interactions with a signed but malformed body', () => {
  it('answers 400 with the field at fault, and touches nothing', async () => {
    const g = await newGuild();
    const signed = await simApi<{ interaction: Record<string, unknown>; body: string; headers: Record<string, string> }>('/_sim/interactions', {
      body: slash(g, g.memberIds[0]!, 'ticket open', { issue_type: 'crash', severity: 'high', subject: 'x' }),
    });
    const before = await lastSeq();
    const broken: [Record<string, unknown>, string][] = [
      [{ ...signed.interaction, data: undefined }, 'data must be an object for interaction type 2'],
      [
        { ...signed.interaction, member: { ...(signed.interaction.member as object), user: undefined } },
        'member.user must be an object (an interaction outside a server names its user)',
      ],
      [{ ...signed.interaction, type: 3, data: { component_type: 2 } }, 'data.custom_id must be a string of 1–100 characters'],
      [{ ...signed.interaction, type: 5, data: { custom_id: `ticket:details:${g.guildId}:crash.high` } }, 'data.components must be an array'],
    ];
    for (const [body, message] of broken) {
      const res = await post(JSON.stringify(body));
      expect(res.status, message).toBe(400);
      expect(await res.json()).toEqual({ error: `malformed interaction: ${message}` });
    }
    const nullBody = await post('null');
    expect(nullBody.status).toBe(400);
    await nullBody.body?.cancel();
    expect(await simLog(before)).toEqual([]);
    // The well-formed original still works.
    expect((await deliverSigned(signed as never)).status).toBe(200);
  });
});
