// YAML dump of the merged config (`duffy config dump`), secrets masked by default.
import * as yaml from 'js-yaml';
import { DuffyConfig } from './config';
import { Mapping, deepClone, isMapping } from './merge';

export const MASK = '**********';
const SECRET_KEY = /password|secret|token/i;

export interface DumpOptions {
  maskSecrets?: boolean;
}

/** Replaces the password of any URL-looking string. */
function maskUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@/\s]+)@/i, `$1${MASK}@`);
}

function maskTree(value: unknown): unknown {
  if (typeof value === 'string') return maskUrl(value);
  if (Array.isArray(value)) return value.map(maskTree);
  if (!isMapping(value)) return value;
  const out: Mapping = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== null && !isMapping(v) ? MASK : maskTree(v);
  }
  return out;
}

export function maskSecrets(raw: Mapping): Mapping {
  const out = maskTree(deepClone(raw)) as Mapping;
  const client = out.client;
  if (isMapping(client) && isMapping(client.auth) && client.auth.key !== undefined) {
    client.auth.key = MASK;
  }
  const mc = out.metaclient;
  if (isMapping(mc) && isMapping(mc.auth) && mc.auth.key !== undefined) mc.auth.key = MASK;
  if (isMapping(mc) && isMapping(mc.usermap)) {
    // Legacy keys are the secrets here; numbered so several masked keys stay distinct.
    const entries = Object.values(mc.usermap);
    mc.usermap = Object.fromEntries(
      entries.map((tenant, i) => [entries.length === 1 ? MASK : `${MASK}${i + 1}`, tenant]),
    );
  }
  return out;
}

export function dumpConfig(input: DuffyConfig | Mapping, options: DumpOptions = {}): string {
  const raw = input instanceof DuffyConfig ? input.raw : input;
  const tree = options.maskSecrets === false ? raw : maskSecrets(raw);
  return yaml.dump(tree, { noRefs: true });
}
