/**
 * Whether Duffy puts the tenant's SSH key on a pool's nodes (and so must take it off again):
 * every pool does unless it says `contextualize: false`; a pool missing from the configuration
 * keeps the default.
 */
export function poolWantsTenantKey(pool: { dict: Record<string, unknown> } | undefined): boolean {
  return pool?.dict.contextualize !== false;
}
