// Interaction callback and the interaction webhook (token-authenticated).
import type { Ctx, Handler } from './context.ts';
import { noContent, ok } from './context.ts';

const uploadOf = (ctx: Ctx) => ({ origin: ctx.core.url, files: ctx.files });

export const interactionHandlers: Record<string, Handler> = {
  'POST /interactions/{interaction_id}/{interaction_token}/callback': (ctx) => {
    const { core, params, query, body, now } = ctx;
    const rec = core.interactions.forCallback(params.interaction_id!, params.interaction_token!);
    const result = core.interactions.respond(rec, body, 'callback', now, uploadOf(ctx));
    return query.get('with_response') === 'true' ? ok(result) : noContent();
  },

  'GET /webhooks/{application_id}/{interaction_token}/messages/@original': ({ core, params, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.messageOf(rec, '@original'));
  },

  'PATCH /webhooks/{application_id}/{interaction_token}/messages/@original': (ctx) => {
    const { core, params, body, now } = ctx;
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.edit(rec, '@original', body, uploadOf(ctx)));
  },

  'DELETE /webhooks/{application_id}/{interaction_token}/messages/@original': ({ core, params, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    core.interactions.remove(rec, '@original');
    return noContent();
  },

  'POST /webhooks/{application_id}/{interaction_token}': (ctx) => {
    const { core, params, body, now } = ctx;
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.followup(rec, body, uploadOf(ctx)));
  },

  'GET /webhooks/{application_id}/{interaction_token}/messages/{message_id}': ({ core, params, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.messageOf(rec, params.message_id!));
  },

  'PATCH /webhooks/{application_id}/{interaction_token}/messages/{message_id}': (ctx) => {
    const { core, params, body, now } = ctx;
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.edit(rec, params.message_id!, body, uploadOf(ctx)));
  },

  'DELETE /webhooks/{application_id}/{interaction_token}/messages/{message_id}': ({ core, params, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    core.interactions.remove(rec, params.message_id!);
    return noContent();
  },
};
