import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { dumpConfig } from './dump';
import { loadConfig, loadConfigOrThrow } from './load-config';
import { ConfigError, formatProblem } from './problems';
import { poolmapLookup, renderExtraVars } from './templates';

function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-load-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function messages(files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const dir = writeTree(files);
  const result = loadConfig({ paths: [dir], env });
  return { dir, ...result, messages: result.problems.map(formatProblem) };
}

const DEPLOY = path.resolve(__dirname, '../../../deploy/config');

describe('the example configs in deploy/config', () => {
  it.each(['embedded', 'compact', 'full'])('%s loads with zero problems', (mode) => {
    const { problems, warnings, sources, config } = loadConfig({
      paths: [path.join(DEPLOY, mode)],
      env: {},
    });
    expect(problems.map(formatProblem)).toEqual([]);
    expect(warnings).toEqual([]);
    expect(sources.length).toBeGreaterThan(3);
    expect(config.defaults).toEqual({
      sessionLifetimeMs: 6 * 3600_000,
      sessionLifetimeMaxMs: 12 * 3600_000,
      nodeQuota: 10,
      retries: {},
    });
    // duffy dev writes the embedded mode's client config for its admin tenant at start.
    if (mode !== 'embedded') expect(config.client?.url).toBe('http://127.0.0.1:8080/api/v1');
  });

  it('embedded: pglite and two static loopback pools', () => {
    const { config } = loadConfig({ paths: [path.join(DEPLOY, 'embedded')], env: {} });
    expect(config.eventstore).toEqual({
      type: 'pglite',
      url: undefined,
      path: path.resolve('.duffy'),
    });
    expect(config.filledPools().map((p) => p.name)).toEqual(['demo-small', 'demo-large']);
    const small = config.pool('demo-small')?.mechanism;
    expect(small?.type === 'static' && small.hosts.map((h) => h.ipaddr)).toEqual([
      '127.0.0.11',
      '127.0.0.12',
      '127.0.0.13',
      '127.0.0.14',
      '127.0.0.15',
    ]);
    const large = config.pool('demo-large')?.mechanism;
    expect(large?.type === 'static' && large.hosts.map((h) => h.ipaddr)).toEqual([
      '127.0.0.21',
      '127.0.0.22',
      '127.0.0.23',
    ]);
  });

  it('compact: the original example, ported to EJS', () => {
    const { config } = loadConfig({ paths: [path.join(DEPLOY, 'compact')], env: {} });
    expect(config.database).toEqual({ url: 'postgresql://duffy:change-me@127.0.0.1:5432/duffy' });
    expect(config.eventstore).toEqual({
      type: 'postgres',
      url: 'postgresql://duffy:change-me@127.0.0.1:5432/duffy',
      path: undefined,
    });
    expect(config.tasks).toEqual({
      fillPoolsIntervalMs: 300_000,
      expireSessionsIntervalMs: 300_000,
      natsUrl: 'nats://127.0.0.1:4222',
      natsServers: ['nats://127.0.0.1:4222'],
      natsReplicas: 1,
    });
    const virtual = config.pool('virtual-centos8stream-x86_64-small')!;
    const duffyIn = { nodes: [{ id: 1, hostname: null, ipaddr: null }] };
    expect(renderExtraVars(virtual, 'provision', duffyIn)).toEqual({
      nodepool: 'virtual-centos8stream-x86_64-small',
      template_name: 'duffy-centos8stream-x86_64-small',
      opennebula_endpoint: 'http://opennebula.example.invalid:2633/RPC2',
      opennebula_password: 'change-me',
      quantity: 1,
      duffy_in: duffyIn,
    });
    const mech = virtual.mechanism;
    expect(mech?.type === 'ansible' && mech.topdir).toBe(path.resolve(DEPLOY, '../../ansible'));
    const poolmap = config.metaclient!.poolmap;
    expect(poolmapLookup(poolmap, { ver: '8-stream', arch: 'x86_64' })).toBe(
      'physical-centos8stream-x86_64',
    );
    expect(poolmapLookup(poolmap, { ver: '9-stream', arch: 'aarch64' })).toBe(
      'virtual-centos9stream-aarch64-medium',
    );
  });

  it('full: eventstoredb events, postgres read models', () => {
    const { config } = loadConfig({ paths: [path.join(DEPLOY, 'full')], env: {} });
    expect(config.eventstore).toEqual({
      type: 'eventstoredb',
      url: 'esdb://127.0.0.1:2113?tls=false',
      path: undefined,
    });
  });

  it('uses only loopback addresses', () => {
    const text = ['embedded', 'compact', 'full']
      .flatMap((m) => fs.readdirSync(path.join(DEPLOY, m)).map((f) => path.join(DEPLOY, m, f)))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const ips = text.match(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g) ?? [];
    expect(ips.length).toBeGreaterThan(0);
    expect(ips.filter((ip) => !ip.startsWith('127.'))).toEqual([]);
  });
});

