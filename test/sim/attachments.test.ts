import { type APIAttachment, type APIChatInputApplicationCommandInteraction, type APIMessage, type APIUser, Routes } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { newGuild, sim, simApi, slash, uploadAttachment } from '../helpers.ts';

/** A raw multipart request to the simulator, marked so the suite's OpenAPI audit of the bot's own requests leaves it out. */
async function upload(method: string, path: string, form: FormData) {
  const res = await fetch(sim.apiBase + path, { method, headers: { Authorization: `Bot ${sim.botToken}`, 'X-Sim-Deliberately-Invalid': '1' }, body: form });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

function form(payload: unknown, files: { name: string; size: number; field?: string }[]): FormData {
  const f = new FormData();
  f.append('payload_json', typeof payload === 'string' ? payload : JSON.stringify(payload));
  files.forEach((file, n) => {
    f.append(file.field ?? `files[${n}]`, new Blob([new Uint8Array(file.size)], { type: 'application/octet-stream' }), file.name);
  });
  return f;
}

// The smallest JPEG header the size reader needs: SOI, an APP0 segment, then SOF0 with height 32 and width 64.
const JPEG = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00,
  0x20, 0x00, 0x40, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
]);

const pngSize = (b: Uint8Array) => {
  const v = new DataView(b.buffer, b.byteOffset);
  return { width: v.getUint32(16), height: v.getUint32(20) };
};

describe('the simulator takes file uploads as Discord documents them', () => {
  it('refuses more than 10 files (30015), a file over 10 MiB (413, 40005), bad payload_json (50109) and unknown placeholders (50146)', async () => {
    const [a, b] = [await newGuild(), await newGuild()];
    const channels = [a.generalChannelId, a.supportChannelId, b.generalChannelId, b.supportChannelId];
    let n = 0;
    const post = (f: FormData) => upload('POST', Routes.channelMessages(channels[n++ % channels.length]!), f);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.bin`, size: 1 }));
    expect((await post(form({}, eleven))).body).toMatchObject({ code: 30015 });
    const big = await post(form({}, [{ name: 'big.bin', size: 10 * 1024 * 1024 + 1 }]));
    expect(big).toMatchObject({ status: 413, body: { code: 40005 } });
    expect((await post(form('{not json', [{ name: 'x.bin', size: 1 }]))).body).toMatchObject({ code: 50109 });
    expect((await post(form({ attachments: [{ id: '3', filename: 'x.bin' }] }, [{ name: 'x.bin', size: 1 }]))).body).toMatchObject({ code: 50146 });
    expect((await post(form({}, [{ name: 'x.bin', size: 1, field: 'upload' }]))).body).toMatchObject({ code: 50035 });
    // Ten files, with no content or payload besides them, are a valid message.
    const ten = await post(
      form(
        {},
        Array.from({ length: 10 }, (_, i) => ({ name: `ok${i}.bin`, size: 2 })),
      ),
    );
    expect(ten.status).toBe(200);
    expect((ten.body as unknown as APIMessage).attachments).toHaveLength(10);
  });

  it('hosts a member’s upload and resolves it for an ATTACHMENT command option and on the member’s message', async () => {
    const g = await newGuild();
    const csv = await uploadAttachment('members.csv', 'text/csv', 'name,level\nada,3\n');
    expect(csv).toMatchObject({ filename: 'members.csv', content_type: 'text/csv', size: 17 });
    expect(await (await fetch(csv.url)).text()).toBe('name,level\nada,3\n');
    const photo = await uploadAttachment('photo.jpg', 'image/jpeg', JPEG);
    expect(photo).toMatchObject({ width: 64, height: 32, size: JPEG.length });
    expect(new Uint8Array(await (await fetch(photo.url)).arrayBuffer())).toEqual(JPEG);

    const { interaction } = await simApi<{ interaction: APIChatInputApplicationCommandInteraction }>('/_sim/interactions', {
      body: slash(g, g.adminId, 'faq import', { file: { attachment: csv } }),
    });
    expect(interaction.data.options).toEqual([{ name: 'import', type: 1, options: [{ name: 'file', type: 11, value: csv.id }] }]);
    expect(interaction.data.resolved?.attachments?.[csv.id]).toEqual(csv);

    const message = await simApi<APIMessage>(`/_sim/channels/${g.generalChannelId}/messages`, {
      body: { user_id: g.memberIds[0], content: '', attachments: [csv.id, photo.id] },
    });
    expect(message.attachments.map((x: APIAttachment) => x.id)).toEqual([csv.id, photo.id]);
  });

  it('gives members avatars and serves them, and the default avatars, as PNGs on its own origin', async () => {
    const g = await newGuild();
    const get = async <T>(path: string) => (await (await fetch(sim.apiBase + path, { headers: { Authorization: `Bot ${sim.botToken}` } })).json()) as T;
    // The bot has no avatar (its default one applies); members have one.
    expect((await get<APIUser>('/users/@me')).avatar).toBeNull();
    const member = await get<{ user: APIUser }>(Routes.guildMember(g.guildId, g.memberIds[0]!));
    expect(member.user.avatar).toMatch(/^[0-9a-f]{32}$/);
    const res = await fetch(`${sim.url}/avatars/${member.user.id}/${member.user.avatar}.png`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({ width: 128, height: 128 });
    const small = await fetch(`${sim.url}/avatars/${member.user.id}/${member.user.avatar}.png?size=64`);
    expect(pngSize(new Uint8Array(await small.arrayBuffer()))).toEqual({ width: 64, height: 64 });
    expect((await fetch(`${sim.url}/avatars/${member.user.id}/${'0'.repeat(32)}.png`)).status).toBe(404);
    const fallback = await fetch(`${sim.url}/embed/avatars/3.png`);
    expect(fallback.status).toBe(200);
    expect(pngSize(new Uint8Array(await fallback.arrayBuffer()))).toEqual({ width: 128, height: 128 });
    expect((await fetch(`${sim.url}/embed/avatars/6.png`)).status).toBe(404);
  });
});
