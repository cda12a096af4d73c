import type { MessageKey } from '../../i18n/en.ts';
import { t as tr } from '../../i18n/index.ts';
import type { Ticket } from './model.ts';
import type { TranscriptEntry } from './transcript.ts';

/** Discord's upload limit for a bot's message without boosts: 10 MiB. */
export const DISCORD_FILE_LIMIT = 10 * 1024 * 1024;
/** What the conversation may take of it; the head, facts and styles fit easily in the rest. */
export const DEFAULT_TRANSCRIPT_BUDGET = 9 * 1024 * 1024;

/** One line of the ticket's status history, as the ticket actor keeps it. */
export interface HistoryLine {
  at: number;
  status: string;
  by: string;
  action: string;
}

export interface TranscriptDocument {
  ticket: Ticket;
  entries: readonly TranscriptEntry[];
  history: readonly HistoryLine[];
  /** The catalog's language (the guild's). */
  locale: string | undefined;
  /** When the document is made (the clock's now). */
  generatedAt: number;
  /**
   * Who reads it. Staff see everything; the member's copy leaves out internal
   * notes and, when the guild keeps staff anonymous, names staff "Support team".
   */
  audience: 'staff' | 'member';
  anonymousStaff: boolean;
  /** Bytes the conversation may take (tests make it small); the earliest messages go first. */
  budget?: number;
  /** Earlier lines the caller did not read at all (beyond what it reads for one file). */
  omitted?: number;
}

