import { describe, expect, it } from 'vitest';
import { DEFAULT_API_BASE } from '../../src/discord/api-base.ts';
import { fetchAttachment } from '../../src/discord/attachments.ts';
import { sim, uploadAttachment } from '../helpers.ts';

const CSV = 'name,points\nada,30\ngus,12\n';

describe('fetchAttachment downloads members’ files safely', () => {
  it('downloads an attachment from the configured API base’s origin (the simulator’s CDN)', async () => {
    const att = await uploadAttachment('points.csv', 'text/csv', CSV);
    const r = await fetchAttachment(att, sim.apiBase, 1024);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(new TextDecoder().decode(r.value)).toBe(CSV);
  });

  it('refuses a file larger than the limit, by its declared size and by the bytes actually served', async () => {
    const att = await uploadAttachment('big.csv', 'text/csv', 'x'.repeat(5000));
    expect(await fetchAttachment(att, sim.apiBase, 4096)).toEqual({ ok: false, error: { kind: 'too-large', size: 5000, maxBytes: 4096 } });
    // An attachment object that understates its size is still cut off at the limit.
    const lying = await fetchAttachment({ url: att.url, size: 10 }, sim.apiBase, 4096);
    expect(lying.ok === false && lying.error.kind).toBe('too-large');
  });

  it('fetches only from Discord’s CDN hosts or the API base’s origin', async () => {
    const att = await uploadAttachment('points.csv', 'text/csv', CSV);
    // The simulator is not Discord's CDN: with Discord's API base, its URL is foreign.
    expect(await fetchAttachment(att, DEFAULT_API_BASE, 1024)).toEqual({ ok: false, error: { kind: 'bad-host', host: new URL(sim.url).host } });
    for (const url of [
      'https://evil.example/attachments/1/2/a.csv',
      'http://cdn.discordapp.com/attachments/1/2/a.csv',
      'https://cdn.discordapp.com.evil.example/a.csv',
    ]) {
      const r = await fetchAttachment({ url, size: 10 }, sim.apiBase, 1024);
      expect(r.ok === false && r.error.kind).toBe('bad-host');
    }
    expect(await fetchAttachment({ url: 'not a url', size: 1 }, sim.apiBase, 1024)).toMatchObject({ ok: false, error: { kind: 'bad-host' } });
  });

  it('reports a missing file as an HTTP error', async () => {
    const att = await uploadAttachment('gone.csv', 'text/csv', CSV);
    const url = new URL(att.url);
    url.pathname = url.pathname.replace('gone.csv', 'other.csv');
    expect(await fetchAttachment({ url: url.toString(), size: 10 }, sim.apiBase, 1024)).toEqual({ ok: false, error: { kind: 'http', status: 404 } });
  });
});
