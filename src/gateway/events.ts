import { GatewayDispatchEvents } from 'discord-api-types/v10';

/**
 * Gateway dispatches as the guild actor receives them: a batch per shard tick,
 * in sequence order. Pure helpers: which events are new, and which counters
 * they move (kept per hour for the dashboards of the next features).
 */
export interface GatewayEvent {
  s: number;
  t: string;
  d: unknown;
}

export const COUNTED: Partial<Record<string, string>> = {
  [GatewayDispatchEvents.GuildMemberAdd]: 'member_join',
  [GatewayDispatchEvents.GuildMemberRemove]: 'member_leave',
  [GatewayDispatchEvents.InviteCreate]: 'invite_create',
  [GatewayDispatchEvents.InviteDelete]: 'invite_delete',
  [GatewayDispatchEvents.MessageReactionAdd]: 'reaction_add',
  [GatewayDispatchEvents.MessageReactionRemove]: 'reaction_remove',
  [GatewayDispatchEvents.MessageCreate]: 'message',
};

export const hourOf = (ms: number) => Math.floor(ms / 3_600_000) * 3_600_000;

/**
 * The events not applied yet: a resume replays from the shard's last saved
 * sequence, so some of a batch may have been applied already.
 */
export function unseen(events: readonly GatewayEvent[], lastApplied: number): GatewayEvent[] {
  return events.filter((e) => e.s > lastApplied).sort((a, b) => a.s - b.s);
}
