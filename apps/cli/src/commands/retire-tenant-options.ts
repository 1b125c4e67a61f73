import type { OptionSpec } from '../argv.js';

/** `retire-tenant`'s options, the same for `duffy admin` and `duffy client`. */
export const RETIRE_TENANT_OPTIONS: OptionSpec[] = [
  { name: 'retire', summary: 'retire (default)' },
  { name: 'unretire', summary: 'reactivate' },
];
