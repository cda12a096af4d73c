/**
 * A text CAPTCHA drawn as a PNG (Discord shows PNG attachments inline; it
 * does not show SVG). Glyphs come from a 5×7 dot font, each scaled, shifted,
 * sheared and inked differently, then the picture is warped by a sine wave
 * and crossed with noise lines and specks, so the code cannot be copied as
 * text and is not a clean OCR target. Pure: randomness is passed in.
 */

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

// ---- PNG ------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * zlib stream of stored (uncompressed) deflate blocks: a CAPTCHA is about
 * 15 KB raw, small enough that compressing it is not worth a synchronous
 * deflate implementation.
 */
function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  const view = new DataView(out.buffer);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let i = 0; i < blocks; i++) {
    const chunk = data.subarray(i * 65535, Math.min(data.length, (i + 1) * 65535));
    out[o] = i === blocks - 1 ? 1 : 0;
    view.setUint16(o + 1, chunk.length, true);
    view.setUint16(o + 3, ~chunk.length & 0xffff, true);
    out.set(chunk, o + 5);
    o += 5 + chunk.length;
  }
  view.setUint32(o, adler32(data));
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes 8-bit grayscale pixels (row-major) as a PNG file. */
export function encodeGrayPng(width: number, height: number, pixels: Uint8Array): Uint8Array {
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibStored(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
