/**
 * The errors PostgreSQL raised when the per-event statements met a log they cannot project
 * (a second TenantCreated, ...): the fold raises them too, so such a page still fails instead
 * of making rows the per-event projection never made.
 */
export function duplicateKey(constraint: string, key: string): Error {
  return new Error(
    `duplicate key value violates unique constraint "${constraint}" (Key ${key} already exists)`,
  );
}

export function missingRow(constraint: string, key: string): Error {
  return new Error(`insert violates foreign key constraint "${constraint}" (Key ${key})`);
}
