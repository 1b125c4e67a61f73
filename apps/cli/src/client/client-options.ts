import type { OptionSpec } from '../argv.js';

/** The `client` group's options (compat §7), shared by every client subcommand. */
export const CLIENT_OPTIONS: OptionSpec[] = [
  { name: 'url', value: 'URL', summary: 'API base URL incl. /api/v1 (else client.url)' },
  { name: 'auth-name', value: 'NAME', summary: 'tenant name (else client.auth.name)' },
  { name: 'auth-key', value: 'KEY', summary: 'API key (else client.auth.key)' },
  { name: 'format', value: 'FORMAT', summary: 'json (default), yaml or flat' },
];
