import { describe, expect, inject, it } from 'vitest';
import {
  AnthropicClassifier,
  ClassifierChain,
  classifierFromSecrets,
  OpenAIClassifier,
  ProviderError,
  type ProviderOptions,
  parseVerdictText,
} from '../../../src/features/moderation/classifier-providers.ts';
import { LocalClassifier } from '../../../src/features/moderation/rules/classifier.ts';

const fake = inject('fakeAi');

const anthropic = (mode: string, over: Partial<ProviderOptions> = {}) =>
  new AnthropicClassifier({ apiKey: fake.anthropicKey, baseUrl: `${fake.url}/${mode}`, model: 'claude-test', timeoutMs: 2000, ...over });
const openai = (mode: string, over: Partial<ProviderOptions> = {}) =>
  new OpenAIClassifier({ apiKey: fake.openaiKey, baseUrl: `${fake.url}/${mode}`, model: 'gpt-test', timeoutMs: 2000, ...over });

interface Seen {
  path: string;
  mode: string;
  headers: Record<string, string>;
  body: { messages: { content: string }[]; system?: string };
}
const seen = async (): Promise<Seen[]> => (await fetch(`${fake.url}/_requests`)).json();

describe('local classifier', () => {
  const local = new LocalClassifier();

  it('sends scams with a link and threats of self-harm to review', async () => {
    const scam = await local.classify('FREE NITRO!!! claim your gift before it expires today: https://dlscord-gift.com/claim');
    expect(scam).toMatchObject({ action: 'review', provider: 'local', labels: ['scam'] });
    expect(scam.score).toBeGreaterThan(0.9);
    expect((await local.classify('just kys already')).labels).toContain('self-harm');
    expect((await local.classify('spam spam spam spam spam spam spam spam spam')).labels).toEqual(['spam']);
  });

  it('allows ordinary chat, and official links', async () => {
    expect(await local.classify('gg everyone, see you at the raid tonight')).toMatchObject({ action: 'allow', labels: [], score: 0 });
    expect((await local.classify('patch notes: https://discord.com/channels/1/2 and https://cdn.discordapp.com/a.png')).action).toBe('allow');
    expect((await local.classify('check out my stream')).action).toBe('allow');
  });

  it('never answers anything but allow or review', async () => {
    for (const t of ['you are an idiot, nobody likes you', 'i will find you', 'join my server discord.gg/x subscribe to my channel']) {
      expect(['allow', 'review']).toContain((await local.classify(t)).action);
    }
  });
});

describe('provider adapters against the fake provider', () => {
  it('Anthropic: flagged and clean verdicts, with the documented headers and a masked message', async () => {
    const flagged = await anthropic('ok').classify('[[flag]] mail me at someone@example.com');
    expect(flagged).toEqual({ action: 'review', score: 0.93, labels: ['scam'], provider: 'anthropic', reason: 'fake provider: flagged marker' });
    const clean = await anthropic('ok').classify('hello there');
    expect(clean).toMatchObject({ action: 'allow', score: 0.02, labels: [], provider: 'anthropic' });
    const req = (await seen()).filter((r) => r.path === '/v1/messages').at(-2)!;
    expect(req.headers['x-api-key']).toBe(fake.anthropicKey);
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(req.body.system).toContain('JSON');
    expect(req.body.messages[0]!.content).toContain('[email]');
    expect(req.body.messages[0]!.content).not.toContain('someone@example.com');
  });

  it('OpenAI: flagged and clean verdicts, with a Bearer key', async () => {
    expect(await openai('ok').classify('[[flag]] buy now')).toMatchObject({ action: 'review', score: 0.93, provider: 'openai' });
    expect(await openai('ok').classify('hello')).toMatchObject({ action: 'allow', provider: 'openai' });
    const req = (await seen()).filter((r) => r.path === '/v1/chat/completions').at(-1)!;
    expect(req.headers.authorization).toBe(`Bearer ${fake.openaiKey}`);
  });

  it('reports HTTP errors, bad keys, timeouts and unreadable answers as provider errors', async () => {
    await expect(anthropic('error').classify('x')).rejects.toMatchObject({ provider: 'anthropic', status: 500 });
    await expect(openai('ok', { apiKey: 'wrong' }).classify('x')).rejects.toMatchObject({ provider: 'openai', status: 401 });
    await expect(openai('hang', { timeoutMs: 300 }).classify('x')).rejects.toMatchObject({ status: 0, message: 'no answer within 300 ms' });
    await expect(anthropic('garbage').classify('x')).rejects.toBeInstanceOf(ProviderError);
  });
});

describe('classifier chain', () => {
  it('uses the first provider that answers', async () => {
    const r = await new ClassifierChain([anthropic('ok'), openai('ok')]).classify('[[flag]] hi');
    expect(r.verdict.provider).toBe('anthropic');
    expect(r.attempts).toEqual([{ provider: 'anthropic', ok: true, status: 200, error: null }]);
  });

  it('moves on to the next provider after a timeout', async () => {
    const r = await new ClassifierChain([anthropic('hang', { timeoutMs: 300 }), openai('ok')]).classify('[[flag]] hi');
    expect(r.verdict).toMatchObject({ provider: 'openai', action: 'review' });
    expect(r.attempts.map((a) => [a.provider, a.ok, a.status])).toEqual([
      ['anthropic', false, 0],
      ['openai', true, 200],
    ]);
  });

  it('moves on after a 500, and falls back to the local classifier when every provider fails', async () => {
    const next = await new ClassifierChain([anthropic('error'), openai('ok')]).classify('hello');
    expect(next.verdict.provider).toBe('openai');
    expect(next.attempts[0]).toMatchObject({ provider: 'anthropic', ok: false, status: 500 });
    const local = await new ClassifierChain([anthropic('error'), openai('hang', { timeoutMs: 300 })]).classify(
      'FREE NITRO claim your gift https://dlscord-gift.com',
    );
    expect(local.verdict).toMatchObject({ provider: 'local', action: 'review' });
    expect(local.attempts.map((a) => a.provider)).toEqual(['anthropic', 'openai', 'local']);
  });

  it('is built from secrets: configured providers in order, local alone without keys', () => {
    expect(classifierFromSecrets({}).providers).toEqual([]);
    const chain = classifierFromSecrets({ OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k', AI_TIMEOUT_MS: '1500' });
    expect(chain.providers.map((p) => p.name)).toEqual(['anthropic', 'openai']);
  });

  it('reads verdicts leniently but only ever as allow or review', () => {
    expect(parseVerdictText('x', '```json\n{"flagged": true, "score": 7, "labels": ["ban", "scam"]}\n```')).toEqual({
      action: 'review',
      score: 1,
      labels: ['scam'],
      provider: 'x',
      reason: '',
    });
    expect(parseVerdictText('x', '{"score": 0.1}')).toMatchObject({ action: 'allow' });
    expect(parseVerdictText('x', 'no json here')).toBeNull();
    expect(parseVerdictText('x', '{"action": "ban"}')).toBeNull();
  });
});
