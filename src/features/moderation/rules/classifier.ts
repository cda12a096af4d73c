import { domainList, findLinkHosts, hostInList } from './links.ts';
import { foldLeet, foldText } from './normalize.ts';

/**
 * The AI moderation interface and its built-in local default. A verdict is
 * only ever `allow` or `review`: a classifier never bans or kicks by itself;
 * `review` sends the message to the approval queue, where a moderator
 * decides.
 */

export const VERDICT_LABELS = ['harassment', 'hate', 'scam', 'spam', 'self-promotion', 'sexual', 'violence', 'self-harm'] as const;
export type VerdictLabel = (typeof VERDICT_LABELS)[number];

export const isVerdictLabel = (s: unknown): s is VerdictLabel => (VERDICT_LABELS as readonly unknown[]).includes(s);

export interface Verdict {
  action: 'allow' | 'review';
  /** 0 (clean) to 1 (certainly a problem). */
  score: number;
  labels: VerdictLabel[];
  /** Which classifier answered: "local", "anthropic", "openai". */
  provider: string;
  reason: string;
}

export interface Classifier {
  readonly name: string;
  classify(text: string): Promise<Verdict>;
}

/** Scores at or above this go to review. */
export const REVIEW_THRESHOLD = 0.6;

interface Signal {
  label: VerdictLabel;
  weight: number;
  test: RegExp;
  why: string;
}

// Scored patterns over folded, leet-decoded text. All are fixed patterns of
// ours with bounded repetitions. Deliberately mild and generic.
const SIGNALS: readonly Signal[] = [
  { label: 'scam', weight: 0.55, test: /\bfree\s{0,3}(discord\s{0,3})?nitro\b/, why: 'offers free Nitro' },
  { label: 'scam', weight: 0.45, test: /\b(steam|discord|nitro)\s{0,3}gift\b/, why: 'mentions a gift' },
  { label: 'scam', weight: 0.45, test: /\bclaim\s{1,3}(your|a|the)\s{1,3}(prize|reward|gift|nitro)\b/, why: 'asks to claim a prize' },
  { label: 'scam', weight: 0.35, test: /\b(airdrop|giveaway|double\s{1,3}your\s{1,3}(crypto|money|coins))\b/, why: 'giveaway or airdrop' },
  {
    label: 'scam',
    weight: 0.3,
    test: /\b(hurry|expires?\s{1,3}(soon|today|in)|limited\s{1,3}time|first\s{1,3}\d{1,4}\s{1,3}(people|users))\b/,
    why: 'urgency',
  },
  { label: 'scam', weight: 0.35, test: /\b(verify|log\s{0,2}in)\s{1,3}(your\s{1,3})?(account|wallet)\b/, why: 'asks to log in or verify an account' },
  {
    label: 'harassment',
    weight: 0.5,
    test: /\byou\s{0,3}(are|r|re)\s{1,3}(an?\s{1,3})?(idiot|stupid|loser|worthless|pathetic|trash|moron|clown)\b/,
    why: 'insults someone',
  },
  { label: 'harassment', weight: 0.45, test: /\b(nobody|no\s{1,3}one)\s{1,3}(likes|wants|cares\s{1,3}about)\s{1,3}you\b/, why: 'demeans someone' },
  { label: 'harassment', weight: 0.35, test: /\b(shut\s{1,3}up|get\s{1,3}lost|go\s{1,3}away)\b/, why: 'hostile' },
  { label: 'self-harm', weight: 0.7, test: /\b(kys|kill\s{1,3}yourself|end\s{1,3}your\s{1,3}life)\b/, why: 'tells someone to harm themselves' },
  {
    label: 'violence',
    weight: 0.5,
    test: /\bi\s{0,3}(will|'ll|am\s{1,3}going\s{1,3}to|m\s{1,3}gonna)\s{1,3}(hurt|find|beat)\s{1,3}you\b/,
    why: 'threatens someone',
  },
  {
    label: 'self-promotion',
    weight: 0.35,
    test: /\b(subscribe\s{1,3}to\s{1,3}my|check\s{1,3}out\s{1,3}my|follow\s{1,3}me\s{1,3}on)\b/,
    why: 'promotes own channel',
  },
  { label: 'self-promotion', weight: 0.35, test: /\bjoin\s{1,3}my\s{1,3}(server|discord|channel|stream)\b/, why: 'advertises a server' },
];

// Host names imitating well-known ones (a letter swapped for a look-alike).
const LOOKALIKE_HOSTS =
  /(?:^|\.)(d[il1]sc[o0]r[cd][a-z-]{0,12}|d[il1]sc[o0]rcl[a-z-]{0,12}|steam-?commun[il1]ty[a-z-]{0,12}|steamcomrnunity[a-z-]{0,12}|nitro-?gifts?[a-z-]{0,12})\.[a-z]{2,}$/;
const OFFICIAL_HOSTS = domainList([
  'discord.com',
  'discord.gg',
  'discordapp.com',
  'discord.media',
  'discordapp.net',
  'discord.gift',
  'discord.new',
  'discord.dev',
  'discord.co',
  'discord.store',
  'discordstatus.com',
  'steamcommunity.com',
  'steampowered.com',
  'steamstatic.com',
]);

const combine = (a: number, b: number) => 1 - (1 - a) * (1 - b);

/**
 * The built-in default: scored patterns that ship with the code, no network.
 * Each label's score combines its signals as independent evidence
 * (1 − Π(1 − w)); the verdict's score is the highest label score.
 */
export class LocalClassifier implements Classifier {
  readonly name = 'local';
  private readonly threshold: number;

  constructor(threshold = REVIEW_THRESHOLD) {
    this.threshold = threshold;
  }

  classify(text: string): Promise<Verdict> {
    return Promise.resolve(this.classifySync(text));
  }

  /** The same judgement, synchronously (the local classifier does no I/O). */
  classifySync(text: string): Verdict {
    const folded = foldLeet(foldText(text.slice(0, 4000)));
    const scores = new Map<VerdictLabel, number>();
    const why: string[] = [];
    const add = (label: VerdictLabel, w: number, reason: string) => {
      scores.set(label, combine(scores.get(label) ?? 0, w));
      why.push(reason);
    };
    for (const s of SIGNALS) if (s.test.test(folded)) add(s.label, s.weight, s.why);
    const hosts = findLinkHosts(text);
    if (hosts.some((h) => !hostInList(h, OFFICIAL_HOSTS) && LOOKALIKE_HOSTS.test(h))) add('scam', 0.7, 'links to a look-alike of a well-known site');
    if (hosts.length > 0 && (scores.get('scam') ?? 0) > 0) add('scam', 0.3, 'with a link');
    const ws = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (ws.length >= 8) {
      const counts = new Map<string, number>();
      for (const w of ws) counts.set(w, (counts.get(w) ?? 0) + 1);
      const top = Math.max(...counts.values());
      if (top >= 8 && top / ws.length >= 0.6) add('spam', 0.65, 'the same word over and over');
    }
    let score = 0;
    for (const v of scores.values()) score = Math.max(score, v);
    const labels = [...scores.entries()]
      .filter(([, v]) => v >= this.threshold / 2)
      .sort((a, b) => b[1] - a[1])
      .map(([l]) => l);
    score = Math.round(score * 1000) / 1000;
    return { action: score >= this.threshold ? 'review' : 'allow', score, labels, provider: this.name, reason: why.length ? why.join('; ') : 'nothing found' };
  }
}
