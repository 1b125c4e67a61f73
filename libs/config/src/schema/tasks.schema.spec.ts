import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../load-config';
import { formatProblem } from '../problems';

/** `tasks.nats.prefix` names JetStream streams, subjects and durables: only safe tokens pass. */
describe('tasks.nats.prefix', () => {
  const load = (prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-nats-prefix-'));
    fs.writeFileSync(
      path.join(dir, 'c.yaml'),
      'defaults: {session-lifetime: 1h, session-lifetime-max: 2h, node-quota: 1}\n' +
        `tasks: {nats: {url: "nats://127.0.0.1:4222", prefix: ${JSON.stringify(prefix)}}}\n`,
    );
    const { config, problems } = loadConfig({ paths: [dir], env: {} });
    return { config, problems: problems.map(formatProblem).map((p) => p.replace(/^.*?: /, '')) };
  };

  it.each(['prod', 'ci-2', 'a_b', '0123456789ab'])('accepts %s', (prefix) => {
    const { config, problems } = load(prefix);
    expect(problems).toEqual([]);
    expect((config.raw.tasks as { nats: { prefix: string } }).nats.prefix).toBe(prefix);
  });

  it.each(['', 'a.b', 'a*', 'a>', 'with space', 'UPPER', '-lead', 'x'.repeat(41)])(
    'refuses %j',
    (prefix) => {
      expect(load(prefix).problems).toEqual([
        "tasks.nats.prefix: must be 1-40 of a-z, 0-9, '_' and '-', starting with a letter or digit",
      ]);
    },
  );
});

/** `tasks.periodic.purge-stale-nodes`: off unless configured; both deltas above zero. */
describe('tasks.periodic.purge-stale-nodes', () => {
  const load = (section: string | null) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-purge-stale-'));
    fs.writeFileSync(
      path.join(dir, 'c.yaml'),
      'defaults: {session-lifetime: 1h, session-lifetime-max: 2h, node-quota: 1}\n' +
        (section === null ? '' : `tasks: {periodic: {purge-stale-nodes: ${section}}}\n`),
    );
    const { config, problems } = loadConfig({ paths: [dir], env: {} });
    return { config, problems: problems.map(formatProblem).map((p) => p.replace(/^.*?: /, '')) };
  };

  it('is off when absent', () => {
    const { config, problems } = load(null);
    expect(problems).toEqual([]);
    expect(config.tasks.purgeStaleNodes).toBeUndefined();
  });

  it('takes the interval and bound', () => {
    const { config, problems } = load('{interval: 15m, older-than: 3h}');
    expect(problems).toEqual([]);
    expect(config.tasks.purgeStaleNodes).toEqual({ intervalMs: 900_000, olderThanMs: 10_800_000 });
  });

  it('an empty section takes the defaults (10m, 2h)', () => {
    expect(load('{}').config.tasks.purgeStaleNodes).toEqual({
      intervalMs: 600_000,
      olderThanMs: 7_200_000,
    });
  });

  it.each([
    [
      '{interval: soon}',
      "tasks.periodic.purge-stale-nodes.interval: must be a time delta above zero (got 'soon')",
    ],
    [
      '{older-than: 0s}',
      "tasks.periodic.purge-stale-nodes.older-than: must be a time delta above zero (got '0s')",
    ],
    ['{older-then: 2h}', 'tasks.periodic.purge-stale-nodes.older-then'],
  ])('refuses %s', (section, problem) => {
    const { problems } = load(section);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });
});

/** `tasks.nats.url` may name a cluster's servers; `tasks.nats.replicas` sizes the streams. */
describe('tasks.nats: a cluster', () => {
  const load = (nats: string, env: Record<string, string> = {}) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-nats-cluster-'));
    fs.writeFileSync(
      path.join(dir, 'c.yaml'),
      'defaults: {session-lifetime: 1h, session-lifetime-max: 2h, node-quota: 1}\n' +
        `tasks: {nats: ${nats}}\n`,
    );
    const { config, problems } = loadConfig({ paths: [dir], env });
    return { config, problems: problems.map(formatProblem).map((p) => p.replace(/^.*?: /, '')) };
  };

  it('takes one URL or several separated by commas, and a replica count', () => {
    const one = load('{url: "nats://127.0.0.1:4222"}');
    expect(one.problems).toEqual([]);
    expect(one.config.tasks.natsServers).toEqual(['nats://127.0.0.1:4222']);
    expect(one.config.tasks.natsReplicas).toBe(1);
    const three = load(
      '{url: "nats://127.0.0.1:4222, nats://127.0.0.1:4223,nats://127.0.0.1:4224", replicas: 3}',
    );
    expect(three.problems).toEqual([]);
    expect(three.config.tasks.natsServers).toEqual([
      'nats://127.0.0.1:4222',
      'nats://127.0.0.1:4223',
      'nats://127.0.0.1:4224',
    ]);
    expect(three.config.tasks.natsReplicas).toBe(3);
    const env = load('{url: "nats://127.0.0.1:4222"}', { DUFFY_TASKS__NATS__REPLICAS: '3' });
    expect(env.config.tasks.natsReplicas).toBe(3);
  });

  it('names the key of a bad URL in the list or a bad replica count', () => {
    expect(load('{url: "nats://127.0.0.1:4222,http://127.0.0.1:80"}').problems).toEqual([
      'tasks.nats.url: must be a nats:// URL, or several separated by commas',
    ]);
    expect(load('{url: "nats://127.0.0.1:4222,"}').problems).toEqual([
      'tasks.nats.url: must be a nats:// URL, or several separated by commas',
    ]);
    for (const bad of ['0', '6', '1.5', '"three"']) {
      expect(load(`{replicas: ${bad}}`).problems).toEqual([
        'tasks.nats.replicas: must be an integer between 1 and 5',
      ]);
    }
  });
});
