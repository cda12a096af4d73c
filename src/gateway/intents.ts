import { GatewayIntentBits } from 'discord-api-types/v10';

/** The intents a deployer can name to turn off (GATEWAY_INTENTS_OFF="message_content,guild_members"). */
export const INTENTS: Record<string, number> = {
  guilds: GatewayIntentBits.Guilds,
  guild_members: GatewayIntentBits.GuildMembers,
  guild_moderation: GatewayIntentBits.GuildModeration,
  guild_invites: GatewayIntentBits.GuildInvites,
  guild_messages: GatewayIntentBits.GuildMessages,
  guild_message_reactions: GatewayIntentBits.GuildMessageReactions,
  message_content: GatewayIntentBits.MessageContent,
};

/**
 * The intents to identify with: what the features need (their declared
 * intents, see src/platform/invite.ts requiredIntents) with the named ones
 * turned off. Unknown names are an error, not silently ignored.
 */
export function intentsFor(off: string | undefined, needed: number): { ok: true; intents: number } | { ok: false; error: string } {
  const names = (off ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(n in INTENTS));
  if (unknown.length)
    return { ok: false, error: `unknown intent(s) in GATEWAY_INTENTS_OFF: ${unknown.join(', ')} (known: ${Object.keys(INTENTS).join(', ')})` };
  let intents = needed;
  for (const name of names) intents &= ~INTENTS[name]!;
  return { ok: true, intents };
}
