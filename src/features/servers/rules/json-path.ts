/**
 * A tiny JSON path for the generic adapter's field mappings: `a.b.c`, array
 * indexes as `items.0.name`, and `$` for the value itself. Enough to read any
 * orchestrator's JSON without running admin-supplied code.
 */
export function readPath(value: unknown, path: string): unknown {
  if (path === '$' || path === '') return value;
  let cur: unknown = value;
  for (const part of path.replace(/^\$\.?/, '').split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Fills `{field}` placeholders from an object (paths allowed: `{game.name}`), each value URL-encoded when `encode` is set. */
export function fillTemplate(template: string, from: unknown, encode = false): string {
  return template.replace(/\{([^{}]+)\}/g, (_, path: string) => {
    const v = readPath(from, path.trim());
    const s = v === undefined || v === null ? '' : String(v);
    return encode ? encodeURIComponent(s) : s;
  });
}

export const isValidPath = (p: string): boolean => p === '$' || /^(\$\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(p);
