/**
 * Legacy prefix commands and the slash commands that replace them (the
 * game-server bot's "graceful migration from prefix commands"): a message
 * starting with one is answered with the command to use instead.
 */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  start: '/server start',
  stop: '/server stop',
  restart: '/server restart',
  kill: '/server kill',
  status: '/server status',
  servers: '/server list',
  list: '/server list',
  players: '/server status',
  backup: '/server backup create',
  backups: '/server backup list',
  cmd: '/server command',
  command: '/server command',
  console: '/server command',
  stats: '/server stats',
  ticket: '/ticket open',
  new: '/ticket open',
  help: '/server list',
};

const PREFIXES = ['!', '?', '.', '$'];

/** The legacy command a message starts with and its replacement, or null (plain chat, or an unknown word). */
export function legacyCommand(content: string): { word: string; slash: string } | null {
  const text = content.trimStart();
  const prefix = PREFIXES.find((p) => text.startsWith(p));
  if (!prefix) return null;
  const word = /^[a-z]+/i.exec(text.slice(prefix.length))?.[0]?.toLowerCase();
  if (!word) return null;
  const slash = REPLACEMENTS[word];
  return slash ? { word: `${prefix}${word}`, slash } : null;
}

/** One hint per member and legacy command in this window: a member who keeps typing `!start` is not answered every time. */
export const HINT_COOLDOWN_MS = 3_600_000;
