import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Anthropic Messages and OpenAI Chat Completions
 * APIs, on 127.0.0.1 only. Behaviour is chosen per request by an optional
 * first path segment, so each provider in a chain can be given its own:
 *   /ok/...      (or no prefix) answer normally
 *   /hang/...    never answer (until the client gives up or the server closes)
 *   /error/...   500 with a provider-style error body
 *   /garbage/... 200 with text that holds no verdict
 * A normal answer is "flagged" (scam, score 0.93) when the message contains
 * [[flag]], and clean (score 0.02) otherwise. A FAQ prompt (entries between
 * <faq> tags) is answered citing the first entry given, or citing none when
 * the question contains [[nocite]], or an entry not given for [[badcite]]. Wrong or missing credentials
 * get 401, a missing anthropic-version header 400, as the real APIs do.
 */

export const FAKE_AI_KEYS = { anthropic: 'test-anthropic-key', openai: 'test-openai-key' } as const;

export interface FakeAiRequest {
  path: string;
  mode: string;
  headers: Record<string, string>;
  body: unknown;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = '';
    req
      .setEncoding('utf8')
      .on('data', (c: string) => {
        s += c;
      })
      .on('end', () => resolve(s));
  });

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

function faqAnswerFor(text: string): string {
  if (text.includes('[[nocite]]')) return JSON.stringify({ entry: null, answer: 'Try restarting your game.' });
  if (text.includes('[[badcite]]')) return JSON.stringify({ entry: 987654, answer: 'Made up.' });
  const first = /<entry id=\\"(\d+)\\">/.exec(text);
  return JSON.stringify({ entry: first ? Number(first[1]) : null, answer: `Fake provider: see entry ${first?.[1] ?? 'none'}.` });
}

function verdictFor(body: unknown): string {
  const text = JSON.stringify(body);
  if (text.includes('<faq>')) return faqAnswerFor(text);
  return text.includes('[[flag]]')
    ? JSON.stringify({ flagged: true, score: 0.93, labels: ['scam'], reason: 'fake provider: flagged marker' })
    : JSON.stringify({ flagged: false, score: 0.02, labels: [], reason: 'fake provider: clean' });
}

export async function startFakeAi(): Promise<{ url: string; close(): Promise<void> }> {
  const received: FakeAiRequest[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/_requests') return json(res, 200, received.slice(-50));
    const m = /^(?:\/(ok|hang|error|garbage))?(\/v1\/(?:messages|chat\/completions))$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return json(res, 404, { error: { type: 'not_found_error', message: `no route ${req.method} ${url.pathname}` } });
    const mode = m[1] ?? 'ok';
    const path = m[2]!;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const raw = await read(req);
    let body: unknown = null;
    try {
      body = JSON.parse(raw);
    } catch {
      return json(res, 400, { error: { type: 'invalid_request_error', message: 'body is not JSON' } });
    }
    received.push({ path, mode, headers, body });
    const anthropic = path === '/v1/messages';
    if (anthropic) {
      if (headers['x-api-key'] !== FAKE_AI_KEYS.anthropic)
        return json(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
      if (!headers['anthropic-version'])
        return json(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version header is required' } });
    } else if (headers.authorization !== `Bearer ${FAKE_AI_KEYS.openai}`) {
      return json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (mode === 'hang') return; // never answers; close() ends the socket
    if (mode === 'error')
      return json(
        res,
        500,
        anthropic
          ? { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }
          : { error: { message: 'The server had an error', type: 'server_error' } },
      );
    const text = mode === 'garbage' ? 'I cannot help with that.' : verdictFor(body);
    if (anthropic) {
      return json(res, 200, {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model: (body as { model?: string }).model ?? 'fake',
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 10, output_tokens: 10 },
      });
    }
    return json(res, 200, {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: (body as { model?: string }).model ?? 'fake',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
