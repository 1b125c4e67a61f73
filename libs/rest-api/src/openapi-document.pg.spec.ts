import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';
import { CompactApi, startCompactApi } from './testing/compact-api';

// docs/openapi.json is checked in so a reviewer sees every API change in the diff. This test
// fails when it is not what the api serves; `npm run openapi` (DUFFY_WRITE_OPENAPI=1) rewrites it.
const CHECKED_IN = path.join(__dirname, '../../../docs/openapi.json');

/** Keys sorted at every level (arrays keep their order), so the text is stable. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
  );
}

/** The document as the file holds it: sorted keys, one per line, as `prettier --check` wants. */
async function openApiText(document: unknown): Promise<string> {
  const options = (await prettier.resolveConfig(CHECKED_IN)) ?? {};
  const text = JSON.stringify(sortedKeys(document), null, 2);
  return prettier.format(text, { ...options, parser: 'json' });
}

function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const line = left.findIndex((l, i) => l !== right[i]);
  const at = line === -1 ? left.length : line;
  return `line ${at + 1}: served ${JSON.stringify(left[at])}, file ${JSON.stringify(right[at])}`;
}

describe('docs/openapi.json (PostgreSQL)', () => {
  let api: CompactApi;
  let base: string;

  beforeAll(async () => {
    api = await startCompactApi('openapi');
    base = api.base;
  });
  afterAll(() => api?.close());

  it('is the document the api serves at /api/v1/openapi.json', async () => {
    const res = await fetch(`${base}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const served = await openApiText(await res.json());
    if (process.env.DUFFY_WRITE_OPENAPI === '1') writeFileSync(CHECKED_IN, served);
    const file = existsSync(CHECKED_IN) ? readFileSync(CHECKED_IN, 'utf8') : '';
    if (file !== served) {
      throw new Error(
        `docs/openapi.json is not what the api serves (${firstDifference(served, file)}): ` +
          'run `npm run openapi` and commit the new docs/openapi.json',
      );
    }
  });

  it('describes the wire shapes of libs/contracts', async () => {
    const doc = JSON.parse(readFileSync(CHECKED_IN, 'utf8')) as {
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['CreateSessionDto', 'NodesSpecDto', 'RunDto', 'PoolListResultDto']),
    );
  });
});
