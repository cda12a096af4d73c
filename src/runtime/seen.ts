import type { APIInteractionResponse } from 'discord-api-types/v10';

/**
 * Interaction ids already answered, with the answer: a redelivered interaction
 * gets the same answer and changes nothing. Needs a `seen_interactions` table.
 */
export function seenResponse(sql: SqlStorage, interactionId: string): APIInteractionResponse | null {
  const row = sql.exec<{ response: string }>(`SELECT response FROM seen_interactions WHERE id = ?`, interactionId).toArray()[0];
  return row ? (JSON.parse(row.response) as APIInteractionResponse) : null;
}

export function rememberResponse(sql: SqlStorage, interactionId: string, response: APIInteractionResponse): void {
  sql.exec(`INSERT OR REPLACE INTO seen_interactions (id, response, at) VALUES (?, ?, ?)`, interactionId, JSON.stringify(response), Date.now());
}

/** Interaction tokens die after 15 minutes; a redelivery after that cannot happen. */
export function forgetOldInteractions(sql: SqlStorage, now: number): void {
  sql.exec(`DELETE FROM seen_interactions WHERE at < ?`, now - 20 * 60_000);
}
