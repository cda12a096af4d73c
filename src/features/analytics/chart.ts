import { encodeRgbPng } from '../../lib/png.ts';

/**
 * The /stats chart: joins (green) and leaves (red) over the range as two
 * lines on one scale from zero, on an opaque white card so it reads on
 * Discord's light and dark themes alike. Pure: the same series always draw
 * the same picture (src/lib/png.ts encodes it; no browser, no canvas).
 */
export const STATS_WIDTH = 600;
export const STATS_HEIGHT = 200;
const PAD = 10;

type Rgb = readonly [number, number, number];
const PAPER: Rgb = [255, 255, 255];
const FRAME: Rgb = [190, 190, 190];
const GRID: Rgb = [230, 230, 230];
export const JOIN_INK: Rgb = [46, 158, 91];
export const LEAVE_INK: Rgb = [214, 69, 69];

export function renderJoinsChart(joins: readonly number[], leaves: readonly number[]): Uint8Array {
  const w = STATS_WIDTH;
  const h = STATS_HEIGHT;
  const px = new Uint8Array(w * h * 3);
  const set = (x: number, y: number, c: Rgb) => {
    if (x < 0 || x >= w || y < 0 || y >= h) return;
    const i = (y * w + x) * 3;
    px[i] = c[0];
    px[i + 1] = c[1];
    px[i + 2] = c[2];
  };
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) set(x, y, PAPER);
  const top = PAD;
  const bottom = h - PAD - 1;
  for (let q = 1; q < 4; q++) {
    const y = top + Math.round(((bottom - top) * q) / 4);
    for (let x = PAD; x < w - PAD; x++) set(x, y, GRID);
  }
  for (let x = PAD; x < w - PAD; x++) {
    set(x, top, FRAME);
    set(x, bottom, FRAME);
  }
  for (let y = top; y <= bottom; y++) {
    set(PAD, y, FRAME);
    set(w - PAD - 1, y, FRAME);
  }
  const hi = Math.max(1, ...joins, ...leaves);
  const line = (values: readonly number[], ink: Rgb) => {
    if (values.length === 0) return;
    const inner = w - 2 * PAD - 2;
    const yOf = (v: number) => bottom - 1 - Math.round((Math.max(0, v) / hi) * (bottom - top - 2));
    let prev: number | null = null;
    for (let x = 0; x < inner; x++) {
      const v = values[Math.min(values.length - 1, Math.floor((x / inner) * values.length))]!;
      const y = yOf(v);
      const from = prev === null ? y : Math.min(prev, y);
      const to = prev === null ? y : Math.max(prev, y);
      // Two pixels thick, so a line reads at Discord's thumbnail size.
      for (let yy = from; yy <= to; yy++) {
        set(PAD + 1 + x, yy, ink);
        set(PAD + 1 + x, yy - 1, ink);
      }
      prev = y;
    }
  };
  line(leaves, LEAVE_INK);
  line(joins, JOIN_INK);
  return encodeRgbPng(w, h, px);
}
