/**
 * Kept for modules that reach actors through this path; new code imports
 * `stubs.ts` (actor stubs) and `rest-client.ts` (an actor's Discord client).
 */

export { restFor } from './rest-client.ts';
export { guildActor, shardActor, statusActor, ticketActor } from './stubs.ts';
