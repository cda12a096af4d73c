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

  it('the real features do not clash, and the registered commands are all of theirs', () => {
    expect(checkClaims([core, ...FEATURES])).toEqual([]);
    expect(COMMANDS.map((c) => c.name)).toEqual(FEATURES.flatMap((f) => f.commands.map((c) => c.name)));
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['ticket', 'setup', 'warn', 'antiraid']));
  });
});
