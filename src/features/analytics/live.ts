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
