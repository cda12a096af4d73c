import { type APIChannel, type APIGuild, ChannelType, type GuildVerificationLevel, Routes } from 'discord-api-types/v10';
import { type DiscordRest, describeRestError, type RestError } from '../../../discord/rest.ts';
import { ok, type Result } from '../../../lib/result.ts';
import { type GuildSettings, type SettingChange, settingRequest } from './lockdown.ts';

/**
 * The guild settings a lockdown changes, read fresh from Discord (the guild
 * and, when slowmode channels are configured, its channel list — two calls
 * sent together), and the calls that change them.
 */
export async function readGuildSettings(rest: DiscordRest, guildId: string, channelIds: readonly string[]): Promise<Result<GuildSettings, RestError>> {
  const [guild, channels] = await Promise.all([
    rest.get<APIGuild>(Routes.guild(guildId)),
    channelIds.length > 0 ? rest.get<APIChannel[]>(Routes.guildChannels(guildId)) : Promise.resolve(ok([] as APIChannel[])),
  ]);
  if (!guild.ok) return guild;
  if (!channels.ok) return channels;
  const slowmode: Record<string, number> = {};
  for (const c of channels.value) {
    // Channels that are gone, or cannot have a slowmode, are simply not in the map: planLockdown skips them.
    if (channelIds.includes(c.id) && 'rate_limit_per_user' in c) slowmode[c.id] = c.rate_limit_per_user ?? 0;
  }
  const incidents = guild.value.incidents_data;
  return ok({
    verificationLevel: guild.value.verification_level as GuildVerificationLevel,
    invitesDisabledUntil: incidents?.invites_disabled_until ?? null,
    dmsDisabledUntil: incidents?.dms_disabled_until ?? null,
    slowmode,
  });
}

export interface Applied {
  applied: SettingChange[];
  failed: { change: SettingChange; error: string }[];
}

/** Sends every change at once (they touch different routes); each one's outcome is kept. */
export async function applyChanges(rest: DiscordRest, guildId: string, changes: readonly SettingChange[], reason: string): Promise<Applied> {
  const results = await Promise.all(
    changes.map((c) => {
      const r = settingRequest(guildId, c);
      return rest.request(r.method, r.route, { body: r.body, reason });
    }),
  );
  const out: Applied = { applied: [], failed: [] };
  results.forEach((r, i) => {
    if (r.ok) out.applied.push(changes[i]!);
    else out.failed.push({ change: changes[i]!, error: describeRestError(r.error) });
  });
  return out;
}

/**
 * The same settings as the gateway last described them (GUILD_CREATE, then
 * GUILD_UPDATE and CHANNEL_* events), so a lockdown can be planned the
 * moment a raid is seen, without a round trip; every text channel's
 * slowmode is kept, as the configured list may change.
 */
export interface KnownSettings {
  verificationLevel: GuildVerificationLevel;
  invitesDisabledUntil: string | null;
  dmsDisabledUntil: string | null;
  slowmode: Record<string, number>;
}

type GuildFields = Pick<APIGuild, 'verification_level' | 'incidents_data'>;
/** What a channel in GUILD_CREATE or a CHANNEL_* event says about its slowmode. */
type ChannelFields = { id?: string; type?: number; rate_limit_per_user?: number | null };

const guildFields = (g: GuildFields) => ({
  verificationLevel: g.verification_level,
  invitesDisabledUntil: g.incidents_data?.invites_disabled_until ?? null,
  dmsDisabledUntil: g.incidents_data?.dms_disabled_until ?? null,
});

/** A channel's slowmode; a channel that can have one but left the field out has none; a category cannot. */
function slowmodeOf(c: ChannelFields): number | null {
  const rate = c.rate_limit_per_user;
  if (typeof rate === 'number') return rate;
  return typeof c.type === 'number' && c.type !== ChannelType.GuildCategory ? 0 : null;
}

export function knownFromGuildCreate(g: GuildFields & { channels?: readonly ChannelFields[] }): KnownSettings {
  const slowmode: Record<string, number> = {};
  for (const c of g.channels ?? []) {
    const s = slowmodeOf(c);
    if (c.id && s !== null) slowmode[c.id] = s;
  }
  return { ...guildFields(g), slowmode };
}

export const withGuildUpdate = (k: KnownSettings, g: GuildFields): KnownSettings => ({ ...k, ...guildFields(g) });

export function withChannel(k: KnownSettings, c: ChannelFields, deleted = false): KnownSettings {
  if (!c.id) return k;
  const slowmode = { ...k.slowmode };
  const s = slowmodeOf(c);
  if (deleted || s === null) delete slowmode[c.id];
  else slowmode[c.id] = s;
  return { ...k, slowmode };
}

/** What a lockdown plans from: the known settings, with the configured channels' slowmode. */
export function settingsFor(k: KnownSettings, channelIds: readonly string[]): GuildSettings {
  const slowmode: Record<string, number> = {};
  for (const id of channelIds) if (k.slowmode[id] !== undefined) slowmode[id] = k.slowmode[id]!;
  return { verificationLevel: k.verificationLevel, invitesDisabledUntil: k.invitesDisabledUntil, dmsDisabledUntil: k.dmsDisabledUntil, slowmode };
}
