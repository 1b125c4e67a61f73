import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProvisionerOptions } from '@app/provisioning';
import { NATS_URL } from './provisioner-fixture';

/** apps/provisioner/src/main.ts as a real process (compiled on the fly), for kill -9. */
export function spawnProvisioner(
  configDir: string,
  eventStoreUrl: string,
  options: Partial<ProvisionerOptions>,
  logFile: string,
): ChildProcess {
  writeFileSync(
    join(configDir, 'zz_services.yaml'),
    `eventstore: { type: postgres, url: "${eventStoreUrl}" }\ntasks: { nats: { url: "${NATS_URL}" } }\n`,
  );
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(__dirname, '..', '..', '..', 'test', 'support', 'swc-register.cjs'),
      join(__dirname, '..', 'src', 'main.ts'),
      '-c',
      configDir,
    ],
    {
      env: { ...process.env, DUFFY_PROVISIONER_OPTIONS: JSON.stringify(options), NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) =>
    child.exitCode !== null || child.signalCode ? r() : child.once('exit', () => r()),
  );
}
