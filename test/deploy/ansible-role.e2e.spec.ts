// The Ansible role for real: syntax check, a run with -c local into a temporary prefix, config
// dir and a fresh PostgreSQL database, a second run that changes nothing, systemd-analyze verify.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const ANSIBLE = path.join(ROOT, 'deploy/ansible');
// The services' build and the CLI's (apps/cli/bin/duffy.js runs apps/cli/dist).
const BUILT = ['dist/apps/api/apps/api/src/main.js', 'apps/cli/dist/apps/cli/src/main.js'];
const missing = BUILT.filter((f) => !fs.existsSync(path.join(ROOT, f)));
const DB = `duffy_deploy_${process.pid}`;

const psql = (db: string, sql: string): string =>
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-Atqc', sql], {
    encoding: 'utf8',
    timeout: 20_000,
  }).trim();

function playbook(args: string[]): { status: number | null; out: string } {
  const run = spawnSync('ansible-playbook', args, {
    cwd: ANSIBLE,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' },
    timeout: 120_000,
  });
  return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
}

const recap = (out: string): Record<string, number> =>
  Object.fromEntries(
    [...(/localhost\s+:\s+(.*)$/m.exec(out)?.[1] ?? '').matchAll(/(\w+)=(\d+)/g)].map((m) => [
      m[1],
      Number(m[2]),
    ]),
  );

/** The failed tasks' lines, so a failing assertion shows why. */
const fatal = (out: string): string[] => out.split('\n').filter((l) => /^(fatal|failed):/.test(l));

const mode = (p: string): string => (fs.statSync(p).mode & 0o7777).toString(8).padStart(4, '0');

if (missing.length > 0 && process.env.CI) {
  // CI builds before testing: a missing build there is a broken pipeline, not a reason to skip.
  test('the build exists', () => {
    expect(missing).toEqual([]);
  });
}

const describeBuilt = missing.length > 0 ? describe.skip : describe;
if (missing.length > 0 && !process.env.CI) {
  console.warn(`ansible-role.e2e: skipped, not built (${missing.join(', ')}); run npm run build`);
}

describeBuilt('deploy/ansible site.yml with the duffy role', () => {
  let tmp: string;
  let vars: Record<string, unknown>;
  const site = () => ['-i', 'localhost,', '-c', 'local', 'site.yml', '-e', `@${tmp}/vars.json`];

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-deploy-'));
    psql('postgres', `DROP DATABASE IF EXISTS ${DB}`);
    psql('postgres', `CREATE DATABASE ${DB}`);
    vars = {
      duffy_hosts: 'localhost',
      duffy_source_dir: ROOT,
      duffy_install_method: 'link',
      duffy_prefix: `${tmp}/opt`,
      duffy_config_dir: `${tmp}/etc`,
      duffy_state_dir: `${tmp}/var`,
      duffy_systemd_dir: `${tmp}/systemd`,
      duffy_manage_services: false,
      duffy_database_url: `postgresql://postgres@127.0.0.1:5432/${DB}`,
      // Trust auth ignores it; it shows the password goes to the env file, not duffy.yaml.
      duffy_database_password: 'deploy-test-secret',
    };
    fs.writeFileSync(`${tmp}/vars.json`, JSON.stringify(vars));
  }, 30_000);

  afterAll(() => {
    psql('postgres', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  it('passes --syntax-check', () => {
    const run = playbook([...site(), '--syntax-check']);
    expect({ status: run.status, out: run.status === 0 ? '' : run.out }).toEqual({
      status: 0,
      out: '',
    });
  }, 60_000);

  it('installs, configures and sets up the database', () => {
    const run = playbook(site());
    expect({ status: run.status, fatal: fatal(run.out) }).toEqual({ status: 0, fatal: [] });
    expect(recap(run.out).changed).toBeGreaterThan(0);

    expect(fs.realpathSync(`${tmp}/opt/app/dist`)).toBe(fs.realpathSync(`${ROOT}/dist`));
    expect(fs.existsSync(`${tmp}/opt/bin/duffy`)).toBe(true);
    expect(mode(`${tmp}/etc`)).toBe('0750');
    expect(mode(`${tmp}/etc/duffy.yaml`)).toBe('0640');
    expect(mode(`${tmp}/etc/duffy.env`)).toBe('0600');
    expect(mode(`${tmp}/var/.ssh`)).toBe('0700');
    expect(fs.readFileSync(`${tmp}/etc/duffy.env`, 'utf8')).toContain(
      `DUFFY_DATABASE__URL="postgresql://postgres:deploy-test-secret@127.0.0.1:5432/${DB}"`,
    );
    expect(fs.readFileSync(`${tmp}/etc/duffy.yaml`, 'utf8')).not.toContain('deploy-test-secret');
    for (const unit of ['api', 'projector', 'provisioner', 'metaclient']) {
      expect(mode(`${tmp}/systemd/duffy-${unit}.service`)).toBe('0644');
    }
    expect(fs.existsSync(`${tmp}/systemd/duffy.target`)).toBe(true);

    expect(psql(DB, "SELECT to_regclass('public.nodes') IS NOT NULL")).toBe('t');
    expect(
      Number(
        psql(
          DB,
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'event_store'",
        ),
      ),
    ).toBeGreaterThan(0);
  }, 120_000);

  it('changes nothing on a second run', () => {
    const run = playbook(site());
    expect({ status: run.status, ...recap(run.out) }).toMatchObject({
      status: 0,
      changed: 0,
      failed: 0,
    });
  }, 120_000);

  it('renders units systemd-analyze verify accepts', () => {
    const units = ['api', 'projector', 'provisioner', 'metaclient']
      .map((u) => `${tmp}/systemd/duffy-${u}.service`)
      .concat(`${tmp}/systemd/duffy.target`);
    const run = spawnSync('systemd-analyze', ['verify', '--man=no', ...units], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice' },
      timeout: 30_000,
    });
    const ours = run.stderr.split('\n').filter((l) => l.includes(`${tmp}/systemd/`));
    expect({ status: run.status, ours }).toEqual({ status: 0, ours: [] });
    expect(fs.readFileSync(units[0], 'utf8')).toContain(
      `ExecStart=${execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).trim()} ${tmp}/opt/app/dist/apps/api/apps/api/src/main.js -c ${tmp}/etc`,
    );
  }, 60_000);
});
