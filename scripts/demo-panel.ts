// Connects the panel simulator's demo world to the simulator's demo guild the
// way an administrator would: /server connect, then the form, both as signed
// interactions the simulator delivers to the Worker. So `/server` works in the
// member's view from the first minute of `npm run dev`.
import type { DemoWorld } from '../sim/panel/server.ts';

interface Delivered {
  status: number;
  response: { type?: number; data?: { custom_id?: string; content?: string } } | null;
}

async function deliver(simUrl: string, spec: Record<string, unknown>): Promise<Delivered> {
  const r = await fetch(`${simUrl}/_sim/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...spec, deliver: true }),
  });
  if (!r.ok) throw new Error(`the simulator refused the interaction: ${r.status} ${await r.text()}`);
  return (await r.json()) as Delivered;
}

/** The bot's answer to the connection, or why it could not be asked. */
export async function connectDemoPanel(
  simUrl: string,
  guild: { guildId: string; adminId: string; generalChannelId: string },
  world: DemoWorld,
): Promise<string> {
  const base = { guild_id: guild.guildId, channel_id: guild.generalChannelId, user_id: guild.adminId };
  const opened = await deliver(simUrl, {
    ...base,
    type: 2,
    data: { name: 'server', type: 1, options: [{ name: 'connect', type: 1, options: [{ name: 'kind', type: 3, value: 'pterodactyl' }] }] },
  });
  const customId = opened.response?.data?.custom_id;
  if (!customId) return opened.response?.data?.content ?? `no form came back (HTTP ${opened.status})`;
  const field = (custom_id: string, value: string) => ({ type: 1, components: [{ type: 4, custom_id, value }] });
  const done = await deliver(simUrl, {
    ...base,
    type: 5,
    data: { custom_id: customId, components: [field('name', 'Demo panel'), field('url', world.url), field('key', world.adminKey)] },
  });
  return done.response?.data?.content ?? `no answer (HTTP ${done.status})`;
}
