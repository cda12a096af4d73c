/** Where Discord's HTTP API is, unless DISCORD_API_BASE points elsewhere (the simulator). */
export const DEFAULT_API_BASE = 'https://discord.com/api/v10';
