import type { APIMessage } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { deliver, eventually, newGuild, originalMessageId, press, replyText, simApi, type TestGuild, uploadAttachment } from '../../helpers.ts';
import { resetClock } from '../../support/clock.ts';
import { addEntry, faq, KNOWLEDGE, type Opt, str } from './support.ts';

afterEach(() => resetClock());

const file = (id: string): Opt => ({ name: 'file', type: 11, value: id });

/** /faq import as the administrator; the deferred answer's final text (and its message, for the buttons). */
async function importFile(g: TestGuild, name: string, type: string, content: string, mode?: 'add' | 'replace') {
  const att = await uploadAttachment(name, type, content);
  const d = await faq(g, g.adminId, 'import', [file(att.id), ...(mode ? [str('mode', mode)] : [])]);
  if (d.response?.type !== 5) return { d, text: replyText(d), message: null };
  const message = await eventually(async () => {
    const r = await simApi<{ original: APIMessage | null }>(`/_sim/interactions/${d.interaction.id}`);
    return r.original?.content ? r.original : null;
  });
  return { d, text: message.content, message };
}

const questions = async (g: TestGuild) => replyText(await faq(g, g.adminId, 'list'));

describe('/faq import', () => {
  it('adds entries from a JSON file; the FAQ answers from them', async () => {
    const g = await newGuild();
    const json = JSON.stringify([
      { question: 'How do I link my Steam account?', phrasings: ['connect steam'], answer: 'Use /link steam and follow the link.', tags: ['account'] },
      { question: 'Where do I report a cheater?', answer: 'Open a ticket of type other with a video.' },
    ]);
    const r = await importFile(g, 'faq.json', 'application/json', json);
    expect(r.d.response).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(r.text).toBe('Imported 2 entries; the FAQ now has 2.');
    expect(await questions(g)).toContain('How do I link my Steam account?');
    const asked = await faq(g, g.memberIds[1]!, 'ask', [str('question', 'how to connect my steam acount')]);
    expect(JSON.stringify(asked.response)).toContain('Use /link steam');
  });

  it('replaces the FAQ from a Markdown file after confirmation', async () => {
    const g = await newGuild();
    for (const e of KNOWLEDGE) await addEntry(g, e);
    const md =
      '# Our FAQ\n\n## How do I join the Discord events?\nAlso: event signup; join events\n\nReact with ✅ on the announcement.\n\n## Is there a mobile app?\nNo, only desktop.\n';
    const r = await importFile(g, 'faq.md', 'text/markdown', md, 'replace');
    expect(r.text).toBe('This replaces all 3 entries with the 2 entries in faq.md. Replace them?');
    expect(await questions(g)).toContain('How do I reset my password?');
    const [replace] = (r.message!.components![0] as { components: { custom_id: string; label: string }[] }).components;
    expect(replace!.label).toBe('Replace');
    // Only the member who started it confirms it.
    const msg = await originalMessageId(r.d.interaction.id);
    expect(replyText(await deliver(press(g, g.memberIds[1]!, replace!.custom_id, g.generalChannelId, msg)))).toMatch(/^Only staff/);
    const done = await deliver(press(g, g.adminId, replace!.custom_id, g.generalChannelId, msg));
    expect(done.response).toMatchObject({ type: 7, data: { content: 'Replaced the FAQ with 2 entries.', components: [] } });
    const list = await questions(g);
    expect(list).toContain('FAQ entries 1–2 of 2:');
    expect(list).toContain('How do I join the Discord events?');
    expect(list).not.toContain('reset my password');
  });

  it('refuses a malformed file with the entry or line that is wrong, and changes nothing', async () => {
    const g = await newGuild();
    await addEntry(g, KNOWLEDGE[0]!);
    const json = await importFile(g, 'faq.json', 'application/json', '[{"question":"Q1","answer":"A1"},{"question":"Q2"}]');
    expect(json.text).toBe('Import refused. Entry 2: The field “answer” is missing or has the wrong type. Nothing was changed.');
    const md = await importFile(g, 'faq.md', 'text/markdown', '## Q1\nA1\n\n## Q2\nAlso: only phrasings\n');
    expect(md.text).toBe('Import refused. Line 4: The answer is empty. Nothing was changed.');
    const notJson = await importFile(g, 'faq.json', 'application/json', '{"oops"');
    expect(notJson.text).toMatch(/^Import refused\. The file is not valid JSON \(.+\)\. Nothing was changed\.$/);
    const txt = await importFile(g, 'faq.txt', 'text/plain', 'hello');
    expect(txt.text).toMatch(/^Send a \.json file/);
    expect(await questions(g)).toContain('FAQ entries 1–1 of 1:');
  });

  it(`holds at most 500 entries: a full FAQ refuses more, by form or by file`, async () => {
    const g = await newGuild();
    const many = Array.from({ length: 500 }, (_, i) => ({ question: `Question number ${i}?`, answer: `Answer ${i}.` }));
    expect((await importFile(g, 'many.json', 'application/json', JSON.stringify(many))).text).toBe('Imported 500 entries; the FAQ now has 500.');
    expect(replyText(await faq(g, g.adminId, 'add'))).toBe('The FAQ is full (500 entries). Remove an entry before adding another.');
    const one = await importFile(g, 'one.json', 'application/json', JSON.stringify([{ question: 'One more?', answer: 'No.' }]));
    expect(one.text).toBe('Importing 1 entry would make 501; the FAQ holds at most 500. Nothing was changed.');
  });
});
