declare module 'vitest' {
  interface ProvidedContext {
    sim: { url: string; apiBase: string; applicationId: string; publicKeyHex: string; botToken: string };
    sinkUrl: string;
    /** The fake Anthropic/OpenAI server (test/setup/fake-ai.ts) and the keys it accepts. */
    fakeAi: { url: string; anthropicKey: string; openaiKey: string };
  }
}

export {};
