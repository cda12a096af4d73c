import type { APIInteraction, APIModalSubmitInteraction } from 'discord-api-types/v10';
import type { Handled } from '../../discord/handled.ts';
import type { GuildFeature } from '../../platform/feature.ts';
import type { IssueType, Severity } from './model.ts';

/** What a member typed into the /ticket open form, kept whole until the ticket is opened. */
export interface TicketDraft {
  issueType: IssueType;
  severity: Severity;
  subject: string;
  description: string;
}

/**
 * A feature that may answer a /ticket open form before the ticket exists
 * (the FAQ's suggestions). It answers synchronously, from memory: the form
 * must be answered within Discord's 3 seconds. Null lets the ticket open.
 */
export interface TicketDeflector {
  deflectTicket(i: APIModalSubmitInteraction, draft: TicketDraft): Handled | null;
}

export const isTicketDeflector = (f: GuildFeature): f is GuildFeature & TicketDeflector => typeof (f as Partial<TicketDeflector>).deflectTicket === 'function';

/** What tickets lend another feature in the same guild actor: opening a ticket for a member, and whether one did. */
export interface TicketDesk {
  /** Opens a ticket from `i` (its member, channel and token), within the member's open-ticket limit. */
  openDraft(i: APIInteraction, draft: TicketDraft): Promise<Handled>;
  /** Whether `userId` opened a ticket at a time in [from, to]. */
  openedBetween(userId: string, from: number, to: number): boolean;
}
