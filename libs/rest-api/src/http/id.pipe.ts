import { Injectable, PipeTransform } from '@nestjs/common';
import { Problem } from './problem';

/** Decimal digits only: no sign, exponent, hex prefix, blanks, underscores or fraction. */
const DECIMAL = /^[0-9]+$/;

/**
 * Path ids are ints (compat §1.1: `/sessions/abc` → 422), written in plain decimal. Leading zeros
 * are kept as the original's int parsing read them (`/sessions/007` is session 7); `+1`, `-1`,
 * ` 1`, `1e3`, `0x10`, `1_0` and `1.0` are refused (see docs/compat.md). Ids beyond PostgreSQL's
 * integer range name nothing; they are passed on as -1 so lookups answer "not found", not a 500.
 */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!DECIMAL.test(value)) {
      throw new Problem(
        422,
        'validation_error',
        `id: value is not a valid integer: ${value.slice(0, 100)}`,
      );
    }
    // Number() of a long run of digits is inexact but still far above the integer range.
    const id = Number(value);
    return id <= 2_147_483_647 ? id : -1;
  }
}
