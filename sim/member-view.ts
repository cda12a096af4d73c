// The member's view (only with --member-view, i.e. `npm run dev` and the
// browser tests): a web page where a person acts as a member of the demo
// guild. GET / serves the page, /member-view/<file> its static assets, and
// /member-view/api/… reads the simulator's state directly and sends
// interactions to the bot through the same path as POST /_sim/interactions
// with deliver: true; plain chat messages go through the same path as
// POST /_sim/channels/{id}/messages, so the bot gets MESSAGE_CREATE on the
// gateway. A dev tool on 127.0.0.1: no authentication.
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { APIApplicationCommand, APIGuildMember, APIMessage } from 'discord-api-types/v10';
import { ApplicationCommandOptionType, ChannelType, InteractionResponseType, InteractionType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { handleControl } from './control.ts';
import { basePermissions, channelPermissions, has } from './permissions.ts';
import type { Sim } from './server.ts';
import type { SimChannel } from './state.ts';
import { isThread } from './state.ts';
import { isObj } from './validate.ts';

type Obj = Record<string, unknown>;
type Kind = 'admin' | 'staff' | 'member';

const P = PermissionFlagsBits;
const PREFIX = '/member-view';
const STATIC: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};
const STATIC_DIR = new URL('./member-view/', import.meta.url);
const MAX_MESSAGES = 100;

export function isMemberViewPath(pathname: string): boolean {
  return pathname === '/' || pathname === PREFIX || pathname.startsWith(PREFIX + '/');
}

interface Out {
  status: number;
  type: string;
  body: string | Buffer;
}

const json = (body: unknown, status = 200): Out => ({ status, type: 'application/json', body: JSON.stringify(body) });

export async function serveMemberView(sim: Sim, method: string, url: URL, raw: string, res: ServerResponse): Promise<void> {
  let out: Out;
  try {
    out = await route(sim, method.toUpperCase(), url, raw);
  } catch (err) {
    out = json({ error: err instanceof Error ? err.message : String(err) }, 400);
  }
  if (res.destroyed) return;
  res.writeHead(out.status, {
    'Content-Type': out.type,
    'Content-Length': Buffer.byteLength(out.body),
    'Cache-Control': 'no-store',
  });
  res.end(out.body);
}

async function route(sim: Sim, method: string, url: URL, raw: string): Promise<Out> {
  const p = url.pathname;
  if (method === 'GET' && (p === '/' || p === PREFIX || p === PREFIX + '/')) return file('index.html');
  if (p.startsWith(PREFIX + '/api/')) {
    if (method === 'GET' && p === PREFIX + '/api/state') return json(stateFor(sim, url.searchParams));
    if (method === 'POST' && p === PREFIX + '/api/interact') return json(await interact(sim, raw));
    if (method === 'POST' && p === PREFIX + '/api/message') return json(await chat(sim, raw));
    return json({ error: `no member-view route ${method} ${p}` }, 404);
  }
  const name = p.slice(PREFIX.length + 1);
  if (method === 'GET' && Object.hasOwn(STATIC, name)) return file(name);
  return json({ message: '404: Not Found', code: 0 }, 404);
}

async function file(name: string): Promise<Out> {
  return { status: 200, type: STATIC[name]!, body: await readFile(new URL(name, STATIC_DIR)) };
}

// ---- who, where ------------------------------------------------------------

function guildId(sim: Sim): string | null {
  return sim.demo?.guildId ?? sim.state.guilds.keys().next().value ?? null;
}

const displayName = (m: APIGuildMember): string => m.nick ?? m.user.global_name ?? m.user.username;

function kindOf(sim: Sim, gid: string, userId: string): Kind {
  const perms = basePermissions(sim.state, gid, userId);
  if (has(perms, P.Administrator)) return 'admin';
  if (has(perms, P.ManageThreads)) return 'staff';
  return 'member';
}

function canSee(sim: Sim, channel: SimChannel, userId: string): boolean {
  return has(channelPermissions(sim.state, channel, userId), P.ViewChannel);
}

