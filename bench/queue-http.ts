import { Agent, request } from 'node:http';

// HTTP for queue.bench.ts: node:http with kept-alive connections, as api.bench.ts does (fetch
// costs the load generator, which shares the cores with the api and PostgreSQL, far more CPU).
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export function call(
  base: string,
  method: string,
  path: string,
  auth: string,
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = auth ? { authorization: auth } : {};
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, body: parsed });
      });
    });
    // No answer at all (refused, reset): status 0, so callers count it like any other failure.
    req.on('error', (error) =>
      resolve({ status: 0, text: String(error), body: { code: error.message } }),
    );
    req.end(payload);
  });
}

export const basic = (name: string, key: string) =>
  `Basic ${Buffer.from(`${name}:${key}`).toString('base64')}`;

/** Ends the kept-alive sockets so the bench process can exit. */
export function closeConnections(): void {
  agent.destroy();
}
