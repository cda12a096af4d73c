import type { GuildFeature } from '../../platform/feature.ts';
import type { AlertAction, AlertKind } from './rules.ts';

/**
 * The alert desk as other features of the guild find it (host.peer): they
 * raise alerts, and the desk folds repeats into one message per window and
 * posts where the guild routed that kind. `raise` answers false when no
 * route is set for the kind: the caller then keeps its own way of telling.
 */
export interface AlertDesk {
  routes(kind: AlertKind): boolean;
  /** `action`: a button on the alert's message (the latest alert's, when repeats fold). */
  raise(a: { kind: AlertKind; evidence: string; at: number; action?: AlertAction }): boolean;
}

export const isAlertDesk = (f: GuildFeature): f is GuildFeature & AlertDesk =>
  typeof (f as Partial<AlertDesk>).raise === 'function' && typeof (f as Partial<AlertDesk>).routes === 'function';
