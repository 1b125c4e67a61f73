import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI document of the api, built from the controllers and the libs/contracts DTOs. The
 * api serves it at /api/v1/openapi.json; `npm run openapi` writes it to docs/openapi.json.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Duffy')
      .setDescription('Duffy REST API v1: pools of CI test machines lent to tenants in sessions.')
      .setVersion('1')
      .addBasicAuth()
      .build(),
  );
}
