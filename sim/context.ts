// What a REST handler receives and returns.
import type { UploadedFile } from './attachments.ts';
import type { Gateway } from './gateway.ts';
import type { InteractionStore } from './interactions.ts';
import type { Bearer, OAuth2 } from './oauth2.ts';
import type { SimState } from './state.ts';

export interface Core {
  state: SimState;
  interactions: InteractionStore;
  readonly gateway: Gateway;
  // ws://127.0.0.1:<port>/gateway, known once the server listens.
  gatewayUrl(): string;
  // http://127.0.0.1:<port>: the origin attachment and avatar URLs point at (the simulator's CDN).
  readonly url: string;
  readonly oauth2: OAuth2;
}

export interface Ctx {
  core: Core;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  // The files[n] parts of a multipart/form-data request (empty for JSON).
  files: UploadedFile[];
  now: number;
  auditLogReason: string | undefined;
  // The user of an OAuth2 Bearer token ('user' routes); absent for the bot token.
  bearer?: Bearer;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  // The gateway events Discord dispatches for what the call changed, sent
  // once the call is logged (handlers that need more than the route and the
  // response body to describe their events use this instead of Gateway.afterRest).
  after?: (gw: Gateway) => void;
}

export type Handler = (ctx: Ctx) => HandlerResult;

export const ok = (body: unknown, status = 200): HandlerResult => ({ status, body });
export const noContent = (): HandlerResult => ({ status: 204 });
