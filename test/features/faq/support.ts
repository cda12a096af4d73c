import { type APIMessage, ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { guildActor } from '../../../src/runtime/actors.ts';
import { type Delivered, deliver, env, type InteractionSpec, replyText, simApi, type TestGuild } from '../../helpers.ts';

/** Shared by the FAQ tests: /faq commands with typed options, the entry form, member messages as gateway events. */

type Value = string | number | boolean;
export interface Opt {
  name: string;
  type: T;
  value: Value;
}
export const str = (name: string, value: string): Opt => ({ name, type: T.String, value });
export const int = (name: string, value: number): Opt => ({ name, type: T.Integer, value });
export const channel = (name: string, value: string): Opt => ({ name, type: T.Channel, value });
export const bool = (name: string, value: boolean): Opt => ({ name, type: T.Boolean, value });

/** `/faq <sub>` or `/faq <group> <sub>`. */
export function faqCommand(g: TestGuild, userId: string, path: string, options: Opt[] = [], channelId = g.generalChannelId): InteractionSpec {
  const [first, second] = path.split(' ');
  const leaf = second
    ? [{ name: first, type: T.SubcommandGroup, options: [{ name: second, type: T.Subcommand, options }] }]
    : [{ name: first, type: T.Subcommand, options }];
  return { type: 2, guild_id: g.guildId, channel_id: channelId, user_id: userId, data: { name: 'faq', type: 1, options: leaf } };
}

export const faq = (g: TestGuild, userId: string, path: string, options: Opt[] = [], channelId?: string) =>
  deliver(faqCommand(g, userId, path, options, channelId));

export interface EntryInput {
  question: string;
  phrasings?: string[];
  answer: string;
  tags?: string[];
}

/** Submits the add (or edit) form as `userId`. */
export function submitEntry(g: TestGuild, userId: string, customId: string, e: EntryInput): Promise<Delivered> {
  const field = (custom_id: string, value: string) => ({ type: 1, components: [{ type: 4, custom_id, value }] });
  return deliver({
    type: 5,
    guild_id: g.guildId,
    channel_id: g.generalChannelId,
    user_id: userId,
    data: {
      custom_id: customId,
      components: [
        field('question', e.question),
        field('phrasings', (e.phrasings ?? []).join('\n')),
        field('answer', e.answer),
        field('tags', (e.tags ?? []).join(', ')),
      ],
    },
  });
}

/** /faq add then the form, as the guild's administrator; the new entry's id. */
export async function addEntry(g: TestGuild, e: EntryInput): Promise<number> {
  const open = await faq(g, g.adminId, 'add');
  const customId = (open.response as { data?: { custom_id?: string } }).data?.custom_id;
  if (!customId) throw new Error(`no form: ${open.text}`);
  const d = await submitEntry(g, g.adminId, customId, e);
  const m = /Added FAQ entry #(\d+)/.exec(replyText(d));
  if (!m) throw new Error(`not added: ${replyText(d)}`);
  return Number(m[1]);
}

export const KNOWLEDGE: EntryInput[] = [
  {
    question: 'How do I reset my password?',
    phrasings: ['forgot my password', 'cannot log in'],
    answer: 'Open Settings → Account → Reset password and follow the e-mail.',
    tags: ['account'],
  },
  { question: 'What is the server IP address?', phrasings: ['server address', 'how to connect'], answer: 'play.example.net, port 25565.', tags: ['server'] },
  { question: 'When are the weekly events?', phrasings: ['event schedule'], answer: 'Every Saturday at 20:00 CET.', tags: ['events'] },
];

let session = 0;

/** Posts a member message in the simulator and hands its MESSAGE_CREATE to the guild actor. */
export async function say(g: TestGuild, userId: string, content: string, channelId: string): Promise<APIMessage> {
  const msg = await simApi<APIMessage>(`/_sim/channels/${channelId}/messages`, { body: { user_id: userId, content } });
  const event = { ...msg, guild_id: g.guildId, member: { roles: [], joined_at: msg.timestamp, deaf: false, mute: false, flags: 0 } };
  await guildActor(env, g.guildId).applyEvents(0, `faq-${Date.now()}-${++session}`, [{ s: 1, t: 'MESSAGE_CREATE', d: event }]);
  return msg;
}

export const embedsOf = (d: Delivered) => (d.response as { data?: { embeds?: { title?: string; description?: string }[] } }).data?.embeds ?? [];
export const buttonsOf = (d: Delivered) =>
  ((d.response as { data?: { components?: { components: { custom_id: string; label: string }[] }[] } }).data?.components ?? []).flatMap((r) => r.components);
export const flagsOf = (d: Delivered) => (d.response as { data?: { flags?: number } }).data?.flags ?? 0;