export interface RenderedTranscript {
  html: string;
  /** Messages in the document, and how many earlier ones were left out for size. */
  shown: number;
  leftOut: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and double-quoted attributes. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Only http(s) links become hrefs; anything else (javascript:, data:) is shown as text. */
const safeUrl = (url: string): string | null => (/^https?:\/\//i.test(url) ? url : null);

const bytes = (s: string): number => new TextEncoder().encode(s).length;

function sizeText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** `<time>` with the UTC ISO instant as its machine value and a readable UTC form as its text. */
function time(at: number, locale: string | undefined): string {
  const d = new Date(at);
  let readable: string;
  try {
    readable = new Intl.DateTimeFormat(locale ?? 'en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d);
  } catch {
    // A locale this runtime's Intl does not know: English is still readable.
    readable = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d);
  }
  const iso = d.toISOString();
  return `<time datetime="${iso}" title="${iso}">${escapeHtml(readable)} UTC</time>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1f2328}
main{max-width:52rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.4rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem}
dl.facts dt{font-weight:600}dl.facts dd{margin:0;white-space:pre-wrap}
ol.messages,ol.history{list-style:none;padding:0;margin:0}
ol.messages li{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}
ol.messages li.staff{border-left:4px solid #0969da}ol.messages li.note{background:#fff8c5;border-left:4px solid #bf8700}
.who{font-weight:600}.id,.when{color:#57606a;font-size:.85em}.tag{font-size:.75em;border-radius:3px;padding:0 .3em;background:#ddf4ff;color:#0969da;margin-left:.3em}
li.note .tag{background:#fff1a8;color:#7d4e00}
.content{white-space:pre-wrap;overflow-wrap:anywhere;margin-top:.25rem}
ul.files{margin:.25rem 0 0;padding-left:1.2rem;font-size:.9em}
p.left-out{font-style:italic;color:#57606a}footer{margin-top:2rem;color:#57606a;font-size:.85em}
`.trim();

/**
 * A ticket's transcript as one self-contained HTML document: inline styles,
 * no script, no external resource (attachments are listed as links, never
 * embedded), every text escaped. Content is masked already (masked when
 * stored). Kept under Discord's file limit: when the conversation is larger
 * than the budget, the earliest messages are left out and the document says
 * how many.
 */
export function renderTranscriptHtml(doc: TranscriptDocument): RenderedTranscript {
  const { ticket: t, locale } = doc;
  const L = (key: MessageKey, values?: Record<string, string | number>) => escapeHtml(tr(locale, key, values));
  const supportTeam = tr(locale, 'ticket.support-team');
  const visible = doc.audience === 'member' ? doc.entries.filter((e) => e.kind !== 'note') : doc.entries;

  const entryHtml = (e: TranscriptEntry): string => {
    const hidden = doc.audience === 'member' && doc.anonymousStaff && e.kind !== 'member';
    const who = hidden
      ? `<span class="who">${escapeHtml(supportTeam)}</span>`
      : `<span class="who">${escapeHtml(e.authorName)}</span> <span class="id">(${escapeHtml(e.authorId)})</span>`;
    const tag =
      e.kind === 'note'
        ? `<span class="tag">${L('ticket.transcript.html.note')}</span>`
        : e.kind === 'staff'
          ? `<span class="tag">${L('ticket.transcript.html.staff')}</span>`
          : '';
    const files = e.attachments.length
      ? `<ul class="files" aria-label="${L('ticket.transcript.html.attachments')}">${e.attachments
          .map((a) => {
            const url = a.url ? safeUrl(a.url) : null;
            const name = escapeHtml(a.filename);
            return `<li>${url ? `<a href="${escapeHtml(url)}" rel="noreferrer">${name}</a>` : name} (${sizeText(a.size)})</li>`;
          })
          .join('')}</ul>`
      : '';
    return `<li class="${e.kind}">${who}${tag} <span class="when">${time(e.at, locale)}</span><div class="content">${escapeHtml(e.content)}</div>${files}</li>\n`;
  };

  // Newest first into the budget, so what is left out is the oldest.
  const budget = doc.budget ?? DEFAULT_TRANSCRIPT_BUDGET;
  const kept: string[] = [];
  let used = 0;
  for (let i = visible.length - 1; i >= 0; i--) {
    const h = entryHtml(visible[i]!);
    const n = bytes(h);
    if (used + n > budget) break;
    kept.push(h);
    used += n;
  }
  kept.reverse();
  const leftOut = visible.length - kept.length + Math.max(0, doc.omitted ?? 0);

  const none = L('ticket.transcript.html.none');
  const fact = (label: MessageKey, value: string) => `<dt>${L(label)}</dt><dd>${value}</dd>\n`;
  const opener = `${escapeHtml(t.openerName || t.openerId)} <span class="id">(${escapeHtml(t.openerId)})</span>`;
  const facts = [
    fact('ticket.transcript.html.subject', escapeHtml(t.subject)),
    fact('ticket.transcript.html.opener', opener),
    fact('ticket.transcript.html.opened-at', time(t.createdAt, locale)),
    fact('ticket.transcript.html.type', L('ticket.type', { type: t.issueType })),
    fact('ticket.transcript.html.severity', L('ticket.severity', { severity: t.severity })),
    fact('ticket.transcript.html.status', L('ticket.state', { status: t.status })),
    ...(t.closedAt !== null && t.status === 'closed' ? [fact('ticket.transcript.html.closed-at', time(t.closedAt, locale))] : []),
    ...(t.status === 'closed' ? [fact('ticket.transcript.html.close-reason', t.closeReason ? escapeHtml(t.closeReason) : none)] : []),
    ...(t.description ? [fact('ticket.transcript.html.description', escapeHtml(t.description))] : []),
  ].join('');

  // Who changed the status is staff's business; the member's copy keeps the changes, not the names, when staff are anonymous.
  const byName = (id: string) => (doc.audience === 'member' && doc.anonymousStaff && id !== t.openerId ? supportTeam : id);
  const history = doc.history.length
    ? `<h2>${L('ticket.transcript.html.history')}</h2>\n<ol class="history">\n${doc.history
        .map(
          (h) =>
            `<li>${time(h.at, locale)} · ${L('ticket.transcript.html.history-line', { status: tr(locale, 'ticket.state', { status: h.status }), action: h.action, by: byName(h.by) })}</li>\n`,
        )
        .join('')}</ol>\n`
    : '';

  const title = L('ticket.transcript.html.title', { number: t.number });
  const html = `<!DOCTYPE html>
<html lang="${escapeHtml(locale ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${title}</h1>
<dl class="facts">
${facts}</dl>
${history}<h2>${L('ticket.transcript.html.messages')}</h2>
${leftOut > 0 ? `<p class="left-out">${L('ticket.transcript.html.left-out', { n: leftOut })}</p>\n` : ''}${kept.length ? `<ol class="messages">\n${kept.join('')}</ol>` : `<p>${L('ticket.transcript.html.no-messages')}</p>`}
<footer>${escapeHtml(tr(locale, 'ticket.transcript.html.generated', { at: '\u0000' })).replace('\u0000', time(doc.generatedAt, locale))}</footer>
</main>
</body>
</html>
`;
  return { html, shown: kept.length, leftOut };
}

/** The file name Discord shows for a ticket's transcript. */
export const transcriptFileName = (number: number): string => `transcript-${number}.html`;
