import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfigPaths, loadRawConfig } from './loader';
import { formatProblem } from './problems';

function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-config-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('loading and merging', () => {
  it('expands a directory to its *.yaml/*.yml files sorted by path, not recursively', () => {
    const dir = writeTree({
      '20_b.yml': 'order: [b]\nb: 1\n',
      '10_a.yaml': 'order: [a]\na: 1\n',
      '30_c.yaml': 'order: [c]\n',
      'notes.txt': 'order: [txt]\n',
      'sub/40_d.yaml': 'order: [sub]\n',
    });
    const { raw, sources, problems } = loadRawConfig([dir], {});
    expect(problems).toEqual([]);
    expect(sources).toEqual(['10_a.yaml', '20_b.yml', '30_c.yaml'].map((f) => path.join(dir, f)));
    expect(raw).toEqual({ order: ['c'], a: 1, b: 1 });
  });

  it('merges files in argument order, later wins, deep for mappings, lists replace', () => {
    const dir = writeTree({
      'one.yaml': 'app: {host: 127.0.0.1, port: 8080, retries: {delay-min: 1}}\nlist: [1, 2, 3]\n',
      'two.yaml': 'app: {port: 9000, retries: {delay-max: 2}}\nlist: [4]\n',
    });
    const { raw } = loadRawConfig([path.join(dir, 'two.yaml'), path.join(dir, 'one.yaml')], {});
    expect(raw).toEqual({
      app: { host: '127.0.0.1', port: 8080, retries: { 'delay-min': 1, 'delay-max': 2 } },
      list: [1, 2, 3],
    });
  });

  it('reads every document of a file and skips empty ones', () => {
    const dir = writeTree({
      'multi.yaml': '---\n---\na: 1\nb: {x: 1}\n---\n# only a comment\n---\nb: {y: 2}\na: 3\n',
    });
    const { raw, problems } = loadRawConfig([dir], {});
    expect(problems).toEqual([]);
    expect(raw).toEqual({ a: 3, b: { x: 1, y: 2 } });
  });

  it('reports a mapping meeting a scalar or a list, naming both files and the key path', () => {
    const dir = writeTree({
      '10.yaml': 'app: {retries: {delay-min: 1}}\nx: 1\n',
      '20.yaml': 'app: {retries: 5}\n',
      '30.yaml': 'x: {y: 1}\n',
      '40.yaml': 'app: [1]\n',
    });
    const { problems, raw } = loadRawConfig([dir], {});
    expect(problems.map(formatProblem)).toEqual([
      `${dir}/20.yaml: app.retries: cannot merge a scalar here with a mapping from ${dir}/10.yaml`,
      `${dir}/30.yaml: x: cannot merge a mapping here with a scalar from ${dir}/10.yaml`,
      `${dir}/40.yaml: app: cannot merge a list here with a mapping from ${dir}/20.yaml`,
    ]);
    expect(raw).toEqual({ app: { retries: { 'delay-min': 1 } }, x: 1 });
  });

  it('reports YAML syntax errors with a 1-based line and column', () => {
    const dir = writeTree({ 'bad.yaml': 'app:\n  port: 1\n  host: [a,\n b: c\n' });
    const { problems } = loadRawConfig([dir], {});
    expect(problems.map(formatProblem)).toEqual([
      `${dir}/bad.yaml: line 4, column 2: deficient indentation`,
    ]);
    expect(problems[0]).toMatchObject({ line: 4, column: 2, path: '' });
  });

  it('reports a duplicated key as a YAML error with its line', () => {
    const dir = writeTree({ 'dup.yaml': 'a: 1\nb: 2\na: 3\n' });
    const { problems } = loadRawConfig([dir], {});
    expect(problems.map(formatProblem)).toEqual([
      `${dir}/dup.yaml: line 3, column 1: duplicated mapping key`,
    ]);
  });

  it('rejects a document that is not a mapping', () => {
    const dir = writeTree({ 'list.yaml': '- a\n- b\n' });
    expect(loadRawConfig([dir], {}).problems.map(formatProblem)).toEqual([
      `${dir}/list.yaml: document 1 must be a mapping`,
    ]);
  });

  it('reports an explicit path that does not exist', () => {
    const dir = writeTree({});
    const missing = path.join(dir, 'nope.yaml');
    expect(loadRawConfig([missing], {}).problems.map(formatProblem)).toEqual([
      `${missing}: no such file or directory`,
    ]);
  });

  it('uses $XDG_CONFIG_HOME/duffy by default, only when it exists', () => {
    const xdg = writeTree({ 'duffy/app.yaml': 'app: {port: 1234}\n' });
    expect(defaultConfigPaths({ XDG_CONFIG_HOME: xdg })).toEqual([
      ...(fs.existsSync('/etc/duffy') ? ['/etc/duffy'] : []),
      path.join(xdg, 'duffy'),
    ]);
    const home = writeTree({ '.config/duffy/app.yaml': 'app: {port: 4321}\n' });
    expect(defaultConfigPaths({ HOME: home })).toContain(path.join(home, '.config', 'duffy'));
    const empty = writeTree({});
    expect(defaultConfigPaths({ XDG_CONFIG_HOME: empty })).not.toContain(path.join(empty, 'duffy'));
    if (!fs.existsSync('/etc/duffy')) {
      expect(loadRawConfig(undefined, { XDG_CONFIG_HOME: xdg }).raw).toEqual({
        app: { port: 1234 },
      });
      expect(loadRawConfig([], { XDG_CONFIG_HOME: empty })).toMatchObject({
        raw: {},
        problems: [],
      });
    }
  });
});
