// The single place where Discord error bodies are shaped. Every handler throws
// DiscordError; server.ts turns it into the HTTP answer.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';

export interface ErrorLeaf {
  code: string;
  message: string;
}
export interface ErrorTree {
  [key: string]: ErrorTree | ErrorLeaf[];
}

export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: ErrorTree;
}

// Wording as Discord sends it (discord-api-docs opcodes-and-status-codes).
const KNOWN: Record<number, { status: number; message: string }> = {
  0: { status: 400, message: 'General error' },
  [RESTJSONErrorCodes.UnknownApplication]: { status: 404, message: 'Unknown Application' },
  [RESTJSONErrorCodes.UnknownChannel]: { status: 404, message: 'Unknown Channel' },
  [RESTJSONErrorCodes.UnknownGuild]: { status: 404, message: 'Unknown Guild' },
  [RESTJSONErrorCodes.UnknownMember]: { status: 404, message: 'Unknown Member' },
  [RESTJSONErrorCodes.UnknownMessage]: { status: 404, message: 'Unknown Message' },
  [RESTJSONErrorCodes.UnknownRole]: { status: 404, message: 'Unknown Role' },
  [RESTJSONErrorCodes.UnknownPermissionOverwrite]: { status: 404, message: 'Unknown Overwrite' },
  [RESTJSONErrorCodes.UnknownUser]: { status: 404, message: 'Unknown User' },
  [RESTJSONErrorCodes.UnknownWebhook]: { status: 404, message: 'Unknown Webhook' },
  [RESTJSONErrorCodes.UnknownInteraction]: { status: 404, message: 'Unknown interaction' },
  [RESTJSONErrorCodes.UnknownApplicationCommand]: { status: 404, message: 'Unknown application command' },
  [RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged]: { status: 400, message: 'Interaction has already been acknowledged.' },
  [RESTJSONErrorCodes.MissingAccess]: { status: 403, message: 'Missing Access' },
  [RESTJSONErrorCodes.CannotSendAnEmptyMessage]: { status: 400, message: 'Cannot send an empty message' },
  [RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser]: { status: 403, message: 'Cannot edit a message authored by another user' },
  [RESTJSONErrorCodes.MissingPermissions]: { status: 403, message: 'Missing Permissions' },
  [RESTJSONErrorCodes.InvalidWebhookToken]: { status: 401, message: 'Invalid Webhook Token' },
  [RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType]: { status: 400, message: 'Cannot execute action on this channel type' },
  [RESTJSONErrorCodes.InvalidFormBodyOrContentType]: { status: 400, message: 'Invalid Form Body' },
  [RESTJSONErrorCodes.InvalidActionOnArchivedThread]: { status: 400, message: 'Thread is archived' },
  [RESTJSONErrorCodes.RequestBodyContainsInvalidJSON]: { status: 400, message: 'The request body contains invalid JSON.' },
  [RESTJSONErrorCodes.ThreadLocked]: { status: 403, message: 'Thread is locked' },
  [RESTJSONErrorCodes.MaximumActiveThreads]: { status: 400, message: 'Maximum number of active threads reached' },
  [RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage]: { status: 400, message: 'A thread has already been created for this message' },
  [RESTJSONErrorCodes.MaximumNumberOfGuildChannelsReached]: { status: 400, message: 'Maximum number of guild channels reached (500)' },
  [RESTJSONErrorCodes.UnknownInvite]: { status: 404, message: 'Unknown Invite' },
  [RESTJSONErrorCodes.UnknownBan]: { status: 404, message: 'Unknown Ban' },
  [RESTJSONErrorCodes.CannotExecuteActionOnDMChannel]: { status: 403, message: 'Cannot execute action on a DM channel' },
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser]: { status: 403, message: 'Cannot send messages to this user' },
  [RESTJSONErrorCodes.ProvidedTooFewOrTooManyMessagesToDelete]: { status: 400, message: 'You must provide at least 2 and fewer than 100 messages to delete.' },
  [RESTJSONErrorCodes.OneOfTheMessagesProvidedWasTooOldForBulkDelete]: {
    status: 400,
    message: 'You can only bulk delete messages that are under 14 days old.',
  },
  [RESTJSONErrorCodes.TargetUserIsNotConnectedToVoice]: { status: 400, message: 'Target user is not connected to voice.' },
  [RESTJSONErrorCodes.MaximumNumberOfGuildRolesReached]: { status: 400, message: 'Maximum number of server roles reached (250)' },
  [RESTJSONErrorCodes.ActionCannotBePerformedDueToSlowmodeRateLimit]: { status: 429, message: 'This action cannot be performed due to slowmode rate limit.' },
  [RESTJSONErrorCodes.FailedToBanUsers]: { status: 400, message: 'Failed to ban users.' },
  [RESTJSONErrorCodes.MaximumNumberOfAttachmentsInAMessageReached]: { status: 400, message: 'Maximum number of attachments in a message reached (10)' },
  // Observed as HTTP 413 for files over the upload limit (discord/discord-api-docs#6058).
  [RESTJSONErrorCodes.RequestEntityTooLarge]: { status: 413, message: 'Request entity too large' },
  [RESTJSONErrorCodes.UploadedFileNotFound]: { status: 400, message: 'Uploaded file not found.' },
  [RESTJSONErrorCodes.CannotUpdateAFinishedEvent]: { status: 400, message: 'Cannot update a finished event' },
  [RESTJSONErrorCodes.UnknownEmoji]: { status: 404, message: 'Unknown Emoji' },
  [RESTJSONErrorCodes.MaximumNumberOfReactionsReached]: { status: 400, message: 'Maximum number of reactions reached (20)' },
  [RESTJSONErrorCodes.UnknownGuildScheduledEvent]: { status: 404, message: 'Unknown Guild Scheduled Event' },
  [RESTJSONErrorCodes.UnknownGuildScheduledEventUser]: { status: 404, message: 'Unknown Guild Scheduled Event User' },
  [RESTJSONErrorCodes.MaximumNumberOfUncompletedGuildScheduledEventsReached]: {
    status: 400,
    message: 'Maximum number of uncompleted guild scheduled events reached (100)',
  },
};

