/**
 * English texts of ticket transcripts (src/features/tickets/transcript-html.ts,
 * the transcript job, /ticket transcript) and of staff anonymity: spread into
 * the English catalog. Same rules as en.ts: ICU MessageFormat, typographic
 * apostrophes (’), Discord markup as plain text.
 */
export const ticketsTranscriptEn = {
  // ---- the HTML document ----
  'ticket.transcript.html.title': 'Ticket #{number} transcript',
  'ticket.transcript.html.subject': 'Subject',
  'ticket.transcript.html.opener': 'Opened by',
  'ticket.transcript.html.opened-at': 'Opened',
  'ticket.transcript.html.type': 'Type',
  'ticket.transcript.html.severity': 'Severity',
  'ticket.transcript.html.status': 'Status',
  'ticket.transcript.html.closed-at': 'Closed',
  'ticket.transcript.html.close-reason': 'Close reason',
  'ticket.transcript.html.description': 'Description',
  'ticket.transcript.html.history': 'Status history',
  'ticket.transcript.html.history-line': '{status} ({action}) by {by}',
  'ticket.transcript.html.messages': 'Conversation',
  'ticket.transcript.html.no-messages': 'No messages.',
  'ticket.transcript.html.left-out': '{n, plural, one {# earlier message left out} other {# earlier messages left out}} to keep this file small.',
  'ticket.transcript.html.staff': 'staff',
  'ticket.transcript.html.note': 'internal note',
  'ticket.transcript.html.attachments': 'Attachments',
  'ticket.transcript.html.generated': 'Generated {at}. Personal data was masked when the messages were stored.',
  'ticket.transcript.html.none': '—',
  // ---- posting it ----
  'ticket.transcript.posted':
    'Transcript of ticket #{number} ({type}, {severity}): {messages, plural, one {# message} other {# messages}}, closed by <@{user}>.',
  'ticket.transcript.dm': 'Your ticket #{number} on {guild} is closed. Here is a copy of the conversation.',
  'ticket.transcript.ready': 'Transcript of ticket #{number}.',
  'ticket.transcript.not-staff': 'Only support staff can get a ticket’s transcript.',
  'ticket.transcript.where': 'Use this in a ticket’s thread or channel, or give the ticket’s number (`number`).',
  'ticket.transcript.unknown': 'There is no ticket #{number} in this server.',
  'ticket.transcript.failed': 'The transcript of ticket #{number} could not be made just now; please try again.',
  // ---- setup ----
  'ticket.setup.transcript-channel': 'Transcripts of closed tickets go to <#{channel}>.',
  'ticket.setup.no-transcript-channel': 'No transcript channel: closed tickets get no transcript post (staff can use /ticket transcript).',
  'ticket.setup.transcript-dm': '{on, select, yes {Members get a copy of their transcript by DM.} other {Members get no transcript by DM.}}',
  'ticket.setup.anonymous-staff':
    '{on, select, yes {Staff replies from the inbox are posted as “Support team”.} other {Staff replies from the inbox name the staff member.}}',
  // ---- staff anonymity ----
  'ticket.support-team': 'Support team',
  'ticket.reply.anonymous': '**Support team**: {text}',
  'ticket.reply.named': '**{name}** (staff): {text}',
  // ---- command definitions ----
  'cmd.ticket.transcript.name': 'transcript',
  'cmd.ticket.transcript.description': 'Get this ticket’s transcript as an HTML file (staff)',
  'cmd.ticket.transcript.number.name': 'number',
  'cmd.ticket.transcript.number.description': 'The ticket’s number (default: the ticket of this thread or channel)',
  'cmd.setup.tickets.transcript_channel.name': 'transcript_channel',
  'cmd.setup.tickets.transcript_channel.description': 'Post the transcript of every closed ticket here',
  'cmd.setup.tickets.transcript_dm.name': 'transcript_dm',
  'cmd.setup.tickets.transcript_dm.description': 'Send the member a copy of the transcript by DM on close (default off)',
  'cmd.setup.tickets.anonymous_staff.name': 'anonymous_staff',
  'cmd.setup.tickets.anonymous_staff.description': 'Post staff replies from the inbox as “Support team” (default off)',
} as const;
