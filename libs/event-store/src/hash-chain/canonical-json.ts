/**
 * Deterministic JSON text of a value, the same for the object handed to append and for the
 * object read back from the store: PostgreSQL's jsonb reorders object keys, so keys are sorted
 * (recursively, by UTF-16 code unit, as Array.prototype.sort does). Everything else follows
 * JSON.stringify: `toJSON` is honoured, `undefined` / functions / symbols are dropped from
 * objects and become `null` in arrays, non-finite numbers become `null`, a BigInt throws.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '') ?? 'null';
}

function serialise(value: unknown, key: string): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as ToJson).toJSON === 'function'
  ) {
    value = (value as ToJson).toJSON(key);
  }
  // Boxed primitives (new Number(1), ...) serialise as their primitive, as JSON.stringify does.
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    value = value.valueOf();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: a BigInt has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const items = value.map((item, i) => serialise(item, String(i)) ?? 'null');
    return `[${items.join(',')}]`;
  }
  const object = value as Record<string, unknown>;
  const members: string[] = [];
  for (const name of Object.keys(object).sort()) {
    const text = serialise(object[name], name);
    if (text !== undefined) members.push(`${JSON.stringify(name)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

interface ToJson {
  toJSON(key: string): unknown;
}