export class DiscordError extends Error {
  readonly status: number;
  readonly body: DiscordErrorBody;
  constructor(status: number, body: DiscordErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

export function apiError(code: number, status?: number): DiscordError {
  const known = KNOWN[code] ?? { status: 400, message: 'Unknown error' };
  return new DiscordError(status ?? known.status, { message: known.message, code });
}

// HTTP-level errors (no Discord JSON code) use code 0 and "<status>: <text>".
export function httpError(status: number): DiscordError {
  const text: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
  };
  return new DiscordError(status, { message: `${status}: ${text[status] ?? 'Error'}`, code: 0 });
}

export function rateLimitBody(retryAfterS: number, global: boolean) {
  return { message: 'You are being rate limited.', retry_after: Math.round(retryAfterS * 1000) / 1000, global };
}

// Collects 50035 leaves at request paths like ['components', 0, 'components', 1, 'label'].
export class FormErrors {
  private readonly tree: ErrorTree = {};
  private count = 0;

  add(path: ReadonlyArray<string | number>, code: string, message: string): void {
    let node: ErrorTree = this.tree;
    for (const seg of path) {
      const key = String(seg);
      const next = node[key];
      if (next === undefined || Array.isArray(next)) {
        const created: ErrorTree = {};
        node[key] = created;
        node = created;
      } else {
        node = next;
      }
    }
    const leaves = node['_errors'];
    if (Array.isArray(leaves)) leaves.push({ code, message });
    else node['_errors'] = [{ code, message }];
    this.count++;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  get errors(): ErrorTree {
    return this.tree;
  }

  throwIfAny(): void {
    if (this.count > 0) throw formError(this.tree);
  }
}

export function formError(errors: ErrorTree): DiscordError {
  return new DiscordError(400, {
    message: 'Invalid Form Body',
    code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
    errors,
  });
}

export function singleFormError(path: ReadonlyArray<string | number>, code: string, message: string): DiscordError {
  const f = new FormErrors();
  f.add(path, code, message);
  return formError(f.errors);
}

// Callback payloads are validated under "data": re-root a 50035 tree there.
export function nestFormError(err: unknown, key: string): unknown {
  if (err instanceof DiscordError && err.body.errors) {
    return new DiscordError(err.status, { ...err.body, errors: { [key]: err.body.errors } });
  }
  return err;
}
