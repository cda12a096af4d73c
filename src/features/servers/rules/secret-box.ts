import { b64url, unb64url } from '../../../lib/base64url.ts';
import { err, ok, type Result } from '../../../lib/result.ts';

/**
 * Panel API keys at rest: AES-256-GCM under a key derived (HKDF-SHA-256) from
 * the deployment secret CONFIG_KEY, with the guild and panel as associated
 * data, so a sealed key copied into another guild's or panel's row does not
 * open. Sealed form: `v1.<iv base64url>.<ciphertext base64url>`.
 */
export type SealError = 'no-config-key' | 'bad-sealed-value';

const enc = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

const b64u = (bytes: Uint8Array): string => b64url(String.fromCharCode(...bytes));

function unb64u(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  return Uint8Array.from(unb64url(s), (c) => c.charCodeAt(0));
}

function keyFor(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle
      .importKey('raw', enc.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: enc.encode('guildkeep'), info: enc.encode('panel-keys/v1') },
          base,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      );
    keys.set(secret, k);
  }
  return k;
}

const aad = (guildId: string, panelId: string) => enc.encode(`${guildId}/${panelId}`);

export async function seal(secret: string | undefined, guildId: string, panelId: string, plain: string): Promise<Result<string, SealError>> {
  if (!secret) return err('no-config-key');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(guildId, panelId) }, await keyFor(secret), enc.encode(plain));
  return ok(`v1.${b64u(iv)}.${b64u(new Uint8Array(ct))}`);
}

export async function open(secret: string | undefined, guildId: string, panelId: string, sealed: string): Promise<Result<string, SealError>> {
  if (!secret) return err('no-config-key');
  const [v, ivs, cts] = sealed.split('.');
  const iv = ivs ? unb64u(ivs) : null;
  const ct = cts ? unb64u(cts) : null;
  if (v !== 'v1' || !iv || iv.length !== 12 || !ct) return err('bad-sealed-value');
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad(guildId, panelId) }, await keyFor(secret), ct);
    return ok(new TextDecoder().decode(plain));
  } catch {
    // A changed CONFIG_KEY, or a row moved between guilds or panels.
    return err('bad-sealed-value');
  }
}
