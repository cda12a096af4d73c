import { describe, expect, it } from 'vitest';
import { decodePng } from '../../../src/features/levels/avatar.ts';
import { encodeGrayPng, encodeRgbPng } from '../../../src/lib/png.ts';

/** A PNG with real deflate and every row filter, as avatar PNGs from a CDN come. */
async function filteredRgba(width: number, height: number, rgba: Uint8Array): Promise<Uint8Array> {
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const cur = rgba[y * stride + x]!;
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? pr : 0;
      raw[y * (stride + 1) + 1 + x] = (cur - pred) & 0xff;
    }
  }
  const z = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
  const png = encodeRgbPng(width, height, new Uint8Array(width * height * 3));
  // The encoder's IHDR with colour type 6 (RGBA), then the deflated rows. CRCs are left zero: the decoder does not check them.
  const chunks: Uint8Array[] = [png.subarray(0, 8)];
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
    out.set(data, 8);
    return out;
  };
  const ihdr = png.slice(16, 29);
  ihdr[9] = 6;
  chunks.push(chunk('IHDR', ihdr), chunk('IDAT', z), chunk('IEND', new Uint8Array(0)));
  const total = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    total.set(c, o);
    o += c.length;
  }
  return total;
}

describe('avatar PNG decoding', () => {
  it('reads back RGB and grayscale PNGs', async () => {
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    expect(await decodePng(encodeRgbPng(2, 2, rgb))).toEqual({ width: 2, height: 2, rgb });
    const gray = await decodePng(encodeGrayPng(2, 1, new Uint8Array([0, 200])));
    expect(gray?.rgb).toEqual(new Uint8Array([0, 0, 0, 200, 200, 200]));
  });

  it('undoes every row filter of a deflated RGBA PNG and blends alpha on the card', async () => {
    const w = 7;
    const h = 6;
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([(i * 37) & 255, (i * 91) & 255, (i * 13) & 255, 255], i * 4);
    rgba[3] = 0;
    const out = await decodePng(await filteredRgba(w, h, rgba));
    expect(out?.width).toBe(w);
    for (let i = 1; i < w * h; i++) expect([...out!.rgb.subarray(i * 3, i * 3 + 3)]).toEqual([...rgba.subarray(i * 4, i * 4 + 3)]);
    // Fully transparent: the card's panel colour.
    expect([...out!.rgb.subarray(0, 3)]).toEqual([47, 49, 54]);
  });

  it('answers null for what is not a PNG it can read', async () => {
    expect(await decodePng(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(await decodePng(new TextEncoder().encode('\x89PNG\r\n\x1a\n not really a png at all, just text'))).toBeNull();
  });
});
