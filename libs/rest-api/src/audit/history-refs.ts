import { IdPipe } from '../http/id.pipe';
import { Problem } from '../http/problem';

const ids = new IdPipe();
const DECIMAL = /^[0-9]+$/;

/**
 * `/nodes/{ref}/…` and `/tenants/{ref}/…` of the history endpoints: an id in plain decimal (as
 * IdPipe reads ids) or else a hostname / tenant name, so `duffy audit node n3.example.test`
 * needs no lookup first.
 */
export function idOrName(field: string, value: string): number | string {
  if (DECIMAL.test(value)) return ids.transform(value);
  if (value.length === 0 || value.length > 255) {
    throw new Problem(422, 'validation_error', `${field}: an id or a name of 1-255 characters`);
  }
  return value;
}
