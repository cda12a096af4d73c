import { GatewayIntentBits, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { FEATURES, MODULES } from '../../src/features/index.ts';
import { intentsFor } from '../../src/gateway/intents.ts';
import { core } from '../../src/platform/core.ts';
import { inviteUrl, missingValues, requiredIntents } from '../../src/platform/invite.ts';

describe('the invite URL (npm run invite-url)', () => {
  it("asks for exactly the OR of the features' declared permissions, with both scopes", () => {
    const url = new URL(inviteUrl('1234567890123456789', [core, ...FEATURES]));
    expect(`${url.origin}${url.pathname}`).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('1234567890123456789');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    let expected = 0n;
    for (const f of [core, ...FEATURES]) expected |= f.permissions;
    const asked = BigInt(url.searchParams.get('permissions')!);
    expect(asked).toBe(expected);
    // Least privilege: what the features do, never Administrator.
    for (const bit of [P.CreatePrivateThreads, P.ManageThreads, P.BanMembers, P.ModerateMembers, P.ManageGuild]) expect(asked & bit).toBe(bit);
    expect(asked & P.Administrator).toBe(0n);
    // A feature left out takes its permissions with it.
    const withoutProtection = BigInt(new URL(inviteUrl('1', [core, ...FEATURES.filter((f) => f.name !== 'protection')])).searchParams.get('permissions')!);
    expect(withoutProtection & P.ManageGuild).toBe(0n);
  });

  it('the gateway asks for exactly the intents the modules declare, less those turned off', () => {
    const needed = requiredIntents(MODULES);
    expect(intentsFor(undefined, needed)).toEqual({ ok: true, intents: needed });
    // Nothing handles bans or DMs: least privilege leaves those intents out.
    expect(needed & GatewayIntentBits.GuildModeration).toBe(0);
    expect(needed & GatewayIntentBits.DirectMessages).toBe(0);
    // A feature left out takes its intents with it: without tickets, moderation, the servers' prefix hints and the FAQ's help channels nothing reads message text.
    const readers = ['tickets', 'moderation', 'servers', 'faq'];
    expect(requiredIntents(MODULES.filter((f) => !readers.includes(f.name))) & GatewayIntentBits.MessageContent).toBe(0);
    const off = intentsFor('message_content', needed);
    expect(off.ok && off.intents & GatewayIntentBits.MessageContent).toBe(0);
  });

  it('says where a missing value comes from', () => {
    expect(missingValues(['DISCORD_APPLICATION_ID'])).toContain('Developer Portal → your application → General Information → Application ID');
  });
});