function defaultUser(sim: Sim, gid: string): string | null {
  const first = sim.demo?.guildId === gid ? sim.demo.memberIds[0] : undefined;
  if (first && sim.state.members.get(gid)?.has(first)) return first;
  for (const m of sim.state.membersOf(gid).values()) {
    if (!m.user.bot && kindOf(sim, gid, m.user.id) === 'member') return m.user.id;
  }
  for (const m of sim.state.membersOf(gid).values()) if (!m.user.bot) return m.user.id;
  return null;
}

function channelSummary(sim: Sim, c: SimChannel) {
  const thread = isThread(c);
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    parentId: c.parent_id ?? null,
    thread,
    private:
      c.type === ChannelType.PrivateThread ||
      (!thread && (c.permission_overwrites ?? []).some((o) => o.id === c.guild_id && (BigInt(o.deny) & P.ViewChannel) !== 0n)),
    archived: thread ? (c.thread_metadata?.archived ?? false) : false,
    locked: thread ? (c.thread_metadata?.locked ?? false) : false,
    topic: c.type === ChannelType.GuildText ? (c.topic ?? null) : null,
    position: 'position' in c ? (c.position ?? 0) : 0,
    memberCount: thread ? (sim.state.threadMembers.get(c.id)?.size ?? 0) : null,
  };
}

function stateFor(sim: Sim, q: URLSearchParams) {
  const s = sim.state;
  const gid = guildId(sim);
  if (!gid) return { guild: null };
  const guild = s.guild(gid);
  const members = s.membersOf(gid);
  const wanted = q.get('user') ?? '';
  const me = members.has(wanted) && !members.get(wanted)!.user.bot ? wanted : defaultUser(sim, gid);
  if (!me) return { guild: { id: guild.id, name: guild.name }, me: null };

  const memberList = [...members.values()].map((m) => ({
    id: m.user.id,
    name: displayName(m),
    username: m.user.username,
    bot: m.user.bot === true,
    kind: kindOf(sim, gid, m.user.id),
    roles: m.roles,
  }));
  const roles = guild.roles.map((r) => ({ id: r.id, name: r.name, color: r.color, position: r.position, everyone: r.id === gid }));
  const all = s.guildChannels(gid);
  const visible = all.filter((c) =>
    c.type === ChannelType.GuildCategory ? all.some((x) => x.parent_id === c.id && !isThread(x) && canSee(sim, x, me)) : canSee(sim, c, me),
  );
  const channels = visible.map((c) => channelSummary(sim, c));

  const wantedChannel = q.get('channel') ?? '';
  const readable = (id: string) => visible.find((c) => c.id === id && c.type !== ChannelType.GuildCategory);
  const current =
    readable(wantedChannel) ??
    (sim.demo?.guildId === gid ? readable(sim.demo.supportChannelId) : undefined) ??
    visible.find((c) => c.type === ChannelType.GuildText) ??
    null;

  const perms = current ? channelPermissions(s, current, me) : 0n;
  return {
    guild: { id: guild.id, name: guild.name },
    me: memberList.find((m) => m.id === me)!,
    members: memberList,
    roles,
    channels,
    channel: current
      ? {
          ...channelSummary(sim, current),
          canUseCommands: has(perms, P.UseApplicationCommands),
        }
      : null,
    messages: current ? messagesFor(sim, current, me) : [],
    commands: commandsFor(sim, gid, me),
  };
}

// ---- messages ----------------------------------------------------------------

