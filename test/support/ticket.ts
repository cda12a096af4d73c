import { type Ticket, TRIAGE_DEFAULTS } from '../../src/features/tickets/model.ts';

/** An open ticket #1, for pure-rule tests that only need a valid record to decide on. */
export const openTicket: Ticket = {
  id: '1-1',
  guildId: '1',
  number: 1,
  openerId: 'opener',
  issueType: 'crash',
  severity: 'high',
  subject: 's',
  description: '',
  status: 'open',
  assigneeId: null,
  version: 1,
  createdAt: 0,
  updatedAt: 0,
  channelId: 'c',
  originChannelId: 'o',
  controlMessageId: null,
  closeReason: null,
  lastChangedBy: 'opener',
  lastChangedByName: 'Opener',
  openerName: 'Opener',
  ...TRIAGE_DEFAULTS,
};
