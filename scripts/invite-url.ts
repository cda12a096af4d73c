// npm run invite-url
// Prints the bot's least-privilege invite link: scopes bot and
// applications.commands, with the union of the permissions the enabled
// features declare (src/features/index.ts). Reads DISCORD_APPLICATION_ID from
// the environment or .dev.vars, as npm run register does.
import { FEATURES } from '../src/features/index.ts';
import { core } from '../src/platform/core.ts';
import { inviteUrl, missingValues, requiredPermissions } from '../src/platform/invite.ts';
import { loadDevVars } from './env-file.ts';

loadDevVars();
const applicationId = process.env.DISCORD_APPLICATION_ID;
if (!applicationId) {
  console.error(missingValues(['DISCORD_APPLICATION_ID']));
  process.exit(2);
}
if (!/^\d{17,20}$/.test(applicationId)) {
  console.error(`DISCORD_APPLICATION_ID "${applicationId}" is not an application id (a number of 17 to 20 digits).`);
  process.exit(2);
}
const features = [core, ...FEATURES];
console.log(inviteUrl(applicationId, features));
console.log(`Permissions ${requiredPermissions(features)}: the union of what ${FEATURES.map((f) => f.name).join(', ')} declare.`);
