import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CreateTenantCommand } from '@app/application';
import { loadConfigOrThrow } from '@app/config';
import type { Subscription } from '@app/event-store';
import { natsSagas, Provisioner } from '@app/provisioning';
import { openReadModels, ProjectionWriter } from '@app/read-models';
import { createApi } from '@app/rest-api';
import type { DataSource } from 'typeorm';
import { loopbackConfig, ProvisionerWorld } from '../../apps/provisioner/test/provisioner-fixture';

/** A parsed JSON answer, read loosely by the tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer {
  status: number;
  body: Json;
}

/**
 * The whole of Duffy around one database, every address on loopback: the api over HTTP with a
 * projector following the log, the relay to JetStream, and a provisioner running the pool's
 * real `ansible-playbook` and contextualizing over ssh to the loopback sshd (ProvisionerWorld).
 * The api and the provisioner read the same pool file, as a deployment's processes do.
 */
export class AuditWorld {
  readonly nodes = new ProvisionerWorld();
  provisioner!: Provisioner;
  base = '';
  adminKey = '';
  private api?: INestApplication;
  private readModels?: DataSource;
  private projector?: Subscription;
  private projecting?: Promise<void>;

  constructor(private readonly log: (message: string) => void = () => undefined) {}

  /** `pools` is the `concrete` section; `settings` more top-level YAML (app, defaults). */
  async start(suite: string, pools: string, poolNames: string[], settings: string): Promise<void> {
    const { dir, config } = loopbackConfig(pools, settings);
    await this.nodes.start(poolNames, suite);
    const db = this.nodes.db;
    this.provisioner = new Provisioner(
      this.nodes.store,
      natsSagas(this.nodes.nc),
      config,
      // A short expiry interval: the expirer retires a session within half a second of its end.
      this.nodes.options({ expireIntervalMs: 500 }),
      this.log,
    );
    await this.provisioner.start();
    await this.nodes.startRelay();

    const apiConfig = loadConfigOrThrow({
      paths: [dir],
      env: { DUFFY_DATABASE__URL: db.url },
    }).config;
    this.readModels = await openReadModels({ url: db.url, poolSize: 6 });
    const projectorModels = await openReadModels({ url: db.url, poolSize: 2 });
    const writer = new ProjectionWriter(projectorModels);
    const projector = (this.projector = this.nodes.store.subscribeToAll({
      after: await writer.checkpoint(),
    }));
    this.projecting = (async () => {
      for await (const event of projector) await writer.apply([event]);
      await projectorModels.destroy();
    })();
    this.api = await createApi(apiConfig, {
      infrastructure: {
        store: this.nodes.store,
        readModels: this.readModels,
        readModelUrl: db.url,
      },
      bcryptCost: 4,
    });
    await this.api.listen(0, '127.0.0.1');
    this.base = `${(await this.api.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
    const { apiKey } = await this.api
      .get(CommandBus)
      .execute(new CreateTenantCommand('admin', 'ssh-ed25519 ADMIN', { isAdmin: true }));
    this.adminKey = apiKey;
    await this.caughtUp();
  }

  /**
   * Holds the sagas still: without the relay no event reaches JetStream, so the provisioner
   * neither contextualizes nor deprovisions until `resumeSagas` (its timers still run).
   */
  async pauseSagas(): Promise<void> {
    await this.nodes.relay.stop();
  }

  /** A new relay carries on from the checkpoint the stopped one recorded. */
  async resumeSagas(): Promise<void> {
    await this.nodes.startRelay();
  }

  /** Until the projection has applied every event appended so far (as ApiHarness waits). */
  async caughtUp(): Promise<void> {
    const models = this.readModels as DataSource;
    const [{ head }] = await models.query(
      'SELECT coalesce(max(position), 0) AS head FROM event_store.events',
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const rows = await models.query('SELECT position FROM projection_checkpoints');
      if (Number(head) === 0 || (rows.length > 0 && Number(rows[0].position) >= Number(head)))
        return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the projection did not catch up');
  }

  admin(): [string, string] {
    return ['admin', this.adminKey];
  }

  /** HTTP to the api as `auth` ([name, key]); the JSON answer and its status. */
  async call(
    method: string,
    path: string,
    auth: [string, string],
    body?: unknown,
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(auth.join(':')).toString('base64')}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  }

  /** A tenant made by the admin over REST; its id and credentials. */
  async tenant(
    name: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: number; auth: [string, string] }> {
    const res = await this.call('POST', '/tenants', this.admin(), {
      name,
      ssh_key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${name}${'x'.repeat(40)} ${name}@ci`,
      ...extra,
    });
    if (res.status !== 201)
      throw new Error(`tenant ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.tenant.id, auth: [name, res.body.tenant.api_key] };
  }

  /** Everything stops, whatever did not start; the database is dropped. */
  async stop(): Promise<void> {
    await this.provisioner?.stop().catch(() => undefined);
    await this.api?.close();
    await this.projector?.close();
    await this.projecting?.catch(() => undefined);
    await this.readModels?.destroy();
    await this.nodes.stop();
  }
}
