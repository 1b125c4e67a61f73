import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { DuffyConfig } from '@app/config';
import { httpMetrics, serviceLogger } from '@app/observability';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ApiModule } from './app.module';
import { InputBoundsPipe } from './http/input-bounds.pipe';
import { ProblemFilter } from './http/problem.filter';
import { requestId } from './http/request-id.middleware';
import { nestLogger } from './http/request-logging';
import { validationPipe } from './http/validation';
import { buildOpenApiDocument } from './openapi-document';
import {
  ApiInfrastructure,
  closeApiInfrastructure,
  connectApiInfrastructure,
  instrumentedInfrastructure,
} from './infrastructure/api-infrastructure';

export const API_PREFIX = 'api/v1';

export interface CreateApiOptions {
  /** Store and read models to use; by default connected from the configuration. */
  infrastructure?: ApiInfrastructure;
  /** bcrypt cost of API keys; 12 unless a test lowers it. */
  bcryptCost?: number;
  /**
   * The api's logger: a line per request, Nest's own lines. By default one at `warn` (errors
   * and warnings only, as before request lines existed): embedding callers and tests stay quiet;
   * the api process passes serviceLogger('api', app.loglevel).
   */
  logger?: Logger;
}

/** Builds the api application (not listening yet): routes under /api/v1, docs at /api/v1/docs. */
export async function createApi(
  config: DuffyConfig,
  options: CreateApiOptions = {},
): Promise<INestApplication> {
  const owns = options.infrastructure === undefined;
  const infra = instrumentedInfrastructure(
    options.infrastructure ?? (await connectApiInfrastructure(config)),
  );
  let app: INestApplication;
  try {
    app = await NestFactory.create(
      ApiModule.withConfig(config, infra, {
        bcryptCost: options.bcryptCost,
        ownsInfrastructure: owns,
        logger: options.logger ?? serviceLogger('api', { level: 'warn' }),
      }),
      // Held until useLogger below, so start-up lines go through pino too.
      { bufferLogs: true, bodyParser: true },
    );
  } catch (error) {
    if (owns) await closeApiInfrastructure(infra);
    throw error;
  }
  app.useLogger(nestLogger(app.get(PinoNestLogger)));
  app.enableShutdownHooks();
  app.use(requestId);
  app.use(httpMetrics);
  // Prometheus scrapes /metrics at the root, beside (not under) the versioned api.
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
  app.useGlobalFilters(new ProblemFilter());
  // Bounds first: the validation pipe's recursion must never see a body nested too deep.
  app.useGlobalPipes(new InputBoundsPipe(), validationPipe());
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, {
    jsonDocumentUrl: `${API_PREFIX}/openapi.json`,
  });
  return app;
}
