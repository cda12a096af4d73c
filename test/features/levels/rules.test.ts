import { describe, expect, it } from 'vitest';
import { renderCard } from '../../../src/features/levels/card.ts';
import { newlyEarned } from '../../../src/features/levels/rules/achievements.ts';
import { factorFor, offCooldown, rollXp } from '../../../src/features/levels/rules/award.ts';
import { checkConfig, DEFAULT_CONFIG } from '../../../src/features/levels/rules/config.ts';
import { parseImport, toCsv } from '../../../src/features/levels/rules/csv.ts';
import { levelOf, MEE6_CURVE, progressOf, stepCost, xpForLevel } from '../../../src/features/levels/rules/curve.ts';
import { grantProblem, rewardChanges } from '../../../src/features/levels/rules/rewards.ts';
import { fillTemplate } from '../../../src/features/levels/rules/template.ts';
import { voiceEarners } from '../../../src/features/levels/rules/voice.ts';
import { bucketOf } from '../../../src/features/levels/store.ts';
import { pngInfo } from './support.ts';

describe('the level curve', () => {
  it('matches MEE6’s table: 5L² + 50L + 100 per level', () => {
    expect([0, 1, 2, 3, 4].map((l) => stepCost(MEE6_CURVE, l))).toEqual([100, 155, 220, 295, 380]);
    // Totals: level 1 at 100, 2 at 255, 3 at 475, 4 at 770, 5 at 1,150, 10 at 4,675, 20 at 23,850.
    expect([1, 2, 3, 4, 5, 10, 20].map((l) => xpForLevel(MEE6_CURVE, l))).toEqual([100, 255, 475, 770, 1150, 4675, 23850]);
  });

  it('gives the level and the progress into the next one, exactly at the boundaries', () => {
    expect(levelOf(MEE6_CURVE, 0)).toBe(0);
    expect(levelOf(MEE6_CURVE, 99)).toBe(0);
    expect(levelOf(MEE6_CURVE, 100)).toBe(1);
    expect(levelOf(MEE6_CURVE, 254)).toBe(1);
    expect(levelOf(MEE6_CURVE, 255)).toBe(2);
    expect(levelOf(MEE6_CURVE, 1149)).toBe(4);
    expect(levelOf(MEE6_CURVE, 1150)).toBe(5);
    expect(progressOf(MEE6_CURVE, 300)).toEqual({ level: 2, into: 45, needed: 220 });
  });

  it('takes another curve, and refuses one that could never level', () => {
    expect(xpForLevel({ a: 0, b: 0, c: 10 }, 7)).toBe(70);
    expect(checkConfig({ ...DEFAULT_CONFIG, curve: { a: 0, b: 0, c: 0 } })).toBe('curve');
    expect(checkConfig({ ...DEFAULT_CONFIG, xpMin: 30, xpMax: 20 })).toBe('xp-range');
    expect(checkConfig(DEFAULT_CONFIG)).toBeNull();
  });
});

describe('awards', () => {
  const m = {
    channels: new Map([
      ['c-double', 2],
      ['c-none', 0],
    ]),
    roles: new Map([
      ['r-boost', 1.5],
      ['r-more', 3],
      ['r-muted', 0],
    ]),
  };

  it('multiplies by the channel and the best role; any zero means no XP', () => {
    expect(factorFor(m, 'c-plain', [])).toBe(1);
    expect(factorFor(m, 'c-double', ['r-boost'])).toBe(3);
    expect(factorFor(m, 'c-plain', ['r-boost', 'r-more'])).toBe(3);
    expect(factorFor(m, 'c-none', ['r-more'])).toBe(0);
    expect(factorFor(m, 'c-double', ['r-more', 'r-muted'])).toBe(0);
  });

  it('rolls 15–25 by default and waits out the cooldown', () => {
    expect(rollXp(15, 25, 1, 0)).toBe(15);
    expect(rollXp(15, 25, 1, 0.9999)).toBe(25);
    expect(rollXp(15, 25, 2, 0.5)).toBe(40);
    expect(offCooldown(null, 1000, 60)).toBe(true);
    expect(offCooldown(0, 59_999, 60)).toBe(false);
    expect(offCooldown(0, 60_000, 60)).toBe(true);
  });

  it('keys members into stable buckets', () => {
    expect(bucketOf('123456789012345678')).toBe(Number(123456789012345678n % 64n));
    expect(bucketOf('64000000000000000')).toBe(0);
  });
});

