// Node pools (compat §3.2): one namespace for abstract and concrete pools, `extends` resolved in
// any order (the original needed parents defined first), checks on the effective dicts.
import * as path from 'path';
import { Mapping, deepClone, deepMerge, isMapping } from './merge';
import type { MechanismConfig, NodePool, PlaybookConfig } from './model';
import { ConfigProblem, KeyPath, joinPath } from './problems';
import type { Provenance } from './provenance';
import { PoolSchema } from './schema/pool.schema';
import { templateError } from './templates';
import { Locate, validateWith } from './validate';

const KINDS = ['abstract', 'concrete'] as const;
type Kind = (typeof KINDS)[number];

interface Definition {
  name: string;
  kind: Kind;
  at: KeyPath;
  own: Mapping;
  parents: string[];
}

interface Resolved {
  dict: Mapping;
  /** Key path inside the dict → config path of the pool that set it. */
  origins: Map<string, KeyPath>;
}

const SEP = '\u0000';
const subKey = (p: KeyPath): string => p.map(String).join(SEP);

/** Relative `mechanism.ansible.topdir` → absolute, against the directory of the file that set it. */
export function resolveTopdirs(nodepools: unknown, provenance: Provenance): void {
  if (!isMapping(nodepools)) return;
  for (const kind of KINDS) {
    const pools = nodepools[kind];
    if (!isMapping(pools)) continue;
    for (const [name, def] of Object.entries(pools)) {
      const mech = isMapping(def) ? def.mechanism : undefined;
      const ansible = isMapping(mech) ? mech.ansible : undefined;
      if (!isMapping(ansible) || typeof ansible.topdir !== 'string') continue;
      if (ansible.topdir === '' || path.isAbsolute(ansible.topdir)) continue;
      const source = provenance.sourceOf([
        'nodepools',
        kind,
        name,
        'mechanism',
        'ansible',
        'topdir',
      ]);
      const base = path.isAbsolute(source) ? path.dirname(source) : process.cwd();
      ansible.topdir = path.resolve(base, ansible.topdir);
    }
  }
}

function collect(nodepools: Mapping, provenance: Provenance, problems: ConfigProblem[]) {
  const defs = new Map<string, Definition>();
  for (const kind of KINDS) {
    const pools = nodepools[kind];
    if (!isMapping(pools)) continue;
    for (const [name, own] of Object.entries(pools)) {
      const at = ['nodepools', kind, name];
      const report = (sub: KeyPath, message: string) =>
        problems.push({
          file: provenance.sourceOf([...at, ...sub]),
          path: joinPath([...at, ...sub]),
          message,
        });
      const prior = defs.get(name);
      if (prior) {
        report([], `duplicate pool name (also defined as ${joinPath(prior.at)})`);
        continue;
      }
      if (!isMapping(own)) {
        report([], 'must be a mapping');
        continue;
      }
      let parents: string[] = [];
      const ext = own.extends;
      if (typeof ext === 'string') parents = [ext];
      else if (Array.isArray(ext) && ext.every((p) => typeof p === 'string')) parents = ext;
      else if (ext !== undefined && ext !== null) {
        report(['extends'], 'must be a pool name or a list of pool names');
      }
      defs.set(name, { name, kind, at, own, parents });
    }
  }
  return defs;
}

function resolveAll(
  defs: Map<string, Definition>,
  provenance: Provenance,
  problems: ConfigProblem[],
): Map<string, Resolved> {
  const done = new Map<string, Resolved>();
  const stack: string[] = [];

  const resolve = (def: Definition): Resolved => {
    const hit = done.get(def.name);
    if (hit) return hit;
    stack.push(def.name);
    let dict: Mapping = {};
    const origins = new Map<string, KeyPath>();
    const extendsAt = [...def.at, 'extends'];
    const report = (message: string) =>
      problems.push({ file: provenance.sourceOf(extendsAt), path: joinPath(extendsAt), message });
    for (const parentName of def.parents) {
      const parent = defs.get(parentName);
      if (!parent) {
        report(`unknown pool '${parentName}'`);
        continue;
      }
      const loop = stack.indexOf(parentName);
      if (loop >= 0) {
        const cycle = [...stack.slice(loop), parentName];
        const first = defs.get(cycle[0])!;
        const at = [...first.at, 'extends'];
        problems.push({
          file: provenance.sourceOf(at),
          path: joinPath(at),
          message: `cycle ${cycle.join(' -> ')}`,
        });
        continue;
      }
      const resolved = resolve(parent);
      dict = deepMerge(dict, resolved.dict);
      markOrigins(
        resolved.dict,
        [],
        (sub) => resolved.origins.get(subKey(sub)) ?? parent.at,
        origins,
      );
    }
    const own = deepClone(def.own);
    delete own.extends;
    dict = deepMerge(dict, own);
    markOrigins(own, [], () => def.at, origins);
    dict.name = def.name; // always the pool's own name
    stack.pop();
    const result = { dict, origins };
    done.set(def.name, result);
    return result;
  };

  for (const def of defs.values()) resolve(def);
  return done;
}

function markOrigins(
  value: Mapping,
  at: KeyPath,
  originOf: (sub: KeyPath) => KeyPath,
  out: Map<string, KeyPath>,
): void {
  for (const [k, v] of Object.entries(value)) {
    const sub = [...at, k];
    out.set(subKey(sub), originOf(sub));
    if (isMapping(v)) markOrigins(v, sub, originOf, out);
  }
}

