import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { TenantCredentials, TenantCredentialsLookup } from './tenant-credentials.port';

export type Verification =
  | { outcome: 'ok'; tenant: TenantCredentials }
  | { outcome: 'unauthorized' }
  | { outcome: 'forbidden'; tenant: TenantCredentials };

export interface CredentialVerifierOptions {
  /** Successful checks remembered; the oldest are forgotten first. */
  cacheSize?: number;
  /** bcrypt checks running at once: the rest wait, so bad keys cannot take every core. */
  maxConcurrentChecks?: number;
  /** Cost of the stand-in hash checked for unknown tenants; match the real keys' cost. */
  bcryptCost?: number;
}

/**
 * Checks tenant name + API key. The original ran bcrypt (cost 12) on every request — a CPU
 * denial of service — and skipped it for unknown names — a timing oracle (W-S5). Here a
 * verified key is remembered by the SHA-256 of the key together with the bcrypt hash it matched;
 * rotating the key changes the hash and so invalidates the entry at once, and retirement is read
 * fresh on every request. Unknown names are checked against a stand-in hash of the same cost, so
 * they take as long as wrong keys.
 */
export class CredentialVerifier {
  private readonly verified = new Map<string, string>();
  private readonly cacheSize: number;
  private readonly maxChecks: number;
  private readonly cost: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private standIn?: Promise<string>;

  constructor(
    private readonly lookup: TenantCredentialsLookup,
    options: CredentialVerifierOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
    this.maxChecks = options.maxConcurrentChecks ?? 4;
    this.cost = options.bcryptCost ?? 12;
  }

  async verify(name: string, key: string): Promise<Verification> {
    const tenant = await this.lookup.byName(name);
    if (!tenant) {
      await this.check(key, await this.standInHash());
      return { outcome: 'unauthorized' };
    }
    const cacheKey = `${name}\0${createHash('sha256').update(key).digest('hex')}`;
    if (this.verified.get(cacheKey) !== tenant.apiKeyHash) {
      if (!(await this.check(key, tenant.apiKeyHash))) return { outcome: 'unauthorized' };
      this.remember(cacheKey, tenant.apiKeyHash);
    }
    return tenant.retired ? { outcome: 'forbidden', tenant } : { outcome: 'ok', tenant };
  }

  private remember(cacheKey: string, hash: string): void {
    this.verified.delete(cacheKey);
    this.verified.set(cacheKey, hash);
    if (this.verified.size > this.cacheSize) {
      this.verified.delete(this.verified.keys().next().value as string);
    }
  }

  private standInHash(): Promise<string> {
    this.standIn ??= bcrypt.hash('no tenant has this key', this.cost);
    return this.standIn;
  }

  private async check(key: string, hash: string): Promise<boolean> {
    await this.acquire();
    try {
      return await bcrypt.compare(key, hash).catch(() => false);
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.running < this.maxChecks) {
      this.running++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r)); // the releaser hands its slot over
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
