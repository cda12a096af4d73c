/**
 * custom_id scheme: `<feature>:<action>:<id>[:<extra>]`.
 * The id names the actor that owns the component, so the Worker routes a press
 * or a modal without any lookup. Discord caps custom_id at 100 characters.
 */
export const CUSTOM_ID_MAX = 100;

export interface CustomId {
  feature: string;
  action: string;
  id: string;
  extra?: string;
}

const PART = /^[a-z0-9_-]+$/i;

export function encodeCustomId(parts: CustomId): string {
  for (const p of [parts.feature, parts.action, parts.id]) {
    if (!PART.test(p)) throw new Error(`custom_id part ${JSON.stringify(p)} must be [a-z0-9_-]+`);
  }
  const s = [parts.feature, parts.action, parts.id, ...(parts.extra !== undefined ? [parts.extra] : [])].join(':');
  if (s.length > CUSTOM_ID_MAX) throw new Error(`custom_id ${s} is longer than ${CUSTOM_ID_MAX}`);
  return s;
}

/** Parses a custom_id; null when it does not follow the scheme (never ours). */
export function parseCustomId(s: string): CustomId | null {
  if (s.length > CUSTOM_ID_MAX) return null;
  const [feature, action, id, ...rest] = s.split(':');
  if (!feature || !action || !id || !PART.test(feature) || !PART.test(action) || !PART.test(id)) return null;
  return rest.length ? { feature, action, id, extra: rest.join(':') } : { feature, action, id };
}
