import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../src/features/audit/mask.ts';
import type { Ticket } from '../../../src/features/tickets/model.ts';
import { maskAttachment, type TranscriptEntry } from '../../../src/features/tickets/transcript.ts';
import { DISCORD_FILE_LIMIT, renderTranscriptHtml, type TranscriptDocument } from '../../../src/features/tickets/transcript-html.ts';
import { SHIPPED_LOCALES } from '../../../src/i18n/index.ts';
import { openTicket } from '../../support/ticket.ts';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Parses with a spec-compliant HTML parser and fails on any parse error (well-formedness). */
function parsed(html: string) {
  const errors: string[] = [];
  const doc = parse(html, { onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) });
  expect(errors).toEqual([]);
  return doc;
}

const children = (n: Node): Node[] => ('childNodes' in n ? n.childNodes : []);
function all(n: Node, tag?: string): Element[] {
  const out: Element[] = [];
  const walk = (x: Node) => {
    if ('tagName' in x && (!tag || x.tagName === tag)) out.push(x);
    for (const c of children(x)) walk(c);
    if ('content' in x && x.content) walk(x.content as Node);
  };
  walk(n);
  return out;
}
const textOf = (n: Node): string => ('value' in n && n.nodeName === '#text' ? n.value : children(n).map(textOf).join(''));
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;
const byClass = (root: Node, cls: string) => all(root).filter((e) => (attr(e, 'class') ?? '').split(' ').includes(cls));

const closed: Ticket = {
  ...openTicket,
  id: '1-7',
  number: 7,
  openerId: '200000000000000001',
  openerName: 'Mia',
  subject: maskPersonalData('Login fails for mia@example.com'),
  description: maskPersonalData('password: hunter2 does not work'),
  status: 'closed',
  closeReason: 'fixed <b>for real</b>',
  createdAt: Date.UTC(2026, 11, 1, 9, 30),
  closedAt: Date.UTC(2026, 11, 2, 17, 5),
};

let nextId = 1;
const entry = (e: Partial<TranscriptEntry> & Pick<TranscriptEntry, 'kind' | 'content'>): TranscriptEntry => ({
  id: nextId++,
  at: Date.UTC(2026, 11, 1, 10, 0),
  authorId: e.kind === 'member' ? closed.openerId : '300000000000000002',
  authorName: e.kind === 'member' ? 'Mia' : 'Sam (mod)',
  discordMessageId: null,
  error: null,
  attachments: [],
  ...e,
  // Stored content is masked before it is stored.
  content: maskPersonalData(e.content),
});

const entries: TranscriptEntry[] = [
  entry({
    kind: 'member',
    content: 'It crashes <script>alert("x")</script> & my card is 4111 1111 1111 1111',
    attachments: [
      maskAttachment({ filename: 'crash.log', size: 2048, url: 'https://cdn.discordapp.com/attachments/1/2/crash.log' }),
      maskAttachment({ filename: 'mia@example.com.png', size: 10, url: 'https://cdn.discordapp.com/attachments/1/3/mia@example.com.png' }),
    ],
  }),
  entry({ kind: 'staff', content: 'Looking into it "now"', at: Date.UTC(2026, 11, 1, 11, 0) }),
  entry({ kind: 'note', content: 'internal: probably the launcher', at: Date.UTC(2026, 11, 1, 11, 1) }),
];

const doc = (over: Partial<TranscriptDocument> = {}): TranscriptDocument => ({
  ticket: closed,
  entries,
  history: [
    { at: closed.createdAt, status: 'open', by: closed.openerId, action: 'open' },
    { at: closed.closedAt!, status: 'closed', by: '300000000000000002', action: 'close' },
  ],
  locale: 'en',
  generatedAt: Date.UTC(2026, 11, 2, 17, 6),
  audience: 'staff',
  anonymousStaff: false,
  ...over,
});

