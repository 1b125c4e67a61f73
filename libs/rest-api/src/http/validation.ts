import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { Problem } from './problem';

/**
 * Bodies only. Path params and query strings reach their own parsers (IdPipe, parseRunListQuery)
 * as the strings that came: the ValidationPipe's `transform` would first turn an `id: number`
 * param through Number(), so `0x10`, `1e3` and `+1` arrived at IdPipe as valid numbers.
 */
class BodyValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body') return Promise.resolve(value);
    return super.transform(value, metadata);
  }
}

/**
 * Request bodies are validated against their DTOs; a failure is a 422 whose detail names every
 * offending field by its path (`nodes_specs.0.quantity: ...`). The original answered with a
 * pydantic error list that its own client could not print (W-L3); a string can be.
 */
export function validationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) =>
      new Problem(422, 'validation_error', describeValidationErrors(errors)),
  });
}

export function describeValidationErrors(errors: ValidationError[], prefix = ''): string {
  const lines: string[] = [];
  const walk = (list: ValidationError[], path: string) => {
    for (const e of list) {
      const here = path ? `${path}.${e.property}` : e.property;
      for (const text of Object.values(e.constraints ?? {})) lines.push(`${here}: ${text}`);
      if (e.children?.length) walk(e.children, here);
    }
  };
  walk(errors, prefix);
  return lines.join('; ') || 'invalid request';
}
