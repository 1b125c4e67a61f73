import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from './load-config';
import { formatProblem } from './problems';

function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-pools-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const STATIC =
  'mechanism: {type: static, static: {hosts: [{hostname: a.localhost, ipaddr: 127.0.0.31}]}}';

function load(yaml: string) {
  const dir = writeTree({ '70_nodepools.yaml': yaml });
  const file = path.join(dir, '70_nodepools.yaml');
  const result = loadConfig({ paths: [dir], env: {} });
  return { ...result, file, messages: result.problems.map(formatProblem) };
}

describe('node pool inheritance', () => {
  it('merges parents in listed order, then own keys; name is always the own name', () => {
    const { config, messages } = load(`
nodepools:
  concrete:
    child:
      extends: [a, b]
      own: child
      deep: {z: child}
  abstract:
    a: {${STATIC}, from: a, shared: a, deep: {x: a, z: a}, name: ignored}
    b: {extends: base, shared: b, deep: {y: b}}
    base: {from-base: base, run-parallel: false}
`);
    expect(messages).toEqual([]);
    const child = config.pool('child')!;
    expect(child.dict).toEqual({
      name: 'child',
      mechanism: {
        type: 'static',
        static: { hosts: [{ hostname: 'a.localhost', ipaddr: '127.0.0.31' }] },
      },
      from: 'a',
      shared: 'b',
      deep: { x: 'a', y: 'b', z: 'child' },
      'from-base': 'base',
      'run-parallel': false,
      own: 'child',
    });
    expect(child.runParallel).toBe(false);
    expect(child.mechanism).toEqual({
      type: 'static',
      hosts: [{ hostname: 'a.localhost', ipaddr: '127.0.0.31' }],
    });
    // Config order: abstract first, then concrete; lookup finds concrete pools only.
    expect(config.pools.map((p) => `${p.kind}:${p.name}`)).toEqual([
      'abstract:a',
      'abstract:b',
      'abstract:base',
      'concrete:child',
    ]);
    expect(config.pool('a')).toBeUndefined();
    expect(config.concretePools().map((p) => p.name)).toEqual(['child']);
  });

  it('lists only concrete pools with a fill-level, and defaults run-parallel to true', () => {
    const { config, messages } = load(`
nodepools:
  abstract:
    base: {${STATIC}}
  concrete:
    filled: {extends: base, fill-level: 4, reuse-nodes: {architecture: x86_64, gen: 2}}
    unfilled: {extends: base}
`);
    expect(messages).toEqual([]);
    expect(config.filledPools().map((p) => [p.name, p.fillLevel, p.runParallel])).toEqual([
      ['filled', 4, true],
    ]);
    expect(config.pool('filled')?.reuseNodes).toEqual({ architecture: 'x86_64', gen: 2 });
    expect(config.pool('unfilled')?.reuseNodes).toBe(false);
  });

  it('reports an unknown parent', () => {
    const { messages, file } = load(`
nodepools:
  concrete:
    x: {extends: [y], ${STATIC}}
`);
    expect(messages).toEqual([`${file}: nodepools.concrete.x.extends: unknown pool 'y'`]);
  });

  it('reports a cycle once', () => {
    const { messages, file } = load(`
nodepools:
  abstract:
    y: {extends: x}
  concrete:
    x: {extends: y, ${STATIC}}
`);
    expect(messages).toEqual([`${file}: nodepools.abstract.y.extends: cycle y -> x -> y`]);
  });

  it('reports a pool extending itself', () => {
    const { messages, file } = load(`
nodepools:
  concrete:
    x: {extends: x, ${STATIC}}
`);
    expect(messages).toEqual([`${file}: nodepools.concrete.x.extends: cycle x -> x`]);
  });

  it('reports the same name in abstract and concrete', () => {
    const { messages, file } = load(`
nodepools:
  abstract:
    x: {${STATIC}}
  concrete:
    x: {${STATIC}}
`);
    expect(messages).toEqual([
      `${file}: nodepools.concrete.x: duplicate pool name (also defined as nodepools.abstract.x)`,
    ]);
  });

  it('requires a mechanism type on every concrete pool, not on abstract ones', () => {
    const { messages, file } = load(`
nodepools:
  abstract:
    base: {mechanism: {ansible: {topdir: /srv}}}
  concrete:
    x: {extends: base}
    y: {fill-level: 2}
`);
    expect(messages).toEqual([
      `${file}: nodepools.concrete.x.mechanism.type: is required`,
      `${file}: nodepools.concrete.y.mechanism: is required`,
    ]);
  });

  it('rejects unknown mechanism types and reports inherited errors where they are set', () => {
    const { messages, file } = load(`
nodepools:
  abstract:
    base: {mechanism: {type: docker}, fill-level: -1}
  concrete:
    x: {extends: base}
    y: {extends: base}
    z: {fill-level: 0, mechanism: {type: ansible, ansible: {topdir: /srv, provision: {}}}}
`);
    expect(messages).toEqual([
      `${file}: nodepools.abstract.base.fill-level: must be an integer > 0`,
      `${file}: nodepools.abstract.base.mechanism.type: unknown mechanism type 'docker' (known: ansible, static)`,
      `${file}: nodepools.concrete.z.fill-level: must be an integer > 0`,
      `${file}: nodepools.concrete.z.mechanism.ansible.provision.playbook: is required`,
    ]);
  });

  it('checks mechanism keys strictly but allows any extra pool key', () => {
    const { messages, file } = load(`
nodepools:
  concrete:
    x:
      custom: anything
      run-parallel: maybe
      reuse-nodes: [a]
      mechanism:
        type: ansible
        ansible:
          topdir: /srv
          playbook: wrong-place.yml
          provision: {playbook: p.yml}
          extra-vars: {ok: "<%= name %>", bad: "<%= name( %>"}
`);
    expect(messages).toEqual([
      `${file}: nodepools.concrete.x.mechanism.ansible.playbook: unknown key`,
      `${file}: nodepools.concrete.x.reuse-nodes: must be false or a mapping of data key to string or integer`,
      `${file}: nodepools.concrete.x.run-parallel: must be true or false`,
      `${file}: nodepools.concrete.x.mechanism.ansible.extra-vars.bad: invalid template: missing ) after argument list while compiling ejs`,
    ]);
  });

  it('resolves a relative topdir against the directory of the file that set it', () => {
    const { config, messages, file } = load(`
nodepools:
  abstract:
    base:
      mechanism:
        type: ansible
        ansible: {topdir: ../ansible, provision: {playbook: p.yml}, deprovision: ~}
  concrete:
    x: {extends: base}
`);
    expect(messages).toEqual([]);
    expect(config.pool('x')?.mechanism).toEqual({
      type: 'ansible',
      topdir: path.resolve(path.dirname(file), '../ansible'),
      extraVars: {},
      provision: { playbook: 'p.yml', extraVars: {} },
      deprovision: null,
    });
  });
  it('checks the static and ansible mechanisms of concrete pools', () => {
    const { messages, file } = load(`
nodepools:
  concrete:
    s1: {mechanism: {type: static}}
    s2: {mechanism: {type: static, static: {hosts: [{hostname: h.localhost, ipaddr: not-an-ip}, {ipaddr: 127.0.0.9}]}}}
    a1: {mechanism: {type: ansible, ansible: {provision: {playbook: p.yml}}}}
    a2: {mechanism: {type: ansible}}
`);
    expect(messages).toEqual([
      `${file}: nodepools.concrete.s1.mechanism.static: is required`,
      `${file}: nodepools.concrete.s2.mechanism.static.hosts.0.ipaddr: must be an IP address`,
      `${file}: nodepools.concrete.s2.mechanism.static.hosts.1.hostname: is required`,
      `${file}: nodepools.concrete.a1.mechanism.ansible.topdir: is required`,
      `${file}: nodepools.concrete.a2.mechanism.ansible: is required`,
    ]);
  });
});