describe('the HTML transcript', () => {
  it('is one well-formed, self-contained document: lang, charset, inline styles, no script, no external resource', () => {
    const { html } = renderTranscriptHtml(doc());
    const tree = parsed(html);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(attr(all(tree, 'html')[0]!, 'lang')).toBe('en');
    expect(all(tree, 'meta').some((m) => attr(m, 'charset') === 'utf-8')).toBe(true);
    expect(all(tree, 'script')).toEqual([]);
    expect(all(tree, 'style')).toHaveLength(1);
    for (const tag of ['link', 'img', 'iframe', 'object', 'embed', 'video', 'audio', 'source']) expect(all(tree, tag), tag).toEqual([]);
    // The only URLs are attachment links (to Discord's CDN), for a person to follow, never loaded.
    expect(all(tree).flatMap((e) => e.attrs.filter((a) => a.name === 'src' || a.name === 'srcset'))).toEqual([]);
    expect(textOf(all(tree, 'title')[0]!)).toBe('Ticket #7 transcript');
  });

  it('escapes every text: a <script> in a message, quotes and markup in the reason come out as text', () => {
    const { html } = renderTranscriptHtml(doc());
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>for real</b>');
    const tree = parsed(html);
    const [first] = byClass(tree, 'content');
    expect(textOf(first!)).toBe('It crashes <script>alert("x")</script> & my card is [card]');
    expect(textOf(tree)).toContain('fixed <b>for real</b>');
  });

  it('keeps masked content masked: subject, description, messages and attachment names', () => {
    const { html } = renderTranscriptHtml(doc());
    for (const secret of ['mia@example.com', 'hunter2', '4111']) expect(html).not.toContain(secret);
    const text = textOf(parsed(html));
    expect(text).toContain('Login fails for [email]');
    expect(text).toContain('password: [redacted]');
  });

  it('shows authors (name and id, staff marked), UTC ISO and readable times, attachments by name, size and link, and the ticket’s facts', () => {
    const tree = parsed(renderTranscriptHtml(doc()).html);
    const items = byClass(tree, 'messages')[0]!.childNodes.filter((n): n is Element => 'tagName' in n);
    expect(items.map((li) => attr(li, 'class'))).toEqual(['member', 'staff', 'note']);
    expect(textOf(items[0]!)).toContain(`Mia (${closed.openerId})`);
    expect(textOf(items[1]!)).toContain('Sam (mod) (300000000000000002)staff');
    expect(textOf(items[2]!)).toContain('internal note');
    const times = all(items[1]!, 'time');
    expect(attr(times[0]!, 'datetime')).toBe('2026-12-01T11:00:00.000Z');
    expect(textOf(times[0]!)).toMatch(/Dec 1, 2026.*11:00.*UTC$/);
    const links = all(items[0]!, 'a');
    expect(links.map((a) => [attr(a, 'href'), textOf(a)])).toEqual([['https://cdn.discordapp.com/attachments/1/2/crash.log', 'crash.log']]);
    // A file name with personal data is masked, and its URL (which repeats the name) is not kept.
    expect(textOf(all(items[0]!, 'ul')[0]!)).toBe('crash.log (2.0 KiB)[email] (10 B)');
    const facts = textOf(byClass(tree, 'facts')[0]!);
    for (const f of ['Subject', 'Opened by', 'Mia', 'Type', 'crash', 'Severity', 'high', 'Status', 'Closed', 'Close reason']) expect(facts).toContain(f);
    expect(textOf(byClass(tree, 'history')[0]!)).toMatch(/closed \(close\) by 300000000000000002/);
  });

  it('gives the member a copy without internal notes, and with “Support team” for staff when the guild keeps staff anonymous', () => {
    const plain = textOf(parsed(renderTranscriptHtml(doc({ audience: 'member' })).html));
    expect(plain).not.toContain('internal: probably the launcher');
    expect(plain).toContain('Sam (mod)');
    const anon = renderTranscriptHtml(doc({ audience: 'member', anonymousStaff: true })).html;
    const text = textOf(parsed(anon));
    expect(text).not.toContain('Sam (mod)');
    expect(anon).not.toContain('300000000000000002');
    expect(text).toContain('Support team');
    // Staff's own copy always names them.
    expect(textOf(parsed(renderTranscriptHtml(doc({ anonymousStaff: true })).html))).toContain('Sam (mod) (300000000000000002)');
  });

  it('stays under the budget: leaves out the earliest messages and says how many', () => {
    const many = Array.from({ length: 50 }, (_, i) => entry({ kind: 'member', content: `message ${i} ${'x'.repeat(200)}` }));
    const r = renderTranscriptHtml(doc({ entries: many, budget: 5000 }));
    expect(r.shown).toBeGreaterThan(0);
    expect(r.shown + r.leftOut).toBe(50);
    const text = textOf(parsed(r.html));
    expect(text).toContain(`${r.leftOut} earlier messages left out`);
    expect(text).toContain('message 49');
    expect(text).not.toContain('message 0 ');
    // Lines the caller never read count as left out too.
    expect(renderTranscriptHtml(doc({ entries: many.slice(40), omitted: 40 })).leftOut).toBe(40);
  });

  it('keeps the largest conversation the actor reads under Discord’s 10 MiB file limit', () => {
    const worst = Array.from({ length: 5000 }, () => entry({ kind: 'member', content: '"<>&'.repeat(500) }));
    const r = renderTranscriptHtml(doc({ entries: worst }));
    expect(new TextEncoder().encode(r.html).length).toBeLessThan(DISCORD_FILE_LIMIT);
    expect(r.leftOut).toBeGreaterThan(0);
    parsed(r.html);
  });

  it('is written in every shipped language, with its lang attribute', () => {
    const titles = SHIPPED_LOCALES.map((l) => {
      const tree = parsed(renderTranscriptHtml(doc({ locale: l })).html);
      expect(attr(all(tree, 'html')[0]!, 'lang')).toBe(l);
      return textOf(all(tree, 'title')[0]!);
    });
    expect(new Set(titles).size).toBe(SHIPPED_LOCALES.length);
  });

  it('says so when there is no message', () => {
    expect(textOf(parsed(renderTranscriptHtml(doc({ entries: [] })).html))).toContain('No messages.');
  });
});
