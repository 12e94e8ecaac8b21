// A local HTTP server standing in for a Slack incoming webhook: it records each POST (path and
// JSON body) and answers with the statuses it is told, in order (then 200 "ok"). The path holds
// a secret, as Slack's does, so tests can check it is never printed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WEBHOOK_SECRET = 'T0MANGA/B0ONCALL/sEcReTtOkEn0123456789';

export interface WebhookStandin {
  /** The URL to give on-alarm: http://127.0.0.1:<port>/services/<secret>. */
  url: string;
  posts: { path: string; contentType: string; body: { text: string; blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[] } }[];
  /** Statuses for the next requests, consumed in order. */
  respond: number[];
  /** Everything the message says, blocks and text, as one string. */
  said(i?: number): string;
  close(): Promise<void>;
}

export async function startWebhook(): Promise<WebhookStandin> {
  const posts: WebhookStandin['posts'] = [];
  const respond: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (b: Buffer) => (body += b.toString()));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body: JSON.parse(body || 'null') });
      const status = respond.shift() ?? 200;
      res.statusCode = status;
      res.end(status === 200 ? 'ok' : 'internal_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/${WEBHOOK_SECRET}`,
    posts,
    respond,
    said(i = posts.length - 1) {
      const p = posts[i]!.body;
      return [p.text, ...p.blocks.flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)])].join('\n');
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
