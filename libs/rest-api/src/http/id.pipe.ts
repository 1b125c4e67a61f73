import { Injectable, PipeTransform } from '@nestjs/common';
import { Problem } from './problem';

/**
 * Path ids are ints (compat §1.1: `/sessions/abc` → 422). Ids beyond PostgreSQL's integer
 * range name nothing; they are passed on as -1 so lookups answer "not found" instead of a 500.
 */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[+-]?\d+$/.test(value)) {
      throw new Problem(422, 'validation_error', `id: value is not a valid integer: ${value}`);
    }
    const id = Number(value);
    return Number.isSafeInteger(id) && id >= 0 && id <= 2_147_483_647 ? id : -1;
  }
}
