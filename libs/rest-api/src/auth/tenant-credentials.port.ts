/** What authentication needs to know of a tenant; served by the tenants read model. */
export interface TenantCredentials {
  id: number;
  name: string;
  /** bcrypt hash of the API key; it changes whenever the key is rotated. */
  apiKeyHash: string;
  isAdmin: boolean;
  /** Reads what admins read; any write is refused (`read_only`). */
  isAuditor: boolean;
  retired: boolean;
}

export interface TenantCredentialsLookup {
  byName(name: string): Promise<TenantCredentials | undefined>;
  /** Lets go of connections the lookup holds, if any. */
  close?(): Promise<void>;
}
