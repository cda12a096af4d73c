import type { APIMessage } from 'discord-api-types/v10';
import { type Delivered, deliver, eventually, guildSnapshot, type InteractionSpec, type TestGuild } from '../../helpers.ts';

/** Options of an /event call. */
export function event(g: TestGuild, userId: string, sub: string, options: Record<string, string | number | boolean> = {}): InteractionSpec {
  const leaf = Object.entries(options).map(([name, value]) => ({
    name,
    value,
    type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? 4 : name === 'channel' ? 7 : 3,
  }));
  return {
    type: 2,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: userId,
    data: { name: 'event', type: 1, options: [{ name: sub, type: 1, options: leaf }] },
  };
}

export const content = (d: Delivered) => (d.response as { data?: { content?: string } } | null)?.data?.content ?? '';

/** Fills and sends the form a command opened (create or edit); returns the command's answer when it opened none. */
export async function submitForm(
  g: TestGuild,
  opened: Delivered,
  fields: { title?: string; description?: string; start: string; duration?: string },
  userId = g.adminId,
): Promise<Delivered> {
  const customId = (opened.response as { data?: { custom_id?: string } }).data?.custom_id;
  if (!customId) return opened;
  const row = (custom_id: string, value: string) => ({ type: 1, components: [{ type: 4, custom_id, value }] });
  return deliver({
    type: 5,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: userId,
    data: {
      custom_id: customId,
      components: [
        row('title', fields.title ?? 'Raid night'),
        row('description', fields.description ?? 'Bring potions.'),
        row('start', fields.start),
        row('duration', fields.duration ?? '2h'),
      ],
    },
  });
}

/** /event create through the real form. */
export async function createEvent(
  g: TestGuild,
  options: Record<string, string | number>,
  fields: { title?: string; description?: string; start: string; duration?: string },
): Promise<Delivered> {
  return submitForm(g, await deliver(event(g, g.adminId, 'create', options)), fields);
}

export const messagesIn = async (g: TestGuild, channelId: string): Promise<APIMessage[]> => (await guildSnapshot(g.guildId)).messages[channelId] ?? [];

/** The post of an event (by its title), once it is there and matches `check`. */
export async function eventPost(g: TestGuild, title: string, check: (m: APIMessage) => boolean = () => true, what = `post ${title}`): Promise<APIMessage> {
  return eventually(async () => (await messagesIn(g, g.generalChannelId)).find((m) => m.embeds?.[0]?.title === title && check(m)), 8000, what);
}

export const field = (m: APIMessage, prefix: string) => m.embeds[0]?.fields?.find((f) => f.name.startsWith(prefix));
