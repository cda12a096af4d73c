import type { Connection } from 'partyserver';
import type { Env } from '../../env.ts';
import { type Session, sessionAccess } from '../dashboard/access.ts';
import { fresh, GUILDS_CACHE_MS } from '../dashboard/rules.ts';

/**
 * The dashboard's live socket as the guild actor tells it apart from the
 * staff inbox's: by the path only this feature's route forwards
 * (`/dashboard/guilds/<id>/live`, after checking the session). The inbox's
 * sockets arrive through /parties/…, so a client cannot make one look like
 * the other by adding a header.
 */
export const DASHBOARD_TAG = 'dashboard';

/** Whether a socket's upgrade request is the dashboard's live feed for guild `guildId`. */
export function isDashboardSocket(url: string, guildId: string): boolean {
  return new URL(url).pathname === `/dashboard/guilds/${guildId}/live`;
}

/**
 * Who opened a dashboard socket, as the live route tells the actor after its
 * guard passed (the route drops any value the client sent under this name).
 */
export const VIEWER_HEADER = 'X-Guildkeep-Viewer';

export function viewerHeader(s: Session): string {
  return JSON.stringify({ userId: s.userId, sessionId: s.sessionId });
}

/** A dashboard socket's state (kept through hibernation): whose session it carries and when its access was last confirmed. */
export interface LiveState {
  viewer: Session;
  checkedAt: number;
}

export function liveStateOf(headers: Headers, at: number): LiveState | null {
  try {
    const v = JSON.parse(headers.get(VIEWER_HEADER) ?? '') as Partial<Session>;
    return typeof v.userId === 'string' && typeof v.sessionId === 'string' ? { viewer: { userId: v.userId, sessionId: v.sessionId }, checkedAt: at } : null;
  } catch {
    return null;
  }
}

/** Why a dashboard socket was closed: the page's reconnect then meets the route's guard, which says why in its answer. */
export const ACCESS_ENDED = { code: 4003, reason: 'dashboard access ended' } as const;

export interface LiveHost {
  env: Pick<Env, 'SESSION'>;
  guildId: () => string;
  now: () => number;
  waitUntil: (p: Promise<unknown>) => void;
}

/**
 * Sends to dashboard sockets only while their access is current. A socket's
 * session and its user's Manage Server are confirmed when it opens; once that
 * is older than Discord's cached answer may be (GUILDS_CACHE_MS), the next
 * message waits for a fresh check, and a socket whose session was logged out,
 * or whose user no longer manages the guild, is closed instead of told.
 * Messages held meanwhile go out in order once the check passes. An idle
 * socket is sent nothing, so it needs no check.
 */
export class LiveAccess {
  private readonly held = new Map<string, string[]>();
  private readonly host: LiveHost;

  constructor(host: LiveHost) {
    this.host = host;
  }

  send(c: Connection<LiveState>, message: string): void {
    const s = c.state;
    if (!s?.viewer) {
      // A socket from before sockets carried their viewer: the page reconnects through the guard.
      c.close(ACCESS_ENDED.code, ACCESS_ENDED.reason);
      return;
    }
    if (fresh(s.checkedAt, this.host.now(), GUILDS_CACHE_MS)) {
      c.send(message);
      return;
    }
    const waiting = this.held.get(c.id);
    if (waiting) {
      waiting.push(message);
      return;
    }
    this.held.set(c.id, [message]);
    this.host.waitUntil(this.recheck(c, s.viewer));
  }

  private async recheck(c: Connection<LiveState>, viewer: Session): Promise<void> {
    // Discord unreachable counts as no: the socket closes rather than outliving a revoked right.
    const a = await sessionAccess(this.host.env, viewer, this.host.guildId()).catch(() => ({ ok: false }) as const);
    const waiting = this.held.get(c.id) ?? [];
    this.held.delete(c.id);
    try {
      if (!a.ok) {
        c.close(ACCESS_ENDED.code, ACCESS_ENDED.reason);
        return;
      }
      c.setState({ viewer, checkedAt: this.host.now() });
      for (const m of waiting) c.send(m);
    } catch {
      // The socket went away while we asked.
    }
  }
}

/** What the dashboard's pages hear when the review queue may have changed, and how often at most. */
const REVIEW_SIGNAL = JSON.stringify({ type: 'review' });
const REVIEW_SIGNAL_MS = 1000;

/**
 * The guild actor's dashboard sockets: opening one, sending to all of them
 * under LiveAccess, and the review queue's "re-read" signal.
 */
export class DashboardLive {
  private readonly access: LiveAccess;
  private readonly sockets: () => Iterable<Connection<LiveState>>;
  private readonly open: () => number;
  private reviewSentAt = 0;
  private reviewTimer: ReturnType<typeof setTimeout> | null = null;

  /** `sockets` lists the dashboard-tagged connections; `open` counts them without waking their state. */
  constructor(host: LiveHost & { sockets: () => Iterable<Connection<LiveState>>; open: () => number }) {
    this.access = new LiveAccess(host);
    this.sockets = host.sockets;
    this.open = host.open;
  }

  /** A socket the live route let through: remember whose it is, then greet it. */
  connected(conn: Connection<LiveState>, headers: Headers, at: number): void {
    conn.setState(liveStateOf(headers, at));
    conn.send(JSON.stringify({ type: 'hello' }));
  }

  send(message: string): void {
    for (const c of this.sockets()) this.access.send(c, message);
  }

  /**
   * Something the review queue lists may have changed (every way in: an
   * interaction, the API, a ticket's actor, the gateway, a timer or job): open
   * dashboard pages are told to re-read, at most once a second. Nothing is
   * sent, or even timed, while no dashboard page is open.
   */
  reviewMayHaveChanged(): void {
    if (this.reviewTimer || this.open() === 0) return;
    const send = () => {
      this.reviewTimer = null;
      this.reviewSentAt = Date.now();
      this.send(REVIEW_SIGNAL);
    };
    const wait = this.reviewSentAt + REVIEW_SIGNAL_MS - Date.now();
    if (wait <= 0) send();
    else this.reviewTimer = setTimeout(send, wait);
  }
}
