/** Resolves after `ms` on this actor's own timer. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
