import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { DuffyConfig } from '@app/config';
import { ApiModule } from './app.module';
import { InputBoundsPipe } from './http/input-bounds.pipe';
import { ProblemFilter } from './http/problem.filter';
import { requestId } from './http/request-id.middleware';
import { validationPipe } from './http/validation';
import { buildOpenApiDocument } from './openapi-document';
import {
  ApiInfrastructure,
  closeApiInfrastructure,
  connectApiInfrastructure,
} from './infrastructure/api-infrastructure';

export const API_PREFIX = 'api/v1';

export interface CreateApiOptions {
  /** Store and read models to use; by default connected from the configuration. */
  infrastructure?: ApiInfrastructure;
  /** bcrypt cost of API keys; 12 unless a test lowers it. */
  bcryptCost?: number;
}

/** Builds the api application (not listening yet): routes under /api/v1, docs at /api/v1/docs. */
export async function createApi(
  config: DuffyConfig,
  options: CreateApiOptions = {},
): Promise<INestApplication> {
  const owns = options.infrastructure === undefined;
  const infra = options.infrastructure ?? (await connectApiInfrastructure(config));
  let app: INestApplication;
  try {
    app = await NestFactory.create(
      ApiModule.withConfig(config, infra, {
        bcryptCost: options.bcryptCost,
        ownsInfrastructure: owns,
      }),
      { logger: ['error', 'warn'], bodyParser: true },
    );
  } catch (error) {
    if (owns) await closeApiInfrastructure(infra);
    throw error;
  }
  app.enableShutdownHooks();
  app.use(requestId);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalFilters(new ProblemFilter());
  // Bounds first: the validation pipe's recursion must never see a body nested too deep.
  app.useGlobalPipes(new InputBoundsPipe(), validationPipe());
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, {
    jsonDocumentUrl: `${API_PREFIX}/openapi.json`,
  });
  return app;
}
