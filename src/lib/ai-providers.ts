/**
 * The AI providers' HTTP adapters, shared by every feature that asks a model
 * (moderation's classifier, the FAQ's grounded answers): Anthropic Messages
 * and OpenAI Chat Completions, each with a per-call timeout. A feature builds
 * its prompt and reads the model's text; failures are ProviderErrors with the
 * provider, the HTTP status (0 when nothing arrived) and what went wrong.
 */

export class ProviderError extends Error {
  readonly provider: string;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;

  constructor(provider: string, status: number, message: string) {
    super(message);
    this.provider = provider;
    this.status = status;
  }
}

export interface ProviderOptions {
  apiKey: string;
  /** Origin of the API, e.g. https://api.anthropic.com (tests point it at a local fake). */
  baseUrl: string;
  model: string;
  /** Per-call timeout (ms). */
  timeoutMs: number;
}

/** One prompt: the system instructions, the user's message, the answer's size, and whether to ask for a JSON object. */
export interface TextRequest {
  system: string;
  user: string;
  maxTokens: number;
  json?: boolean;
}

export interface TextProvider {
  readonly name: string;
  complete(req: TextRequest): Promise<string>;
}

async function post(provider: string, url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<unknown> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    throw new ProviderError(
      provider,
      0,
      name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs} ms` : `request failed: ${String(e)}`,
    );
  }
  if (!res.ok) throw new ProviderError(provider, res.status, `HTTP ${res.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError(provider, res.status, 'the answer is not JSON');
  }
}

const trimBase = (u: string) => u.replace(/\/+$/, '');

/** Anthropic Messages API: POST {base}/v1/messages with x-api-key and anthropic-version. */
export class AnthropicText implements TextProvider {
  readonly name = 'anthropic';
  private readonly o: ProviderOptions;

  constructor(o: ProviderOptions) {
    this.o = o;
  }

  async complete(req: TextRequest): Promise<string> {
    const body = { model: this.o.model, max_tokens: req.maxTokens, system: req.system, messages: [{ role: 'user', content: req.user }] };
    const json = await post(
      this.name,
      `${trimBase(this.o.baseUrl)}/v1/messages`,
      { 'x-api-key': this.o.apiKey, 'anthropic-version': '2023-06-01' },
      body,
      this.o.timeoutMs,
    );
    const content = (json as { content?: { type?: string; text?: string }[] }).content;
    return Array.isArray(content)
      ? content
          .filter((c) => c.type === 'text')
          .map((c) => c.text ?? '')
          .join('')
      : '';
  }
}

/** OpenAI Chat Completions: POST {base}/v1/chat/completions with a Bearer key (JSON mode when asked). */
export class OpenAIText implements TextProvider {
  readonly name = 'openai';
  private readonly o: ProviderOptions;

  constructor(o: ProviderOptions) {
    this.o = o;
  }

  async complete(req: TextRequest): Promise<string> {
    const body = {
      model: this.o.model,
      max_tokens: req.maxTokens,
      ...(req.json ? { response_format: { type: 'json_object' } } : {}),
      messages: [
        { role: 'system', content: req.system },
        { role: 'user', content: req.user },
      ],
    };
    const json = await post(this.name, `${trimBase(this.o.baseUrl)}/v1/chat/completions`, { authorization: `Bearer ${this.o.apiKey}` }, body, this.o.timeoutMs);
    const choices = (json as { choices?: { message?: { content?: string | null } }[] }).choices;
    return Array.isArray(choices) ? (choices[0]?.message?.content ?? '') : '';
  }
}

/** Secrets and settings that turn providers on; absent keys leave a provider out. */
export interface AiSecrets {
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_API_BASE?: string;
  ANTHROPIC_MODEL?: string;
  OPENAI_API_KEY?: string;
  OPENAI_API_BASE?: string;
  OPENAI_MODEL?: string;
  /** Per-call timeout in ms (default 3000). */
  AI_TIMEOUT_MS?: string;
}

export const DEFAULT_MODELS = { anthropic: 'claude-3-5-haiku-latest', openai: 'gpt-4o-mini' } as const;

/** The configured providers, Anthropic first, then OpenAI; `maxTimeoutMs` caps the configured timeout. */
export function providersFromSecrets(s: AiSecrets, maxTimeoutMs = Number.POSITIVE_INFINITY): TextProvider[] {
  const t = Number(s.AI_TIMEOUT_MS);
  const timeoutMs = Math.min(maxTimeoutMs, Number.isFinite(t) && t >= 100 ? t : 3000);
  const providers: TextProvider[] = [];
  if (s.ANTHROPIC_API_KEY)
    providers.push(
      new AnthropicText({
        apiKey: s.ANTHROPIC_API_KEY,
        baseUrl: s.ANTHROPIC_API_BASE ?? 'https://api.anthropic.com',
        model: s.ANTHROPIC_MODEL ?? DEFAULT_MODELS.anthropic,
        timeoutMs,
      }),
    );
  if (s.OPENAI_API_KEY)
    providers.push(
      new OpenAIText({
        apiKey: s.OPENAI_API_KEY,
        baseUrl: s.OPENAI_API_BASE ?? 'https://api.openai.com',
        model: s.OPENAI_MODEL ?? DEFAULT_MODELS.openai,
        timeoutMs,
      }),
    );
  return providers;
}
