import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { scrubSecrets } from '@app/observability';
import { linesWithSecrets, pemBody } from './secret-detector';

// The e2e test's zero hits mean something only if its detector finds each secret unscrubbed.
describe('the secrets-in-logs detector and the line scrub', () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  const secrets = {
    apiKeys: [randomUUID()],
    privateKeyBody: pemBody(pem),
    databasePassword: 's3cr3t-pw',
  };
  const lines = [
    JSON.stringify({ msg: 'connecting', url: 'postgres://postgres:s3cr3t-pw@127.0.0.1:5432/d' }),
    JSON.stringify({ msg: `loaded key\n${pem}` }),
    `plain text key ${pem}`,
    JSON.stringify({ msg: `tenant created with ${secrets.apiKeys[0]}` }),
  ];

  it('finds every planted secret in unscrubbed lines', () => {
    for (const line of lines.slice(0, 3)) expect(linesWithSecrets([line], secrets)).toEqual([line]);
  });

  it('finds nothing once private keys and URL passwords are scrubbed', () => {
    const scrubbed = lines.slice(0, 3).map(scrubSecrets);
    expect(linesWithSecrets(scrubbed, secrets)).toEqual([]);
    expect(scrubbed[0]).toContain('postgres://postgres:[REDACTED]@127.0.0.1:5432/d');
    expect(scrubbed[1]).toContain('-----BEGIN PRIVATE KEY----- [REDACTED]');
  });

  it('leaves a line without secrets as it was', () => {
    const line = '{"msg":"GET /api/v1/pools 200","url":"http://127.0.0.1:8080/api/v1"}';
    expect(scrubSecrets(line)).toBe(line);
  });

  it('does not scrub API keys from free text: the redact paths and never logging them do', () => {
    // Keys are plain UUIDs, like request ids: the scrub cannot tell them apart.
    expect(linesWithSecrets([scrubSecrets(lines[3])], secrets)).toHaveLength(1);
  });
});
