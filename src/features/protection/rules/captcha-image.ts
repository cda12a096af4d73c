/**
 * A text CAPTCHA drawn as a PNG (Discord shows PNG attachments inline; it
 * does not show SVG). Glyphs come from a 5×7 dot font, each scaled, shifted,
 * sheared and inked differently, then the picture is warped by a sine wave
 * and crossed with noise lines and specks, so the code cannot be copied as
 * text and is not a clean OCR target. Pure: randomness is passed in.
 */

import { encodeGrayPng } from '../../../lib/png.ts';

/** Letters and digits that cannot be confused with one another (no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B). */
export const CAPTCHA_ALPHABET = 'ACDEFHJKMNPRTUVWXY3479';

const FONT: Readonly<Record<string, readonly string[]>> = {
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  C: ['.####', '#....', '#....', '#....', '#....', '#....', '.####'],
  D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  F: ['#####', '#....', '#....', '####.', '#....', '#....', '#....'],
  H: ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  J: ['..###', '...#.', '...#.', '...#.', '...#.', '#..#.', '.##..'],
  K: ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
  M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  N: ['#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#', '#...#'],
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  U: ['#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  V: ['#...#', '#...#', '#...#', '#...#', '#...#', '.#.#.', '..#..'],
  W: ['#...#', '#...#', '#...#', '#.#.#', '#.#.#', '##.##', '#...#'],
  X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
  Y: ['#...#', '#...#', '.#.#.', '..#..', '..#..', '..#..', '..#..'],
  '3': ['####.', '....#', '....#', '.###.', '....#', '....#', '####.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '....#', '.###.'],
};

const SCALE = 6;
const GLYPH_W = 5 * SCALE;
const GLYPH_H = 7 * SCALE;
const GAP = 10;
const MARGIN = 12;
export const CAPTCHA_HEIGHT = 80;

class Canvas {
  readonly w: number;
  readonly h: number;
  readonly px: Uint8Array;

  constructor(w: number, h: number, fill: number) {
    this.w = w;
    this.h = h;
    this.px = new Uint8Array(w * h).fill(fill);
  }

  dot(x: number, y: number, v: number): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi >= 0 && yi >= 0 && xi < this.w && yi < this.h) this.px[yi * this.w + xi] = v;
  }

  rect(x: number, y: number, w: number, h: number, v: number): void {
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) this.dot(x + i, y + j, v);
  }

  line(x0: number, y0: number, x1: number, y1: number, v: number, thick: number): void {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let s = 0; s <= steps; s++) {
      const x = x0 + ((x1 - x0) * s) / steps;
      const y = y0 + ((y1 - y0) * s) / steps;
      this.rect(x, y, thick, thick, v);
    }
  }
}

/** Draws `code` (characters of CAPTCHA_ALPHABET) as a grayscale PNG. */
export function renderCaptchaPng(code: string, rand: () => number): Uint8Array {
  const width = MARGIN * 2 + code.length * (GLYPH_W + GAP);
  const flat = new Canvas(width, CAPTCHA_HEIGHT, 255);
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
  let x = MARGIN;
  for (const ch of code) {
    const glyph = FONT[ch];
    if (!glyph) throw new Error(`no glyph for ${JSON.stringify(ch)}`);
    const top = between(4, CAPTCHA_HEIGHT - GLYPH_H - 4);
    const shear = between(-1.6, 1.6);
    const ink = Math.floor(between(10, 90));
    glyph.forEach((row, r) => {
      for (let c = 0; c < 5; c++) {
        if (row[c] !== '#') continue;
        flat.rect(x + c * SCALE + (r - 3) * shear, top + r * SCALE, SCALE + 1, SCALE + 1, ink);
      }
    });
    x += GLYPH_W + GAP + between(-3, 3);
  }
  // Wave: each column moves up or down along a sine.
  const out = new Canvas(width, CAPTCHA_HEIGHT, 255);
  const amp = between(2, 4.5);
  const period = between(28, 50);
  const phase = between(0, Math.PI * 2);
  for (let cx = 0; cx < width; cx++) {
    const dy = Math.round(amp * Math.sin((cx / period) * Math.PI * 2 + phase));
    for (let cy = 0; cy < CAPTCHA_HEIGHT; cy++) {
      const sy = cy - dy;
      if (sy >= 0 && sy < CAPTCHA_HEIGHT) out.px[cy * width + cx] = flat.px[sy * width + cx]!;
    }
  }
  for (let n = 0; n < 4; n++) {
    out.line(
      between(0, width * 0.3),
      between(0, CAPTCHA_HEIGHT),
      between(width * 0.7, width),
      between(0, CAPTCHA_HEIGHT),
      Math.floor(between(40, 140)),
      rand() < 0.5 ? 1 : 2,
    );
  }
  for (let n = 0; n < width * 1.5; n++) out.dot(between(0, width), between(0, CAPTCHA_HEIGHT), Math.floor(between(60, 200)));
  return encodeGrayPng(out.w, out.h, out.px);
}
