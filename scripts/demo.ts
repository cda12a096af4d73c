// npm run demo -- <open|claim|list|close|show> … — acts as members of the
// simulator's demo guild while `npm run dev` runs: the simulator signs each
// interaction and delivers it to the Worker, exactly as Discord would.
import type { APIMessage } from 'discord-api-types/v10';

const SIM = process.env.SIM_URL ?? `http://127.0.0.1:${process.env.SIM_PORT ?? 8990}`;

interface Demo { guildId: string; staffId: string; memberIds: string[]; supportChannelId: string }
interface Snapshot { channels: { id: string; type: number; name: string; thread_member_ids?: string[]; archived?: boolean; locked?: boolean }[]; messages: Record<string, APIMessage[]> }

async function sim<T>(path: string, body?: unknown): Promise<T> {
  const r = await fetch(SIM + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

async function send(spec: Record<string, unknown>): Promise<{ id: string; text: string; response: unknown }> {
  const r = await sim<{ interaction: { id: string }; status: number; response: { data?: { content?: string; embeds?: { title?: string }[] } } }>('/_sim/interactions', { ...spec, deliver: true });
  const text = r.response?.data?.content ?? r.response?.data?.embeds?.[0]?.title ?? JSON.stringify(r.response);
  return { id: r.interaction.id, text, response: r.response };
}

const info = await sim<{ demo: Demo }>('/_sim/info').catch(() => {
  console.error(`The simulator is not reachable at ${SIM}. Start the bot with npm run dev first.`);
  process.exit(2);
});
const g = info.demo;
const member = g.memberIds[0]!;
const [cmd, ...args] = process.argv.slice(2);

async function newestTicketThread(): Promise<{ thread: Snapshot['channels'][number]; control: APIMessage } | null> {
  const snap = await sim<Snapshot>(`/_sim/guilds/${g.guildId}`);
  const thread = snap.channels.filter((c) => c.type === 12 || c.name.startsWith('ticket-')).at(-1);
  const control = thread && snap.messages[thread.id]?.find((m) => m.components?.length);
  return thread && control ? { thread, control } : null;
}

function buttonId(m: APIMessage, label: string): string | undefined {
  for (const row of m.components ?? []) for (const c of (row as { components?: { label?: string; custom_id?: string }[] }).components ?? []) if (c.label === label) return c.custom_id;
  return undefined;
}

const slash = (user: string, sub: string, options: { name: string; type: number; value: string }[], channel = g.supportChannelId) =>
  ({ type: 2, guild_id: g.guildId, channel_id: channel, user_id: user, data: { name: 'ticket', type: 1, options: [{ name: sub, type: 1, options }] } });
const press = (user: string, customId: string, channel: string, message: string) =>
  ({ type: 3, guild_id: g.guildId, channel_id: channel, user_id: user, message_id: message, data: { custom_id: customId, component_type: 2 } });

switch (cmd) {
  case 'open': {
    const [type = 'crash', severity = 'high', ...subject] = args;
    const r = await send(slash(member, 'open', [
      { name: 'issue_type', type: 3, value: type }, { name: 'severity', type: 3, value: severity },
      ...(subject.length ? [{ name: 'subject', type: 3, value: subject.join(' ') }] : []),
    ]));
    console.log(`member → /ticket open: ${r.text}`);
    break;
  }
  case 'claim': {
    const t = await newestTicketThread();
    const id = t && buttonId(t.control, 'Claim');
    if (!t || !id) { console.log('No open ticket with a Claim button yet: npm run demo -- open'); break; }
    console.log(`staff → Claim: ${(await send(press(g.staffId, id, t.thread.id, t.control.id))).text}`);
    break;
  }
  case 'list':
    console.log(`staff → /ticket list:\n${(await send(slash(g.staffId, 'list', []))).text}`);
    break;
  case 'close': {
    const t = await newestTicketThread();
    const id = t && buttonId(t.control, 'Close');
    if (!t || !id) { console.log('No open ticket to close: npm run demo -- open'); break; }
    const ask = await send(press(member, id, t.thread.id, t.control.id));
    console.log(`member → Close: ${ask.text}`);
    const confirm = (ask.response as { data?: { components?: { components: { custom_id: string }[] }[] } }).data?.components?.[0]?.components[0]?.custom_id;
    if (!confirm) break;
    const original = await sim<{ original: { id: string } }>(`/_sim/interactions/${ask.id}`);
    console.log(`member → Confirm: ${(await send(press(member, confirm, t.thread.id, original.original.id))).text}`);
    break;
  }
  case 'say': {
    // A member writes in the newest ticket's thread; the gateway carries it to the bot's transcript.
    const t = await newestTicketThread();
    if (!t) { console.log('No ticket thread yet: npm run demo -- open'); break; }
    await sim(`/_sim/channels/${t.thread.id}/messages`, { user_id: member, content: args.join(' ') || 'Still crashing after the update.' });
    console.log(`member wrote in #${t.thread.name}; staff see it in the inbox transcript`);
    break;
  }
  case 'show': {
    const t = await newestTicketThread();
    if (!t) { console.log('No ticket thread yet: npm run demo -- open'); break; }
    const snap = await sim<Snapshot>(`/_sim/guilds/${g.guildId}`);
    console.log(`#${t.thread.name} (${t.thread.archived ? 'archived' : 'active'}${t.thread.locked ? ', locked' : ''}) members: ${t.thread.thread_member_ids?.join(', ') ?? '-'}`);
    for (const m of snap.messages[t.thread.id] ?? []) {
      const embed = m.embeds?.[0];
      console.log(`  ${m.author.username}: ${m.content}${embed ? `\n    [${embed.title}] ${embed.fields?.map((f) => `${f.name}: ${f.value}`).join(' · ')}` : ''}`);
    }
    break;
  }
  default:
    console.log('npm run demo -- open <type> <severity> [subject…] | claim | say [text…] | list | close | show');
}
