import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { DuffyConfig } from '@app/config';
import { ApiModule } from './app.module';
import { ProblemFilter } from './http/problem.filter';
import { requestId } from './http/request-id.middleware';
import { validationPipe } from './http/validation';

export const API_PREFIX = 'api/v1';

/** Builds the api application (not listening yet): routes under /api/v1, docs at /api/v1/docs. */
export async function createApi(config: DuffyConfig): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.withConfig(config), { logger: ['error', 'warn'] });
  app.use(requestId);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(validationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Duffy')
      .setDescription('Duffy REST API v1: pools of CI test machines lent to tenants in sessions.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, {
    jsonDocumentUrl: `${API_PREFIX}/openapi.json`,
  });
  return app;
}
