/**
 * Masks personal data before anything is stored or logged: e-mail addresses,
 * payment card numbers (Luhn-checked, so order numbers survive), Discord bot
 * tokens and `password: …` values (to the end of the line: a passphrase has
 * spaces in it). Pure and idempotent.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Discord tokens: base64 user id . timestamp . HMAC (with an optional "Bot " prefix in front).
const DISCORD_TOKEN = /\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}\b/g;
// Digits grouped by spaces, dashes or dots, as people write card numbers.
const CARD_CANDIDATE = /\b\d(?:[ .-]?\d){12,18}\b/g;
// `pass: x` is a password; "my battle pass is broken" is not, so bare "pass" needs a colon or equals sign.
const PASSWORD_SET = /\b(pass(?:word|wd|phrase|code)?|pwd|pw)(\s*[:=]\s*)(\S[^\r\n]*)/gi;
const PASSWORD_IS = /\b(pass(?:word|wd|phrase|code)|pwd|pw)(\s+is\s+)(\S[^\r\n]*)/gi;

/**
 * Discord ids (snowflakes) are 17–19 digits, like some card numbers, and one
 * in ten passes the Luhn check. An unbroken run of digits below the snowflake
 * of 2035 is taken for an id, never a card: ids in audit details and mentions
 * must stay readable. (Cards of that length start with 3–6; snowflakes so far
 * with 1 or 2.)
 */
const SNOWFLAKE_CEILING = BigInt(Date.UTC(2035, 0, 1) - 1_420_070_400_000) << 22n;
const looksLikeSnowflake = (m: string): boolean => /^\d{17,19}$/.test(m) && BigInt(m) < SNOWFLAKE_CEILING;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function maskPersonalData(text: string): string {
  return text
    .replace(DISCORD_TOKEN, '[token]')
    .replace(EMAIL, '[email]')
    .replace(PASSWORD_SET, (_m, word: string, sep: string) => `${word}${sep}[redacted]`)
    .replace(PASSWORD_IS, (_m, word: string, sep: string) => `${word}${sep}[redacted]`)
    .replace(CARD_CANDIDATE, (m) => {
      if (looksLikeSnowflake(m)) return m;
      const digits = m.replace(/[ .-]/g, '');
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? '[card]' : m;
    });
}

/** Masks every string inside a JSON-like value. */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskPersonalData(value) as T;
  if (Array.isArray(value)) return value.map(maskDeep) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v);
    return out as T;
  }
  return value;
}
