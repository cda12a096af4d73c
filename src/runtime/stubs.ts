import type { ActorBindings } from '../env.ts';

/** Typed stubs of the deployment's actors, each reached by name (no lookups). */
export const statusActor = (env: Pick<ActorBindings, 'STATUS'>) => env.STATUS.get(env.STATUS.idFromName('status'));
export const guildActor = (env: Pick<ActorBindings, 'GUILD'>, guildId: string) => env.GUILD.get(env.GUILD.idFromName(guildId));
export const ticketActor = (env: Pick<ActorBindings, 'TICKET'>, ticketId: string) => env.TICKET.get(env.TICKET.idFromName(ticketId));
/** Shards are named by id and count, so a re-shard gets fresh actors. */
export const shardActor = (env: Pick<ActorBindings, 'SHARD'>, shardId: number, shardCount: number) =>
  env.SHARD.get(env.SHARD.idFromName(`shard-${shardId}-of-${shardCount}`));
/** One per Discord user: their dashboard sessions. */
export const sessionActor = (env: Pick<ActorBindings, 'SESSION'>, userId: string) => env.SESSION.get(env.SESSION.idFromName(userId));
