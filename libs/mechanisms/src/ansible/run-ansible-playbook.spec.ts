import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withCorrelation } from '@app/observability';
import { runAnsiblePlaybook } from './run-ansible-playbook';

// A real ansible-playbook run on localhost: the playbook sees the correlation id of the work
// it runs for, so its own logs (or what it calls) can name the request.
describe('runAnsiblePlaybook and the correlation id', () => {
  const topdir = mkdtempSync(join(tmpdir(), 'duffy-corr-'));
  writeFileSync(
    join(topdir, 'env.yml'),
    `- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - set_fact:
        duffy_out: "{{ lookup('env', 'DUFFY_CORRELATION_ID') | default('', true) }}"
`,
  );
  const run = () =>
    runAnsiblePlaybook({ topdir, playbook: 'env.yml', extraVars: {}, timeoutMs: 60_000 });
  const seen = (report: unknown): unknown =>
    (
      report as {
        plays: { tasks: { hosts: { localhost: { ansible_facts: { duffy_out: unknown } } } }[] }[];
      }
    ).plays[0].tasks[0].hosts.localhost.ansible_facts.duffy_out;

  it('passes DUFFY_CORRELATION_ID inside a unit of work', async () => {
    const outcome = await withCorrelation('req-42.a', run);
    expect(outcome.run.exitCode).toBe(0);
    expect(seen(outcome.report)).toBe('req-42.a');
  }, 90_000);

  it('passes none outside any', async () => {
    const outcome = await run();
    expect(outcome.run.exitCode).toBe(0);
    expect(seen(outcome.report)).toBe('');
  }, 90_000);
});
