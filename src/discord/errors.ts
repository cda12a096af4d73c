import type { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { RestError } from './rest.ts';

/** A 4xx answer will fail the same way again (the client has already waited out 429s); anything else is worth retrying. */
export function isPermanent(e: RestError): boolean {
  return e.kind === 'discord' && e.status >= 400 && e.status < 500;
}

/** Discord says the resource is gone (deleted message, member who left, …), by its JSON error code. */
export function isUnknown(e: RestError, code: RESTJSONErrorCodes): boolean {
  return e.kind === 'discord' && e.code === code;
}
