import { afterEach, describe, expect, it } from 'vitest';
import { fetchMe, fetchUserGuilds } from '../../../src/features/dashboard/discord-oauth.ts';

/**
 * Discord's OAuth2 answers at the module's edge: whatever comes back, an error
 * value, never an exception (seen in the dashboard bench: a body that timed out
 * under load escaped the guild guard as a 500). The simulator cannot be made to
 * cut a body short, so fetch is replaced here for these two cases alone.
 */
const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('Discord OAuth2 answers that are not what they should be', () => {
  it('a 200 whose body is not JSON is "unavailable"', async () => {
    globalThis.fetch = (async () => new Response('<html>busy</html>', { status: 200 })) as typeof fetch;
    expect(await fetchMe('https://discord.test/api/v10', 'token')).toEqual({ ok: false, error: { kind: 'unavailable', status: 200 } });
  });

  it('a body that fails while it is read (the timeout firing mid-body) is "unavailable"', async () => {
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('[{"id":"1'));
        c.error(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      },
    });
    globalThis.fetch = (async () => new Response(body, { status: 200 })) as typeof fetch;
    expect(await fetchUserGuilds('https://discord.test/api/v10', 'token')).toEqual({ ok: false, error: { kind: 'unavailable', status: 200 } });
  });
});
