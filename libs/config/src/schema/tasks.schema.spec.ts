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