describe('validation problems name the file and key path', () => {
  it('reports a bad time delta, a missing required key and a negative fill-level', () => {
    const { dir, messages: got } = messages({
      '60_defaults.yaml': 'defaults: {session-lifetime: 2x, session-lifetime-max: 12h}\n',
      '70_nodepools.yaml':
        'nodepools:\n  concrete:\n    p: {fill-level: -3, mechanism: {type: static, static: {hosts: []}}}\n',
    });
    expect(got).toEqual([
      `${dir}/60_defaults.yaml: defaults.session-lifetime: invalid time delta '2x'`,
      `${dir}/60_defaults.yaml: defaults.node-quota: is required`,
      `${dir}/70_nodepools.yaml: nodepools.concrete.p.fill-level: must be an integer > 0`,
      `${dir}/70_nodepools.yaml: nodepools.concrete.p.mechanism.static.hosts: must list at least one host`,
    ]);
  });

  it('reports a missing key against the file that defined its parent mapping', () => {
    const { dir, messages: got } = messages({
      '10.yaml': 'defaults: {session-lifetime: 1h}\n',
      '20.yaml': 'defaults: {session-lifetime-max: 2h}\n',
    });
    expect(got).toEqual([`${dir}/20.yaml: defaults.node-quota: is required`]);
  });

  it('reports invalid YAML with its line, and keeps checking the other files', () => {
    const { dir, messages: got } = messages({
      '10_app.yaml': 'app:\n  port: 8080\n  host: "127.0.0.1\n',
      '20_client.yaml': 'client: {url: "http://127.0.0.1:8080", auth: {name: t, key: nope}}\n',
    });
    expect(got).toEqual([
      `${dir}/10_app.yaml: line 4, column 1: deficient indentation`,
      `${dir}/20_client.yaml: client.url: must be an http(s) URL ending in /api/v1`,
      `${dir}/20_client.yaml: client.auth.key: must be a UUID`,
    ]);
  });

  it('collects every problem of every section', () => {
    const { dir, messages: got } = messages({
      'all.yaml': [
        'bogus: 1',
        'app: {port: 70000, loglevel: loud, logging: {}, session-wait: soon, retries: {delay-backoff-factor: 0.5}}',
        'metaclient: {dest: "ftp://127.0.0.1", poolmap: [{ver: "8"}], mangle_hostname: "<% if ( %>"}',
        'tasks: {nats: {url: "http://127.0.0.1"}, periodic: {fill-pools: {interval: -1}, expire-sessions: {}}}',
        'database: {sqlalchemy: {echo: true}}',
        'eventstore: {type: eventstoredb}',
        'defaults: {session-lifetime: 1h, session-lifetime-max: 2h, node-quota: 0}',
      ].join('\n'),
    });
    const f = `${dir}/all.yaml`;
    expect(got).toEqual([
      `${f}: bogus: unknown key`,
      `${f}: app.port: must be an integer between 1 and 65535`,
      `${f}: app.loglevel: must be one of trace, debug, info, warning, error, critical (got 'loud')`,
      `${f}: app.logging: must be a logging mapping with version: 1`,
      `${f}: app.retries.delay-backoff-factor: must be a number >= 1`,
      `${f}: app.session-wait: invalid time delta 'soon'`,
      `${f}: metaclient.dest: must be an http(s) URL`,
      `${f}: metaclient.usermap: is required`,
      `${f}: metaclient.poolmap.0.pool: is required`,
      `${f}: tasks.periodic.fill-pools.interval: invalid time delta '-1'`,
      `${f}: tasks.nats.url: must be a nats:// URL, or several separated by commas`,
      `${f}: defaults.node-quota: must be an integer > 0`,
      `${f}: database.url: is required (or database.sqlalchemy.sync_url)`,
      `${f}: eventstore.url: is required`,
      `${f}: metaclient.mangle_hostname: invalid template: Unexpected token '}' while compiling ejs`,
    ]);
  });

  it('throws a ConfigError listing the problems from loadConfigOrThrow', () => {
    const dir = writeTree({
      'd.yaml': 'defaults: {session-lifetime: 1h, session-lifetime-max: 2h}\n',
    });
    let error: unknown;
    try {
      loadConfigOrThrow({ paths: [dir], env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `invalid configuration (1 problem):\n  ${dir}/d.yaml: defaults.node-quota: is required`,
    );
    expect((error as ConfigError).problems).toEqual([
      { file: `${dir}/d.yaml`, path: 'defaults.node-quota', message: 'is required' },
    ]);
  });
});

describe('compatibility and defaults', () => {
  it('applies defaults to an empty config', () => {
    const { config, problems } = messages({});
    expect(problems).toEqual([]);
    expect(config.app).toEqual({
      host: '127.0.0.1',
      port: 8080,
      loglevel: 'info',
      logging: undefined,
      retries: {},
      sessionWaitMs: 60_000,
    });
    expect(config.tasks.natsUrl).toBe('nats://127.0.0.1:4222');
    expect([
      config.client,
      config.metaclient,
      config.database,
      config.eventstore,
      config.defaults,
    ]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(config.pools).toEqual([]);
  });

  it("accepts the original's tasks.celery / tasks.locking with warnings, and derives database.url", () => {
    const { dir, config, problems, warnings } = messages({
      '30_tasks.yaml':
        'tasks:\n  celery: {broker_url: "redis://127.0.0.1:6379", result_backend: "redis://127.0.0.1:6379"}\n  locking: {url: "redis://127.0.0.1:6379"}\n',
      '40_database.yaml':
        'database:\n  sqlalchemy: {sync_url: "postgresql+psycopg2:///duffy", async_url: "postgresql+asyncpg:///duffy", echo: true}\n',
    });
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      `${dir}/30_tasks.yaml: tasks.celery: ignored (this implementation uses NATS, see tasks.nats.url)`,
      `${dir}/30_tasks.yaml: tasks.locking: ignored (this implementation uses NATS, see tasks.nats.url)`,
    ]);
    expect(config.database).toEqual({ url: 'postgresql:///duffy' });
    expect(config.eventstore).toEqual({ type: 'postgres', url: 'postgresql:///duffy' });
  });

  it('warns about Jinja templates left in ported configs', () => {
    const { dir, problems, warnings } = messages({
      'm.yaml': [
        'metaclient:',
        '  usermap: {k: t}',
        '  poolmap: [{pool: "physical-centos{{ ver | replace(\'-\', \'\') }}"}, {pool: "<%= ver %>"}]',
        'nodepools:',
        '  concrete:',
        '    p:',
        '      reuse-nodes: {architecture: "{{ architecture }}"}',
        '      mechanism: {type: static, static: {hosts: [{hostname: h.localhost, ipaddr: 127.0.0.5}]}}',
      ].join('\n'),
    });
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      `${dir}/m.yaml: nodepools.concrete.p.reuse-nodes.architecture: looks like Jinja ({{ … }}); templates are EJS (<%= … %>)`,
      `${dir}/m.yaml: metaclient.poolmap.0.pool: looks like Jinja ({{ … }}); templates are EJS (<%= … %>)`,
    ]);
  });

  it('lets app.retries override defaults.retries key by key', () => {
    const { config } = messages({
      'a.yaml':
        'defaults: {session-lifetime: 1h, session-lifetime-max: 2h, node-quota: 1, retries: {no-attempts: 3, delay-min: 1}}\napp: {retries: {delay-min: 0.5}}\n',
    });
    expect(config.app.retries).toEqual({ noAttempts: 3, delayMin: 0.5 });
  });
});

