/** base64url (RFC 4648 §5, no padding) of a binary string, as signed link payloads carry it. */
export const b64url = (s: string): string => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** The binary string back; throws on characters outside the alphabet (callers treat that as malformed). */
export const unb64url = (s: string): string => atob(s.replace(/-/g, '+').replace(/_/g, '/'));
