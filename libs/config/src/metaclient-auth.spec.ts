import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { dumpConfig } from './dump';
import { loadConfig } from './load-config';
import { formatProblem } from './problems';

function load(text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-mcauth-'));
  fs.writeFileSync(path.join(dir, 'm.yaml'), text);
  const result = loadConfig({ paths: [dir], env: {} });
  return { dir, ...result, messages: result.problems.map(formatProblem) };
}

const BASE = 'metaclient: {usermap: {k: t}, poolmap: [{pool: p}]';
const KEY = 'a8b9899d-b128-59a1-aa86-754920b7f5ed';

describe('metaclient.auth (optional admin credentials for the key-less /Inventory)', () => {
  it('is optional', () => {
    const { config, messages } = load(`${BASE}}\n`);
    expect(messages).toEqual([]);
    expect(config.metaclient?.auth).toBeUndefined();
  });

  it('is read as {name, key} and masked in dumps', () => {
    const { config, messages } = load(`${BASE}, auth: {name: admin, key: ${KEY}}}\n`);
    expect(messages).toEqual([]);
    expect(config.metaclient?.auth).toEqual({ name: 'admin', key: KEY });
    const dumped = yaml.load(dumpConfig(config)) as { metaclient: { auth: unknown } };
    expect(dumped.metaclient.auth).toEqual({ name: 'admin', key: '**********' });
  });

  it('needs a name and a UUID key', () => {
    const { dir, messages } = load(`${BASE}, auth: {key: nope, extra: 1}}\n`);
    const f = path.join(dir, 'm.yaml');
    expect(messages).toEqual(
      expect.arrayContaining([
        `${f}: metaclient.auth.name: is required`,
        `${f}: metaclient.auth.key: must be a UUID`,
      ]),
    );
  });
});
