import {
  type APIInteraction,
  type APIInteractionResponse,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
} from 'discord-api-types/v10';
import { parseCustomId } from '../discord/custom-id.ts';
import { checkInteractionShape } from '../discord/interaction-shape.ts';
import { verifyDiscordSignature } from '../discord/signature.ts';
import type { Env } from '../env.ts';
import { dmRoute } from '../features/moderation/dm-routing.ts';
import { TICKET_FEATURE, TicketButtons } from '../features/tickets/views.ts';
import { localeOf, t } from '../i18n/index.ts';
import { guildActor, ticketActor } from '../runtime/actors.ts';

const TICKET_OWNED = new Set<string>(Object.values(TicketButtons));
/** What a ticket's opener answers in their DMs after a close: the rating buttons and the survey form. */
const TICKET_DM = new Set<string>([TicketButtons.rate, TicketButtons.survey]);
/** A ticket id: `<guild_id>-<number>`. */
const TICKET_ID = /^\d{15,20}-\d{1,9}$/;

const json = (body: unknown, status = 200) => Response.json(body, { status });
const problem = (status: number, message: string) => json({ error: message }, status);
const ephemeralReply = (content: string): APIInteractionResponse => ({
  type: InteractionResponseType.ChannelMessageWithSource,
  data: { content, flags: MessageFlags.Ephemeral },
});

/**
 * POST /interactions: verify the signature on the raw body first (401 and
 * nothing else on failure), then hand the interaction to the actor that owns
 * it — no lookups: guild id or the custom_id names the actor.
 */
export async function handleInteractionRequest(request: Request, env: Env): Promise<Response> {
  const raw = await request.text();
  const failure = await verifyDiscordSignature(
    env.DISCORD_PUBLIC_KEY,
    request.headers.get('X-Signature-Ed25519'),
    request.headers.get('X-Signature-Timestamp'),
    raw,
  );
  if (failure) return problem(401, `invalid request signature (${failure})`);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return problem(400, 'body is not valid JSON');
  }
  const shape = checkInteractionShape(body);
  if (!shape.ok) return problem(400, shape.error.startsWith('unknown interaction type') ? shape.error : `malformed interaction: ${shape.error}`);
  return json(await answerInteraction(shape.value, raw, new URL(request.url).origin, env));
}

/**
 * The answer to a verified interaction, the same whether it came over HTTP or
 * the gateway (INTERACTION_CREATE). `origin` is where staff links point ('' when unknown).
 */
export async function answerInteraction(interaction: APIInteraction, raw: string, origin: string, env: Env): Promise<APIInteractionResponse> {
  try {
    return await route(interaction, raw, origin, env);
  } catch (e) {
    // An actor that could not be reached (overloaded, restarting) must not turn into
    // Discord's bare "interaction failed": say so, and nothing was changed.
    console.error(`interaction ${interaction.id}: ${e instanceof Error ? e.message : String(e)}`);
    return ephemeralReply(t(localeOf(interaction), 'route.failed'));
  }
}

/** The actor gets the raw body (a string crosses the RPC boundary more cheaply than the parsed object). */
async function route(i: APIInteraction, raw: string, origin: string, env: Env): Promise<APIInteractionResponse> {
  if (i.type === InteractionType.Ping) return { type: InteractionResponseType.Pong };
  if (i.type === InteractionType.ApplicationCommandAutocomplete) {
    // The guild's actor has what the choices come from; in a DM there is nothing to offer.
    if (!i.guild_id) return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } };
    return guildActor(env, i.guild_id).autocomplete(raw);
  }
  const guildId = i.guild_id;
  if (!guildId) {
    // In a DM: a ticket's rating (its custom_id names the ticket, hence its actor; the actor checks it is the opener's).
    if (i.type === InteractionType.MessageComponent || i.type === InteractionType.ModalSubmit) {
      const cid = parseCustomId(i.data.custom_id);
      if (cid?.feature === TICKET_FEATURE && TICKET_DM.has(cid.action) && TICKET_ID.test(cid.id)) return ticketActor(env, cid.id).handleComponent(raw);
    }
    // Otherwise only appeals, routed to the guild their case or button names.
    const dm = dmRoute(i);
    if (dm && 'guildId' in dm) return guildActor(env, dm.guildId).handleInteraction(raw, origin);
    return ephemeralReply(dm?.reply ?? t(i.locale, 'route.dm-only-servers'));
  }
  if (i.type === InteractionType.ApplicationCommand) return guildActor(env, guildId).handleInteraction(raw, origin);

  const cid = parseCustomId((i as APIMessageComponentInteraction | APIModalSubmitInteraction).data.custom_id);
  const ticketOwned =
    cid?.feature === TICKET_FEATURE &&
    TICKET_OWNED.has(cid.action) &&
    (i.type === InteractionType.MessageComponent || (i.type === InteractionType.ModalSubmit && cid.action === TicketButtons.survey));
  if (cid && ticketOwned) {
    // A ticket id starts with its guild id; a component from another guild is not ours to act on.
    if (!cid.id.startsWith(`${guildId}-`)) return ephemeralReply(t(i.locale, 'route.other-server-button'));
    return ticketActor(env, cid.id).handleComponent(raw);
  }
  if (cid && cid.id === guildId) return guildActor(env, guildId).handleInteraction(raw);
  return ephemeralReply(t(i.locale, 'route.unhandled-component'));
}
