import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import {
  API_KEY_HASH_COST,
  APPLICATION_SERVICES,
  CLOCK,
  COMMAND_HANDLERS,
  DOMAIN_DEFAULTS,
  EVENT_STORE,
  POOL_CATALOG,
  READY_NODE_CANDIDATES,
  ReadyNodesProjection,
  StaticPoolCatalog,
  SystemClock,
} from '@app/application';
import type { DuffyConfig } from '@app/config';
import type { Defaults } from '@app/domain';
import { ProvisioningRunQueries, ReadModelQueries } from '@app/read-models';
import { AuthGuard } from './auth/auth.guard';
import { authenticationSettings } from './auth/authentication-settings';
import { createBcryptRunner } from './auth/bcrypt-runner';
import { CredentialVerifier } from './auth/credential-verifier';
import { FailedLoginLimiter } from './auth/failed-login-limiter';
import { ReadModelCredentials } from './auth/read-model-credentials';
import { DUFFY_CONFIG } from './config.token';
import { closeApiInfrastructure } from './infrastructure/api-infrastructure';
import type { ApiInfrastructure } from './infrastructure/api-infrastructure';
import { API_INFRASTRUCTURE } from './infrastructure/tokens';
import { NodesController } from './nodes/nodes.controller';
import { ListPoolsController } from './pools/list-pools.controller';
import { ShowPoolController } from './pools/show-pool.controller';
import { ProjectionWaiter } from './read-your-writes/projection-waiter';
import { ReadYourWrites } from './read-your-writes/read-your-writes';
import { RunsController } from './runs/runs.controller';
import { SessionRequests } from './sessions/session-requests';
import { SessionsController } from './sessions/sessions.controller';
import { TenantsController } from './tenants/tenants.controller';

export interface ApiOptions {
  /** bcrypt cost of new API keys and of the stand-in hash for unknown names; default 12. */
  bcryptCost?: number;
  /** Close the store and read models with the app (true when createApi connected them). */
  ownsInfrastructure?: boolean;
}

/** Closes what the app opened, when it goes down. */
@Injectable()
class Shutdown implements OnApplicationShutdown {
  constructor(
    @Inject(API_INFRASTRUCTURE) private readonly infra: ApiInfrastructure,
    private readonly waiter: ProjectionWaiter,
    private readonly verifier: CredentialVerifier,
    @Inject('OWNS_INFRASTRUCTURE') private readonly owns: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.waiter.close();
    await this.verifier.close();
    if (this.owns) await closeApiInfrastructure(this.infra);
  }
}

export function domainDefaults(config: DuffyConfig): Defaults {
  const d = config.defaults;
  if (!d) throw new Error('defaults: required by the api (node-quota, session lifetimes)');
  return {
    nodeQuota: d.nodeQuota,
    sessionLifetimeMs: d.sessionLifetimeMs,
    sessionLifetimeMaxMs: d.sessionLifetimeMaxMs,
  };
}

@Module({})
export class ApiModule {
  static withConfig(
    config: DuffyConfig,
    infra: ApiInfrastructure,
    options: ApiOptions = {},
  ): DynamicModule {
    const cost = options.bcryptCost ?? 12;
    const defaults = domainDefaults(config);
    const auth = authenticationSettings(config);
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        ListPoolsController,
        ShowPoolController,
        SessionsController,
        NodesController,
        TenantsController,
        RunsController,
      ],
      providers: [
        { provide: DUFFY_CONFIG, useValue: config },
        { provide: API_INFRASTRUCTURE, useValue: infra },
        { provide: 'OWNS_INFRASTRUCTURE', useValue: options.ownsInfrastructure ?? false },
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: CLOCK, useValue: new SystemClock() },
        { provide: DOMAIN_DEFAULTS, useValue: defaults },
        {
          provide: POOL_CATALOG,
          useValue: new StaticPoolCatalog(config.concretePools().map((p) => p.name)),
        },
        { provide: API_KEY_HASH_COST, useValue: cost },
        ReadyNodesProjection,
        { provide: READY_NODE_CANDIDATES, useExisting: ReadyNodesProjection },
        ...COMMAND_HANDLERS,
        ...APPLICATION_SERVICES,
        { provide: ReadModelQueries, useValue: new ReadModelQueries(infra.readModels, defaults) },
        { provide: ProvisioningRunQueries, useValue: new ProvisioningRunQueries(infra.readModels) },
        { provide: ProjectionWaiter, useValue: new ProjectionWaiter(infra.readModelUrl) },
        {
          provide: ReadYourWrites,
          inject: [ReadModelQueries, ProjectionWaiter],
          useFactory: (q: ReadModelQueries, w: ProjectionWaiter) =>
            new ReadYourWrites(infra.store, q, w),
        },
        {
          provide: CredentialVerifier,
          inject: [ReadModelQueries],
          useFactory: (q: ReadModelQueries) =>
            new CredentialVerifier(new ReadModelCredentials(q), {
              bcryptCost: cost,
              runner: createBcryptRunner({
                threads: auth.verifyThreads,
                maxQueue: auth.verifyQueue,
              }),
              limiter: new FailedLoginLimiter(auth.limits),
            }),
        },
        SessionRequests,
        { provide: APP_GUARD, useClass: AuthGuard },
        Shutdown,
      ],
    };
  }
}
