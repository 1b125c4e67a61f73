/** Schema names go into SQL text (identifiers cannot be parameters), so only plain ones pass. */
export function checkedSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(`invalid event store schema name: ${JSON.stringify(schema)}`);
  }
  return schema;
}

export const DEFAULT_SCHEMA = 'event_store';

/** Channel the append function NOTIFYs after every append. */
export function notifyChannel(schema: string): string {
  return `${schema}_appended`;
}
