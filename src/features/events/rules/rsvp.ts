/** What a member answered for one occurrence; `waitlist` is Going beyond the capacity. */
export type RsvpStatus = 'going' | 'maybe' | 'no' | 'waitlist';
export type RsvpChoice = 'going' | 'maybe' | 'no' | 'none';

export interface Rsvp {
  userId: string;
  status: RsvpStatus;
  /** Order of answering Going (or joining the waitlist): the waitlist is promoted by it. */
  seq: number;
}

export interface RsvpChange {
  rsvps: Rsvp[];
  /** What the member now is (`none`: no answer). */
  now: RsvpStatus | 'none';
  changed: boolean;
  /** Members moved from the waitlist to Going, in order. */
  promoted: string[];
}

export const goingCount = (rsvps: readonly Rsvp[]) => rsvps.filter((r) => r.status === 'going').length;

/** Fills free places from the waitlist, first come first served. */
export function promote(rsvps: readonly Rsvp[], capacity: number | null): { rsvps: Rsvp[]; promoted: string[] } {
  const out = rsvps.map((r) => ({ ...r }));
  const promoted: string[] = [];
  let free = capacity === null ? Number.POSITIVE_INFINITY : capacity - goingCount(out);
  for (const r of out.filter((x) => x.status === 'waitlist').sort((a, b) => a.seq - b.seq)) {
    if (free <= 0) break;
    r.status = 'going';
    promoted.push(r.userId);
    free--;
  }
  return { rsvps: out, promoted };
}

/**
 * One member's answer applied: Going takes a place while there is one and
 * joins the waitlist otherwise; leaving Going (Maybe, Not going, or taking
 * the answer back) frees a place for the first on the waitlist. Answering
 * Going again keeps one's place.
 */
export function answer(rsvps: readonly Rsvp[], capacity: number | null, userId: string, choice: RsvpChoice, seq: number): RsvpChange {
  const mine = rsvps.find((r) => r.userId === userId);
  const others = rsvps.filter((r) => r.userId !== userId).map((r) => ({ ...r }));
  if (choice === 'going') {
    if (mine && (mine.status === 'going' || mine.status === 'waitlist'))
      return { rsvps: rsvps.map((r) => ({ ...r })), now: mine.status, changed: false, promoted: [] };
    const full = capacity !== null && goingCount(others) >= capacity;
    const status: RsvpStatus = full ? 'waitlist' : 'going';
    return { rsvps: [...others, { userId, status, seq }], now: status, changed: true, promoted: [] };
  }
  if (choice === 'none' ? !mine : mine?.status === choice)
    return { rsvps: rsvps.map((r) => ({ ...r })), now: mine?.status ?? 'none', changed: false, promoted: [] };
  const next = choice === 'none' ? others : [...others, { userId, status: choice, seq: mine?.seq ?? seq }];
  const p = mine?.status === 'going' ? promote(next, capacity) : { rsvps: next, promoted: [] };
  return { rsvps: p.rsvps, now: choice, changed: true, promoted: p.promoted };
}
