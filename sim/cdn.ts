// The simulator's CDN, on its own origin: attachment bytes at
// /attachments/{channel_id}/{attachment_id}/{filename}, user avatars at
// /avatars/{user_id}/{hash}.png and default avatars at /embed/avatars/{index}.png,
// as cdn.discordapp.com lays them out (docs: reference, Image Formatting).
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { solidPng } from './png.ts';
import type { Sim } from './server.ts';

const DEFAULT_AVATAR_COLOURS: readonly (readonly [number, number, number])[] = [
  [88, 101, 242],
  [117, 126, 138],
  [59, 165, 92],
  [250, 166, 26],
  [237, 66, 69],
  [235, 69, 158],
];
// Default avatars ignore ?size (docs); user avatars honour powers of two from 16, capped here to keep responses small.
const DEFAULT_SIZE = 128;
const MAX_SIZE = 1024;

export function isCdnPath(pathname: string): boolean {
  return pathname.startsWith('/attachments/') || pathname.startsWith('/avatars/') || pathname.startsWith('/embed/avatars/');
}

/** The avatar hash the simulator gives a user: stable for the id, 32 hex digits like Discord's. */
export function avatarHash(userId: string): string {
  return createHash('md5').update(`avatar:${userId}`).digest('hex');
}

function colourOf(userId: string): [number, number, number] {
  const h = createHash('sha1').update(userId).digest();
  return [h[0]!, h[1]!, h[2]!];
}

function requestedSize(url: URL): number | null {
  const raw = url.searchParams.get('size');
  if (raw === null) return DEFAULT_SIZE;
  const n = Number(raw);
  // "Image size can be any power of two between 16 and 4096."
  if (!Number.isInteger(n) || n < 16 || n > 4096 || (n & (n - 1)) !== 0) return null;
  return Math.min(n, MAX_SIZE);
}

export function serveCdn(sim: Sim, method: string, url: URL, res: ServerResponse): void {
  const send = (status: number, type: string, body: Buffer | string) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'public, max-age=86400' });
    res.end(method === 'HEAD' ? undefined : body);
  };
  if (method !== 'GET' && method !== 'HEAD') return send(405, 'text/plain', 'Method Not Allowed');
  const p = url.pathname;
  const file = sim.state.attachments.serve(p);
  if (file) return send(200, file.contentType, file.bytes);
  let m = /^\/embed\/avatars\/([0-5])\.png$/.exec(p);
  if (m) return send(200, 'image/png', solidPng(DEFAULT_SIZE, DEFAULT_AVATAR_COLOURS[Number(m[1])]!));
  m = /^\/avatars\/(\d{1,20})\/([0-9a-f]{32})\.png$/.exec(p);
  if (m) {
    const user = sim.state.users.get(m[1]!);
    const size = requestedSize(url);
    if (user?.avatar === m[2] && size !== null) return send(200, 'image/png', solidPng(size, colourOf(user.id)));
    if (user?.avatar === m[2]) return send(400, 'text/plain', 'Invalid size');
  }
  send(404, 'text/plain', 'Not Found');
}
