/** Durations in words live with their parser; this keeps the older import path working. */
export { formatDurationIn } from '../features/moderation/rules/duration.ts';