function messagesFor(sim: Sim, channel: SimChannel, me: string) {
  const list: { m: APIMessage; ephemeral: boolean }[] = (sim.state.messages.get(channel.id) ?? []).map((m) => ({ m, ephemeral: false }));
  // Ephemeral replies live in their interaction's record; only its user sees them.
  for (const rec of sim.interactions.records.values()) {
    const i = rec.interaction;
    const userId = 'member' in i && i.member ? i.member.user.id : (i as { user?: { id: string } }).user?.id;
    if (userId !== me || rec.ephemeral.size === 0) continue;
    for (const m of rec.ephemeral.values()) if (m.channel_id === channel.id) list.push({ m, ephemeral: true });
  }
  list.sort((a, b) => (BigInt(a.m.id) < BigInt(b.m.id) ? -1 : BigInt(a.m.id) > BigInt(b.m.id) ? 1 : 0));
  return list.slice(-MAX_MESSAGES).map(({ m, ephemeral }) => {
    const member = channel.guild_id ? sim.state.members.get(channel.guild_id)?.get(m.author.id) : undefined;
    const flags = m.flags ?? 0;
    return {
      id: m.id,
      type: m.type,
      content: m.content,
      embeds: m.embeds,
      attachments: m.attachments.map((a) => ({ url: a.url, filename: a.filename, size: a.size, image: a.width != null && a.height != null })),
      components: m.components ?? [],
      author: { id: m.author.id, name: member ? displayName(member) : (m.author.global_name ?? m.author.username), bot: m.author.bot === true },
      timestamp: m.timestamp,
      edited: m.edited_timestamp !== null,
      ephemeral: ephemeral || (flags & MessageFlags.Ephemeral) !== 0,
      loading: (flags & MessageFlags.Loading) !== 0,
      componentsV2: (flags & MessageFlags.IsComponentsV2) !== 0,
      invokedBy: invocation(sim, m),
    };
  });
}

// "<user> used /ticket open" above a command's reply, as Discord shows it.
function invocation(sim: Sim, m: APIMessage): { userId: string; command: string | null } | null {
  const meta = m.interaction_metadata;
  if (!meta) return null;
  const rec = sim.interactions.records.get(meta.id);
  let command: string | null = null;
  if (rec && rec.interaction.type === InteractionType.ApplicationCommand) {
    const data = rec.interaction.data as unknown as Obj;
    const parts = [String(data.name)];
    let opts = data.options;
    while (
      Array.isArray(opts) &&
      isObj(opts[0]) &&
      (opts[0].type === ApplicationCommandOptionType.Subcommand || opts[0].type === ApplicationCommandOptionType.SubcommandGroup)
    ) {
      parts.push(String(opts[0].name));
      opts = opts[0].options;
    }
    command = '/' + parts.join(' ');
  }
  return { userId: meta.user.id, command };
}

// ---- commands ----------------------------------------------------------------

function commandsFor(sim: Sim, gid: string, me: string) {
  const perms = basePermissions(sim.state, gid, me);
  const all: APIApplicationCommand[] = [...(sim.state.guildCommands.get(gid) ?? []), ...sim.state.globalCommands];
  const seen = new Set<string>();
  const out: APIApplicationCommand[] = [];
  for (const c of all) {
    if (c.type !== undefined && c.type !== 1) continue; // slash commands only
    if (seen.has(c.name)) continue; // a guild command shadows a global one of the same name
    seen.add(c.name);
    // Discord hides a command from members without its default permissions.
    if (
      c.default_member_permissions !== null &&
      c.default_member_permissions !== undefined &&
      !has(perms, BigInt(c.default_member_permissions)) &&
      !has(perms, P.Administrator)
    )
      continue;
    out.push(c);
  }
  return out.map((c) => ({ id: c.id, name: c.name, description: c.description, options: c.options ?? [] }));
}

// ---- plain chat messages -------------------------------------------------------

const MAX_CONTENT = 2000;

/** A member writes in a channel, as the Discord client would: Discord's permission checks apply, then MESSAGE_CREATE. */
async function chat(sim: Sim, raw: string): Promise<{ ok: true; id: string } | { ok: false; error: string }> {
  const b: unknown = JSON.parse(raw || '{}');
  if (!isObj(b)) throw new Error('expected a JSON object');
  const gid = guildId(sim);
  if (!gid) throw new Error('no guild');
  const user = String(b.user ?? '');
  const member = sim.state.members.get(gid)?.get(user);
  if (!member || member.user.bot) throw new Error('user is not a member of the guild');
  const channel = sim.state.channels.get(String(b.channel ?? ''));
  if (!channel || channel.guild_id !== gid || !canSee(sim, channel, user)) throw new Error('this member cannot see that channel');
  const content = typeof b.content === 'string' ? b.content : '';
  if (!content.trim() || content.length > MAX_CONTENT) throw new Error(`write between 1 and ${MAX_CONTENT} characters`);
  const r = await handleControl(sim, 'POST', new URL(`/_sim/channels/${channel.id}/messages`, sim.url), JSON.stringify({ user_id: user, content }));
  const body = isObj(r.body) ? r.body : {};
  if (r.status === 200 && typeof body.id === 'string') return { ok: true, id: body.id };
  // Discord's refusal (a timed-out member, a locked thread, slowmode…), in its own words.
  return {
    ok: false,
    error:
      typeof body.message === 'string'
        ? `Discord refused the message: ${body.message}`
        : typeof body.error === 'string'
          ? body.error
          : `the simulator refused the message (${r.status})`,
  };
}

