import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands.ts';
import { FEATURES } from '../../src/features/index.ts';
import { assertClaims, checkClaims } from '../../src/platform/claims.ts';
import { core } from '../../src/platform/core.ts';
import type { FeatureModule } from '../../src/platform/feature.ts';

const fake = (name: string, over: Partial<FeatureModule> = {}): FeatureModule => ({
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

describe('feature claims', () => {
  it('finds every name two features both claim', () => {
    const cmd = { name: 'raffle', description: 'x' };
    const a = fake('raffles', {
      commands: [cmd],
      customIds: ['raffle'],
      jobs: ['draw'],
      timers: ['raffle-end'],
      routes: [{ method: 'GET', path: '/raffles', handle: () => new Response() }],
      migrations: {
        guild: [
          { name: 'schema', sql: '' },
          { name: 'schema', sql: '' },
        ],
      },
    });
    const b = fake('giveaways', {
      commands: [cmd],
      customIds: ['raffle'],
      jobs: ['draw'],
      timers: ['raffle-end'],
      routes: [{ method: 'GET', path: '/raffles', handle: () => new Response() }],
      migrations: { guild: [{ name: 'schema', sql: '' }] },
      autocomplete: ['giveaway'],
    });
    const clashes = checkClaims([a, b]).map((c) => `${c.kind} ${c.name} ${c.features.join('+')}`);
    expect(clashes).toEqual(
      expect.arrayContaining([
        'command raffle raffles+giveaways',
        'custom_id raffle raffles+giveaways',
        'job draw raffles+giveaways',
        'timer raffle-end raffles+giveaways',
        'route GET /raffles raffles+giveaways',
        // The same migration name twice in one feature; the same name in two features is fine (names are per feature).
        'migration guild:raffles:schema raffles+raffles',
        // Autocomplete for a command the feature does not define.
        'autocomplete giveaway giveaways',
      ]),
    );
    expect(clashes.some((c) => c.includes('giveaways:schema'))).toBe(false);
    expect(() => assertClaims([a, b])).toThrow(/feature claims clash: .*command "raffle" \(raffles, giveaways\)/);
  });

  it('keeps slash and message command names apart, as Discord does', () => {
    const a = fake('tickets', { commands: [{ name: 'ticket', description: 'x' }] });
    const b = fake('reports', { commands: [{ type: 3, name: 'ticket' }] });
    expect(checkClaims([a, b])).toEqual([]);
    const c = fake('more', { commands: [{ type: 3, name: 'ticket' }] });
    expect(checkClaims([b, c]).map((x) => `${x.kind} ${x.name} ${x.features.join('+')}`)).toEqual(['command message "ticket" reports+more']);
    // Autocomplete answers slash commands only.
    expect(checkClaims([fake('menus', { commands: [{ type: 3, name: 'pick' }], autocomplete: ['pick'] })]).map((x) => x.kind)).toEqual(['autocomplete']);
  });

  it('the real features do not clash, and the registered commands are all of theirs', () => {
    expect(checkClaims([core, ...FEATURES])).toEqual([]);
    expect(COMMANDS.map((c) => c.name)).toEqual(FEATURES.flatMap((f) => f.commands.map((c) => c.name)));
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['ticket', 'setup', 'warn', 'antiraid']));
  });
});
