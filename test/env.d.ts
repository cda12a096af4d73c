declare module 'vitest' {
  interface ProvidedContext {
    sim: { url: string; apiBase: string; applicationId: string; publicKeyHex: string; botToken: string };
    sinkUrl: string;
  }
}
export {};
