import { createHash } from 'node:crypto';
import { BcryptBusyError } from './bcrypt-runner.port';
import type { BcryptRunner } from './bcrypt-runner.port';
import type { FailedLoginLimiter } from './failed-login-limiter';
import { InlineBcrypt } from './inline-bcrypt';
import type { TenantCredentials, TenantCredentialsLookup } from './tenant-credentials.port';

export type Verification =
  | { outcome: 'ok'; tenant: TenantCredentials }
  | { outcome: 'unauthorized' }
  | { outcome: 'forbidden'; tenant: TenantCredentials }
  /** Too many failed logins for this name or address: not checked. */
  | { outcome: 'throttled'; retryAfterMs: number }
  /** Too many checks already waiting for bcrypt: not checked. */
  | { outcome: 'busy' };

export interface CredentialVerifierOptions {
  /** Successful checks remembered; the oldest are forgotten first. */
  cacheSize?: number;
  /** Where bcrypt runs; by default on this thread, at most `maxConcurrentChecks` at once. */
  runner?: BcryptRunner;
  /** bcrypt checks running at once on this thread when no runner is given. */
  maxConcurrentChecks?: number;
  /** Cost of the stand-in hash checked for unknown tenants; match the real keys' cost. */
  bcryptCost?: number;
  /** Counts failures per name and address; without it nothing is throttled. */
  limiter?: FailedLoginLimiter;
}

const STAND_IN_KEY = 'no tenant has this key';

/**
 * Checks tenant name + API key. The original ran bcrypt (cost 12) on every request — a CPU
 * denial of service — and skipped it for unknown names — a timing oracle (W-S5). Here a
 * verified key is remembered by the SHA-256 of the key together with the bcrypt hash it matched;
 * rotating the key changes the hash and so invalidates the entry at once, and retirement is read
 * fresh on every request. A remembered key is accepted before the failed-login limiter is asked,
 * so attackers cannot lock out a client that already logged in. Everything else asks the limiter
 * first and then runs one bcrypt check in the runner (a worker pool in the api): unknown names
 * are checked against a stand-in hash of the same cost, so they take as long as wrong keys.
 */
export class CredentialVerifier {
  private readonly verified = new Map<string, string>();
  private readonly cacheSize: number;
  private readonly cost: number;
  private readonly runner: BcryptRunner;
  private readonly limiter?: FailedLoginLimiter;
  private standIn?: Promise<string>;

  constructor(
    private readonly lookup: TenantCredentialsLookup,
    options: CredentialVerifierOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
    this.cost = options.bcryptCost ?? 12;
    this.runner = options.runner ?? new InlineBcrypt(options.maxConcurrentChecks ?? 4);
    this.limiter = options.limiter;
    // Ready before the first unknown name, which would otherwise also pay for the hash.
    void this.standInHash().catch(() => undefined);
  }

  /** `address`: the client's, for the per-address limit (undefined: not counted by address). */
  async verify(name: string, key: string, address?: string): Promise<Verification> {
    const tenant = await this.lookup.byName(name);
    const cacheKey = `${name}\0${createHash('sha256').update(key).digest('hex')}`;
    if (tenant && this.verified.get(cacheKey) === tenant.apiKeyHash) return this.accepted(tenant);
    const retryAfterMs = await this.limiter?.reserve(name, address);
    if (retryAfterMs !== undefined) return { outcome: 'throttled', retryAfterMs };
    let matches: boolean;
    try {
      matches = await this.runner.compare(key, tenant?.apiKeyHash ?? (await this.standInHash()));
    } catch (error) {
      await this.limiter?.release(name, address); // not checked: not a failure
      if (error instanceof BcryptBusyError) return { outcome: 'busy' };
      throw error;
    }
    if (!tenant || !matches) return { outcome: 'unauthorized' }; // the reserved point stays
    await this.limiter?.release(name, address);
    this.remember(cacheKey, tenant.apiKeyHash);
    return this.accepted(tenant);
  }

  async close(): Promise<void> {
    await Promise.all([this.runner.close(), this.lookup.close?.()]);
  }

  private accepted(tenant: TenantCredentials): Verification {
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
    // Forgotten on failure (a full queue), so a later request computes it again.
    this.standIn ??= this.runner.hash(STAND_IN_KEY, this.cost).catch((error: unknown) => {
      this.standIn = undefined;
      throw error;
    });
    return this.standIn;
  }
}
