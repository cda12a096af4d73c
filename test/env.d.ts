import type { Env } from '../src/env.ts';

declare module 'vitest' {
  interface ProvidedContext {
    sim: { url: string; apiBase: string; applicationId: string; publicKeyHex: string; botToken: string };
    sinkUrl: string;
  }
}

declare global {
  namespace Cloudflare {
    interface Env extends import('../src/env.ts').Env {}
  }
}

export type { Env };
