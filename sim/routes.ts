// The one table of REST route templates, with their auth, global-limit and
// bucket settings. Handlers are looked up by `routeKey` ("METHOD /template").
import { createHash } from 'node:crypto';

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  template: string;
  // Interaction callbacks and interaction webhooks are authenticated by their
  // token in the path, not by the bot token, and are exempt from the global limit.
  // 'user': the bot token or a user's OAuth2 Bearer token (sim/oauth2.ts).
  auth: 'bot' | 'token' | 'user';
  limit: number;
  windowMs: number;
  // Routes with the same group share a bucket hash (and counters per major id).
  group?: string;
}

// Defaults: message create 5 / 5 s per channel (observed on Discord), thread
// create 10 / 10 s per channel (our choice: Discord does not publish it),
// interaction callbacks 5 / 1 s per interaction (more than one is never
// valid anyway), everything else 50 / 1 s per major resource.
const D = { limit: 50, windowMs: 1000 };

export const ROUTES: readonly RouteDef[] = [
  { method: 'GET', template: '/users/@me', auth: 'user', ...D },
  { method: 'GET', template: '/users/@me/guilds', auth: 'user', ...D },
  { method: 'GET', template: '/gateway', auth: 'bot', ...D },
  { method: 'GET', template: '/gateway/bot', auth: 'bot', ...D },

  { method: 'GET', template: '/guilds/{guild_id}', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/channels', auth: 'bot', ...D },
  { method: 'POST', template: '/guilds/{guild_id}/channels', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/roles', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/members', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/members/{user_id}', auth: 'bot', ...D },
  { method: 'PATCH', template: '/guilds/{guild_id}', auth: 'bot', ...D },
  { method: 'PUT', template: '/guilds/{guild_id}/incident-actions', auth: 'bot', ...D },
  { method: 'POST', template: '/guilds/{guild_id}/roles', auth: 'bot', ...D },
  { method: 'PATCH', template: '/guilds/{guild_id}/members/{user_id}', auth: 'bot', ...D },
  { method: 'DELETE', template: '/guilds/{guild_id}/members/{user_id}', auth: 'bot', ...D },
  { method: 'PUT', template: '/guilds/{guild_id}/members/{user_id}/roles/{role_id}', auth: 'bot', ...D, group: 'member-roles' },
  { method: 'DELETE', template: '/guilds/{guild_id}/members/{user_id}/roles/{role_id}', auth: 'bot', ...D, group: 'member-roles' },
  { method: 'GET', template: '/guilds/{guild_id}/bans', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/bans/{user_id}', auth: 'bot', ...D },
  { method: 'PUT', template: '/guilds/{guild_id}/bans/{user_id}', auth: 'bot', ...D },
  { method: 'DELETE', template: '/guilds/{guild_id}/bans/{user_id}', auth: 'bot', ...D },
  { method: 'POST', template: '/guilds/{guild_id}/bulk-ban', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/invites', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/vanity-url', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/scheduled-events', auth: 'bot', ...D },
  { method: 'POST', template: '/guilds/{guild_id}/scheduled-events', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/scheduled-events/{event_id}', auth: 'bot', ...D },
  { method: 'PATCH', template: '/guilds/{guild_id}/scheduled-events/{event_id}', auth: 'bot', ...D },
  { method: 'DELETE', template: '/guilds/{guild_id}/scheduled-events/{event_id}', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/scheduled-events/{event_id}/users', auth: 'bot', ...D },
  { method: 'GET', template: '/guilds/{guild_id}/scheduled-events/{event_id}/users/counts', auth: 'bot', ...D },

  { method: 'POST', template: '/users/@me/channels', auth: 'bot', ...D },
  { method: 'GET', template: '/invites/{code}', auth: 'bot', ...D },
  { method: 'DELETE', template: '/invites/{code}', auth: 'bot', ...D },

  { method: 'GET', template: '/channels/{channel_id}', auth: 'bot', ...D },
  { method: 'PATCH', template: '/channels/{channel_id}', auth: 'bot', ...D },
  { method: 'POST', template: '/channels/{channel_id}/threads', auth: 'bot', limit: 10, windowMs: 10_000 },
  { method: 'POST', template: '/channels/{channel_id}/messages/{message_id}/threads', auth: 'bot', limit: 10, windowMs: 10_000 },
  { method: 'PUT', template: '/channels/{channel_id}/permissions/{overwrite_id}', auth: 'bot', ...D, group: 'channel-permissions' },
  { method: 'DELETE', template: '/channels/{channel_id}/permissions/{overwrite_id}', auth: 'bot', ...D, group: 'channel-permissions' },
  { method: 'GET', template: '/channels/{channel_id}/thread-members', auth: 'bot', ...D },
  { method: 'GET', template: '/channels/{channel_id}/thread-members/{user_id}', auth: 'bot', ...D },
  { method: 'PUT', template: '/channels/{channel_id}/thread-members/{user_id}', auth: 'bot', ...D, group: 'thread-members-write' },
  { method: 'DELETE', template: '/channels/{channel_id}/thread-members/{user_id}', auth: 'bot', ...D, group: 'thread-members-write' },
  { method: 'GET', template: '/channels/{channel_id}/messages', auth: 'bot', ...D },
  { method: 'POST', template: '/channels/{channel_id}/messages', auth: 'bot', limit: 5, windowMs: 5000 },
  { method: 'GET', template: '/channels/{channel_id}/messages/{message_id}', auth: 'bot', ...D },
  { method: 'PATCH', template: '/channels/{channel_id}/messages/{message_id}', auth: 'bot', ...D },
  { method: 'DELETE', template: '/channels/{channel_id}/messages/{message_id}', auth: 'bot', ...D },
  { method: 'POST', template: '/channels/{channel_id}/messages/bulk-delete', auth: 'bot', ...D },
  { method: 'GET', template: '/channels/{channel_id}/invites', auth: 'bot', ...D },
  // Reactions: Discord is observed to limit adding them to about 1 per 0.25 s per channel; undocumented, so the default applies.
  { method: 'PUT', template: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me', auth: 'bot', ...D },
  { method: 'DELETE', template: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me', auth: 'bot', ...D },
  { method: 'DELETE', template: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}', auth: 'bot', ...D },
  { method: 'GET', template: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji}', auth: 'bot', ...D },
  { method: 'DELETE', template: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji}', auth: 'bot', ...D },
  { method: 'DELETE', template: '/channels/{channel_id}/messages/{message_id}/reactions', auth: 'bot', ...D },
  { method: 'POST', template: '/channels/{channel_id}/invites', auth: 'bot', ...D },

  { method: 'POST', template: '/interactions/{interaction_id}/{interaction_token}/callback', auth: 'token', limit: 5, windowMs: 1000 },
  { method: 'GET', template: '/webhooks/{application_id}/{interaction_token}/messages/@original', auth: 'token', ...D, group: 'webhook-message-read' },
  { method: 'PATCH', template: '/webhooks/{application_id}/{interaction_token}/messages/@original', auth: 'token', ...D, group: 'webhook-message-edit' },
  { method: 'DELETE', template: '/webhooks/{application_id}/{interaction_token}/messages/@original', auth: 'token', ...D, group: 'webhook-message-delete' },
  { method: 'POST', template: '/webhooks/{application_id}/{interaction_token}', auth: 'token', limit: 5, windowMs: 2000 },
  { method: 'GET', template: '/webhooks/{application_id}/{interaction_token}/messages/{message_id}', auth: 'token', ...D, group: 'webhook-message-read' },
  { method: 'PATCH', template: '/webhooks/{application_id}/{interaction_token}/messages/{message_id}', auth: 'token', ...D, group: 'webhook-message-edit' },
  { method: 'DELETE', template: '/webhooks/{application_id}/{interaction_token}/messages/{message_id}', auth: 'token', ...D, group: 'webhook-message-delete' },

  { method: 'GET', template: '/applications/{application_id}/commands', auth: 'bot', ...D },
  { method: 'PUT', template: '/applications/{application_id}/commands', auth: 'bot', ...D },
  { method: 'GET', template: '/applications/{application_id}/guilds/{guild_id}/commands', auth: 'bot', ...D },
  { method: 'PUT', template: '/applications/{application_id}/guilds/{guild_id}/commands', auth: 'bot', ...D },
];

export function routeKey(def: Pick<RouteDef, 'method' | 'template'>): string {
  return `${def.method} ${def.template}`;
}

interface Compiled {
  def: RouteDef;
  re: RegExp;
  names: string[];
  literals: number;
}

const COMPILED: Compiled[] = ROUTES.map((def) => {
  const names: string[] = [];
  let literals = 0;
  const src = def.template
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        names.push(m[1]!);
        return '([^/]+)';
      }
      literals++;
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { def, re: new RegExp(`^${src}/?$`), names, literals };
  // More literal segments first, so '/messages/@original' wins over '/messages/{message_id}'.
}).sort((a, b) => b.literals - a.literals);

export type RouteMatch = { kind: 'ok'; def: RouteDef; params: Record<string, string> } | { kind: 'method-not-allowed' } | { kind: 'not-found' };

export function matchRoute(method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const c of COMPILED) {
    const m = c.re.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (c.def.method !== method) continue;
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1]!);
    });
    return { kind: 'ok', def: c.def, params };
  }
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}

// Discord's "top-level resources": counters are per bucket *and* per major id.
const MAJOR = ['channel_id', 'guild_id', 'interaction_token', 'interaction_id'] as const;

export function majorId(params: Record<string, string>): string {
  for (const k of MAJOR) if (params[k] !== undefined) return params[k]!;
  return 'global';
}

const hashCache = new Map<string, string>();
export function bucketHash(def: RouteDef): string {
  const key = def.group ?? routeKey(def);
  let h = hashCache.get(key);
  if (!h) {
    h = createHash('sha1').update(`guildkeep-sim:${key}`).digest('hex').slice(0, 32);
    hashCache.set(key, h);
  }
  return h;
}

export function findRoute(key: string): RouteDef | undefined {
  return ROUTES.find((r) => routeKey(r) === key);
}
