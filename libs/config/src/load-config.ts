// The entry point: files → merge → DUFFY_* overrides → validation → typed config.
import { DuffyConfig, buildConfig, databaseUrl } from './config';
import { applyEnvOverrides } from './env-overrides';
import { loadRawConfig } from './loader';
import { Mapping, isMapping } from './merge';
import { buildPools, resolveTopdirs } from './pools';
import { ConfigError, ConfigProblem, KeyPath, joinPath } from './problems';
import type { Provenance } from './provenance';
import { ConfigSchema } from './schema/config.schema';
import { templateError } from './templates';
import { dedupeProblems, validateWith } from './validate';

export interface LoadConfigOptions {
  /** Files or directories; when absent or empty, /etc/duffy and ~/.config/duffy if they exist. */
  paths?: string[];
  /** Environment for DUFFY_* overrides and XDG_CONFIG_HOME (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface LoadedConfig {
  config: DuffyConfig;
  problems: ConfigProblem[];
  /** Accepted but ignored settings, for `config check`. */
  warnings: string[];
  /** Files read, in merge order. */
  sources: string[];
}

/** Cross-key rules the per-key schema cannot express. */
function crossChecks(raw: Mapping, provenance: Provenance, problems: ConfigProblem[]): void {
  const report = (at: KeyPath, message: string) =>
    problems.push({ file: provenance.sourceOf(at), path: joinPath(at), message });
  const db = raw.database;
  if (isMapping(db) && databaseUrl(raw) === undefined && db.url === undefined) {
    report(['database', 'url'], 'is required (or database.sqlalchemy.sync_url)');
  }
  const es = raw.eventstore;
  if (isMapping(es)) {
    const type = es.type ?? 'postgres';
    if (type === 'eventstoredb' && es.url === undefined)
      report(['eventstore', 'url'], 'is required');
    if (type === 'pglite' && es.path === undefined) report(['eventstore', 'path'], 'is required');
    if (type === 'postgres' && es.url === undefined && databaseUrl(raw) === undefined) {
      report(['eventstore', 'url'], 'is required (no database.url to default to)');
    }
  }
  const mc = raw.metaclient;
  if (isMapping(mc)) {
    if (typeof mc.mangle_hostname === 'string') {
      const err = templateError(mc.mangle_hostname);
      if (err) report(['metaclient', 'mangle_hostname'], err);
    }
    if (Array.isArray(mc.poolmap)) {
      mc.poolmap.forEach((e, i) => {
        if (isMapping(e) && typeof e.pool === 'string') {
          const err = templateError(e.pool);
          if (err) report(['metaclient', 'poolmap', i, 'pool'], err);
        }
        for (const sel of ['ver', 'arch', 'flavor']) {
          const s = isMapping(e) ? e[sel] : undefined;
          if (typeof s === 'string' && s.startsWith('^') && s.endsWith('$')) {
            try {
              new RegExp(s);
            } catch (err) {
              report(
                ['metaclient', 'poolmap', i, sel],
                `invalid regular expression: ${(err as Error).message}`,
              );
            }
          }
        }
      });
    }
  }
}

function ignoredWarnings(raw: Mapping, provenance: Provenance): string[] {
  const tasks = raw.tasks;
  if (!isMapping(tasks)) return [];
  return (['celery', 'locking'] as const)
    .filter((k) => tasks[k] !== undefined)
    .map(
      (k) =>
        `${provenance.sourceOf(['tasks', k])}: tasks.${k}: ignored (this implementation uses NATS, see tasks.nats.url)`,
    );
}

/** Every template string in the raw tree (pools' own keys, so inherited ones appear once). */
function templateSites(raw: Mapping): [KeyPath, string][] {
  const out: [KeyPath, string][] = [];
  const walk = (v: unknown, at: KeyPath) => {
    if (typeof v === 'string') out.push([at, v]);
    else if (isMapping(v)) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  const pools = isMapping(raw.nodepools) ? raw.nodepools : {};
  for (const kind of ['abstract', 'concrete']) {
    for (const [name, def] of Object.entries(isMapping(pools[kind]) ? pools[kind] : {})) {
      if (!isMapping(def)) continue;
      const at = ['nodepools', kind, name];
      const ansible = isMapping(def.mechanism) ? def.mechanism.ansible : undefined;
      if (isMapping(ansible)) {
        walk(ansible['extra-vars'], [...at, 'mechanism', 'ansible', 'extra-vars']);
        for (const pb of ['provision', 'deprovision']) {
          const v = ansible[pb];
          if (isMapping(v))
            walk(v['extra-vars'], [...at, 'mechanism', 'ansible', pb, 'extra-vars']);
        }
      }
      if (isMapping(def['reuse-nodes'])) walk(def['reuse-nodes'], [...at, 'reuse-nodes']);
    }
  }
  const mc = raw.metaclient;
  if (isMapping(mc)) {
    if (Array.isArray(mc.poolmap)) {
      mc.poolmap.forEach((e, i) => {
        if (isMapping(e) && typeof e.pool === 'string')
          out.push([['metaclient', 'poolmap', i, 'pool'], e.pool]);
      });
    }
    if (typeof mc.mangle_hostname === 'string') {
      out.push([['metaclient', 'mangle_hostname'], mc.mangle_hostname]);
    }
  }
  return out;
}

/** Configs ported from the original may still hold Jinja, which EJS leaves as literal text. */
function jinjaWarnings(raw: Mapping, provenance: Provenance): string[] {
  return templateSites(raw)
    .filter(([, s]) => /\{\{.*\}\}|\{%.*%\}/s.test(s))
    .map(
      ([at]) =>
        `${provenance.sourceOf(at)}: ${joinPath(at)}: looks like Jinja ({{ … }}); templates are EJS (<%= … %>)`,
    );
}

/** Never throws for bad config: problems come back in the result. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const { raw, provenance, problems, sources } = loadRawConfig(options.paths, env);
  applyEnvOverrides(raw, env, provenance, problems);
  resolveTopdirs(raw.nodepools, provenance);
  problems.push(
    ...validateWith(raw, ConfigSchema, (sub) => ({
      file: provenance.sourceOf(sub),
      path: joinPath(sub),
    })),
  );
  crossChecks(raw, provenance, problems);
  const pools = buildPools(raw.nodepools, provenance, problems);
  return {
    config: buildConfig(raw, pools),
    problems: dedupeProblems(problems),
    warnings: [...ignoredWarnings(raw, provenance), ...jinjaWarnings(raw, provenance)],
    sources,
  };
}

/** Like loadConfig, but a config with problems throws a ConfigError listing them. */
export function loadConfigOrThrow(options: LoadConfigOptions = {}): LoadedConfig {
  const loaded = loadConfig(options);
  if (loaded.problems.length > 0) throw new ConfigError(loaded.problems);
  return loaded;
}
