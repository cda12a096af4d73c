// npm run demo -- <command> … — acts as members, staff and admins of the
// simulator's demo guild while `npm run dev` runs: the simulator signs each
// interaction and delivers it to the Worker, exactly as Discord would, and
// member messages reach the bot over the simulator's gateway.
import {
  type APIApplicationCommandOption,
  type APIMessage,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionResponseType,
  InteractionType,
} from 'discord-api-types/v10';
import { COMMANDS } from '../src/commands.ts';

const SIM = process.env.SIM_URL ?? `http://127.0.0.1:${process.env.SIM_PORT ?? 8990}`;

interface Demo {
  guildId: string;
  staffId: string;
  adminId: string;
  memberIds: string[];
  supportChannelId: string;
  generalChannelId: string;
}
interface Snapshot {
  members?: { user: { id: string; username: string } }[];
  roles?: { id: string; name: string }[];
  channels: { id: string; type: number; name: string; thread_member_ids?: string[]; archived?: boolean; locked?: boolean }[];
  messages: Record<string, APIMessage[]>;
}

async function sim<T>(path: string, body?: unknown): Promise<T> {
  const r = await fetch(SIM + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

type Reply = { type?: number; data?: { content?: string; embeds?: { title?: string; description?: string }[] } } | null;
const replyText = (r: Reply): string | undefined => r?.data?.content || r?.data?.embeds?.[0]?.title || r?.data?.embeds?.[0]?.description;

async function send(spec: Record<string, unknown>): Promise<{ id: string; text: string; response: unknown }> {
  const r = await sim<{ interaction: { id: string }; status: number; response: Reply }>('/_sim/interactions', { ...spec, deliver: true });
  let text = replyText(r.response);
  // A deferred answer (type 5) arrives later as an edit of the original message.
  for (let i = 0; text === undefined && r.response?.type === InteractionResponseType.DeferredChannelMessageWithSource && i < 40; i++) {
    await new Promise((ok) => setTimeout(ok, 250));
    const rec = await sim<{ original: { content?: string; embeds?: { title?: string; description?: string }[] } | null }>(
      `/_sim/interactions/${r.interaction.id}`,
    );
    if (rec.original && (rec.original.content || rec.original.embeds?.length)) text = replyText({ data: rec.original });
  }
  return { id: r.interaction.id, text: text ?? JSON.stringify(r.response), response: r.response };
}

const info = await sim<{ demo: Demo }>('/_sim/info').catch(() => {
  console.error(`The simulator is not reachable at ${SIM}. Start the bot with npm run dev first.`);
  process.exit(2);
});
const g = info.demo;
const member = g.memberIds[0]!;
const [cmd, ...args] = process.argv.slice(2);

/** A member of the demo guild: 1…n (the demo members in order) or a user id. */
function memberArg(arg: string | undefined): string {
  if (arg && /^\d{15,20}$/.test(arg)) return arg;
  const n = Number(arg ?? 1);
  const id = Number.isInteger(n) ? g.memberIds[n - 1] : undefined;
  if (!id) fail(`"${arg}" is not a demo member: use 1…${g.memberIds.length} or a user id.`);
  return id;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** A guild text channel by name (general, support) or id. */
async function channelArg(arg: string | undefined): Promise<{ id: string; name: string }> {
  const snap = await sim<Snapshot>(`/_sim/guilds/${g.guildId}`);
  const c = snap.channels.find((x) => x.id === arg || x.name === (arg ?? '').replace(/^#/, ''));
  if (!c || c.type === ChannelType.GuildCategory)
    fail(
      `No channel "${arg ?? ''}": use one of ${snap.channels
        .filter((x) => x.type === ChannelType.GuildText)
        .map((x) => x.name)
        .join(', ')}.`,
    );
  return c;
}

/**
 * A slash command as `path key=value…`, with each value typed as the bot's
 * command definition says (integers, booleans, users, roles, channels).
 */
function command(user: string, path: string, pairs: string[], channel = g.generalChannelId): Record<string, unknown> {
  const [name, sub] = path.split(' ');
  const def = COMMANDS.find((c) => c.name === name);
  if (!def) fail(`The bot has no /${name} command.`);
  const top = (def as { options?: APIApplicationCommandOption[] }).options ?? [];
  const subDef = sub ? top.find((o) => o.name === sub) : undefined;
  if (sub && !subDef) fail(`/${name} has no subcommand ${sub}.`);
  const defs = ((subDef ?? def) as { options?: APIApplicationCommandOption[] }).options ?? [];
  const options = pairs.map((pair) => {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const o = defs.find((d) => d.name === key);
    if (eq < 1 || !o) fail(`/${path} takes ${defs.map((d) => `${d.name}=…`).join(' ') || 'no options'}; got "${pair}".`);
    const T = ApplicationCommandOptionType;
    const value = o.type === T.Integer || o.type === T.Number ? Number(raw) : o.type === T.Boolean ? raw === 'true' : raw;
    if (typeof value === 'number' && !Number.isFinite(value)) fail(`${key} must be a number, not "${raw}".`);
    return { name: key, type: o.type, value };
  });
  return {
    type: InteractionType.ApplicationCommand,
    guild_id: g.guildId,
    channel_id: channel,
    user_id: user,
    data: { name, type: ApplicationCommandType.ChatInput, options: sub ? [{ name: sub, type: ApplicationCommandOptionType.Subcommand, options }] : options },
  };
}

/** The bot's text as a person reads it in Discord: mentions as names, timestamps as times. */
async function readable(text: string): Promise<string> {
  const snap = await sim<Snapshot>(`/_sim/guilds/${g.guildId}`);
  const user = new Map((snap.members ?? []).map((m) => [m.user.id, m.user.username]));
  const role = new Map((snap.roles ?? []).map((r) => [r.id, r.name]));
  const chan = new Map(snap.channels.map((c) => [c.id, c.name]));
  return text
    .replace(/<@!?(\d+)>/g, (_, id: string) => `@${user.get(id) ?? id}`)
    .replace(/<@&(\d+)>/g, (_, id: string) => `@${role.get(id) ?? id}`)
    .replace(/<#(\d+)>/g, (_, id: string) => `#${chan.get(id) ?? id}`)
    .replace(/<t:(-?\d+)(?::[tTdDfFR])?>/g, (_, t: string) => new Date(Number(t) * 1000).toISOString().replace('.000Z', 'Z'));
}

async function run(label: string, user: string, path: string, pairs: string[] = [], channel?: string): Promise<string> {
  const r = await send(command(user, path, pairs, channel));
  const text = await readable(r.text);
  console.log(`${label} → /${path}${pairs.length ? ` ${pairs.join(' ')}` : ''}:\n${text}`);
  return text;
}

async function newestTicketThread(): Promise<{ thread: Snapshot['channels'][number]; control: APIMessage } | null> {
  const snap = await sim<Snapshot>(`/_sim/guilds/${g.guildId}`);
  const thread = snap.channels.filter((c) => c.type === 12 || c.name.startsWith('ticket-')).at(-1);
  const control = thread && snap.messages[thread.id]?.find((m) => m.components?.length);
  return thread && control ? { thread, control } : null;
}

function buttonId(m: APIMessage, label: string): string | undefined {
  for (const row of m.components ?? [])
    for (const c of (row as { components?: { label?: string; custom_id?: string }[] }).components ?? []) if (c.label === label) return c.custom_id;
  return undefined;
}

const slash = (user: string, sub: string, options: { name: string; type: number; value: string }[], channel = g.supportChannelId) => ({
  type: 2,
  guild_id: g.guildId,
  channel_id: channel,
  user_id: user,
  data: { name: 'ticket', type: 1, options: [{ name: sub, type: 1, options }] },
});
const press = (user: string, customId: string, channel: string, message: string) => ({
  type: 3,
  guild_id: g.guildId,
  channel_id: channel,
  user_id: user,
  message_id: message,
  data: { custom_id: customId, component_type: 2 },
});

switch (cmd) {
  case 'open': {
    const [type = 'crash', severity = 'high', ...subject] = args;
    const r = await send(
      slash(member, 'open', [
        { name: 'issue_type', type: 3, value: type },
        { name: 'severity', type: 3, value: severity },
        ...(subject.length ? [{ name: 'subject', type: 3, value: subject.join(' ') }] : []),
      ]),
    );
    console.log(`member → /ticket open: ${r.text}`);
    break;
  }
  case 'claim': {
    const t = await newestTicketThread();
    const id = t && buttonId(t.control, 'Claim');
    if (!t || !id) {
      console.log('No open ticket with a Claim button yet: npm run demo -- open');
      break;
    }
    console.log(`staff → Claim: ${(await send(press(g.staffId, id, t.thread.id, t.control.id))).text}`);
    break;
  }
  case 'list':
    console.log(`staff → /ticket list:\n${(await send(slash(g.staffId, 'list', []))).text}`);
    break;
  case 'close': {
    const t = await newestTicketThread();
    const id = t && buttonId(t.control, 'Close');
    if (!t || !id) {
      console.log('No open ticket to close: npm run demo -- open');
      break;
    }
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
    if (!t) {
      console.log('No ticket thread yet: npm run demo -- open');
      break;
    }
    await sim(`/_sim/channels/${t.thread.id}/messages`, { user_id: member, content: args.join(' ') || 'Still crashing after the update.' });
    console.log(`member wrote in #${t.thread.name}; staff see it in the inbox transcript`);
    break;
  }
  case 'show': {
    const t = await newestTicketThread();
    if (!t) {
      console.log('No ticket thread yet: npm run demo -- open');
      break;
    }
    const snap = await sim<Snapshot>(`/_sim/guilds/${g.guildId}`);
    console.log(
      `#${t.thread.name} (${t.thread.archived ? 'archived' : 'active'}${t.thread.locked ? ', locked' : ''}) members: ${t.thread.thread_member_ids?.join(', ') ?? '-'}`,
    );
    for (const m of snap.messages[t.thread.id] ?? []) {
      const embed = m.embeds?.[0];
      console.log(
        `  ${m.author.username}: ${m.content}${embed ? `\n    [${embed.title}] ${embed.fields?.map((f) => `${f.name}: ${f.value}`).join(' · ')}` : ''}`,
      );
    }
    break;
  }
  // ---- moderation and protection ----
  case 'say-in': {
    // A member writes in a normal channel: over the gateway, so automod judges it.
    const [where, ...words] = args;
    const c = await channelArg(where);
    const author = process.env.DEMO_MEMBER ? memberArg(process.env.DEMO_MEMBER) : member;
    const m = await sim<APIMessage>(`/_sim/channels/${c.id}/messages`, { user_id: author, content: words.join(' ') || 'hello everyone' });
    console.log(`member wrote in #${c.name} (message ${m.id}); automod sees it over the gateway`);
    // Automod acts within moments: say what happened to the message.
    let deleted = false;
    for (let i = 0; i < 12 && !deleted; i++) {
      await new Promise((ok) => setTimeout(ok, 250));
      const snap = await sim<Snapshot>(`/_sim/guilds/${g.guildId}`);
      deleted = !(snap.messages[c.id] ?? []).some((x) => x.id === m.id);
    }
    console.log(deleted ? 'automod deleted it' : 'it is still there (no automod rule deleted it)');
    break;
  }
  case 'warn': {
    const [who, ...reason] = args;
    await run('staff', g.staffId, 'warn', [`member=${memberArg(who)}`, `reason=${reason.join(' ') || 'Please keep it civil.'}`]);
    break;
  }
  case 'infractions':
    await run('staff', g.staffId, 'infractions', [`member=${memberArg(args[0])}`]);
    break;
  case 'automod-add': {
    // automod-add <id> <kind> [key=value…], e.g. automod-add no-spoilers words list=spoiler effect=delete
    const [id, kind, ...pairs] = args;
    if (!id || !kind) fail('npm run demo -- automod-add <id> <kind> [key=value…]   e.g. automod-add no-spoilers words list=spoiler effect=delete');
    await run('admin', g.adminId, 'automod add', [`id=${id}`, `kind=${kind}`, ...pairs]);
    break;
  }
  case 'automod-list':
    await run('admin', g.adminId, 'automod list');
    break;
  case 'antiraid': {
    // antiraid on|off|status, or antiraid config key=value…
    const [sub = 'status', ...pairs] = args;
    await run('admin', g.adminId, `antiraid ${sub}`, pairs);
    break;
  }
  case 'raid': {
    // New accounts join at once, as a raid does; anti-raid (if on) locks the server down.
    const n = Number(args[0] ?? 20);
    if (!Number.isInteger(n) || n < 1 || n > 500) fail('npm run demo -- raid <joins, 1-500>');
    const r = await sim<{ member_ids: string[]; refused: unknown[]; durationMs: number }>(`/_sim/guilds/${g.guildId}/joins`, {
      count: n,
      accountAgeDays: 0.5,
      namePattern: 'raider_{n}',
    });
    console.log(`${r.member_ids.length} new accounts joined in ${r.durationMs} ms${r.refused.length ? ` (${r.refused.length} refused)` : ''}`);
    let text = '';
    for (let i = 0; i < 20; i++) {
      await new Promise((ok) => setTimeout(ok, 250));
      text = (await send(command(g.adminId, 'lockdown status', []))).text;
      if (!text.startsWith('No lockdown')) break;
    }
    console.log(`admin → /lockdown status:\n${await readable(text)}`);
    break;
  }
  case 'lockdown':
  case 'lockdown-start':
  case 'lockdown-end': {
    const sub = cmd === 'lockdown' ? (args[0] ?? 'status') : cmd.slice('lockdown-'.length);
    await run('admin', g.adminId, `lockdown ${sub}`, sub === 'start' && args.length ? [`reason=${args.join(' ')}`] : []);
    break;
  }
  case 'servers': {
    // The game servers of the demo panel, which npm run dev connected to the demo guild.
    const r = await send(command(g.adminId, 'server list', []));
    const e = (r.response as { data?: { embeds?: { title?: string; fields?: { name: string; value: string }[] }[] } } | null)?.data?.embeds?.[0];
    console.log(`admin → /server list:\n${e ? [e.title, ...(e.fields ?? []).map((f) => `${f.name}\n${f.value}`)].join('\n') : r.text}`);
    break;
  }
  case 'server': {
    // server status|start|stop|restart <name…>, e.g. server start Valheim Dedicated
    const [sub, ...name] = args;
    if (!sub || name.length === 0) fail('npm run demo -- server status|start|stop|restart <server name…>');
    await run('admin', g.adminId, `server ${sub}`, [`server=${name.join(' ')}`]);
    break;
  }
  default:
    console.log(`npm run demo -- <command>
  tickets:     open <type> <severity> [subject…] | claim | say [text…] | list | close | show
  moderation:  say-in <channel> <text…> | warn <member 1-${g.memberIds.length}> [reason…] | infractions <member>
               automod-add <id> <kind> [key=value…] | automod-list
  protection:  antiraid on|off|status | antiraid config key=value… | raid <joins> | lockdown-start [reason…] | lockdown-end | lockdown status
  servers:     servers | server status|start|stop|restart <server name…>`);
    if (cmd) process.exit(1);
}
