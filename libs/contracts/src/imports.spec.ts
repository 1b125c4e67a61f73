import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// The wire must stay loadable by any client: no framework beyond the decorators the api
// validates and documents with, and the domain only for its event payload types.
const ALLOWED = ['class-validator', 'class-transformer', '@nestjs/swagger'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return sources(file);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [file] : [];
  });
}

describe('libs/contracts imports', () => {
  const files = sources(__dirname);

  it.each(files.map((f) => [path.relative(__dirname, f), f]))('%s', (_, file) => {
    const text = readFileSync(file, 'utf8');
    for (const [, typeOnly, from] of text.matchAll(
      /^(?:import|export)( type)?\b[^;]*?from '([^']+)'/gms,
    )) {
      if (from.startsWith('.')) continue;
      if (from === '@app/domain') expect([from, typeOnly]).toEqual([from, ' type']);
      else expect(ALLOWED).toContain(from);
    }
  });

  it('keeps rest/bodies.ts free of imports, so the ESM CLI can read it by path', () => {
    expect(readFileSync(path.join(__dirname, 'rest/bodies.ts'), 'utf8')).not.toMatch(/^import/m);
  });
});
