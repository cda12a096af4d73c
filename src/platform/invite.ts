import type { FeatureModule } from './feature.ts';

/** The union of the Discord permissions the given features declare: what the bot must be granted, and nothing more. */
export function requiredPermissions(features: readonly Pick<FeatureModule, 'permissions'>[]): bigint {
  return features.reduce((all, f) => all | f.permissions, 0n);
}

/** The gateway intents the given features need for the events they declare. */
export function requiredIntents(features: readonly Pick<FeatureModule, 'intents'>[]): number {
  return features.reduce((all, f) => all | f.intents, 0);
}

/** The bot's least-privilege invite link: the bot and its slash commands, with the features' permissions. */
export function inviteUrl(applicationId: string, features: readonly Pick<FeatureModule, 'permissions'>[]): string {
  return `https://discord.com/oauth2/authorize?client_id=${encodeURIComponent(applicationId)}&scope=bot+applications.commands&permissions=${requiredPermissions(features)}`;
}

/** Where each deployment value is found, for scripts that need one that is missing. */
export const WHERE_TO_FIND: Record<'DISCORD_APPLICATION_ID' | 'DISCORD_TOKEN' | 'DISCORD_PUBLIC_KEY', string> = {
  DISCORD_APPLICATION_ID: 'Discord Developer Portal → your application → General Information → Application ID',
  DISCORD_PUBLIC_KEY: 'Discord Developer Portal → your application → General Information → Public Key',
  DISCORD_TOKEN: 'Discord Developer Portal → your application → Bot → Reset Token (shown once; keep it secret)',
};

/** The message for missing values: each one, where to find it, and where to put it. */
export function missingValues(names: readonly (keyof typeof WHERE_TO_FIND)[]): string {
  return [
    `Missing: ${names.join(', ')}. Set ${names.length > 1 ? 'them' : 'it'} in the environment or in .dev.vars (NAME=value, one per line).`,
    ...names.map((n) => `  ${n}: ${WHERE_TO_FIND[n]}`),
  ].join('\n');
}
