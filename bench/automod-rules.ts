// The 50 automod rules of every kind the bench configures, roughly as a busy
// gaming server would set them up: judged in workerd by bench/worker-automod.ts,
// and (with the rate thresholds raised to the flood's pace) configured through
// /automod add in the engagement part's hot guild (bench/engagement.ts).

// A deterministic generator, so every run judges the same messages.
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const WORDS = ['scam', 'phish', 'freebie', 'giveaway', 'airdrop', 'cheat', 'exploit', 'botting', 'gold-seller', 'account-shop', 'boost-service', 'rmt'];
const DOMAINS = ['grabify.link', 'iplogger.org', 'bit.ly', 'tinyurl.com', 'free-nitro.gift', 'steamcommunlty.ru', 'discorcl.app', 'cheap-gold.shop'];

/** 50 rules of every kind, roughly as a busy gaming server would set them up. */
export function fiftyRules(): { rules: Record<string, unknown>[] } {
  const r = rng(7);
  const rules: Record<string, unknown>[] = [];
  const id = (k: string, i: number) => `${k}-${i}`;
  for (let i = 0; i < 4; i++)
    rules.push({ id: id('rate', i), kind: 'rate', messages: 6 + i, seconds: 5 + i * 3, effect: { kind: 'timeout', durationMs: 600_000 } });
  for (let i = 0; i < 4; i++) rules.push({ id: id('dup', i), kind: 'duplicate', count: 3 + i, seconds: 30 + i * 30 });
  for (let i = 0; i < 4; i++) rules.push({ id: id('mentions', i), kind: 'mentions', max: 5 + i * 3, effect: { kind: 'warn' } });
  for (let i = 0; i < 4; i++) rules.push({ id: id('caps', i), kind: 'caps', minLetters: 10 + i * 5, maxPercent: 70 + i * 5 });
  for (let i = 0; i < 4; i++)
    rules.push({ id: id('invites', i), kind: 'invites', allowedCodes: [`partner${i}`], exemptChannelIds: [String(1200000000000000000n + BigInt(i))] });
  for (let i = 0; i < 15; i++) {
    const words = Array.from({ length: 60 }, (_, k) => `${WORDS[k % WORDS.length]}${k < WORDS.length ? '' : Math.floor(r() * 1000)}`);
    rules.push({
      id: id('words', i),
      kind: 'words',
      words: [...new Set(words)],
      patterns: [`fr[e3]{2}\\s*n[i1]tr[o0]${i}`],
      exemptRoleIds: [String(1300000000000000000n + BigInt(i))],
    });
  }
  for (let i = 0; i < 10; i++) {
    const domains = Array.from({ length: 40 }, (_, k) => (k < DOMAINS.length ? DOMAINS[k]! : `bad${i}-${k}.example`));
    rules.push(
      i < 8
        ? { id: id('links', i), kind: 'links', mode: 'deny', domains }
        : {
            id: id('links', i),
            kind: 'links',
            mode: 'allow',
            domains: ['youtube.com', 'twitch.tv', 'github.com', 'steampowered.com'],
            exemptRoleIds: ['1400000000000000000'],
          },
    );
  }
  for (let i = 0; i < 5; i++) rules.push({ id: id('young', i), kind: 'new-account', minAgeDays: 1 + i, effect: { kind: 'warn' } });
  return { rules };
}
