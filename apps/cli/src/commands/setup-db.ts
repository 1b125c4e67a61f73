import type { Command } from '../command.js';
import { serverCommand } from './serve-built-app.js';

/** `duffy setup-db [--test-data]`: event store schema and read-model tables in PostgreSQL. */
export const setupDb: Command = serverCommand({
  words: ['setup-db'],
  summary: 'create the event store schema and the read-model tables (refuses if present)',
  options: [
    { name: 'test-data', summary: 'also create the test tenants admin and tenant' },
    { name: 'no-test-data', summary: 'no test data (default)' },
  ],
});
