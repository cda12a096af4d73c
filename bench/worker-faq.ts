// Runs inside workerd (wrangler dev -c bench/wrangler.faq.jsonc): the FAQ
// match per member question as the guild actor makes it in a help channel —
// looksLikeQuestion, FaqMatcher.rank (MiniSearch, BM25+, fuzzy and prefix)
// over 500 entries, and decide — against JSON.parse of the question's
// MESSAGE_CREATE payload, measured the same way in the same requests.
//
// workerd only advances the clock across I/O (see worker-signature.ts), so
// every measurement is bracketed by an awaited timer: per question, `reps`
// repetitions of that one question between two brackets (minus an empty
// bracket), which gives a per-question cost and so a distribution over the
// questions; and whole batches over all questions, for the mean.
import { snowflakeAt } from '../src/discord/snowflake.ts';
import { FaqMatcher } from '../src/features/faq/matcher.ts';
import { decide, looksLikeQuestion } from '../src/features/faq/rules/decide.ts';
import type { FaqEntry } from '../src/features/faq/rules/entry.ts';
import { type FaqQuestion, knowledgeBase, questions } from './faq-corpus.ts';
import { memberMessage } from './message-fixture.ts';

const tick = () => scheduler.wait(0);

interface Prepared {
  kb: FaqEntry[];
  matcher: FaqMatcher;
  questions: FaqQuestion[];
  payloads: string[];
  /** Per question, VARIANTS payloads that differ in their ids (as messages of the same text from different members would). */
  variants: string[][];
}
const VARIANTS = 16;
let prepared: Prepared | null = null;

function payload(text: string, i: number, now: number, v = 0): string {
  const stamp = new Date(now).toISOString();
  return JSON.stringify(
    memberMessage({
      id: snowflakeAt(now + v, i),
      channelId: '1500000000000000000',
      guildId: '1100000000000000000',
      author: { id: snowflakeAt(now - 400 * 86_400_000 - v * 3_600_000, i) },
      content: text,
      timestamp: stamp,
    }),
  );
}

/** What the actor does with a help-channel question; 1 when it would answer. */
function match(m: FaqMatcher, text: string): number {
  if (!looksLikeQuestion(text)) return 0;
  return decide(m.rank(text)).kind === 'answer' ? 1 : 0;
}

async function setup(body: { entries: number; questions: number; builds: number }): Promise<Response> {
  const kb = knowledgeBase(body.entries);
  const qs = questions(kb, body.questions);
  const now = Date.now();
  // Index build: what the actor pays on the first question after a start or a change.
  await tick();
  const b0 = performance.now();
  let matcher: FaqMatcher | null = null;
  for (let i = 0; i < body.builds; i++) matcher = new FaqMatcher(kb);
  await tick();
  const buildMs = (performance.now() - b0) / body.builds;
  const m = matcher!;
  // The first pass over the questions on a fresh index also computes the entries' self-match scores (kept until the next rebuild).
  await tick();
  const c0 = performance.now();
  for (const q of qs) match(m, q.text);
  await tick();
  const firstPassMs = performance.now() - c0;
  // What the decisions are, against what each question was about.
  let answered = 0;
  let right = 0;
  let wrong = 0;
  let quietOnTopic = 0;
  let answeredOffTopic = 0;
  const reasons: Record<string, number> = {};
  for (const q of qs) {
    const d = decide(m.rank(q.text));
    if (d.kind === 'answer') {
      answered++;
      if (q.expects === null) answeredOffTopic++;
      else if (d.id === q.expects) right++;
      else wrong++;
    } else {
      reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
      if (q.expects !== null) quietOnTopic++;
    }
  }
  prepared = {
    kb,
    matcher: m,
    questions: qs,
    payloads: qs.map((q, i) => payload(q.text, i, now)),
    variants: qs.map((q, i) => Array.from({ length: VARIANTS }, (_, v) => payload(q.text, i, now, v))),
  };
  return Response.json({
    entries: m.size,
    questions: qs.length,
    onTopic: qs.filter((q) => q.expects !== null).length,
    buildMs,
    firstPassMs,
    answered,
    right,
    wrong,
    quietOnTopic,
    answeredOffTopic,
    quietReasons: reasons,
  });
}

/** Per question: `reps` runs of `impl` on that question between two brackets; also the empty bracket per question. */
async function perQuestion(impl: string, reps: number): Promise<Response> {
  const p = prepared;
  if (!p) return Response.json({ error: 'POST /setup first' }, { status: 409 });
  const ms: number[] = [];
  let sink = 0;
  for (let i = 0; i < p.questions.length; i++) {
    const text = p.questions[i]!.text;
    const raw = p.variants[i]!;
    await tick();
    const t0 = performance.now();
    if (impl === 'match') for (let k = 0; k < reps; k++) sink += match(p.matcher, text);
    else if (impl === 'parse') for (let k = 0; k < reps; k++) sink += (JSON.parse(raw[k % VARIANTS]!) as { content: string }).content.length;
    else if (impl !== 'none') return Response.json({ error: `unknown impl ${impl}` }, { status: 400 });
    await tick();
    ms.push(performance.now() - t0);
  }
  return Response.json({ impl, reps, ms, sink });
}

/** One batch of `n` questions (cycling through them), for the mean. */
async function batch(impl: string, n: number): Promise<Response> {
  const p = prepared;
  if (!p) return Response.json({ error: 'POST /setup first' }, { status: 409 });
  const len = p.questions.length;
  let sink = 0;
  await tick();
  const t0 = performance.now();
  if (impl === 'match') for (let i = 0; i < n; i++) sink += match(p.matcher, p.questions[i % len]!.text);
  else if (impl === 'parse') for (let i = 0; i < n; i++) sink += (JSON.parse(p.payloads[i % len]!) as { content: string }).content.length;
  else if (impl !== 'none') return Response.json({ error: `unknown impl ${impl}` }, { status: 400 });
  await tick();
  return Response.json({ impl, n, innerMs: performance.now() - t0, sink });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const q = (k: string) => Number(url.searchParams.get(k) ?? '0');
    if (url.pathname === '/setup' && request.method === 'POST') return setup(await request.json<{ entries: number; questions: number; builds: number }>());
    if (url.pathname === '/per-question') return perQuestion(url.searchParams.get('impl') ?? '', Math.min(100_000, Math.max(1, q('reps'))));
    if (url.pathname === '/batch') return batch(url.searchParams.get('impl') ?? '', Math.min(200_000, Math.max(0, q('n'))));
    return new Response('faq bench worker\n');
  },
} satisfies ExportedHandler;
