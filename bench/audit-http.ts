import { Agent, request } from 'node:http';
import { percentile } from './measure';

// The reads of audit.bench.ts over HTTP: node:http with one kept-alive connection per caller
// (fetch costs the load generator, which shares the cores with the api, far more CPU).

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export const basic = (name: string, key: string) =>
  `Basic ${Buffer.from(`${name}:${key}`).toString('base64')}`;

export interface Answer {
  status: number;
  text: string;
  bytes: number;
}

/** A GET read to its end. */
export function get(url: string, auth: string, accept = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: auth, accept }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, text: body.toString('utf8'), bytes: body.length });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A GET of JSON lines, counted as they arrive (an export is not held in memory). */
export function countLines(url: string, auth: string): Promise<{ lines: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: auth, accept: 'application/x-ndjson' };
    const req = request(url, { headers, agent }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url}: ${res.statusCode}`));
        return;
      }
      let lines = 0;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on('error', reject);
      res.on('end', () => resolve({ lines, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface Latencies {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  bytes: number;
}

/**
 * `requests` calls one after another (stopping early after `capMs`), each checked for a 200:
 * latency at concurrency 1, the figure the goals are about.
 */
export async function latencies(
  requests: number,
  capMs: number,
  call: () => Promise<Answer>,
): Promise<Latencies> {
  const times: number[] = [];
  let bytes = 0;
  const start = performance.now();
  while (times.length < requests && performance.now() - start < capMs) {
    const t = performance.now();
    const answer = await call();
    times.push(performance.now() - t);
    if (answer.status !== 200) throw new Error(`answer ${answer.status}: ${answer.text}`);
    bytes = answer.bytes;
  }
  const seconds = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    seconds,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1],
    bytes,
  };
}
