import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from './load-config';
import { formatProblem } from './problems';

function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-env-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const BASE = {
  '10_app.yaml': 'app:\n  port: 8080\n  retries: {no-attempts: 5}\n',
  '60_defaults.yaml':
    'defaults: {session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 10}\n',
};

describe('DUFFY_* environment overrides', () => {
  it('sets existing and new keys, parsing values as YAML', () => {
    const dir = writeTree(BASE);
    const { config, problems } = loadConfig({
      paths: [dir],
      env: {
        DUFFY_DEFAULTS__NODE_QUOTA: '20',
        DUFFY_APP__PORT: '8081',
        DUFFY_APP__RETRIES__NO_ATTEMPTS: '3',
        DUFFY_APP__HOST: '127.0.0.2',
        DUFFY_APP__LOGGING: '{version: 1, root: {level: INFO}}',
        DUFFY_TASKS__NATS__URL: 'nats://127.0.0.1:4223',
        DUFFY_CONFIG: '/ignored/without/double/underscore',
        OTHER__VAR: 'x',
      },
    });
    expect(problems).toEqual([]);
    expect(config.raw.defaults).toEqual({
      'session-lifetime': '6h',
      'session-lifetime-max': '12h',
      'node-quota': 20,
    });
    expect(config.raw.app).toEqual({
      port: 8081,
      host: '127.0.0.2',
      retries: { 'no-attempts': 3 },
      logging: { version: 1, root: { level: 'INFO' } },
    });
    expect(config.defaults?.nodeQuota).toBe(20);
    expect(config.app.port).toBe(8081);
    expect(config.tasks.natsUrl).toBe('nats://127.0.0.1:4223');
  });

  it('matches existing keys case-insensitively with - and _ equal', () => {
    const dir = writeTree({
      'm.yaml': 'metaclient:\n  usermap: {k: t}\n  poolmap: []\n  Odd-Key_x: 1\n',
    });
    const { config, problems } = loadConfig({
      paths: [dir],
      env: {
        DUFFY_METACLIENT__ODD_KEY_X: '2',
        DUFFY_METACLIENT__MANGLE_HOSTNAME: '<%= hostname %>-x',
      },
    });
    expect(problems.map(formatProblem)).toEqual([
      `DUFFY_METACLIENT__ODD_KEY_X: metaclient.Odd-Key_x: unknown key`,
    ]);
    expect(config.raw.metaclient).toEqual({
      usermap: { k: 't' },
      poolmap: [],
      'Odd-Key_x': 2,
      mangle_hostname: '<%= hostname %>-x',
    });
    expect(config.metaclient?.mangleHostname).toBe('<%= hostname %>-x');
  });

  it('names the variable in problems', () => {
    const dir = writeTree(BASE);
    const { problems } = loadConfig({
      paths: [dir],
      env: {
        DUFFY_DEFAULTS__NODE_QUOTA: 'lots',
        DUFFY_APP__PORT__X: '1',
        DUFFY_APP__BOGUS: '1',
        DUFFY_APP__HOST: '[unclosed',
      },
    });
    expect(problems.map(formatProblem)).toEqual([
      'DUFFY_APP__HOST: invalid value: unexpected end of the stream within a flow collection',
      'DUFFY_APP__PORT__X: app.port: is not a mapping',
      'DUFFY_APP__BOGUS: app.bogus: unknown key',
      'DUFFY_DEFAULTS__NODE_QUOTA: defaults.node-quota: must be an integer > 0',
    ]);
  });
});
