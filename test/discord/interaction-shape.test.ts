import { describe, expect, it } from 'vitest';
import { checkInteractionShape } from '../../src/discord/interaction-shape.ts';

const member = { user: { id: '300000000000000001', username: 'helper_hana' }, permissions: '2147483648', roles: ['400000000000000001'], nick: null };
const base = { id: '100000000000000001', application_id: '200000000000000001', token: 'tok', version: 1 };
const command = {
  ...base,
  type: 2,
  guild_id: '500000000000000001',
  channel_id: '600000000000000001',
  member,
  data: { id: '700000000000000001', name: 'ticket', type: 1, options: [{ name: 'open', type: 1, options: [{ name: 'subject', type: 3, value: 'x' }] }] },
};
const menu = { ...command, data: { id: '700000000000000002', name: 'Open ticket', type: 3, target_id: '800000000000000002', resolved: { messages: {} } } };
const button = {
  ...base,
  type: 3,
  guild_id: '500000000000000001',
  channel_id: '600000000000000001',
  member,
  message: { id: '800000000000000001' },
  data: { custom_id: 'ticket:claim:1-1:1', component_type: 2 },
};
const modal = {
  ...base,
  type: 5,
  user: { id: '300000000000000001', username: 'm' },
  data: { custom_id: 'mod:appeal-form:1:1', components: [{ type: 1, components: [{ type: 4, custom_id: 'appeal_text', value: 'hi' }] }] },
};

const problem = (body: unknown) => {
  const r = checkInteractionShape(body);
  return r.ok ? null : r.error;
};

describe('checkInteractionShape', () => {
  it('accepts what Discord sends: ping, commands, buttons and modals, in servers and in DMs', () => {
    for (const body of [{ type: 1 }, command, menu, button, modal, { ...command, type: 4 }]) expect(problem(body)).toBeNull();
  });

  it('refuses bodies that are not interactions at all', () => {
    expect(problem(null)).toBe('the body is not a JSON object');
    expect(problem([command])).toBe('the body is not a JSON object');
    expect(problem({ type: 99 })).toBe('unknown interaction type 99');
    expect(problem({ type: '2' })).toBe('unknown interaction type "2"');
  });

  it('names the field at fault', () => {
    const cases: [unknown, string][] = [
      [{ ...command, id: 5 }, 'id must be a snowflake'],
      [{ ...command, token: '' }, 'token must be a non-empty string'],
      [{ ...command, member: undefined }, 'member must be an object in a server interaction'],
      [{ ...command, member: { ...member, user: null } }, 'member.user must be an object (an interaction outside a server names its user)'],
      [{ ...command, member: { ...member, permissions: 8 } }, 'member.permissions must be a permission bit string'],
      [{ ...command, member: { ...member, roles: 'admin' } }, 'member.roles must be an array of role ids'],
      [{ ...modal, user: undefined }, 'user must be an object (an interaction outside a server names its user)'],
      [{ ...command, data: undefined }, 'data must be an object for interaction type 2'],
      [{ ...command, data: { ...command.data, name: 42 } }, 'data.name must be a non-empty string'],
      [{ ...command, data: { ...command.data, options: {} } }, 'data.options must be an array'],
      [{ ...menu, data: { ...menu.data, target_id: undefined } }, 'data.target_id must be a snowflake'],
      [
        { ...command, data: { ...command.data, options: [{ name: 'open', type: 1, options: [{ name: 'subject', type: 3, value: {} }] }] } },
        'data.options[0].options[0].value must be a string, number or boolean',
      ],
      [{ ...button, data: { component_type: 2 } }, 'data.custom_id must be a string of 1–100 characters'],
      [{ ...button, data: { custom_id: 'x'.repeat(101), component_type: 2 } }, 'data.custom_id must be a string of 1–100 characters'],
      [{ ...button, data: { custom_id: 'a:b:c', component_type: 2, values: [1] } }, 'data.values must be an array of strings'],
      [{ ...button, message: 'gone' }, 'message must be a message with an id'],
      [{ ...modal, data: { custom_id: 'x', components: null } }, 'data.components must be an array'],
      [
        { ...modal, data: { custom_id: 'x', components: [{ type: 1, components: [{ type: 4, custom_id: 'a', value: 3 }] }] } },
        'data.components[0].components[0].value must be a string',
      ],
    ];
    for (const [body, message] of cases) expect(problem(body), message).toBe(message);
  });

  it('refuses option trees nested deeper than Discord allows', () => {
    let options: unknown[] = [{ name: 'leaf', type: 3, value: 'x' }];
    for (let i = 0; i < 4; i++) options = [{ name: `g${i}`, type: 2, options }];
    expect(problem({ ...command, data: { name: 'ticket', type: 1, options } })).toMatch(/nested too deeply$/);
  });
});
