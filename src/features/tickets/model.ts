/** The ticket record and its vocabulary. */

export const ISSUE_TYPES = ['login', 'crash', 'billing', 'bug', 'other'] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['open', 'claimed', 'waiting', 'escalated', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];

/** Statuses in which a ticket counts against the member's open-ticket limit. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = ['open', 'claimed', 'waiting', 'escalated'];

export interface Ticket {
  id: string;
  guildId: string;
  /** Per-guild number shown to people (#12). */
  number: number;
  openerId: string;
  issueType: IssueType;
  severity: Severity;
  subject: string;
  description: string;
  status: TicketStatus;
  assigneeId: string | null;
  /** Bumped by every change; staff edits must name the version they saw. */
  version: number;
  createdAt: number;
  updatedAt: number;
  /** Where the conversation happens: private thread or private channel; null until created. */
  channelId: string | null;
  /** The channel the ticket was opened from (parent of the thread). */
  originChannelId: string;
  controlMessageId: string | null;
  closeReason: string | null;
  lastChangedBy: string;
  lastChangedByName: string;
  /** Display names as Discord showed them when the person acted (for staff pages). */
  openerName: string;
  assigneeName: string | null;
  /** Triage timestamps (epoch ms): member's last message, first staff response, first resolution, last close. */
  lastMemberMessageAt: number | null;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  escalations: number;
  /** SLA: when the first answer and the resolution are due (null when met, paused or off), and whether each target was met (null: not yet decided). */
  firstDueAt?: number | null;
  resolveDueAt?: number | null;
  firstMet?: boolean | null;
  resolveMet?: boolean | null;
  /** Staff messages in the conversation (one-touch resolution counts tickets resolved with exactly one); absent on older tickets. */
  staffMessages?: number;
  /** The opener's 1–5 rating of the last close, when it was given, and their survey answers (masked). */
  rating?: number | null;
  ratedAt?: number | null;
  survey?: string[] | null;
  /** Staff labels (organize/rules.ts: lower case, sorted); absent on older tickets. */
  tags?: string[];
  /** The panel category the ticket is in (opened from, or transferred to); null or absent: none. */
  category?: { id: number; name: string } | null;
}

/** Fields a ticket gets at creation that later actions fill in. */
export const TRIAGE_DEFAULTS = {
  assigneeName: null,
  lastMemberMessageAt: null,
  firstResponseAt: null,
  resolvedAt: null,
  closedAt: null,
  escalations: 0,
  firstDueAt: null,
  resolveDueAt: null,
  firstMet: null,
  resolveMet: null,
  staffMessages: 0,
  rating: null,
  ratedAt: null,
  survey: null,
  tags: [],
  category: null,
} as const satisfies Partial<Ticket>;

export const isIssueType = (s: unknown): s is IssueType => (ISSUE_TYPES as readonly unknown[]).includes(s);
export const isSeverity = (s: unknown): s is Severity => (SEVERITIES as readonly unknown[]).includes(s);
export const isStatus = (s: unknown): s is TicketStatus => (STATUSES as readonly unknown[]).includes(s);

/** Ticket ids are `<guild_id>-<number>`: unique, readable, and short enough for custom_ids. */
export const ticketId = (guildId: string, number: number): string => `${guildId}-${number}`;
