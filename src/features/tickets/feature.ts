import { GatewayDispatchEvents, GatewayIntentBits, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { FeatureModule } from '../../platform/feature.ts';
import { setupCommand, TICKET_COMMAND, TICKETS_COMMAND, ticketCommand, ticketsCommand } from './commands.ts';
import { openTicketMenuCommand } from './from-message.ts';
import { GUILD_TICKET_MIGRATIONS } from './guild-index.ts';
import { TICKET_GUILD_JOBS } from './guild-side.ts';
import { PANEL_COMMAND, panelCommand } from './panels/commands.ts';
import { TICKET_MIGRATIONS } from './store.ts';
import { TICKET_JOBS, TICKET_TIMERS } from './ticket-side.ts';
import { TICKET_FEATURE } from './views.ts';

/**
 * Support tickets. The guild actor holds the index and configuration
 * (TicketsGuildSide, built by the actor, which also serves the inbox); each
 * ticket's actor holds the record and its Discord work (TicketSide).
 */
const staff = () => import('../../routes/staff.ts');

export const tickets: FeatureModule = {
  name: 'tickets',
  // "Open ticket" is a message command: a message's Apps menu opens a ticket for its author (from-message.ts).
  commands: [ticketCommand, ticketsCommand, setupCommand, panelCommand, openTicketMenuCommand],
  customIds: [TICKET_FEATURE],
  // Saved replies, tags and categories of /ticket; the time zone of /tickets hours set and its snippets; categories and panels of /panel.
  autocomplete: [TICKET_COMMAND, TICKETS_COMMAND, PANEL_COMMAND],
  jobs: [...Object.values(TICKET_GUILD_JOBS), ...Object.values(TICKET_JOBS)],
  timers: Object.values(TICKET_TIMERS),
  events: [GatewayDispatchEvents.MessageCreate, GatewayDispatchEvents.GuildMemberRemove],
  // Member messages in ticket threads feed the transcript; an opener leaving can close their tickets.
  intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent | GatewayIntentBits.GuildMembers,
  // Private threads (or channels in a category) with the opener added, the control message, archive and lock on close.
  permissions:
    P.ViewChannel |
    P.SendMessages |
    P.SendMessagesInThreads |
    P.CreatePrivateThreads |
    P.ManageThreads |
    P.ManageChannels |
    P.ManageRoles |
    P.EmbedLinks |
    P.ReadMessageHistory |
    // ✅ on the member's message a ticket was opened from (/setup intake suggest).
    P.AddReactions |
    P.MentionEveryone,
  migrations: {
    guild: GUILD_TICKET_MIGRATIONS,
    ticket: TICKET_MIGRATIONS,
  },
  // The staff inbox. Handlers load on first use, so Node scripts (register, invite-url) read these declarations without the Worker runtime.
  routes: [
    { method: 'GET', path: '/inbox/:guildId', handle: async (req, env) => (await staff()).handleInboxPage(req, env) },
    { method: 'GET', path: '/inbox/:guildId/tickets/:ticketId', handle: async (req, env) => (await staff()).handleInboxPage(req, env) },
    { method: 'GET', path: '/api/guilds/:guildId/inbox', handle: async (req, env) => (await staff()).handleInboxData(req, env, req.params.guildId!) },
    { method: 'GET', path: '/api/guilds/:guildId/metrics', handle: async (req, env) => (await staff()).handleMetrics(req, env, req.params.guildId!) },
    { method: 'GET', path: '/api/guilds/:guildId/staff', handle: async (req, env) => (await staff()).handleStaffList(req, env, req.params.guildId!) },
    { method: 'GET', path: '/api/tickets/:ticketId', handle: async (req, env) => (await staff()).handleTicketView(req, env, req.params.ticketId!) },
    {
      method: 'GET',
      path: '/api/tickets/:ticketId/transcript',
      handle: async (req, env) => (await staff()).handleTicketTranscript(req, env, req.params.ticketId!),
    },
    { method: 'POST', path: '/api/tickets/:ticketId/actions', handle: async (req, env) => (await staff()).handleTicketAction(req, env, req.params.ticketId!) },
  ],
};
