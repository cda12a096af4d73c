/**
 * The level curve: going from level L to L+1 costs aL² + bL + c XP. MEE6's
 * rule (5, 50, 100) is the default so communities moving over see the levels
 * they know (level 1 at 100 XP, 2 at 255, 5 at 1,150, 10 at 4,675).
 */
export interface Curve {
  a: number;
  b: number;
  c: number;
}

export const MEE6_CURVE: Curve = { a: 5, b: 50, c: 100 };

/** Levels are capped so a typo in an import (1e12 XP) cannot spin the loops below. */
export const MAX_LEVEL = 1000;

/** XP that going from `level` to `level + 1` costs. */
export const stepCost = (curve: Curve, level: number): number => curve.a * level * level + curve.b * level + curve.c;

/** Total XP needed to reach `level` from zero. */
export function xpForLevel(curve: Curve, level: number): number {
  let total = 0;
  for (let l = 0; l < Math.min(level, MAX_LEVEL); l++) total += stepCost(curve, l);
  return total;
}

export interface Progress {
  level: number;
  /** XP earned inside the current level, and what the next level costs. */
  into: number;
  needed: number;
}

/** The level reached with `xp`, and how far into the next one. */
export function progressOf(curve: Curve, xp: number): Progress {
  let level = 0;
  let floor = 0;
  for (;;) {
    const cost = stepCost(curve, level);
    if (level >= MAX_LEVEL || floor + cost > xp) return { level, into: Math.max(0, xp - floor), needed: cost };
    floor += cost;
    level++;
  }
}

export const levelOf = (curve: Curve, xp: number): number => progressOf(curve, xp).level;

/** A curve every level of which costs at least 1 XP (so levels always terminate) and stays within safe integers. */
export function validCurve(c: Curve): boolean {
  const ints = [c.a, c.b, c.c].every((n) => Number.isInteger(n) && n >= 0 && n <= 100_000);
  return ints && c.c >= 1;
}
