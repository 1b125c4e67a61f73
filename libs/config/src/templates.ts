// EJS templates from operator config (never tenant input): extra-vars, reuse-nodes, poolmap,
// mangle_hostname. Compiled once, rendered with a stringify-only escape (no HTML escaping).
import ejs from 'ejs';
import { Mapping, isMapping } from './merge';
import type { NodePool, PoolmapEntry } from './model';

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Render = (data: Record<string, unknown>) => string;

const stringify = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

// A string that is exactly one `<%= expr %>` tag keeps the expression's type.
const WHOLE_TAG = /^<%=([\s\S]*)%>$/;
const isWholeTag = (s: string): boolean => {
  const m = WHOLE_TAG.exec(s);
  return m !== null && !m[1].includes('%>') && !m[1].includes('<%');
};

const cache = new Map<string, Render>();
let captured: unknown;

function compile(source: string, typed: boolean): Render {
  const key = (typed ? 'T' : 'S') + source;
  let fn = cache.get(key);
  if (!fn) {
    // The typed variant's escape sees the raw value of its single tag and records it.
    const escape = typed
      ? (v: unknown) => {
          captured = v;
          return '';
        }
      : stringify;
    fn = ejs.compile(source, { escape, _with: true, strict: false }) as unknown as Render;
    cache.set(key, fn);
  }
  return fn;
}

/** EJS runtime errors start with a source excerpt (`ejs:1 >> …`) and end with the reason. */
function reason(e: unknown): string {
  const lines = String((e as Error).message ?? e)
    .split('\n')
    .filter((l) => l.trim() !== '');
  return (lines[0]?.startsWith('ejs:') ? lines[lines.length - 1] : lines[0]) ?? String(e);
}

/** Null when `source` compiles, else the reason (used to validate config at load time). */
export function templateError(source: string): string | null {
  try {
    compile(source, false);
    if (isWholeTag(source)) compile(source, true);
    return null;
  } catch (e) {
    return `invalid template: ${reason(e)}`;
  }
}

/** Renders to a string. */
export function renderTemplate(source: string, data: Record<string, unknown>): string {
  try {
    return compile(source, false)(data);
  } catch (e) {
    throw new TemplateError(`cannot render template '${source}': ${reason(e)}`);
  }
}

/** Renders keeping the type of a whole-string `<%= expr %>`; mixed strings become strings. */
export function renderTyped(source: string, data: Record<string, unknown>): unknown {
  if (!isWholeTag(source)) return renderTemplate(source, data);
  try {
    captured = undefined;
    compile(source, true)(data);
    const value = captured;
    captured = undefined;
    return value;
  } catch (e) {
    throw new TemplateError(`cannot render template '${source}': ${reason(e)}`);
  }
}

/** Strings rendered recursively inside mappings; lists and other scalars pass through. */
function renderMapping(vars: Mapping, data: Record<string, unknown>): Mapping {
  const out: Mapping = {};
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'string') out[k] = renderTyped(v, data);
    else if (isMapping(v)) out[k] = renderMapping(v, data);
    else out[k] = v;
  }
  return out;
}

/** The data a pool's templates see: every key of its effective dict, and the dict as `pool`. */
export function poolTemplateData(pool: NodePool, extra: Mapping = {}): Record<string, unknown> {
  return { ...pool.dict, pool: pool.dict, ...extra };
}

/**
 * Extra vars for a playbook run (compat §4.6): `ansible.extra-vars` ← `ansible.<kind>.extra-vars`
 * ← `{duffy_in}`, shallow. duffy_in is added after rendering: it carries node data, not templates.
 */
export function renderExtraVars(
  pool: NodePool,
  kind: 'provision' | 'deprovision',
  duffyIn: unknown,
): Mapping {
  const mech = pool.mechanism;
  if (!mech || mech.type !== 'ansible') {
    throw new TemplateError(`pool '${pool.name}' has no ansible mechanism`);
  }
  const own = kind === 'provision' ? mech.provision : mech.deprovision;
  const vars = { ...mech.extraVars, ...(own?.extraVars ?? {}) };
  delete vars.duffy_in;
  const rendered = renderMapping(vars, poolTemplateData(pool, { duffy_in: duffyIn }));
  return { ...rendered, duffy_in: duffyIn };
}

/** reuse-nodes with string values rendered against the pool dict; ints are kept. */
export function renderReuseNodes(pool: NodePool): false | Record<string, string | number> {
  if (pool.reuseNodes === false) return false;
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(pool.reuseNodes)) {
    out[k] = typeof v === 'string' ? renderTemplate(v, poolTemplateData(pool)) : v;
  }
  return out;
}

export interface PoolmapRequest {
  ver?: string | null;
  arch?: string | null;
  flavor?: string | null;
}

const SELECTORS = ['ver', 'arch', 'flavor'] as const;

function selectorMatches(selector: string, value: string): boolean {
  if (selector.startsWith('^') && selector.endsWith('$')) {
    // The pattern is anchored by its own ^ … $; test() then matches from the start.
    return new RegExp(selector).test(value);
  }
  return selector === value;
}

/** compat §6.3: first entry whose set selectors all match; its rendered `pool`, else null. */
export function poolmapLookup(poolmap: PoolmapEntry[], request: PoolmapRequest): string | null {
  const values: Record<string, string | undefined> = {};
  for (const s of SELECTORS) values[s] = request[s] ?? undefined;
  for (const entry of poolmap) {
    const ok = SELECTORS.every((s) => {
      const selector = entry[s];
      if (selector === undefined || selector === null || selector === '') return true;
      const value = values[s];
      return value !== undefined && selectorMatches(selector, value);
    });
    if (ok) return renderTemplate(entry.pool, values);
  }
  return null;
}

/** compat §6.3: unchanged without a template (null stays null), else rendered with `hostname`. */
export function mangleHostname(
  template: string | undefined | null,
  hostname: string | null,
): string | null {
  if (!template) return hostname;
  return renderTemplate(template, { hostname: hostname ?? '' });
}
