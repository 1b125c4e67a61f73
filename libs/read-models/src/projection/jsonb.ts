import type { JsonText } from './rows';

/**
 * PostgreSQL's jsonb operators on parsed values, so a page can be folded in memory and still
 * store what `data::jsonb || $n::jsonb` and `data::jsonb - 'key'` stored. Key order and spacing
 * are left to PostgreSQL: the result is written through `::jsonb` (JsonText.viaJsonb).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json): v is { [key: string]: Json } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** `jsonb || jsonb`: objects merge (right wins), anything else concatenates as arrays. */
function concat(a: Json, b: Json): Json {
  if (isObject(a) && isObject(b)) return { ...a, ...b };
  const asArray = (v: Json): Json[] => (Array.isArray(v) ? v : [v]);
  return [...asArray(a), ...asArray(b)];
}

/** `jsonb - text`: drops an object's key, or an array's string elements equal to it. */
function remove(a: Json, key: string): Json {
  if (Array.isArray(a)) return a.filter((v) => v !== key);
  if (!isObject(a)) throw new Error('cannot delete from scalar');
  const { [key]: _dropped, ...rest } = a;
  return rest;
}

const parse = (j: JsonText): Json => JSON.parse(j.text) as Json;
/** What PostgreSQL receives for `JSON.stringify(value)::jsonb`. */
const asJsonb = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

export function jsonbMerge(data: JsonText, value: unknown): JsonText {
  return { text: JSON.stringify(jsonbConcat(parse(data), asJsonb(value))), viaJsonb: true };
}

export function jsonbDrop(data: JsonText, ...keys: string[]): JsonText {
  return { text: JSON.stringify(jsonbRemove(parse(data), ...keys)), viaJsonb: true };
}

/**
 * `jsonb || value` on parsed values (a value read back from JSON, as event data is): a long
 * fold keeps one value instead of text.
 */
export function jsonbConcat(data: Json, value: Json): Json {
  return concat(data, value);
}

/** `jsonb - key …` on a parsed value. */
export function jsonbRemove(data: Json, ...keys: string[]): Json {
  return keys.reduce(remove, data);
}

/** What PostgreSQL holds for a value stored as `JSON.stringify(value)`, parsed back. */
export const jsonValue = (value: unknown): Json => asJsonb(value);

/** A value stored as `JSON.stringify(value)::json`: verbatim. */
export function jsonVerbatim(value: unknown): JsonText {
  return { text: JSON.stringify(value), viaJsonb: false };
}
