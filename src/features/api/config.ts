import { err, ok, type Result } from '../../lib/result.ts';

/** A refused request field: the field at fault and why. */
export interface FieldError {
  field: string;
  error: string;
}

/** The version a change was made against: the `version` field, else the If-Match header (`"3"` or `3`). */
export function versionOf(body: Record<string, unknown>, ifMatch: string | null): Result<number, FieldError> {
  const raw = body.version ?? (ifMatch === null ? undefined : Number(ifMatch.replace(/^W\//, '').replace(/"/g, '')));
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1)
    return err({ field: 'version', error: 'the version you read (a positive integer), as `version` or If-Match' });
  return ok(raw);
}
