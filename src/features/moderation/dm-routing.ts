import {
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  ApplicationCommandOptionType,
  InteractionType,
} from 'discord-api-types/v10';
import { parseCustomId } from '../../discord/custom-id.ts';
import { t } from '../../i18n/index.ts';
import { parseCaseRef } from './appeal-token.ts';
import { MOD_FEATURE, ModActions } from './views.ts';

export type DmRoute = { guildId: string } | { reply: string } | null;

const DM_ACTIONS: ReadonlySet<string> = new Set([ModActions.appeal, ModActions.appealForm]);

/**
 * Which guild actor a DM interaction (no guild_id) belongs to, without a
 * lookup: `/appeal` names the server in its case (`<guild_id>-<case>`, as
 * printed in the member's notice); the notice's Appeal button and the form
 * it opens carry the guild id in their custom_id. The actor then checks that
 * the case is the member's own. null: not a moderation interaction.
 */
export function dmRoute(i: APIInteraction): DmRoute {
  if (i.type === InteractionType.ApplicationCommand) {
    const data = (i as APIChatInputApplicationCommandInteraction).data;
    if (data.name !== 'appeal') return null;
    const opt = data.options?.find((o) => o.name === 'case');
    const ref = opt?.type === ApplicationCommandOptionType.String ? parseCaseRef(opt.value, null) : null;
    return ref ? { guildId: ref.guildId } : { reply: t(i.locale, 'route.dm-case-format') };
  }
  if (i.type === InteractionType.MessageComponent || i.type === InteractionType.ModalSubmit) {
    const cid = parseCustomId((i as APIMessageComponentInteraction | APIModalSubmitInteraction).data.custom_id);
    if (cid?.feature === MOD_FEATURE && DM_ACTIONS.has(cid.action) && /^\d{15,20}$/.test(cid.id)) return { guildId: cid.id };
  }
  return null;
}
