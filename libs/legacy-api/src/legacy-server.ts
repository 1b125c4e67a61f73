// The legacy HTTP surface (compat §6): plain node:http, GET only, query parameters in, JSON out.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MetaclientConfig } from '@app/config';
import type { LegacyAnswer } from './legacy-answer';
import type { LegacyHandlers } from './legacy-handlers';
import { REASON_HEADER } from './reasons';
import type { Credentials } from './upstream';

export type Logger = (level: 'INFO' | 'WARNING' | 'ERROR', requestId: string, msg: string) => void;

/** Routes one request; exported for the server and for tests that need no socket. */
export async function route(
  method: string,
  url: URL,
  config: MetaclientConfig,
  handlers: LegacyHandlers,
): Promise<LegacyAnswer> {
  const endpoint = ENDPOINTS[url.pathname];
  if (!endpoint) return { status: 404, body: { detail: 'Not Found' }, reason: 'not_found' };
  if (method !== 'GET') {
    return { status: 405, body: { detail: 'Method Not Allowed' }, reason: 'method' };
  }
  const q = url.searchParams;
  const key = q.get('key') ?? '';
  // compat §6.1: the key is checked first; only /Inventory may go without one.
  if (key === '' && endpoint !== 'inventory') {
    return { status: 403, body: { detail: 'Not authenticated' }, reason: 'auth_missing_key' };
  }
  let credentials: Credentials | null = null;
  if (key !== '') {
    const tenant = Object.prototype.hasOwnProperty.call(config.usermap, key)
      ? config.usermap[key]
      : undefined;
    if (tenant === undefined) {
      return { status: 403, body: { detail: 'Forbidden' }, reason: 'auth_unknown_key' };
    }
    // W-S6 kept: the legacy key is the tenant's REST v1 API key.
    credentials = { name: tenant, key };
  }
  switch (endpoint) {
    case 'get': {
      const count = parseCount(q.get('count'));
      if (typeof count !== 'number') return count;
      return handlers.nodeGet(credentials!, {
        ver: q.get('ver') ?? '7',
        arch: q.get('arch') ?? 'x86_64',
        count,
        flavor: q.get('flavor'),
      });
    }
    case 'done':
    case 'fail': {
      const ssid = q.get('ssid') ?? '';
      if (ssid === '')
        return { status: 200, body: 'Some parameters are absent', reason: 'missing_parameters' };
      return endpoint === 'done'
        ? handlers.nodeDone(credentials!, ssid)
        : handlers.nodeFail(credentials!, ssid);
    }
    case 'inventory':
      return credentials ? handlers.inventory(credentials) : handlers.inventoryAll();
  }
}

const ENDPOINTS: Record<string, 'get' | 'done' | 'fail' | 'inventory' | undefined> = {
  '/Node/get': 'get',
  '/Node/done': 'done',
  '/Node/fail': 'fail',
  '/Inventory': 'inventory',
};

/** `count` as FastAPI parsed it: an int, else its 422 validation answer. */
function parseCount(raw: string | null): number | LegacyAnswer {
  if (raw === null) return 1;
  if (/^\s*[+-]?\d+\s*$/.test(raw)) return Number.parseInt(raw, 10);
  return {
    status: 422,
    body: {
      detail: [
        {
          type: 'int_parsing',
          loc: ['query', 'count'],
          msg: 'Input should be a valid integer, unable to parse string as an integer',
          input: raw,
          url: 'https://errors.pydantic.dev/2.6/v/int_parsing',
        },
      ],
    },
    reason: 'invalid_count',
  };
}

export function createLegacyServer(
  config: MetaclientConfig,
  handlers: LegacyHandlers,
  log: Logger,
): Server {
  return createServer((req, res) => void serve(req, res, config, handlers, log));
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  config: MetaclientConfig,
  handlers: LegacyHandlers,
  log: Logger,
): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://metaclient');
  let answer: LegacyAnswer;
  try {
    answer = await route(req.method ?? 'GET', url, config, handlers);
  } catch (error) {
    log('ERROR', requestId, `${url.pathname}: ${(error as Error).stack ?? String(error)}`);
    answer = { status: 500, body: { detail: 'Internal Server Error' }, reason: 'internal_error' };
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-request-id': requestId,
  };
  if (answer.reason) headers[REASON_HEADER] = answer.reason;
  // The key is a secret: never logged.
  const line = `${req.method} ${url.pathname} -> ${answer.status}`;
  if (answer.reason) {
    log(
      'WARNING',
      requestId,
      `${line} reason=${answer.reason}${answer.detail ? `: ${answer.detail}` : ''}`,
    );
  } else {
    log('INFO', requestId, line);
  }
  res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
}
