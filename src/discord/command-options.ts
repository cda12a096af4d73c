import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type ApplicationCommandOptionAllowedChannelType,
  ApplicationCommandOptionType,
  ChannelType,
} from 'discord-api-types/v10';

/** Channels a bot can post a plain message in, for channel options. */
export const TEXT_CHANNELS: ApplicationCommandOptionAllowedChannelType[] = [ChannelType.GuildText, ChannelType.GuildAnnouncement];

/** A subcommand; Discord refuses an empty `options` array on some clients, so it is left out when there are none. */
export const sub = (name: string, description: string, options: APIApplicationCommandBasicOption[] = []): APIApplicationCommandSubcommandOption => ({
  type: ApplicationCommandOptionType.Subcommand,
  name,
  description,
  ...(options.length > 0 ? { options } : {}),
});
