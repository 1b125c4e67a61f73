// The example units in deploy/systemd/ are the role's templates rendered with its defaults, and
// systemd accepts them; the compose and role configs load with Duffy's own config loader.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@app/config';

const DEPLOY = path.join(__dirname, '../../deploy');
const UNITS = [
  'duffy-api.service',
  'duffy-projector.service',
  'duffy-provisioner.service',
  'duffy-metaclient.service',
  'duffy.target',
];

describe('systemd units', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-units-'));
    execFileSync(
      'ansible-playbook',
      [
        '-i',
        'localhost,',
        '-c',
        'local',
        'render-example-units.yml',
        '-e',
        `duffy_units_out=${out}`,
      ],
      { cwd: path.join(DEPLOY, 'ansible'), stdio: 'pipe', timeout: 60_000 },
    );
  }, 70_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it.each(UNITS)('deploy/systemd/%s is the rendered template', (unit) => {
    expect(fs.readFileSync(path.join(DEPLOY, 'systemd', unit), 'utf8')).toBe(
      fs.readFileSync(path.join(out, unit), 'utf8'),
    );
  });

  it('pass systemd-analyze verify', () => {
    const files = UNITS.map((u) => path.join(DEPLOY, 'systemd', u));
    const run = spawnSync('systemd-analyze', ['verify', '--man=no', ...files], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice' },
      timeout: 30_000,
    });
    const ours = run.stderr.split('\n').filter((l) => /duffy[-.]/.test(l));
    expect({ status: run.status, ours }).toEqual({ status: 0, ours: [] });
  });

  it('harden every service and leave node its JIT', () => {
    for (const unit of UNITS.slice(0, 4)) {
      const text = fs.readFileSync(path.join(DEPLOY, 'systemd', unit), 'utf8');
      for (const line of [
        'NoNewPrivileges=yes',
        'ProtectSystem=strict',
        'ProtectHome=yes',
        'PrivateTmp=yes',
        'CapabilityBoundingSet=',
        'SystemCallFilter=@system-service',
        'Restart=on-failure',
        'EnvironmentFile=-/etc/duffy/duffy.env',
        'PartOf=duffy.target',
        'WantedBy=duffy.target',
      ]) {
        expect({ unit, has: text.split('\n').includes(line) }).toEqual({ unit, has: true });
      }
      expect(text).not.toMatch(/^MemoryDenyWriteExecute=/m);
    }
  });
});

describe('configs the deployments install', () => {
  it('the compose config loads', () => {
    const { config } = loadConfig({ paths: [path.join(DEPLOY, 'compose/config')], env: {} });
    expect(config.eventstore?.type).toBe('eventstoredb');
  });
});
