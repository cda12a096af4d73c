import type { Picture } from './card.ts';

/** Avatars are fetched at 128 px; anything much larger is not an avatar we asked for. */
const MAX_SIDE = 1024;

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/**
 * Decodes a PNG avatar to RGB for the rank card: 8-bit, not interlaced,
 * grayscale, RGB, palette or with alpha (blended on the card's panel
 * colour). Anything else (16-bit, interlaced, a broken file) is null, and the
 * card draws the initial instead.
 */
export async function decodePng(bytes: Uint8Array): Promise<Picture | null> {
  try {
    if (bytes.length < 33 || bytes[0] !== 0x89 || bytes[1] !== 0x50 || bytes[2] !== 0x4e || bytes[3] !== 0x47) return null;
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let o = 8;
    let width = 0;
    let height = 0;
    let colorType = -1;
    let palette: Uint8Array | null = null;
    const idat: Uint8Array[] = [];
    while (o + 8 <= bytes.length) {
      const len = v.getUint32(o);
      const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
      const data = bytes.subarray(o + 8, o + 8 + len);
      if (type === 'IHDR') {
        width = v.getUint32(o + 8);
        height = v.getUint32(o + 12);
        if (data[8] !== 8 || data[12] !== 0) return null;
        colorType = data[9]!;
      } else if (type === 'PLTE') palette = data;
      else if (type === 'IDAT') idat.push(data);
      else if (type === 'IEND') break;
      o += 12 + len;
    }
    const ch = CHANNELS[colorType];
    if (!ch || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE || (colorType === 3 && !palette)) return null;
    const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
    let p = 0;
    for (const d of idat) {
      joined.set(d, p);
      p += d.length;
    }
    const raw = await inflate(joined);
    const stride = width * ch;
    if (raw.length < (stride + 1) * height) return null;
    const px = new Uint8Array(stride * height);
    for (let y = 0; y < height; y++) {
      const filter = raw[y * (stride + 1)]!;
      const src = y * (stride + 1) + 1;
      const row = y * stride;
      for (let x = 0; x < stride; x++) {
        const a = x >= ch ? px[row + x - ch]! : 0;
        const b = y > 0 ? px[row - stride + x]! : 0;
        const c = x >= ch && y > 0 ? px[row - stride + x - ch]! : 0;
        const r = raw[src + x]!;
        px[row + x] = (filter === 1 ? r + a : filter === 2 ? r + b : filter === 3 ? r + ((a + b) >> 1) : filter === 4 ? r + paeth(a, b, c) : r) & 0xff;
      }
    }
    const rgb = new Uint8Array(width * height * 3);
    const back = [47, 49, 54];
    for (let i = 0; i < width * height; i++) {
      let r: number;
      let g: number;
      let b: number;
      let alpha = 255;
      if (colorType === 3) {
        const k = px[i]! * 3;
        r = palette![k] ?? 0;
        g = palette![k + 1] ?? 0;
        b = palette![k + 2] ?? 0;
      } else if (ch <= 2) {
        r = g = b = px[i * ch]!;
        if (ch === 2) alpha = px[i * ch + 1]!;
      } else {
        r = px[i * ch]!;
        g = px[i * ch + 1]!;
        b = px[i * ch + 2]!;
        if (ch === 4) alpha = px[i * ch + 3]!;
      }
      rgb[i * 3] = Math.round((r * alpha + back[0]! * (255 - alpha)) / 255);
      rgb[i * 3 + 1] = Math.round((g * alpha + back[1]! * (255 - alpha)) / 255);
      rgb[i * 3 + 2] = Math.round((b * alpha + back[2]! * (255 - alpha)) / 255);
    }
    return { width, height, rgb };
  } catch (e) {
    // A corrupt avatar costs the member their picture on the card, nothing more.
    console.warn(`levels: avatar not decoded: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}
