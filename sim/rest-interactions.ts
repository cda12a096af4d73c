// Interaction callback and the interaction webhook (token-authenticated).
import type { Handler } from './context.ts';
import { noContent, ok } from './context.ts';

export const interactionHandlers: Record<string, Handler> = {
  'POST /interactions/{interaction_id}/{interaction_token}/callback': ({ core, params, query, body, now }) => {
    const rec = core.interactions.forCallback(params.interaction_id!, params.interaction_token!);
    const result = core.interactions.respond(rec, body, 'callback', now);
    return query.get('with_response') === 'true' ? ok(result) : noContent();
  },

  'GET /webhooks/{application_id}/{interaction_token}/messages/@original': ({ core, params, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.messageOf(rec, '@original'));
  },

  'PATCH /webhooks/{application_id}/{interaction_token}/messages/@original': ({ core, params, body, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.edit(rec, '@original', body));
  },

  'DELETE /webhooks/{application_id}/{interaction_token}/messages/@original': ({ core, params, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    core.interactions.remove(rec, '@original');
    return noContent();
  },

  'POST /webhooks/{application_id}/{interaction_token}': ({ core, params, body, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.followup(rec, body));
  },

  'GET /webhooks/{application_id}/{interaction_token}/messages/{message_id}': ({ core, params, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.messageOf(rec, params.message_id!));
  },

  'PATCH /webhooks/{application_id}/{interaction_token}/messages/{message_id}': ({ core, params, body, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    return ok(core.interactions.edit(rec, params.message_id!, body));
  },

  'DELETE /webhooks/{application_id}/{interaction_token}/messages/{message_id}': ({ core, params, now }) => {
    const rec = core.interactions.forWebhook(params.application_id!, params.interaction_token!, now);
    core.interactions.remove(rec, params.message_id!);
    return noContent();
  },
};
