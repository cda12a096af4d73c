import type { FieldSpec, Values } from './sections.ts';

/**
 * The settings forms' fields as text and back. Reading a form never refuses
 * anything: what does not look like the field's type is passed on as typed,
 * and the section's rules (the same as the slash command's and the REST
 * API's) say what is wrong with it.
 */

/** A form's fields as the browser sent them (textareas' line ends made plain). */
export type RawForm = Record<string, string>;

export function rawForm(form: FormData, fields: readonly FieldSpec[]): RawForm {
  const out: RawForm = {};
  for (const f of fields) {
    const v = form.get(f.name);
    out[f.name] = typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : '';
  }
  return out;
}

/** `<#123>`, `<@&123>` or `123`: the id. */
const idOf = (s: string) => /^<(?:#|@&)(\d+)>$/.exec(s)?.[1] ?? s;

/** One field's text as the value the section's rules check. */
export function fromText(f: FieldSpec, raw: string): unknown {
  const t = raw.trim();
  switch (f.kind) {
    case 'bool':
      return t === 'true' ? true : t === 'false' ? false : raw;
    case 'int':
      return /^-?\d{1,15}$/.test(t) ? Number(t) : raw;
    case 'channel':
    case 'role':
      return t === '' ? null : idOf(t);
    case 'channels':
      return t === '' ? [] : t.split(/[\s,]+/).map(idOf);
    case 'text':
    case 'longtext':
      return t === '' ? null : raw;
    case 'choice':
      return t;
    case 'json':
      try {
        return JSON.parse(t) as unknown;
      } catch {
        // The ladder also takes text (`3/24h:timeout 10m`); its rules read it.
        return t;
      }
    case 'pairs': {
      const out: Record<string, string> = {};
      for (const line of t.split('\n').map((l) => l.trim())) {
        if (!line) continue;
        const at = line.indexOf('=');
        if (at < 0) return raw;
        out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      return out;
    }
  }
}

/** A value as the form shows it. */
export function toText(f: FieldSpec, v: unknown): string {
  switch (f.kind) {
    case 'bool':
      return v === true ? 'true' : 'false';
    case 'channels':
      return Array.isArray(v) ? v.join(' ') : '';
    case 'json':
      return JSON.stringify(v, null, 2);
    case 'pairs':
      return Object.entries((v ?? {}) as Record<string, string>)
        .map(([code, name]) => `${code} = ${name}`)
        .join('\n');
    default:
      return v === null || v === undefined ? '' : String(v);
  }
}

/** Only the fields the admin changed: the audit names them, and a field left alone is never re-checked against rules that changed. */
export function changedFields(fields: readonly FieldSpec[], raw: RawForm, current: Values): Values {
  const patch: Values = {};
  for (const f of fields) {
    const v = fromText(f, raw[f.name] ?? '');
    if (JSON.stringify(v) !== JSON.stringify(current[f.name] ?? null)) patch[f.name] = v;
  }
  return patch;
}
