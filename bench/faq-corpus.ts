// A gaming-support knowledge base of 500 entries and a few hundred member
// questions about it (paraphrases, some with a typo) or about nothing in it
// (game chat that reads as a question). Deterministic, so every run asks the
// same. Used by bench/worker-faq.ts inside workerd.
import type { FaqEntry } from '../src/features/faq/rules/entry.ts';
import { rng } from './automod-rules.ts';

const OBJECTS = [
  'account',
  'password',
  'email address',
  'two-factor code',
  'username',
  'purchase',
  'refund',
  'battle pass',
  'season pass',
  'gift card',
  'subscription',
  'gem balance',
  'loot crate',
  'weapon skin',
  'emote',
  'inventory',
  'trade offer',
  'friend request',
  'party invite',
  'voice chat',
  'microphone',
  'controller',
  'keybinds',
  'graphics settings',
  'frame rate',
  'ping',
  'server region',
  'matchmaking',
  'ranked placement',
  'leaderboard',
  'clan',
  'guild bank',
  'achievement',
  'daily quest',
  'raid lockout',
  'dungeon key',
  'mount',
  'pet',
  'character slot',
  'save file',
  'cloud save',
  'cross-play',
  'crash report',
  'game client',
  'launcher',
  'patch download',
  'expansion',
  'beta access',
  'ban appeal',
  'display name',
] as const;

const ACTIONS = [
  ['fix', 'is broken', 'Most problems with the {o} go away after a restart of the launcher and a file check (Settings → Repair).'],
  ['reset', 'needs a reset', 'Open Account → Security and choose Reset {o}; the confirmation goes to your registered email address.'],
  ['recover', 'is gone', 'Lost {o} can be restored from the support portal within 30 days: open a ticket with your order or character name.'],
  ['change', 'is wrong', 'You can change the {o} once every 14 days under Profile → Details; the first change is free.'],
  ['link', 'is not linked', 'Link the {o} under Connections in the account page, then log out and in again so the game picks it up.'],
  ['transfer', 'is on the wrong server', 'Transfers of the {o} between regions are paid services in the shop and take up to 24 hours.'],
  ['cancel', 'keeps renewing', 'Cancel the {o} in the store where you bought it; Steam, console and web purchases are each managed there.'],
  ['report', 'is being abused', 'Report {o} abuse with the in-game report button or the /report command; include the time and player names.'],
  ['update', 'is out of date', 'The launcher updates the {o} automatically; if it is stuck, clear the download cache and start it again.'],
  ['verify', 'is not verified', 'Verification of the {o} is done from the link we email you; check spam folders and resend after 10 minutes.'],
] as const;

/** 500 entries: each object with each action, a question, two or three other phrasings, an answer and tags. */
export function knowledgeBase(n: number): FaqEntry[] {
  const out: FaqEntry[] = [];
  for (let i = 0; i < n; i++) {
    const o = OBJECTS[i % OBJECTS.length]!;
    const [action, symptom, answer] = ACTIONS[Math.floor(i / OBJECTS.length) % ACTIONS.length]!;
    out.push({
      id: i + 1,
      question: `How do I ${action} my ${o}?`,
      phrasings: [`My ${o} ${symptom}`, `${action} ${o}`, ...(i % 2 ? [`Can support ${action} the ${o} for me?`] : [])],
      answer: `${answer.replace('{o}', o)} If that does not help, open a ticket and a staff member will look at your ${o} within a day.`,
      tags: [o.replace(/\s+/g, '-'), action],
    });
  }
  return out;
}

const CHAT = [
  'anyone know what time the tournament starts tonight?',
  'what is the best mage build for the new season?',
  'is the final boss bugged or am I just bad?',
  'who wants to queue for arena in ten minutes?',
  'which class is the most fun to level right now?',
  'does anyone have tips for the water temple puzzle?',
  'why is everyone playing rogue this patch?',
  'how long did it take you to reach max level?',
  'what do you all think of the new map?',
  'is it worth farming the swamp for herbs?',
  'can someone carry me through the last chapter?',
  'where is the hidden chest in the desert zone?',
];

export interface FaqQuestion {
  text: string;
  /** The entry it asks about; null for chat that is in no entry. */
  expects: number | null;
}

/** `n` questions: 60 % about an entry (a paraphrase, every fourth with a typo), 40 % chat the knowledge base does not cover. */
export function questions(kb: readonly FaqEntry[], n: number): FaqQuestion[] {
  const r = rng(11);
  const out: FaqQuestion[] = [];
  const typo = (s: string) => s.replace(/\b(\w{6,})\b/, (w) => w.slice(0, 2) + w.slice(3));
  for (let i = 0; i < n; i++) {
    if (r() < 0.4) {
      out.push({ text: CHAT[Math.floor(r() * CHAT.length)]!, expects: null });
      continue;
    }
    const e = kb[Math.floor(r() * kb.length)]!;
    const [action, o] = [e.tags[1]!, e.tags[0]!.replace(/-/g, ' ')];
    const forms = [
      `hey, how can I ${action} my ${o}? tried everything`,
      `help pls, how do i ${action} the ${o}`,
      `does anyone know how to ${action} my ${o}?`,
      `how do I ${action} my ${o} on console?`,
    ];
    let text = forms[Math.floor(r() * forms.length)]!;
    if (i % 4 === 3) text = typo(text);
    out.push({ text, expects: e.id });
  }
  return out;
}
