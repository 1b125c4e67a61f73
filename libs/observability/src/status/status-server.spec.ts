import { Counter, Registry } from 'prom-client';
import { CheckFailed, ReadinessCheck } from './readiness-check';
import { startStatusServer, StatusServer } from './status-server';

/** The status port of a service run apart, in-process, over real HTTP on 127.0.0.1. */
describe('startStatusServer', () => {
  let server: StatusServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const up: ReadinessCheck = { name: 'event_store', probe: async () => undefined };
  const start = async (checks: ReadinessCheck[], registry?: Registry) => {
    server = await startStatusServer({
      host: '127.0.0.1',
      port: 0,
      service: 'provisioner',
      checks,
      metrics: registry,
      checkTimeoutMs: 300,
    });
    return server;
  };
  const get = async (path: string) => {
    const res = await fetch(`${server!.url}${path}`);
    return { status: res.status, text: await res.text(), headers: res.headers };
  };

  it('answers /health and a ready /ready in terminus shape', async () => {
    await start([up, { name: 'nats', probe: async () => ({ rtt_ms: 0.4 }) }]);
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({
      status: 'ok',
      info: {},
      error: {},
      details: {},
      service: 'provisioner',
    });
    const ready = await get('/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({
      status: 'ok',
      info: { event_store: { status: 'up' }, nats: { status: 'up', rtt_ms: 0.4 } },
      error: {},
      details: { event_store: { status: 'up' }, nats: { status: 'up', rtt_ms: 0.4 } },
      service: 'provisioner',
    });
  });

  it('is 503 with Retry-After when a check fails or does not answer in time', async () => {
    await start([
      up,
      {
        name: 'projection_lag',
        probe: async () => {
          throw new CheckFailed('40 s behind', { lag_seconds: 40 });
        },
      },
      { name: 'nats', probe: () => new Promise(() => undefined) },
      {
        name: 'read_models',
        probe: async () => {
          throw new Error('connect ECONNREFUSED 10.1.2.3:5432 (postgres://duffy:pw@db/duffy)');
        },
      },
    ]);
    const started = Date.now();
    const ready = await get('/ready');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    const body = JSON.parse(ready.text);
    expect(body.status).toBe('error');
    expect(body.info).toEqual({ event_store: { status: 'up' } });
    expect(body.error).toEqual({
      projection_lag: { status: 'down', lag_seconds: 40, message: '40 s behind' },
      nats: { status: 'down', message: 'nats: no answer within 300 ms' },
      read_models: { status: 'down', message: 'connect ECONNREFUSED <address> (<url>)' },
    });
  });

  it('serves the registry on /metrics and 404 elsewhere', async () => {
    const registry = new Registry();
    new Counter({ name: 'duffy_test_total', help: 'a test counter', registers: [registry] }).inc(3);
    await start([up], registry);
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe(registry.contentType);
    expect(metrics.text).toContain('duffy_test_total 3');
    const missing = await get('/nope');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).code).toBe('not_found');
  });

  it('refuses a port in use, naming nothing it did not open', async () => {
    const first = await start([up]);
    await expect(
      startStatusServer({ host: '127.0.0.1', port: first.port, service: 'x', checks: [] }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
