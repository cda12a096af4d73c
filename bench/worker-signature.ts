// Runs inside workerd (wrangler dev -c bench/wrangler.signature.jsonc) so the
// numbers are the runtime's, not Node's: BoringSSL behind WebCrypto versus
// tweetnacl's pure JavaScript in V8.
//
// workerd only advances Date.now()/performance.now() across I/O (a Spectre
// mitigation), so a CPU loop read against the clock inside one turn measures
// zero. Each batch is therefore bracketed by an awaited timer, which is I/O
// to the runtime, and the Node side also times whole requests and subtracts
// an empty batch; both are reported.
import nacl from 'tweetnacl';

interface Sample {
  body: string;
  signatureHex: string;
  timestamp: string;
  publicKeyHex: string;
}

interface Prepared {
  key: CryptoKey;
  publicKey: Uint8Array;
  signature: Uint8Array;
  flipped: Uint8Array;
  message: Uint8Array;
  bodyBytes: number;
}

let prepared: Prepared | null = null;

function hexToBytes(hex: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new Error('not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const tick = () => scheduler.wait(0);

async function setup(s: Sample): Promise<Response> {
  const publicKey = hexToBytes(s.publicKeyHex);
  const signature = hexToBytes(s.signatureHex);
  const flipped = signature.slice();
  flipped[7] = flipped[7]! ^ 0x01;
  const message = new TextEncoder().encode(s.timestamp + s.body);
  // Imported once, as the bot does (its key cache lives for the isolate).
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  prepared = { key, publicKey, signature, flipped, message, bodyBytes: message.length };
  // Both must accept the real signature and refuse a one-bit change, or the timings measure nothing.
  const checks = {
    webcryptoValid: await crypto.subtle.verify('Ed25519', key, signature, message),
    webcryptoFlippedRejected: !(await crypto.subtle.verify('Ed25519', key, flipped, message)),
    tweetnaclValid: nacl.sign.detached.verify(message, signature, publicKey),
    tweetnaclFlippedRejected: !nacl.sign.detached.verify(message, flipped, publicKey),
  };
  return Response.json({ bodyBytes: prepared.bodyBytes, checks });
}

async function run(impl: string, n: number): Promise<Response> {
  const p = prepared;
  if (!p) return Response.json({ error: 'POST /setup first' }, { status: 409 });
  if (!Number.isInteger(n) || n < 0 || n > 20_000) return Response.json({ error: 'n must be 0..20000' }, { status: 400 });
  let valid = 0;
  await tick();
  const t0 = performance.now();
  if (impl === 'webcrypto') {
    for (let i = 0; i < n; i++) if (await crypto.subtle.verify('Ed25519', p.key, p.signature, p.message)) valid++;
  } else if (impl === 'tweetnacl') {
    for (let i = 0; i < n; i++) if (nacl.sign.detached.verify(p.message, p.signature, p.publicKey)) valid++;
  } else if (impl !== 'none') {
    return Response.json({ error: `unknown impl ${impl}` }, { status: 400 });
  }
  await tick();
  const innerMs = performance.now() - t0;
  return Response.json({ impl, n, valid, innerMs });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/setup' && request.method === 'POST') return setup(await request.json<Sample>());
    if (url.pathname === '/run') return run(url.searchParams.get('impl') ?? '', Number(url.searchParams.get('n') ?? '0'));
    return new Response('signature bench worker\n');
  },
} satisfies ExportedHandler;
