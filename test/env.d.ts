declare module 'vitest' {
  interface ProvidedContext {
    sim: { url: string; apiBase: string; applicationId: string; publicKeyHex: string; botToken: string; clientSecret: string };
    sinkUrl: string;
    /** The fake Anthropic/OpenAI server (test/setup/fake-ai.ts) and the keys it accepts. */
    fakeAi: { url: string; anthropicKey: string; openaiKey: string };
    /**
     * The game-panel simulator (sim/panel/README.md): `url` is its control API (POST {url}/_panel/worlds makes a
     * world), `orchestratorUrl` its PEON listener; `demo` is the shared demo world (real clock) — tests that
     * change state make their own world.
     */
    panel: {
      url: string;
      orchestratorUrl: string;
      demo: { url: string; orchestratorUrl: string; adminKey: string; orchestratorKey: string };
    };
  }
}

export {};
