import { type APIEmbedField, ButtonStyle, ComponentType, type RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { encodeCustomId } from '../../../discord/custom-id.ts';
import { t as tr } from '../../../i18n/index.ts';
import type { Ticket } from '../model.ts';
import { TICKET_FEATURE, TicketButtons } from '../views.ts';
import type { UpkeepState } from './rules.ts';

const unix = (ms: number) => Math.floor(ms / 1000);

/** Staff ask the member to close: who asks, why, when it closes by itself, and the member's two answers. */
export function closeRequestMessage(t: Ticket, req: NonNullable<UpkeepState['closeRequest']>, locale?: string): RESTPostAPIChannelMessageJSONBody {
  const id = (action: string) => encodeCustomId({ feature: TICKET_FEATURE, action, id: t.id });
  return {
    content: tr(locale, 'ticket.closerequest.ask', {
      member: t.openerId,
      staff: req.byName,
      number: String(t.number),
      hasReason: req.reason ? 'yes' : 'no',
      reason: req.reason ?? '',
      at: unix(req.deadline),
    }).slice(0, 2000),
    allowed_mentions: { users: [t.openerId] },
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Success,
            label: tr(locale, 'ticket.closerequest.accept'),
            custom_id: id(TicketButtons.closeRequestAccept),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: tr(locale, 'ticket.closerequest.deny'),
            custom_id: id(TicketButtons.closeRequestDeny),
          },
        ],
      },
    ],
  };
}

/** The SLA countdowns on the ticket's control message (Discord shows `<t:…:R>` counting down in each reader's zone). */
export function slaFields(t: Ticket, locale?: string): APIEmbedField[] {
  const out: APIEmbedField[] = [];
  if (t.firstDueAt != null) out.push({ name: tr(locale, 'ticket.embed.first-due'), value: `<t:${unix(t.firstDueAt)}:R>`, inline: true });
  if (t.resolveDueAt != null) out.push({ name: tr(locale, 'ticket.embed.resolve-due'), value: `<t:${unix(t.resolveDueAt)}:R>`, inline: true });
  return out;
}
