import type { ReadModelChanges } from '@app/read-models';
import type { TenantCredentials, TenantCredentialsLookup } from './tenant-credentials.port';

const DEFAULT_SIZE = 10_000;

/**
 * Keeps the tenants found by name as long as the read models have not changed since: a lookup
 * per request cost a database round trip (issue 14). An entry is used only while `changes`
 * reports the version it was read at, so a retirement, key rotation or admin flag change counts
 * from the first request after its checkpoint is notified (or read by this process, as
 * read-your-writes does); with no notification connection nothing is kept. Unknown names are
 * not kept (they cost a bcrypt check anyway, and must not fill the cache). Keys are not seen
 * here at all: the verifier still compares each request's key.
 */
export class CachedCredentials implements TenantCredentialsLookup {
  private readonly entries = new Map<string, TenantCredentials>();
  private entriesVersion: number | undefined;

  constructor(
    private readonly lookup: TenantCredentialsLookup,
    private readonly changes: ReadModelChanges,
    private readonly size = DEFAULT_SIZE,
  ) {}

  async byName(name: string): Promise<TenantCredentials | undefined> {
    const version = this.changes.version();
    this.forgetUnless(version);
    const kept = version === undefined ? undefined : this.entries.get(name);
    if (kept) return kept;
    const found = await this.lookup.byName(name);
    // Kept only if nothing changed while it was read: the row may predate the change.
    if (found && version !== undefined && this.changes.version() === version) {
      this.forgetUnless(version);
      this.remember(name, Object.freeze({ ...found }));
    }
    return found;
  }

  close(): Promise<void> {
    return this.lookup.close?.() ?? Promise.resolve();
  }

  private forgetUnless(version: number | undefined): void {
    if (version === this.entriesVersion) return;
    this.entries.clear();
    this.entriesVersion = version;
  }

  private remember(name: string, credentials: TenantCredentials): void {
    this.entries.set(name, credentials);
    if (this.entries.size > this.size) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}