describe('dumpConfig', () => {
  it('masks secrets', () => {
    const dir = writeTree({
      'a.yaml': [
        'client: {url: "http://127.0.0.1:8080/api/v1", auth: {name: t, key: a8b9899d-b128-59a1-aa86-754920b7f5ed}}',
        'metaclient: {usermap: {k1: one, k2: two}, poolmap: []}',
        'database: {url: "postgresql://duffy:hunter2@127.0.0.1:5432/duffy"}',
        'nodepools:',
        '  concrete:',
        '    p:',
        '      mechanism:',
        '        type: ansible',
        '        ansible:',
        '          topdir: /srv',
        '          provision: {playbook: p.yml, extra-vars: {api_token: t0k, nested: {db_password: pw}}}',
        '          extra-vars: {cloud_secret: s3cr3t, user: admin}',
      ].join('\n'),
    });
    const { config, problems } = loadConfig({ paths: [dir], env: {} });
    expect(problems).toEqual([]);
    const dumped = yaml.load(dumpConfig(config, { maskSecrets: true }));
    expect(dumped).toEqual({
      client: { url: 'http://127.0.0.1:8080/api/v1', auth: { name: 't', key: '**********' } },
      metaclient: { usermap: { '**********1': 'one', '**********2': 'two' }, poolmap: [] },
      database: { url: 'postgresql://duffy:**********@127.0.0.1:5432/duffy' },
      nodepools: {
        concrete: {
          p: {
            mechanism: {
              type: 'ansible',
              ansible: {
                topdir: '/srv',
                provision: {
                  playbook: 'p.yml',
                  'extra-vars': { api_token: '**********', nested: { db_password: '**********' } },
                },
                'extra-vars': { cloud_secret: '**********', user: 'admin' },
              },
            },
          },
        },
      },
    });
    expect(dumpConfig(config, { maskSecrets: false })).toContain('hunter2');
    expect(dumpConfig(config)).not.toContain('hunter2');
  });
});
