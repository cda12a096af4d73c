import { encodeRgbPng } from '../../lib/png.ts';
import { GLYPH_H, GLYPH_W, glyph } from './font.ts';

export const CARD_W = 640;
export const CARD_H = 200;

/** An RGB picture (3 bytes a pixel), such as a decoded avatar. */
export interface Picture {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export interface CardData {
  name: string;
  level: number;
  rank: number | null;
  into: number;
  needed: number;
  xp: number;
  avatar: Picture | null;
}

type Rgb = readonly [number, number, number];
const BG: Rgb = [35, 39, 42];
const PANEL: Rgb = [47, 49, 54];
const TEXT: Rgb = [255, 255, 255];
const MUTED: Rgb = [185, 187, 190];
const ACCENT: Rgb = [88, 101, 242];
const TRACK: Rgb = [72, 75, 81];

class Canvas {
  readonly px: Uint8Array;
  readonly w: number;
  readonly h: number;
  constructor(w: number, h: number) {
    this.w = w;
    this.h = h;
    this.px = new Uint8Array(w * h * 3);
  }
  set(x: number, y: number, c: Rgb): void {
    if (x < 0 || y < 0 || x >= this.w || y >= this.h) return;
    const o = (y * this.w + x) * 3;
    this.px[o] = c[0];
    this.px[o + 1] = c[1];
    this.px[o + 2] = c[2];
  }
  rect(x: number, y: number, w: number, h: number, c: Rgb): void {
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) this.set(i, j, c);
  }
  /** A rectangle with round ends (the progress bar). */
  pill(x: number, y: number, w: number, h: number, c: Rgb): void {
    const r = h / 2;
    for (let j = 0; j < h; j++)
      for (let i = 0; i < w; i++) {
        const dx = i < r ? r - i - 0.5 : i >= w - r ? i - (w - r) + 0.5 : 0;
        const dy = j - r + 0.5;
        if (dx * dx + dy * dy <= r * r) this.set(x + i, y + j, c);
      }
  }
  text(s: string, x: number, y: number, scale: number, c: Rgb, maxW = Number.POSITIVE_INFINITY): number {
    let cx = x;
    for (const ch of s) {
      if (cx + GLYPH_W * scale - x > maxW) break;
      const rows = glyph(ch);
      for (let r = 0; r < GLYPH_H; r++)
        for (let b = 0; b < GLYPH_W; b++) if (rows[r]! & (1 << (GLYPH_W - 1 - b))) this.rect(cx + b * scale, y + r * scale, scale, scale, c);
      cx += (GLYPH_W + 1) * scale;
    }
    return cx - x;
  }
}

export const textWidth = (s: string, scale: number): number => [...s].length * (GLYPH_W + 1) * scale;

/** Numbers the way a card shows them: 1.2K, 3.4M. */
export function shortNumber(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}K`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
}

/**
 * The rank card: avatar (or the name's initial on a disc), name, rank, level
 * and a progress bar to the next level, drawn in the Worker into a PNG.
 */
export function renderCard(d: CardData): Uint8Array {
  const c = new Canvas(CARD_W, CARD_H);
  c.rect(0, 0, CARD_W, CARD_H, BG);
  c.rect(12, 12, CARD_W - 24, CARD_H - 24, PANEL);
  const cx = 100;
  const cy = 100;
  const r = 64;
  for (let y = -r; y < r; y++)
    for (let x = -r; x < r; x++) {
      if (x * x + y * y > r * r) continue;
      const a = d.avatar;
      if (a) {
        const sx = Math.min(a.width - 1, Math.floor(((x + r) / (2 * r)) * a.width));
        const sy = Math.min(a.height - 1, Math.floor(((y + r) / (2 * r)) * a.height));
        const o = (sy * a.width + sx) * 3;
        c.set(cx + x, cy + y, [a.rgb[o]!, a.rgb[o + 1]!, a.rgb[o + 2]!]);
      } else c.set(cx + x, cy + y, ACCENT);
    }
  if (!d.avatar) {
    const initial = [...d.name][0] ?? '?';
    c.text(initial, cx - (GLYPH_W * 6) / 2, cy - (GLYPH_H * 6) / 2, 6, TEXT);
  }
  const left = 190;
  const right = CARD_W - 36;
  c.text(d.name, left, 40, 3, TEXT, right - left - 10);
  const level = `LEVEL ${d.level}`;
  const rank = d.rank === null ? 'RANK -' : `RANK #${d.rank}`;
  c.text(rank, left, 86, 3, MUTED);
  c.text(level, right - textWidth(level, 3), 86, 3, ACCENT);
  const xp = `${shortNumber(d.into)} / ${shortNumber(d.needed)} XP`;
  c.text(xp, right - textWidth(xp, 2), 118, 2, MUTED);
  const barW = right - left;
  c.pill(left, 140, barW, 24, TRACK);
  const filled = d.needed > 0 ? Math.round((Math.min(d.into, d.needed) / d.needed) * barW) : 0;
  if (filled >= 24) c.pill(left, 140, filled, 24, ACCENT);
  return encodeRgbPng(CARD_W, CARD_H, c.px);
}
