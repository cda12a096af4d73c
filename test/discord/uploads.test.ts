import { type APIInteraction, type APIMessage, InteractionResponseType, MessageFlags, Routes } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordRest, withAttachments } from '../../src/discord/rest.ts';
import { encodeGrayPng } from '../../src/lib/png.ts';
import { lastSeq, newGuild, sim, simApi, simLog } from '../helpers.ts';

const client = () => new DiscordRest({ token: sim.botToken, apiBase: sim.apiBase, backoffBaseMs: 20 });
const text = (s: string) => new TextEncoder().encode(s);
const png = (w: number, h: number) => encodeGrayPng(w, h, new Uint8Array(w * h).fill(128));
const download = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

afterEach(async () => {
  await simApi('/_sim/faults', { method: 'DELETE' });
});

describe('REST client uploads files as multipart/form-data', () => {
  it('merges one attachments entry per file into the body, keeping what the caller gave', () => {
    const files = [
      { name: 'a.png', contentType: 'image/png', data: new Uint8Array(1) },
      { name: 'b.txt', contentType: 'text/plain', data: new Uint8Array(1) },
    ];
    expect(withAttachments({ content: 'hi', attachments: [{ id: '123' }, { id: 1, description: 'notes' }] }, files)).toEqual({
      content: 'hi',
      attachments: [{ id: '123' }, { id: '1', filename: 'b.txt', description: 'notes' }, { id: '0', filename: 'a.png' }],
    });
    expect(withAttachments(undefined, files.slice(0, 1))).toEqual({ attachments: [{ id: '0', filename: 'a.png' }] });
  });

  it('posts a channel message with a PNG and a text file: attachments with sizes, image dimensions and bytes served back', async () => {
    const g = await newGuild();
    const before = await lastSeq();
    const image = png(7, 5);
    const r = await client().post<APIMessage>(Routes.channelMessages(g.generalChannelId), {
      body: { content: 'report', attachments: [{ id: '0', description: 'the chart' }] },
      files: [
        { name: 'chart.png', contentType: 'image/png', data: image },
        { name: 'notes.txt', contentType: 'text/plain', data: text('line one\nline two\n') },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const [a, b] = r.value.attachments;
    expect(r.value.content).toBe('report');
    expect(a).toMatchObject({ filename: 'chart.png', size: image.length, content_type: 'image/png', width: 7, height: 5, description: 'the chart' });
    expect(b).toMatchObject({ filename: 'notes.txt', size: 18, content_type: 'text/plain' });
    expect(b!.width).toBeUndefined();
    expect(new URL(a!.url).origin).toBe(sim.url);
    expect(new URL(a!.url).pathname).toBe(`/attachments/${g.generalChannelId}/${a!.id}/chart.png`);
    expect(await download(a!.url)).toEqual(image);
    expect(new TextDecoder().decode(await download(b!.proxy_url))).toBe('line one\nline two\n');

    // Read back, the message carries the same attachments.
    const read = await client().get<APIMessage>(Routes.channelMessage(g.generalChannelId, r.value.id));
    expect(read.ok && read.value.attachments.map((x) => x.id)).toEqual([a!.id, b!.id]);

    const [call] = (await simLog(before)).filter((c) => c.route === 'POST /channels/{channel_id}/messages');
    expect(call!.files).toEqual([
      { field: 'files[0]', filename: 'chart.png', content_type: 'image/png', size: image.length },
      { field: 'files[1]', filename: 'notes.txt', content_type: 'text/plain', size: 18 },
    ]);
    expect(call!.request).toMatchObject({ attachments: [{ description: 'the chart', filename: 'chart.png' }, { filename: 'notes.txt' }] });
    expect(call!.openapi).toEqual({ checked: true, errors: [] });
  });

  it('sends a file in a DM', async () => {
    const g = await newGuild();
    const rest = client();
    const dm = await rest.post<{ id: string }>(Routes.userChannels(), { body: { recipient_id: g.memberIds[0] } });
    if (!dm.ok) throw new Error(JSON.stringify(dm.error));
    const r = await rest.post<APIMessage>(Routes.channelMessages(dm.value.id), { files: [{ name: 'card.png', contentType: 'image/png', data: png(3, 2) }] });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.attachments).toMatchObject([{ filename: 'card.png', width: 3, height: 2 }]);
    expect(new URL(r.value.attachments[0]!.url).pathname).toBe(`/attachments/${dm.value.id}/${r.value.attachments[0]!.id}/card.png`);
  });

  it('resends the same form when it retries after a 502', async () => {
    const g = await newGuild();
    const before = await lastSeq();
    await simApi('/_sim/faults', { body: { method: 'POST', path: `^/channels/${g.generalChannelId}/messages$`, status: 502, times: 1 } });
    const data = text('retried bytes');
    const r = await client().post<APIMessage>(Routes.channelMessages(g.generalChannelId), { files: [{ name: 'r.txt', contentType: 'text/plain', data }] });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(await download(r.value.attachments[0]!.url)).toEqual(data);
    const calls = (await simLog(before)).filter((c) => c.route === 'POST /channels/{channel_id}/messages');
    expect(calls.map((c) => c.status)).toEqual([502, 200]);
    expect(calls.map((c) => c.files?.[0]?.size)).toEqual([data.length, data.length]);
  });

  it('edits a channel message: listed attachments are kept, new files added, unlisted ones removed', async () => {
    const g = await newGuild();
    const rest = client();
    const first = await rest.post<APIMessage>(Routes.channelMessages(g.generalChannelId), {
      body: { content: 'v1' },
      files: [
        { name: 'keep.txt', contentType: 'text/plain', data: text('keep') },
        { name: 'drop.txt', contentType: 'text/plain', data: text('drop') },
      ],
    });
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    const keep = first.value.attachments[0]!;
    const edited = await rest.patch<APIMessage>(Routes.channelMessage(g.generalChannelId, first.value.id), {
      body: { content: 'v2', attachments: [{ id: keep.id }] },
      files: [{ name: 'new.txt', contentType: 'text/plain', data: text('new') }],
    });
    if (!edited.ok) throw new Error(JSON.stringify(edited.error));
    expect(edited.value.attachments.map((a) => a.filename)).toEqual(['keep.txt', 'new.txt']);
    expect(edited.value.attachments[0]!.id).toBe(keep.id);
    // A JSON edit that lists no attachments removes them all.
    const cleared = await rest.patch<APIMessage>(Routes.channelMessage(g.generalChannelId, first.value.id), { body: { attachments: [] } });
    expect(cleared.ok && cleared.value.attachments).toEqual([]);
  });

  it('answers an interaction, then edits @original and sends a follow-up, each with a file', async () => {
    const g = await newGuild();
    const rest = client();
    const { interaction } = await simApi<{ interaction: APIInteraction }>('/_sim/interactions', {
      body: { type: 2, guild_id: g.guildId, channel_id: g.generalChannelId, user_id: g.memberIds[0], data: { name: 'export', type: 1 } },
    });
    const before = await lastSeq();
    const cb = await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } },
    });
    expect(cb.ok).toBe(true);
    const original = await rest.patch<APIMessage>(Routes.webhookMessage(sim.applicationId, interaction.token, '@original'), {
      body: { content: 'your export' },
      files: [{ name: 'export.csv', contentType: 'text/csv', data: text('a,b\n1,2\n') }],
    });
    if (!original.ok) throw new Error(JSON.stringify(original.error));
    expect(original.value.attachments).toMatchObject([{ filename: 'export.csv', size: 8, content_type: 'text/csv' }]);
    const follow = await rest.post<APIMessage>(Routes.webhook(sim.applicationId, interaction.token), {
      body: { flags: MessageFlags.Ephemeral },
      files: [{ name: 'more.png', contentType: 'image/png', data: png(16, 16) }],
    });
    if (!follow.ok) throw new Error(JSON.stringify(follow.error));
    expect(follow.value.attachments).toMatchObject([{ filename: 'more.png', width: 16, height: 16 }]);
    const editFollow = await rest.patch<APIMessage>(Routes.webhookMessage(sim.applicationId, interaction.token, follow.value.id), {
      body: { attachments: [] },
      files: [{ name: 'replaced.txt', contentType: 'text/plain', data: text('x') }],
    });
    expect(editFollow.ok && editFollow.value.attachments.map((a) => a.filename)).toEqual(['replaced.txt']);
    const calls = (await simLog(before)).filter((c) => c.route?.startsWith('PATCH /webhooks') || c.route?.startsWith('POST /webhooks'));
    expect(calls).toHaveLength(3);
    for (const c of calls) expect(c.openapi).toEqual({ checked: true, errors: [] });
  });

  it('answers an interaction with a file in the callback itself', async () => {
    const g = await newGuild();
    const { interaction } = await simApi<{ interaction: APIInteraction }>('/_sim/interactions', {
      body: { type: 2, guild_id: g.guildId, channel_id: g.generalChannelId, user_id: g.memberIds[0], data: { name: 'export', type: 1 } },
    });
    const before = await lastSeq();
    const cb = await client().post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'here it is' } },
      query: { with_response: true },
      files: [{ name: 'data.json', contentType: 'application/json', data: text('{"a":1}') }],
    });
    if (!cb.ok) throw new Error(JSON.stringify(cb.error));
    const msg = (cb.value as { resource: { message: APIMessage } }).resource.message;
    expect(msg.attachments).toMatchObject([{ filename: 'data.json', size: 7, content_type: 'application/json' }]);
    const [call] = await simLog(before);
    expect(call!.request).toEqual({ type: 4, data: { content: 'here it is', attachments: [{ id: '0', filename: 'data.json' }] } });
    expect(call!.openapi).toEqual({ checked: true, errors: [] });
  });
});