/** Walks a pool's template strings (extra-vars mappings and reuse-nodes values). */
function templateStrings(dict: Mapping): [KeyPath, string][] {
  const out: [KeyPath, string][] = [];
  const walk = (v: unknown, at: KeyPath) => {
    if (typeof v === 'string') out.push([at, v]);
    else if (isMapping(v)) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  const mech = dict.mechanism;
  const ansible = isMapping(mech) ? mech.ansible : undefined;
  if (isMapping(ansible)) {
    walk(ansible['extra-vars'], ['mechanism', 'ansible', 'extra-vars']);
    for (const kind of ['provision', 'deprovision']) {
      const pb = ansible[kind];
      if (isMapping(pb)) walk(pb['extra-vars'], ['mechanism', 'ansible', kind, 'extra-vars']);
    }
  }
  const reuse = dict['reuse-nodes'];
  if (isMapping(reuse)) {
    for (const [k, v] of Object.entries(reuse)) {
      if (typeof v === 'string') out.push([['reuse-nodes', k], v]);
    }
  }
  return out;
}

/** Keys a concrete pool must end up with; reported on the concrete pool itself. */
function missingKeys(dict: Mapping): KeyPath[] {
  const missing: KeyPath[] = [];
  const mech = dict.mechanism;
  if (!isMapping(mech)) return mech === undefined || mech === null ? [['mechanism']] : [];
  if (mech.type === undefined || mech.type === null) return [['mechanism', 'type']];
  if (mech.type === 'ansible') {
    const a = mech.ansible;
    if (a === undefined || a === null) return [['mechanism', 'ansible']];
    if (!isMapping(a)) return [];
    if (a.topdir === undefined || a.topdir === null)
      missing.push(['mechanism', 'ansible', 'topdir']);
    if (a.provision === undefined || a.provision === null) {
      missing.push(['mechanism', 'ansible', 'provision']);
    } else if (isMapping(a.provision) && !a.provision.playbook) {
      missing.push(['mechanism', 'ansible', 'provision', 'playbook']);
    }
  } else if (mech.type === 'static') {
    const s = mech.static;
    if (s === undefined || s === null) missing.push(['mechanism', 'static']);
    else if (isMapping(s) && (s.hosts === undefined || s.hosts === null)) {
      missing.push(['mechanism', 'static', 'hosts']);
    }
  }
  return missing;
}

const asMapping = (v: unknown): Mapping => (isMapping(v) ? v : {});

function playbook(v: unknown): PlaybookConfig | null {
  if (!isMapping(v) || typeof v.playbook !== 'string' || v.playbook === '') return null;
  return { playbook: v.playbook, extraVars: asMapping(v['extra-vars']) };
}

function mechanismOf(dict: Mapping): MechanismConfig | undefined {
  const mech = asMapping(dict.mechanism);
  if (mech.type === 'ansible') {
    const a = asMapping(mech.ansible);
    const provision = playbook(a.provision);
    if (typeof a.topdir !== 'string' || !provision) return undefined;
    return {
      type: 'ansible',
      topdir: a.topdir,
      extraVars: asMapping(a['extra-vars']),
      provision,
      deprovision: playbook(a.deprovision),
    };
  }
  if (mech.type === 'static') {
    const hosts = asMapping(mech.static).hosts;
    if (!Array.isArray(hosts)) return undefined;
    return {
      type: 'static',
      hosts: hosts.filter(isMapping).map((h) => ({
        hostname: String(h.hostname),
        ipaddr: String(h.ipaddr),
      })),
    };
  }
  return undefined;
}

function toPool(name: string, kind: Kind, dict: Mapping): NodePool {
  const fill = dict['fill-level'];
  const reuse = dict['reuse-nodes'];
  return {
    name,
    kind,
    dict,
    fillLevel: Number.isInteger(fill) && (fill as number) > 0 ? (fill as number) : undefined,
    reuseNodes: isMapping(reuse) ? (reuse as Record<string, string | number>) : false,
    runParallel: dict['run-parallel'] !== false,
    mechanism: mechanismOf(dict),
  };
}

/** Resolves and checks every pool; returns them in config order (abstract, then concrete). */
export function buildPools(
  nodepools: unknown,
  provenance: Provenance,
  problems: ConfigProblem[],
): NodePool[] {
  if (!isMapping(nodepools)) return [];
  const defs = collect(nodepools, provenance, problems);
  const resolved = resolveAll(defs, provenance, problems);
  const pools: NodePool[] = [];
  for (const def of defs.values()) {
    const { dict, origins } = resolved.get(def.name)!;
    const locate: Locate = (sub) => {
      for (let n = sub.length; n > 0; n--) {
        const origin = origins.get(subKey(sub.slice(0, n)));
        if (origin) {
          const full = [...origin, ...sub];
          return { file: provenance.sourceOf(full), path: joinPath(full) };
        }
      }
      return { file: provenance.sourceOf(def.at), path: joinPath([...def.at, ...sub]) };
    };
    problems.push(...validateWith(dict, PoolSchema, locate));
    for (const [sub, source] of templateStrings(dict)) {
      const err = templateError(source);
      if (err) problems.push({ ...locate(sub), message: err });
    }
    if (def.kind === 'concrete') {
      for (const sub of missingKeys(dict)) {
        // Reported on the concrete pool, in the file that set the nearest existing parent.
        const parent = locate(sub.slice(0, -1));
        problems.push({
          file: sub.length > 1 ? parent.file : provenance.sourceOf(def.at),
          path: joinPath([...def.at, ...sub]),
          message: 'is required',
        });
      }
    }
    pools.push(toPool(def.name, def.kind, dict));
  }
  return pools;
}