// ---- interactions --------------------------------------------------------------

async function interact(sim: Sim, raw: string): Promise<unknown> {
  const b: unknown = JSON.parse(raw || '{}');
  if (!isObj(b)) throw new Error('expected a JSON object');
  const gid = guildId(sim);
  if (!gid) throw new Error('no guild');
  const user = String(b.user ?? '');
  const member = sim.state.members.get(gid)?.get(user);
  if (!member || member.user.bot) throw new Error('user is not a member of the guild');
  const channel = sim.state.channels.get(String(b.channel ?? ''));
  if (!channel || channel.guild_id !== gid || !canSee(sim, channel, user)) throw new Error('this member cannot see that channel');

  let type: InteractionType;
  let data: Obj;
  let messageId: string | undefined;
  if (b.kind === 'command' && isObj(b.data)) {
    type = InteractionType.ApplicationCommand;
    data = { type: 1, name: String(b.data.name ?? ''), ...(Array.isArray(b.data.options) ? { options: b.data.options } : {}) };
  } else if (b.kind === 'component') {
    type = InteractionType.MessageComponent;
    messageId = String(b.message_id ?? '');
    data = {
      custom_id: String(b.custom_id ?? ''),
      component_type: Number(b.component_type ?? 2),
      ...(Array.isArray(b.values) ? { values: b.values.map(String) } : {}),
    };
  } else if (b.kind === 'modal') {
    type = InteractionType.ModalSubmit;
    if (typeof b.message_id === 'string' && b.message_id) messageId = b.message_id;
    data = { custom_id: String(b.custom_id ?? ''), components: Array.isArray(b.components) ? b.components : [] };
  } else {
    throw new Error('kind must be command, component or modal');
  }

  const request = {
    type,
    guild_id: gid,
    channel_id: channel.id,
    user_id: user,
    data,
    deliver: true,
    ...(messageId ? { message_id: messageId } : {}),
  };
  const r = await handleControl(sim, 'POST', new URL('/_sim/interactions', sim.url), JSON.stringify(request));
  const body = isObj(r.body) ? r.body : {};
  if (r.status !== 200) {
    return { ok: false, error: typeof body.error === 'string' ? body.error : `the simulator refused the interaction: ${JSON.stringify(r.body)}` };
  }
  const interactionId = isObj(body.interaction) ? String(body.interaction.id) : '';
  const botStatus = Number(body.status);
  const response = body.response;
  const recorded = isObj(body.recorded) ? body.recorded : null;
  // The bot may also answer through the callback endpoint; the record knows either way.
  const rec = sim.interactions.records.get(interactionId);
  const accepted = rec?.responses.find((x) => x.status === 200);
  const responseType = rec?.initialType ?? null;
  let error: string | null = null;
  if (botStatus !== 200 && botStatus !== 202 && botStatus !== 204) {
    error = `The bot answered HTTP ${botStatus}${response ? `: ${typeof response === 'string' ? response.slice(0, 300) : JSON.stringify(response).slice(0, 300)}` : ''}`;
  } else if (recorded && recorded.ok === false) {
    error = `Discord (the simulator) refused the bot's answer: ${JSON.stringify(recorded.error).slice(0, 500)}`;
  } else if (responseType === null) {
    error = 'The bot did not answer this interaction (Discord would show "This interaction failed").';
  }
  const modal = responseType === InteractionResponseType.Modal && accepted && isObj(accepted.body) ? accepted.body.data : null;
  return {
    ok: error === null,
    error,
    interactionId,
    botStatus,
    responseType,
    ...(modal ? { modal, messageId: messageId ?? null } : {}),
  };
}
