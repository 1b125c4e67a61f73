import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../load-config';
import { formatProblem } from '../problems';

/** `observability`: status ports (0 default, false off) and the readiness lag bound. */
describe('observability config', () => {
  const load = (observability: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-observability-'));
    fs.writeFileSync(
      path.join(dir, 'c.yaml'),
      'defaults: {session-lifetime: 1h, session-lifetime-max: 2h, node-quota: 1}\n' +
        (observability ? `observability: ${observability}\n` : ''),
    );
    const { config, problems } = loadConfig({ paths: [dir], env: {} });
    return { config, problems: problems.map(formatProblem).map((p) => p.replace(/^.*?: /, '')) };
  };

  it('defaults without the section', () => {
    const { config, problems } = load('');
    expect(problems).toEqual([]);
    expect(config.observability).toEqual({
      status: {
        host: '127.0.0.1',
        ports: { projector: 9464, provisioner: 9465, metaclient: 9466 },
      },
      ready: { maxProjectionLagMs: 30_000 },
    });
  });

  it('takes ports, 0 as the default, false as off, and a lag delta', () => {
    const { config, problems } = load(
      '{status: {host: 127.0.0.2, projector-port: 19464, provisioner-port: 0, metaclient-port: false}, ready: {max-projection-lag: 1m30s}}',
    );
    expect(problems).toEqual([]);
    expect(config.observability).toEqual({
      status: {
        host: '127.0.0.2',
        ports: { projector: 19464, provisioner: 9465, metaclient: null },
      },
      ready: { maxProjectionLagMs: 90_000 },
    });
  });

  it.each([
    [
      '{status: {projector-port: 70000}}',
      'observability.status.projector-port: must be an integer between 0 and 65535 (0: the default port) or false (no status server)',
    ],
    [
      '{status: {metaclient-port: "x"}}',
      'observability.status.metaclient-port: must be an integer between 0 and 65535 (0: the default port) or false (no status server)',
    ],
    [
      '{ready: {max-projection-lag: soon}}',
      "observability.ready.max-projection-lag: invalid time delta 'soon'",
    ],
    ['{status: {hots: 127.0.0.1}}', 'observability.status.hots: unknown key'],
    ['{status: {host: ""}}', 'observability.status.host: must be a non-empty string'],
  ])('refuses %s', (section, problem) => {
    expect(load(section).problems).toEqual([problem]);
  });
});
