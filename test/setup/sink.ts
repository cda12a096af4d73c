import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for the deployer's log webhook and a guild's server-event webhook: records every POST for the tests to read back. */
export interface SinkRequest {
  at: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** What the sink answered. */
  status: number;
}

export async function startWebhookSink(): Promise<{ url: string; close(): Promise<void> }> {
  const received: SinkRequest[] = [];
  // A path with /fail-once/ answers 500 the first time it is posted to: a receiver that hiccups, for retry tests.
  const failedOnce = new Set<string>();
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
  const server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/received') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const path = req.url ?? '/';
    const fail = path.includes('/fail-once/') && !failedOnce.has(path);
    if (fail) failedOnce.add(path);
    received.push({ at: Date.now(), path, headers, body: await read(req), status: fail ? 500 : 204 });
    res.writeHead(fail ? 500 : 204).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
