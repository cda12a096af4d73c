/** Most places an event offers; more is a typo, not a plan. */
export const MAX_CAPACITY = 1000;
export const MAX_TITLE = 100;
export const MAX_DESCRIPTION = 1000;
/** Live series at most per guild: each holds timers, posts and a scheduled event. */
export const MAX_SERIES = 50;
