// The legacy (Duffy v2 / cico) API's answers as the metaclient serves them (docs/legacy.md).
// Plain types, no imports beyond the REST bodies it translates.

/** `/Node/get` on success. */
export interface NodeGetBody {
  ssid: number;
  /** Hostnames, mangled by `metaclient.mangle-hostname`. */
  hosts: (string | null)[];
}

/** `/Inventory` with a key: one `[hostname, ssid]` per node of the tenant's active sessions. */
export type KeyedInventoryRow = [hostname: string | null, ssid: number];

/** `/Inventory` without a key: the old v2 row of each node of every active session. */
export type InventoryRow = [
  id: number,
  hostname: string | null,
  ipaddr: string | null,
  chassis: null,
  usedCount: 0,
  state: string | null,
  ssid: string,
  comment: null,
  distro: null,
  rel: null,
  ver: null,
  pool: string | null,
  console: null,
  flavor: null,
];

/** Refused credentials (403). */
export interface InvalidKeyBody {
  msg: 'Invalid duffy key';
}

/** The original's failure answers: 200 with one of these JSON strings. */
export type LegacyFailureText =
  | 'Failed to allocate nodes'
  | 'Failed to return nodes on completion'
  | 'Failed to change expiration time'
  | 'Failed to retrieve inventory of nodes'
  | 'Some parameters are absent';
