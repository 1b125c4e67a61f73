import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsCluster, type NatsCluster } from '../../../test/support/nats-cluster';
import { connectNats } from './nats-connection';

// A real nats-server, down for longer than nats.js's default ten reconnect attempts would wait:
// a Duffy service's connection must still be there, and work, when it comes back.
jest.setTimeout(60_000);

describe('connectNats', () => {
  let dir: string;
  let server: NatsCluster;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duffy-nats-reconnect-'));
    server = await startNatsCluster({ name: 'x', dir, clientPorts: [15232], clusterPorts: [] });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps reconnecting past ten attempts, and works once the server is back', async () => {
    const nc = await connectNats(server.servers, 'reconnect-spec');
    const got: string[] = [];
    const sub = nc.subscribe('spec.reconnect', {
      callback: (_e, m) => {
        got.push(m.string());
      },
    });
    await server.kill(0);
    // Ten attempts at 500 ms are 5 s; the default (2 s apart) would be 20 s of a 10-attempt budget.
    await new Promise((r) => setTimeout(r, 8000));
    expect(nc.isClosed()).toBe(false);
    await server.start(0);
    for (let i = 0; got.length === 0 && i < 100; i++) {
      nc.publish('spec.reconnect', 'back');
      await nc.flush().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(got[0]).toBe('back');
    sub.unsubscribe();
    await nc.close();
  });
});
