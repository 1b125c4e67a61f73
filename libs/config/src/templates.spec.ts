import type { NodePool } from './model';
import {
  TemplateError,
  mangleHostname,
  poolmapLookup,
  renderExtraVars,
  renderReuseNodes,
  renderTemplate,
  renderTyped,
  templateError,
} from './templates';

const ORIGINAL_POOLMAP = [
  {
    arch: '^(aarch64|ppc64|ppc64le)$',
    pool: "virtual-centos<%= ver.replace('-', '') %>-<%= arch %>-<%= flavor || 'medium' %>",
  },
  { arch: 'x86_64', pool: "physical-centos<%= ver.replace('-', '') %>-<%= arch %>" },
];

function virtualPool(): NodePool {
  const dict = {
    name: 'virtual-centos8stream-x86_64-small',
    type: 'virtual',
    'fill-level': 20,
    'reuse-nodes': false,
    'run-parallel': false,
    mechanism: {
      type: 'ansible',
      ansible: {
        topdir: '/srv/ansible',
        'extra-vars': { nodepool: '<%= name %>', template_name: '<%= name %>', shared: 'base' },
      },
    },
  };
  return {
    name: dict.name,
    kind: 'concrete',
    dict,
    fillLevel: 20,
    reuseNodes: false,
    runParallel: false,
    mechanism: {
      type: 'ansible',
      topdir: '/srv/ansible',
      extraVars: dict.mechanism.ansible['extra-vars'],
      provision: {
        playbook: 'provision.yml',
        extraVars: {
          quantity: '<%= duffy_in.nodes.length %>',
          label: 'n=<%= duffy_in.nodes.length %>',
          template_name: "duffy-<%= name.split('-').slice(1).join('-') %>",
          level: "<%= pool['fill-level'] %>",
          nested: { deeper: '<%= type %>-x', flag: true, list: ['<%= name %>'] },
          ids: '<%= duffy_in.nodes.map((n) => n.id) %>',
          nothing: '<%= undefined %>',
        },
      },
      deprovision: { playbook: 'deprovision.yml', extraVars: { shared: 'deprov' } },
    },
  };
}

describe('EJS rendering', () => {
  it('stringifies without HTML escaping; null and undefined render empty', () => {
    expect(
      renderTemplate('<%= a %>|<%= b %>|<%= c %>|<%= d %>', {
        a: '<&>"',
        b: null,
        c: undefined,
        d: 3,
      }),
    ).toBe('<&>"|||3');
  });

  it('keeps the type of a whole-string tag, renders mixed strings to strings', () => {
    expect(renderTyped('<%= n + 1 %>', { n: 1 })).toBe(2);
    expect(renderTyped('<%= ok %>', { ok: false })).toBe(false);
    expect(renderTyped('<%= o %>', { o: { a: [1] } })).toEqual({ a: [1] });
    expect(renderTyped('n=<%= n %>', { n: 1 })).toBe('n=1');
    expect(renderTyped('plain', {})).toBe('plain');
  });

  it('reports syntax errors, and runtime errors as TemplateError', () => {
    expect(templateError('<%= name %>')).toBeNull();
    expect(templateError('<%= name.split( %>')).toBe(
      'invalid template: missing ) after argument list while compiling ejs',
    );
    expect(() => renderTemplate('<%= nope %>', {})).toThrow(TemplateError);
    expect(() => renderTemplate('<%= nope %>', {})).toThrow(
      "cannot render template '<%= nope %>': nope is not defined",
    );
  });
});

