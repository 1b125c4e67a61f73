import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { Problem } from './problem';

/** Deeper than any body the api defines (`nodes_specs.0.pool` is 3); room for node `data`. */
export const MAX_INPUT_DEPTH = 32;

/**
 * The api's one policy for what no request field may hold, checked on every body, query string
 * and path parameter before the DTO validation sees them:
 * - no NUL (U+0000) in any string or key: PostgreSQL can store neither in text nor in jsonb, so
 *   it would otherwise surface as a server fault;
 * - no nesting deeper than MAX_INPUT_DEPTH: class-transformer and class-validator recurse, and
 *   a 2 000-deep body overflows their stack.
 * A global pipe rather than a check per DTO so no field can be forgotten, and rather than a
 * middleware so it runs after authentication (credentials are answered first, as in the
 * original) and sees path parameters. The walk is iterative: it must not overflow itself.
 */
@Injectable()
export class InputBoundsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    checkInput(value, metadata.data ?? '');
    return value;
  }
}

/** Throws a 422 Problem naming the first field that holds a NUL or nests too deep. */
export function checkInput(value: unknown, rootPath = ''): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: rootPath, depth: 0 },
  ];
  while (stack.length > 0) {
    const { value: here, path, depth } = stack.pop()!;
    if (typeof here === 'string') {
      if (here.includes('\0')) throw nul(path || 'body');
      continue;
    }
    if (typeof here !== 'object' || here === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw new Problem(
        422,
        'too_deep',
        `${path || 'body'}: nested deeper than ${MAX_INPUT_DEPTH} levels`,
      );
    }
    for (const [key, child] of Object.entries(here)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\0')) throw nul(childPath);
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}

function nul(path: string): Problem {
  return new Problem(
    422,
    'validation_error',
    `${printable(path)}: must not contain NUL characters`,
  );
}

/** The field path goes into the answer; a NUL in a key must not go along. */
function printable(path: string): string {
  return path.replace(/\0/g, '\\u0000').slice(0, 200);
}