describe('reward roles', () => {
  const rewards = [
    { level: 5, roleId: 'r5' },
    { level: 10, roleId: 'r10' },
    { level: 20, roleId: 'r20' },
  ];
  it('stacking keeps every reward reached; replacing keeps only the highest', () => {
    expect(rewardChanges(rewards, 12, true, ['r5'])).toEqual({ add: ['r10'], remove: [] });
    expect(rewardChanges(rewards, 12, false, ['r5', 'other'])).toEqual({ add: ['r10'], remove: ['r5'] });
    expect(rewardChanges(rewards, 3, false, ['r5'])).toEqual({ add: [], remove: ['r5'] });
    expect(rewardChanges(rewards, 20, true, ['r5', 'r10', 'r20'])).toEqual({ add: [], remove: [] });
  });

  it('says why the bot cannot give a role', () => {
    const manage = 1n << 28n;
    const admin = 1n << 3n;
    expect(grantProblem({ position: 1 }, manage, 2, manage, admin)).toBeNull();
    expect(grantProblem({ position: 1 }, admin, 2, manage, admin)).toBeNull();
    expect(grantProblem({ position: 1 }, 0n, 2, manage, admin)).toBe('no-manage-roles');
    expect(grantProblem({ position: 2 }, manage, 2, manage, admin)).toBe('above-bot');
    expect(grantProblem({ position: 1, managed: true }, manage, 2, manage, admin)).toBe('managed');
    expect(grantProblem(undefined, manage, 2, manage, admin)).toBe('unknown-role');
  });
});

describe('texts, achievements and voice', () => {
  it('fills the guild’s level-up text and leaves unknown braces alone', () => {
    expect(fillTemplate('GG {user} ({name}) → {level} with {xp} XP on {server} {nope}', { userId: '1', name: 'Ana', level: 3, xp: 500, server: 'Guild' })).toBe(
      'GG <@1> (Ana) → 3 with 500 XP on Guild {nope}',
    );
  });

  it('finds achievements reached and not yet earned', () => {
    const defs = [
      { id: 1, kind: 'messages' as const, threshold: 100, name: 'Chatty' },
      { id: 2, kind: 'level' as const, threshold: 10, name: 'Ten' },
      { id: 3, kind: 'events' as const, threshold: 5, name: 'Regular' },
    ];
    const s = { messages: 150, level: 10, events: 1, voiceMinutes: 0 };
    expect(newlyEarned(defs, s, new Set()).map((a) => a.id)).toEqual([1, 2]);
    expect(newlyEarned(defs, s, new Set([1])).map((a) => a.id)).toEqual([2]);
  });

  it('voice XP only for listening members with listening company', () => {
    const v = (userId: string, channelId: string, deaf = false, bot = false) => ({ userId, channelId, deaf, bot, roles: [] });
    const earners = voiceEarners([
      v('alone', 'c1'),
      v('a', 'c2'),
      v('b', 'c2'),
      v('deaf', 'c2', true),
      v('x', 'c3'),
      v('deafened-friend', 'c3', true),
      v('y', 'c4'),
      v('bot', 'c4', false, true),
    ]);
    expect(earners.map((e) => e.userId)).toEqual(['a', 'b']);
    // The AFK channel earns nothing, however many idle there.
    expect(voiceEarners([v('a', 'afk'), v('b', 'afk'), v('c', 'c2'), v('d', 'c2')], 'afk').map((e) => e.userId)).toEqual(['c', 'd']);
  });
});

describe('CSV import and export', () => {
  it('reads MEE6-style rows with an optional header and extra columns', () => {
    const r = parseImport('user_id,xp,level\n123456789012345678,1500,5\r\n\n223456789012345678;20\n');
    expect(r).toEqual({
      ok: true,
      value: [
        { userId: '123456789012345678', xp: 1500 },
        { userId: '223456789012345678', xp: 20 },
      ],
    });
  });

  it('names the first bad line and takes nothing', () => {
    expect(parseImport('123456789012345678,10\nnot-an-id,5\n')).toEqual({ ok: false, error: { line: 2, reason: 'user-id' } });
    expect(parseImport('123456789012345678,10\n223456789012345678,-3')).toEqual({ ok: false, error: { line: 2, reason: 'xp' } });
    expect(parseImport('123456789012345678,10\n123456789012345678,11')).toEqual({ ok: false, error: { line: 2, reason: 'duplicate' } });
    expect(parseImport('123456789012345678')).toEqual({ ok: false, error: { line: 1, reason: 'columns' } });
    expect(parseImport('\n\n')).toEqual({ ok: false, error: { line: 1, reason: 'empty' } });
  });

  it('writes a header and one line per member', () => {
    expect(toCsv([{ userId: '1', xp: 255, level: 2, messages: 9 }])).toBe('user_id,xp,level,messages\n1,255,2,9\n');
  });
});

describe('the rank card', () => {
  it('is a PNG of the card size, with or without an avatar, and with names in other scripts', () => {
    const base = { level: 7, rank: 3, into: 120, needed: 645, xp: 3000 };
    const plain = pngInfo(renderCard({ ...base, name: 'player_one', avatar: null }));
    expect(plain).toEqual({ signature: true, width: 640, height: 200, colorType: 2 });
    const avatar = { width: 2, height: 2, rgb: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]) };
    expect(pngInfo(renderCard({ ...base, name: 'Иван 🎮 李', avatar })).width).toBe(640);
  });
});