describe('renderExtraVars', () => {
  it('merges extra-vars, <kind>.extra-vars and duffy_in, rendering with the pool dict', () => {
    const duffyIn = {
      nodes: [
        { id: 7, hostname: null, ipaddr: null },
        { id: 8, hostname: null, ipaddr: null },
      ],
    };
    expect(renderExtraVars(virtualPool(), 'provision', duffyIn)).toEqual({
      nodepool: 'virtual-centos8stream-x86_64-small',
      template_name: 'duffy-centos8stream-x86_64-small',
      shared: 'base',
      quantity: 2,
      label: 'n=2',
      level: 20,
      nested: { deeper: 'virtual-x', flag: true, list: ['<%= name %>'] },
      ids: [7, 8],
      nothing: undefined,
      duffy_in: duffyIn,
    });
  });

  it('uses the deprovision extra-vars for deprovisioning and never renders duffy_in', () => {
    const duffyIn = { nodes: [{ id: 1, hostname: '<%= name %>', ipaddr: '127.0.0.9', data: {} }] };
    expect(renderExtraVars(virtualPool(), 'deprovision', duffyIn)).toEqual({
      nodepool: 'virtual-centos8stream-x86_64-small',
      template_name: 'virtual-centos8stream-x86_64-small',
      shared: 'deprov',
      duffy_in: duffyIn,
    });
  });
});

describe('renderReuseNodes', () => {
  it('renders string values with the pool dict and keeps ints', () => {
    const pool: NodePool = {
      ...virtualPool(),
      dict: { name: 'physical-x', architecture: 'x86_64' },
      reuseNodes: { architecture: '<%= architecture %>', generation: 3 },
    };
    expect(renderReuseNodes(pool)).toEqual({ architecture: 'x86_64', generation: 3 });
    expect(renderReuseNodes({ ...pool, reuseNodes: false })).toBe(false);
  });
});

describe('poolmapLookup (compat §6.3)', () => {
  it.each<[Record<string, string | null>, string | null]>([
    [{ ver: '8-stream', arch: 'x86_64' }, 'physical-centos8stream-x86_64'],
    [{ ver: '9-stream', arch: 'aarch64' }, 'virtual-centos9stream-aarch64-medium'],
    [{ ver: '9-stream', arch: 'aarch64', flavor: 'tiny' }, 'virtual-centos9stream-aarch64-tiny'],
    [{ ver: '9-stream', arch: 'ppc64le', flavor: null }, 'virtual-centos9stream-ppc64le-medium'],
    [{ ver: '9-stream', arch: 'unknown' }, null],
    [{ ver: '9-stream' }, null],
    [{ ver: '9-stream', arch: 'aarch64x' }, null],
  ])('%p → %p', (request, expected) => {
    expect(poolmapLookup(ORIGINAL_POOLMAP, request)).toBe(expected);
  });

  it('matches regexes from the start, exact strings exactly, first match wins', () => {
    const map = [
      { ver: '^9', pool: 'nine-<%= ver %>' },
      { ver: '8', flavor: 'small', pool: 'eight-small' },
      { ver: '8', pool: 'eight' },
      { pool: 'fallback-<%= arch %>' },
    ];
    expect(poolmapLookup(map, { ver: '9-stream' })).toBe('fallback-');
    expect(poolmapLookup(map, { ver: '8', flavor: 'small' })).toBe('eight-small');
    expect(poolmapLookup(map, { ver: '8-stream', flavor: 'small', arch: 'x' })).toBe('fallback-x');
    expect(poolmapLookup(map, { ver: '8' })).toBe('eight');
    expect(poolmapLookup([{ ver: '^9$', pool: 'nine-<%= ver %>' }], { ver: '9' })).toBe('nine-9');
  });
});

describe('mangleHostname', () => {
  const template = "<%= hostname.replace('.nodes.duffy.localhost', '') %>";
  it('renders the template with hostname', () => {
    expect(mangleHostname(template, 'n1.nodes.duffy.localhost')).toBe('n1');
    expect(mangleHostname(template, null)).toBe('');
  });
  it('returns the hostname unchanged without a template', () => {
    expect(mangleHostname(undefined, 'n1.nodes.duffy.localhost')).toBe('n1.nodes.duffy.localhost');
    expect(mangleHostname('', null)).toBeNull();
  });
});
