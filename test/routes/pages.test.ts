import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const BASE = 'http://guildkeep.test';
const GUILD = '123456789012345678';

/** The directives of a Content-Security-Policy header, by name. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('pages served to browsers', () => {
  it('the staff inbox page refuses framing and sniffing and runs only its own scripts', async () => {
    for (const path of [`/inbox/${GUILD}`, `/inbox/${GUILD}/tickets/${GUILD}-1`]) {
      const res = await SELF.fetch(BASE + path);
      await res.text();
      expect(res.status).toBe(200);
      const p = csp(res);
      expect(p.get('frame-ancestors')).toEqual(["'none'"]);
      expect(p.get('script-src')).toEqual(["'self'"]);
      expect(p.get('object-src')).toEqual(["'none'"]);
      expect(p.get('base-uri')).toEqual(["'none'"]);
      expect(p.get('connect-src')).toContain("'self'");
      expect(p.get('connect-src')).toContain('ws://guildkeep.test');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('the appeal page allows only its own inline script, by a fresh nonce, and refuses framing', async () => {
    const first = await SELF.fetch(`${BASE}/appeal/${GUILD}/3`);
    const html = await first.text();
    const p = csp(first);
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    expect(nonce).toBeTruthy();
    expect(p.get('script-src')).toEqual([`'nonce-${nonce}'`]);
    expect(p.get('style-src')).toEqual([`'nonce-${nonce}'`]);
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(p.get('frame-ancestors')).toEqual(["'none'"]);
    expect(p.get('default-src')).toEqual(["'none'"]);
    expect(p.get('connect-src')).toEqual(["'self'"]);
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    const second = await SELF.fetch(`${BASE}/appeal/${GUILD}/3`);
    expect(/<script nonce="([^"]+)">/.exec(await second.text())?.[1]).not.toBe(nonce);
  });
});

describe('appeal form submissions', () => {
  it('answers a JSON body that is not an object with 400 and a reason', async () => {
    for (const body of ['null', '"text"', '42', '[]', 'true']) {
      const res = await SELF.fetch(`${BASE}/appeal/${GUILD}/3`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status, body).toBe(400);
      expect(await res.json(), body).toEqual({ error: 'token and text are required.' });
    }
  });
});
