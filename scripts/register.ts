// npm run register -- [--guild <id>] [--global]
// Bulk-overwrites the slash commands through the bot's REST client, reads them
// back and reports any difference. Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID
// and DISCORD_API_BASE from the environment or .dev.vars.
import { parseArgs } from 'node:util';
import { COMMANDS } from '../src/commands.ts';
import { registerCommands } from '../src/discord/commands-sync.ts';
import { DiscordRest, describeRestError } from '../src/discord/rest.ts';
import { missingValues } from '../src/platform/invite.ts';
import { loadDevVars } from './env-file.ts';

loadDevVars();
const { values } = parseArgs({ options: { guild: { type: 'string' }, global: { type: 'boolean' } } });
const token = process.env.DISCORD_TOKEN;
const applicationId = process.env.DISCORD_APPLICATION_ID;
if (!token || !applicationId) {
  console.error(missingValues([...(token ? [] : (['DISCORD_TOKEN'] as const)), ...(applicationId ? [] : (['DISCORD_APPLICATION_ID'] as const))]));
  process.exit(2);
}
if (!values.guild && !values.global) {
  console.error('Say where: --guild <id> (instant, for testing) or --global (all servers).');
  process.exit(2);
}
const rest = new DiscordRest({ token, apiBase: process.env.DISCORD_API_BASE });
const r = await registerCommands(rest, applicationId, values.guild ?? null, COMMANDS);
if (!r.ok) {
  console.error(`Registering failed: ${describeRestError(r.error)}`);
  if (r.error.kind === 'discord' && r.error.errors) console.error(JSON.stringify(r.error.errors, null, 2));
  process.exit(1);
}
console.log(`Registered ${r.value.registered} commands (${r.value.scope}) at ${rest.apiBase}.`);
if (r.value.differences.length) {
  console.error(`Discord's copy differs from the definitions:\n  ${r.value.differences.join('\n  ')}`);
  process.exit(1);
}
console.log('Read back and compared: identical.');
