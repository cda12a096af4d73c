import { type APIInteraction, GatewayDispatchEvents, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { FeatureModule, GuildFeature } from '../../src/platform/feature.ts';
import { type BaseGuildHost, GuildRouter } from '../../src/platform/guild-router.ts';
import type { Outbox } from '../../src/runtime/outbox.ts';
import type { Scheduler } from '../../src/runtime/scheduler.ts';

const mod = (name: string, over: Partial<FeatureModule>): FeatureModule => ({
  name,
  commands: [],
  customIds: [],
  autocomplete: [],
  jobs: [],
  timers: [],
  events: [],
  intents: 0,
  permissions: PermissionFlagsBits.ViewChannel,
  migrations: {},
  routes: [],
  ...over,
});
const base = { guildId: '1' } as BaseGuildHost;
const jobsQueued: string[] = [];
const outbox = {
  enqueue: (kind: string) => {
    jobsQueued.push(kind);
  },
  kick: () => {},
} as unknown as Outbox<string>;
const scheduler = {} as Scheduler;
const slash = (name: string) =>
  ({
    id: '9',
    type: 2,
    guild_id: '1',
    data: { id: '1', name, type: 1, options: [] },
    member: { user: { id: '5', username: 'u' }, roles: [], permissions: '0' },
  }) as unknown as APIInteraction;

describe('routing in the guild actor, by the names features claim', () => {
  it('sends each interaction, event, job and timer to its owner; a throwing feature becomes an error answer', async () => {
    const seen: string[] = [];
    const parts = new Map<string, GuildFeature>([
      [
        'raffles',
        {
          command: (i) => {
            seen.push(`raffles /${i.data.name}`);
            return { response: { type: 4, data: { content: 'ok' } }, outcome: 'ok', detail: '' };
          },
          onEvent: (e) => {
            seen.push(`raffles ${e.t}`);
            return Promise.resolve();
          },
          runJob: async (j) => {
            seen.push(`raffles job ${j.kind}`);
            return 'done';
          },
          runTimer: (t) => {
            seen.push(`raffles timer ${t.kind}`);
            return 'done';
          },
          autocomplete: () => [...Array.from({ length: 30 }, (_, n) => ({ name: `c${n}`, value: n })), { name: '', value: 99 }].reverse(),
        },
      ],
      [
        'broken',
        {
          command: () => {
            throw new Error('boom');
          },
          onEvent: (e) => {
            seen.push(`broken ${e.t}`);
          },
        },
      ],
    ]);
    const raffles = mod('raffles', {
      commands: [{ name: 'raffle', description: 'x' }],
      autocomplete: ['raffle'],
      jobs: ['draw'],
      timers: ['raffle-end'],
      events: [GatewayDispatchEvents.MessageCreate],
    });
    const broken = mod('broken', {
      commands: [{ name: 'oops', description: 'x' }],
      events: [GatewayDispatchEvents.MessageCreate, GatewayDispatchEvents.GuildMemberAdd],
    });
    const router = new GuildRouter([raffles, broken], base, outbox, scheduler, (m) => parts.get(m.name));

    expect((await router.interaction(slash('raffle'), { origin: '' })).handled.outcome).toBe('ok');
    const failed = await router.interaction(slash('oops'), { origin: '' });
    expect(failed).toMatchObject({
      action: '/oops',
      handled: { outcome: 'error', response: { data: { content: 'That could not be done just now. Nothing was changed; please try again.' } } },
    });
    expect((await router.interaction(slash('nobody'), { origin: '' })).handled.outcome).toBe('refused:unknown-command');

    await router.event({ s: 1, t: GatewayDispatchEvents.MessageCreate, d: {} } as never);
    await router.event({ s: 2, t: GatewayDispatchEvents.GuildMemberAdd, d: {} } as never);
    await router.runJob({ id: 1, kind: 'draw', payload: null, attempts: 0 });
    // A delayed job of a kind that is now a timer (queued by older code) runs as that timer.
    await router.runJob({ id: 2, kind: 'raffle-end', payload: null, attempts: 0 });
    await router.runTimer({ key: 'k', kind: 'raffle-end', at: 0, payload: null });
    expect(seen).toEqual([
      'raffles /raffle',
      'raffles MESSAGE_CREATE',
      'broken MESSAGE_CREATE',
      'broken GUILD_MEMBER_ADD',
      'raffles job draw',
      'raffles timer raffle-end',
      'raffles timer raffle-end',
    ]);

    const ac = await router.autocomplete({ ...slash('raffle'), type: 4 } as never);
    const choices = (ac as { data: { choices: { name: string }[] } }).data.choices;
    expect(choices).toHaveLength(25);
    expect(choices.every((c) => c.name.length >= 1)).toBe(true);
  });

  it('sends a message command to the feature that claims that name as a message command, apart from a slash command of the same name', async () => {
    const seen: string[] = [];
    const answer = { response: { type: 4, data: { content: 'ok' } }, outcome: 'ok', detail: '' } as const;
    const parts = new Map<string, GuildFeature>([
      [
        'raffles',
        {
          command: (i) => {
            seen.push(`raffles /${i.data.name}`);
            return answer;
          },
        },
      ],
      [
        'reports',
        {
          messageCommand: (i) => {
            seen.push(`reports menu ${i.data.name} on ${i.data.target_id}`);
            return answer;
          },
        },
      ],
    ]);
    const raffles = mod('raffles', { commands: [{ name: 'Report', description: 'x' }] });
    const reports = mod('reports', { commands: [{ type: 3, name: 'Report' }] });
    const router = new GuildRouter([raffles, reports], base, outbox, scheduler, (m) => parts.get(m.name));
    const menu = (name: string) =>
      ({ ...slash(name), data: { id: '2', name, type: 3, target_id: '77', resolved: { messages: {} } } }) as unknown as APIInteraction;

    expect(await router.interaction(menu('Report'), { origin: '' })).toMatchObject({ action: 'menu "Report"', handled: { outcome: 'ok' } });
    expect((await router.interaction(slash('Report'), { origin: '' })).action).toBe('/Report');
    expect((await router.interaction(menu('Nobody'), { origin: '' })).handled.outcome).toBe('refused:unknown-command');
    expect(seen).toEqual(['reports menu Report on 77', 'raffles /Report']);
  });

  it('lets a feature queue only the job and timer kinds it declares', () => {
    const raffles = mod('raffles', { jobs: ['draw'] });
    const router = new GuildRouter([raffles], base, outbox, scheduler, () => undefined);
    const host = router.hostFor(raffles);
    host.enqueue('draw', null);
    expect(jobsQueued).toContain('draw');
    expect(() => host.enqueue('handoff', null)).toThrow(/raffles queued job kind "handoff" it does not declare/);
    expect(() => host.timers.set('k', 'raffle-end', 0)).toThrow(/raffles set timer kind "raffle-end" it does not declare/);
  });
});
