import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import { simApi } from '../../helpers.ts';

/**
 * Logging in to the dashboard through the simulator's Discord, as a browser
 * would: shared by the dashboard's tests and those of features with pages on it.
 */

export const BASE = 'http://guildkeep.test';

/** Lets the simulator's OAuth2 accept `<base>/dashboard/callback` as a redirect URI. */
export async function registerRedirects(bases: readonly string[] = [BASE]): Promise<void> {
  for (const base of bases) await simApi('/_sim/oauth2/redirect-uris', { body: { uri: `${base}/dashboard/callback` } });
}

/** The user's guild list as Discord answers it (GET /users/@me/guilds with their token). */
export function setUserGuilds(userId: string, guilds: { id: string; name?: string; owner?: boolean; permissions: string }[]) {
  return simApi(`/_sim/oauth2/users/${userId}/guilds`, { method: 'PUT', body: { guilds } });
}

export const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
export const cookiePair = (setCookie: string | undefined) => setCookie?.split(';')[0];

/** Step 1: the browser opens /dashboard without a session. */
export async function startLogin(base = BASE) {
  const res = await SELF.fetch(`${base}/dashboard`, { redirect: 'manual' });
  await res.text();
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  const login = cookieOf(res, 'gk_login')!;
  return { res, location, login, loginCookie: cookiePair(login)! };
}

/** Steps 2 and 3: the user consents at Discord (the simulator's consent page, driven by its control) and the browser comes back. */
export async function consent(location: URL, userId: string, approve = true): Promise<URL> {
  const r = await simApi<{ location: string }>('/_sim/oauth2/authorize', { body: { url: location.toString(), user_id: userId, approve } });
  return new URL(r.location);
}

export async function callback(url: URL | string, loginCookie: string | undefined) {
  const res = await SELF.fetch(url.toString(), { redirect: 'manual', headers: loginCookie ? { cookie: loginCookie } : {} });
  const body = await res.text();
  return { res, body, session: cookieOf(res, 'gk_session') };
}

/** The whole login; returns the session cookie as the browser sends it back. */
export async function login(userId: string, base = BASE): Promise<string> {
  const s = await startLogin(base);
  const back = await consent(s.location, userId);
  const cb = await callback(back, s.loginCookie);
  expect(cb.res.status).toBe(303);
  return cookiePair(cb.session)!;
}
