import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApplicationModule, StaticPoolCatalog } from '@app/application';
import { domainDefaults, type DuffyConfig } from '@app/config';
import type { Defaults } from '@app/domain';
import { AuditLogQueries, ProvisioningRunQueries, ReadModelQueries } from '@app/read-models';
import type { Logger } from 'pino';
import { AsOfReader } from './audit/as-of-reader';
import { AuditReader } from './audit/audit-reader';
import { EventsController } from './audit/events.controller';
import { NodeHistoryController } from './audit/node-history.controller';
import { PoolHistoryController } from './audit/pool-history.controller';
import { SessionHistoryController } from './audit/session-history.controller';
import { TenantHistoryController } from './audit/tenant-history.controller';
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
import { PurgeStaleController } from './nodes/purge-stale.controller';
import { requestLoggingModule } from './http/request-logging';
import { HealthModule } from './operations/health/health.module';
import { MetricsModule } from './operations/metrics/metrics.module';
import { ListPoolsController } from './pools/list-pools.controller';
import { ShowPoolController } from './pools/show-pool.controller';
import { ProjectionWaiter } from './read-your-writes/projection-waiter';
import { ReadYourWrites } from './read-your-writes/read-your-writes';
import { RunsController } from './runs/runs.controller';
import { SessionEventsController } from './sessions/session-events/session-events.controller';
import { SessionRequests } from './sessions/session-requests';
import { SessionQueuePlaces } from './sessions/session-queue-places';
import { SessionsController } from './sessions/sessions.controller';
import { TenantsController } from './tenants/tenants.controller';

export interface ApiOptions {
  /** bcrypt cost of new API keys and of the stand-in hash for unknown names; default 12. */
  bcryptCost?: number;
  /** Close the store and read models with the app (true when createApi connected them). */
  ownsInfrastructure?: boolean;
  /** The api's logger (request lines and Nest's own); none: Nest's default logger. */
  logger?: Logger;
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

/** The domain's defaults from config; the api cannot run without them. */
export function requiredDefaults(config: DuffyConfig): Defaults {
  const defaults = domainDefaults(config);
  if (!defaults) throw new Error('defaults: required by the api (node-quota, session lifetimes)');
  return defaults;
}

@Module({})
export class ApiModule {
  static withConfig(
    config: DuffyConfig,
    infra: ApiInfrastructure,
    options: ApiOptions = {},
  ): DynamicModule {
    const cost = options.bcryptCost ?? 12;
    const defaults = requiredDefaults(config);
    const auth = authenticationSettings(config);
    const queries = new ReadModelQueries(infra.readModels, defaults);
    return {
      module: ApiModule,
      imports: [
        HealthModule.forApi(config, infra, queries),
        MetricsModule.forApi(config, infra),
        ...(options.logger ? [requestLoggingModule(options.logger)] : []),
        ApplicationModule.register({
          store: infra.store,
          defaults,
          pools: StaticPoolCatalog.of(config.concretePools()),
          tenants: { nameOf: async (id) => (await queries.tenant(id))?.name },
          apiKeyHashCost: cost,
          serveQueue: true,
        }),
      ],
      controllers: [
        ListPoolsController,
        ShowPoolController,
        SessionsController,
        SessionEventsController,
        // Before NodesController: `purge-stale` is a route of its own, never a node id.
        PurgeStaleController,
        NodesController,
        TenantsController,
        RunsController,
        SessionHistoryController,
        NodeHistoryController,
        TenantHistoryController,
        PoolHistoryController,
        EventsController,
      ],
      providers: [
        { provide: DUFFY_CONFIG, useValue: config },
        { provide: API_INFRASTRUCTURE, useValue: infra },
        { provide: 'OWNS_INFRASTRUCTURE', useValue: options.ownsInfrastructure ?? false },
        { provide: ReadModelQueries, useValue: queries },
        { provide: ProvisioningRunQueries, useValue: new ProvisioningRunQueries(infra.readModels) },
        { provide: AuditLogQueries, useValue: new AuditLogQueries(infra.readModels) },
        AuditReader,
        AsOfReader,
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
        SessionQueuePlaces,
        { provide: APP_GUARD, useClass: AuthGuard },
        Shutdown,
      ],
    };
  }
}
