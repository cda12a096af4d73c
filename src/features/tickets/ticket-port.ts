import type { APIInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { SupportHours } from './hours/rules.ts';
import type { IssueType, Ticket } from './model.ts';
import type { Actor, TicketAction, TicketRefusal } from './rules.ts';
import type { ProvisionPlan } from './store.ts';
import type { TicketPolicy } from './upkeep/rules.ts';

/** What a panel category decides for a ticket transferred into it (organize/). */
export interface TransferPlan {
  staffRoleId: string | null;
  /** Channel mode: the Discord category the channel moves under; null: it stays. */
  parentId: string | null;
  policy: TicketPolicy;
  hours: SupportHours | null;
}

/** A change requested by a guild command or the staff API, acted on inside the ticket. */
export type TicketRequest =
  | { kind: 'act'; action: TicketAction; expectedVersion?: number }
  | { kind: 'close-request'; reason: string | null }
  /** Staff ask the member to close within `delayMin` minutes (Accept / Deny; no answer closes it). */
  | { kind: 'ask-member-to-close'; reason: string | null; delayMin: number }
  /** Staff take this ticket out of auto-close, or put it back. */
  | { kind: 'auto-close'; on: boolean }
  /** The opener left the server (GUILD_MEMBER_REMOVE): the ticket closes when the policy says so. */
  | { kind: 'opener-left' }
  | { kind: 'show' }
  /** A saved reply: placeholders filled from the ticket; `staffShownAs` is {staff} as the member reads it; `label` names it in the answer. */
  | { kind: 'reply'; text: string; staffShownAs: string; label: string }
  /** Into another panel category, with what that category decides. */
  | { kind: 'transfer'; to: { id: number; name: string; issueType: IssueType }; plan: TransferPlan };

export type ActOutcome = { ok: true; ticket: Ticket } | { ok: false; refusal: TicketRefusal; ticket: Ticket };

/** A message in a ticket's thread, as the transcript keeps it. */
export interface ThreadMessage {
  id: string;
  authorId: string;
  authorName: string;
  content: string;
  at: number;
  /** The message's files (listed in the HTML transcript). */
  attachments?: { filename: string; size: number; url: string }[];
}

/** Where a transcript made on demand goes: the deferred reply of /ticket transcript, in the asker's language. */
export interface TranscriptRequest {
  applicationId: string;
  interactionToken: string;
  locale: string | null;
}

/**
 * What the guild side of tickets asks of a ticket's own actor (TicketActor
 * implements it; the guild actor hands out its stubs), so this feature
 * never imports the actor class.
 */
export interface TicketPort {
  create(ticket: Ticket, plan: ProvisionPlan): Promise<Ticket>;
  request(req: TicketRequest, actor: Actor): Promise<{ outcome: ActOutcome; reply: APIInteractionResponseCallbackData }>;
  recordMessage(m: ThreadMessage): Promise<boolean>;
  /** Queues the transcript file for a deferred reply (the ticket's own job edits @original). */
  sendTranscript(req: TranscriptRequest): Promise<void>;
}
