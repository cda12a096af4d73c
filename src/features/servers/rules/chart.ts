import { encodeGrayPng } from '../../../lib/png.ts';
import type { Summary } from './history.ts';

/**
 * The `/server stats` chart: CPU, memory and players over the period as three
 * stacked bands (top to bottom, as the embed's legend says), each an area
 * under its line scaled from zero to the band's own maximum; gaps where no
 * sample was taken stay blank. Grayscale, so it reads on Discord's light and
 * dark themes alike. Pure: the same summary always draws the same picture.
 */
export const CHART_WIDTH = 480;
export const BAND_HEIGHT = 64;
const GAP = 6;
const PAD = 4;
export const CHART_HEIGHT = 3 * BAND_HEIGHT + 2 * GAP;

const PAPER = 255;
const FRAME = 190;
const GRID = 232;
const AREA = 205;
const INK = 40;

export function renderStatsChart(series: Summary['series']): Uint8Array {
  const px = new Uint8Array(CHART_WIDTH * CHART_HEIGHT).fill(PAPER);
  const bands = [series.cpu, series.memory, series.players];
  for (const [i, values] of bands.entries()) drawBand(px, i * (BAND_HEIGHT + GAP), values);
  return encodeGrayPng(CHART_WIDTH, CHART_HEIGHT, px);
}

function drawBand(px: Uint8Array, top: number, values: readonly (number | null)[]): void {
  const set = (x: number, y: number, v: number) => {
    if (x >= 0 && x < CHART_WIDTH && y >= top && y < top + BAND_HEIGHT) px[y * CHART_WIDTH + x] = v;
  };
  const bottom = top + BAND_HEIGHT - 1;
  // Frame and a half-way grid line, so a flat line can be told from an empty band.
  for (let x = 0; x < CHART_WIDTH; x++) {
    set(x, top, FRAME);
    set(x, bottom, FRAME);
    set(x, top + Math.floor(BAND_HEIGHT / 2), GRID);
  }
  for (let y = top; y <= bottom; y++) {
    set(0, y, FRAME);
    set(CHART_WIDTH - 1, y, FRAME);
  }
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0 || values.length === 0) return;
  const hi = Math.max(...known, 0) || 1;
  const plotTop = top + PAD;
  const plotHeight = BAND_HEIGHT - 2 * PAD;
  const yOf = (v: number) => plotTop + plotHeight - 1 - Math.round((Math.max(0, v) / hi) * (plotHeight - 1));
  const inner = CHART_WIDTH - 2 * PAD;
  let prevY: number | null = null;
  for (let x = PAD; x < PAD + inner; x++) {
    const v = values[Math.min(values.length - 1, Math.floor(((x - PAD) / inner) * values.length))];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      prevY = null;
      continue;
    }
    const y = yOf(v);
    for (let yy = y + 1; yy <= plotTop + plotHeight - 1; yy++) set(x, yy, AREA);
    // Join to the previous column so steps read as a line, not dots.
    const from = prevY === null ? y : Math.min(prevY, y);
    const to = prevY === null ? y : Math.max(prevY, y);
    for (let yy = from; yy <= to; yy++) set(x, yy, INK);
    set(x, y - 1, INK);
    prevY = y;
  }
}
