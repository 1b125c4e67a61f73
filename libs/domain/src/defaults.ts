/** Config `defaults.*` as plain numbers; passed in so the domain never reads config. */
export interface Defaults {
  nodeQuota: number;
  sessionLifetimeMs: number;
  sessionLifetimeMaxMs: number;
}
