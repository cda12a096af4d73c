import { describe, expect, it } from 'vitest';
import { deliver, newGuild, replyText } from '../../helpers.ts';
import { addEntry, faq, int, KNOWLEDGE, submitEntry } from './support.ts';

describe('/faq add, edit, remove and list', () => {
  it('adds an entry through the form with the four labelled fields, lists it, edits and removes it', async () => {
    const g = await newGuild();
    const open = await faq(g, g.adminId, 'add');
    expect(open.response).toMatchObject({ type: 9, data: { custom_id: `faq:add:${g.guildId}`, title: 'New FAQ entry' } });
    const labels = (open.response as { data: { components: { components: { label: string }[] }[] } }).data.components.map((r) => r.components[0]!.label);
    expect(labels).toEqual(['Question', 'Other phrasings (one per line)', 'Answer', 'Tags']);
    expect(open.accepted).toBe(true);

    const id = await addEntry(g, KNOWLEDGE[0]!);
    await addEntry(g, KNOWLEDGE[1]!);
    const list = await faq(g, g.adminId, 'list');
    expect(replyText(list)).toContain('FAQ entries 1–2 of 2:');
    expect(replyText(list)).toContain(`\`#${id}\` How do I reset my password? · account`);

    const edit = await faq(g, g.adminId, 'edit', [int('entry', id)]);
    expect(edit.response).toMatchObject({ type: 9, data: { custom_id: `faq:edit:${g.guildId}:${id}` } });
    const prefilled = (edit.response as { data: { components: { components: { value?: string }[] }[] } }).data.components.map((r) => r.components[0]!.value);
    expect(prefilled).toEqual([KNOWLEDGE[0]!.question, 'forgot my password\ncannot log in', KNOWLEDGE[0]!.answer, 'account']);
    const saved = await submitEntry(g, g.adminId, `faq:edit:${g.guildId}:${id}`, {
      question: 'How do I change my password?',
      answer: 'Settings → Account.',
      tags: ['Account', 'login'],
    });
    expect(replyText(saved)).toBe(`Saved FAQ entry #${id}: How do I change my password?`);
    expect(replyText(await faq(g, g.adminId, 'list'))).toContain(`\`#${id}\` How do I change my password? · account, login`);

    const removed = await faq(g, g.adminId, 'remove', [int('entry', id)]);
    expect(replyText(removed)).toContain(`Removed FAQ entry #${id}: How do I change my password?`);
    expect(replyText(removed)).toContain('Settings → Account.');
    expect(replyText(await faq(g, g.adminId, 'list'))).toContain('FAQ entries 1–1 of 1:');
    expect(replyText(await faq(g, g.adminId, 'remove', [int('entry', id)]))).toBe(`There is no FAQ entry #${id}. /faq list shows the entries.`);
  });

  it('refuses a form with an empty answer or an oversized question, and saves nothing', async () => {
    const g = await newGuild();
    const empty = await submitEntry(g, g.adminId, `faq:add:${g.guildId}`, { question: 'A question?', answer: '   ' });
    expect(replyText(empty)).toBe('The answer is empty. Nothing was saved.');
    const long = await submitEntry(g, g.adminId, `faq:add:${g.guildId}`, { question: 'q'.repeat(201), answer: 'fine' });
    expect(replyText(long)).toBe('The question is longer than 200 characters. Nothing was saved.');
    expect(replyText(await faq(g, g.adminId, 'list'))).toBe('The FAQ is empty. Add an entry with /faq add.');
  });

  it('lets only staff change the FAQ, also when a member submits the form directly', async () => {
    const g = await newGuild();
    const member = g.memberIds[2]!;
    expect(replyText(await faq(g, member, 'add'))).toMatch(/^Only staff/);
    expect(replyText(await submitEntry(g, member, `faq:add:${g.guildId}`, KNOWLEDGE[0]!))).toMatch(/^Only staff/);
    expect(replyText(await faq(g, member, 'list'))).toMatch(/^Only staff/);
    expect(replyText(await faq(g, g.adminId, 'list'))).toBe('The FAQ is empty. Add an entry with /faq add.');
  });

  it('offers entries in autocomplete to staff', async () => {
    const g = await newGuild();
    const id = await addEntry(g, KNOWLEDGE[2]!);
    const d = await deliver({
      type: 4,
      guild_id: g.guildId,
      channel_id: g.generalChannelId,
      user_id: g.adminId,
      data: { name: 'faq', type: 1, options: [{ name: 'edit', type: 1, options: [{ name: 'entry', type: 4, value: 'week', focused: true }] }] },
    });
    expect(d.response).toMatchObject({ type: 8, data: { choices: [{ name: `#${id} When are the weekly events?`, value: id }] } });
  });
});
