import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBasicAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AS_OF } from '../audit/as-of-description';
import { AsOfReader } from '../audit/as-of-reader';
import { instantQuery } from '../audit/instant-query';
import {
  CreateTenantCommand,
  ReactivateTenantCommand,
  RetireTenantCommand,
  UpdateTenantCommand,
} from '@app/application';
import { DOMAIN_DEFAULTS } from '@app/application';
import { sessionStream, tenantStream } from '@app/domain';
import type { Defaults, TenantState } from '@app/domain';
import { ReadModelQueries, TenantView } from '@app/read-models';
import { CallerParam, readsEverything } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { IdPipe } from '../http/id.pipe';
import { Problem } from '../http/problem';
import { ReadYourWrites } from '../read-your-writes/read-your-writes';
import { lifetimeMs, parseTenantBody } from './tenant-body';
import { CreateTenantDto } from '@app/contracts';
import { tenantViewFromState } from './tenant-state-view';

const forbidden = () => new Problem(403, 'forbidden', 'Forbidden');
const MASKED = '**********';

@ApiTags('tenants')
@ApiBasicAuth()
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly bus: CommandBus,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(DOMAIN_DEFAULTS) private readonly defaults: Defaults,
    private readonly asOf: AsOfReader,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List tenants (a non-admin: only itself)' })
  async list(@CallerParam() caller: Caller) {
    const tenants = readsEverything(caller)
      ? await this.queries.tenants()
      : [await this.queries.tenant(caller.id)].filter((t): t is TenantView => t !== undefined);
    return { action: 'get', tenants };
  }

  /** W-S3: a non-admin gets 403 for any id but its own, existing or not. */
  @Get(':id')
  @ApiOperation({ summary: 'Show a tenant' })
  @ApiQuery({
    name: 'as_of',
    required: false,
    description: AS_OF,
  })
  async show(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Query('as_of') asOfQuery: unknown,
  ) {
    const asOf = instantQuery('as_of', asOfQuery);
    if (asOf !== undefined)
      return { action: 'get', tenant: await this.asOf.tenant(caller, id, asOf) };
    if (!readsEverything(caller) && id !== caller.id) throw forbidden();
    const tenant = await this.queries.tenant(id);
    if (!tenant) throw new Problem(404, 'not_found', 'Not Found');
    return { action: 'get', tenant };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a tenant (admins); its API key is shown this once' })
  async create(@CallerParam() caller: Caller, @Body() body: CreateTenantDto) {
    if (!caller.isAdmin) throw forbidden();
    const sessionLifetimeMs = lifetimeMs('session_lifetime', body.session_lifetime);
    const sessionLifetimeMaxMs = lifetimeMs('session_lifetime_max', body.session_lifetime_max);
    const { tenant, apiKey } = await this.bus.execute(
      new CreateTenantCommand(body.name, body.ssh_key, {
        isAdmin: body.is_admin ?? false,
        isAuditor: body.is_auditor ?? false,
        nodeQuota: body.node_quota ?? null,
        sessionLifetimeMs,
        sessionLifetimeMaxMs,
        actor: caller.name,
      }),
    );
    await this.readYourWrites.afterWritesTo([tenantStream(tenant.name)]);
    return {
      action: 'post',
      tenant: { ...this.view(tenant), ssh_key: tenant.sshKey, api_key: apiKey },
    };
  }

  /** W-S3: the admin check comes first, so non-admins cannot probe names or retirement. */
  @Put(':id')
  @ApiOperation({ summary: 'Update, rotate the key of, retire or reactivate a tenant (admins)' })
  @ApiBody({ schema: { type: 'object' } })
  async update(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Body() rawBody: unknown,
  ) {
    if (!caller.isAdmin) throw forbidden();
    const body = parseTenantBody(rawBody);
    const current = await this.queries.tenant(id);
    if (!current) throw new Problem(404, 'not_found', 'Not Found');
    if (!current.active && !(body.kind === 'retire' && body.active)) {
      throw new Problem(
        422,
        'tenant_retired',
        `tenant ${current.name} (id=${current.id}) is retired`,
      );
    }
    const streams = [tenantStream(current.name)];
    let state: TenantState;
    let apiKey: string | null = null;
    if (body.kind === 'update') {
      const result = await this.bus.execute(
        new UpdateTenantCommand(current.name, body.changes, caller.name),
      );
      state = result.tenant;
      apiKey = result.apiKey ?? MASKED;
    } else if (body.active) {
      state = await this.bus.execute(new ReactivateTenantCommand(current.name, caller.name));
    } else {
      const sessions = await this.queries.activeSessions(current.id);
      streams.push(...sessions.map((s) => sessionStream(s.id)));
      state = await this.bus.execute(new RetireTenantCommand(current.name, caller.name));
    }
    await this.readYourWrites.afterWritesTo(streams);
    return { action: 'put', tenant: { ...this.view(state), api_key: apiKey } };
  }

  private view(state: TenantState): TenantView {
    return tenantViewFromState(state, this.defaults);
  }
}
