import { GatewayCloseCodes } from 'discord-api-types/v10';

/**
 * What a closed gateway connection means for the session, per Discord's
 * close-code table: resume it, start a new one, or stop and tell a human.
 */
export type CloseAction = 'resume' | 'reidentify' | 'fatal';

export const CLOSE_ACTIONS: Record<GatewayCloseCodes, CloseAction> = {
  [GatewayCloseCodes.UnknownError]: 'resume',
  [GatewayCloseCodes.UnknownOpcode]: 'reidentify',
  [GatewayCloseCodes.DecodeError]: 'resume',
  [GatewayCloseCodes.NotAuthenticated]: 'reidentify',
  [GatewayCloseCodes.AuthenticationFailed]: 'fatal',
  [GatewayCloseCodes.AlreadyAuthenticated]: 'reidentify',
  [GatewayCloseCodes.InvalidSeq]: 'reidentify',
  [GatewayCloseCodes.RateLimited]: 'resume',
  [GatewayCloseCodes.SessionTimedOut]: 'reidentify',
  [GatewayCloseCodes.InvalidShard]: 'fatal',
  [GatewayCloseCodes.ShardingRequired]: 'fatal',
  [GatewayCloseCodes.InvalidAPIVersion]: 'fatal',
  [GatewayCloseCodes.InvalidIntents]: 'fatal',
  [GatewayCloseCodes.DisallowedIntents]: 'fatal',
};

const FATAL_REASONS: Partial<Record<GatewayCloseCodes, string>> = {
  [GatewayCloseCodes.AuthenticationFailed]: 'authentication failed: the bot token is invalid',
  [GatewayCloseCodes.InvalidShard]: 'invalid shard',
  [GatewayCloseCodes.ShardingRequired]: 'sharding required: too many guilds for this shard count',
  [GatewayCloseCodes.InvalidAPIVersion]: 'invalid API version',
  [GatewayCloseCodes.InvalidIntents]: 'invalid intents',
  [GatewayCloseCodes.DisallowedIntents]: 'disallowed intents: enable the privileged intents in the Developer Portal or turn them off here',
};

/**
 * 1000/1001 end the session (a clean close, or ours); other codes outside the
 * table (1006 abnormal closure, a dropped connection) keep it resumable.
 */
export function closeAction(code: number): CloseAction {
  if (code in CLOSE_ACTIONS) return CLOSE_ACTIONS[code as GatewayCloseCodes];
  return code === 1000 || code === 1001 ? 'reidentify' : 'resume';
}

export function fatalReason(code: number): string {
  return FATAL_REASONS[code as GatewayCloseCodes] ?? `close code ${code}`;
}
