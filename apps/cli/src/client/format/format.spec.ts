import { flatValue, formatFlat } from './flat.js';
import { formatResult } from './index.js';
import { formatJson } from './json.js';

// Golden outputs from the original client (duffy-compat §7).
const session = {
  action: 'post',
  session: {
    id: 17,
    active: true,
    created_at: '2024-05-31T12:00:00.421337Z',
    retired_at: null,
    nodes: [
      {
        hostname: 'n27-29-93.pool.ci.centos.org',
        ipaddr: '127.27.29.93',
        pool: 'virtual-centos9stream-x86_64-small',
      },
      {
        hostname: 'n27-29-92.pool.ci.centos.org',
        ipaddr: '127.27.29.92',
        pool: 'virtual-centos9stream-x86_64-small',
      },
    ],
  },
};

describe('flat format', () => {
  it('prints one line per node, sorted by pool, hostname, ipaddr', () => {
    expect(formatFlat(session)).toBe(
      "session_id=17 active=TRUE created_at='2024-05-31T12:00:00.421337Z' retired_at= pool='virtual-centos9stream-x86_64-small' hostname='n27-29-92.pool.ci.centos.org' ipaddr='127.27.29.92'\n" +
        "session_id=17 active=TRUE created_at='2024-05-31T12:00:00.421337Z' retired_at= pool='virtual-centos9stream-x86_64-small' hostname='n27-29-93.pool.ci.centos.org' ipaddr='127.27.29.93'\n",
    );
  });

  it('quotes an error detail as the original does', () => {
    const detail = "can't reserve nodes: quantity=2 pool='virtual-centos9stream-x86_64-small'";
    expect(formatFlat({ error: { detail } })).toBe(
      `error='can'"'"'t reserve nodes: quantity=2 pool='"'"'virtual-centos9stream-x86_64-small'"'"''\n`,
    );
  });

  it('prints a verbose pool with its levels, and concise pools without', () => {
    const pool = {
      name: 'virtual-centos9stream-x86_64-small',
      'fill-level': 5,
      levels: { provisioning: 0, ready: 5, contextualizing: 0, deployed: 2, deprovisioning: 0 },
    };
    expect(formatFlat({ action: 'get', pool })).toBe(
      "pool_name='virtual-centos9stream-x86_64-small' fill_level=5 levels_provisioning=0 levels_ready=5 levels_contextualizing=0 levels_deployed=2 levels_deprovisioning=0\n",
    );
    expect(
      formatFlat({
        action: 'get',
        pools: [
          { name: 'a', 'fill-level': 1 },
          { name: 'b', 'fill-level': 2 },
        ],
      }),
    ).toBe("pool_name='a' fill_level=1\npool_name='b' fill_level=2\n");
  });

  it('prints nothing for no sessions, and sorts null hostnames first instead of crashing', () => {
    expect(formatFlat({ action: 'get', sessions: [] })).toBe('');
    const s = {
      ...session.session,
      nodes: [
        { pool: 'p', hostname: 'b', ipaddr: null },
        { pool: 'p', hostname: null, ipaddr: null },
      ],
    };
    expect(formatFlat({ session: s }).split('\n')[0]).toContain('hostname= ipaddr=');
  });

  it.each([
    [null, ''],
    [true, 'TRUE'],
    [false, 'FALSE'],
    [3, '3'],
    ['', "''"],
    ['abc', "'abc'"],
    ["ab'cd", `'ab'"'"'cd'`],
    ['two words', "'two words'"],
  ])('encodes %j as %s', (v, out) => expect(flatValue(v)).toBe(out));

  it('refuses a result it cannot flatten, with a clear message', () => {
    expect(() => formatFlat({ action: 'get', nodes: [] })).toThrow(
      'cannot print this result in the flat format',
    );
  });
});

describe('json format', () => {
  it("uses Python's separators and escapes non-ASCII", () => {
    expect(
      formatJson({ action: 'get', pools: [{ name: 'ünï', 'fill-level': 2, ok: true, x: null }] }),
    ).toBe(
      '{"action": "get", "pools": [{"name": "\\u00fcn\\u00ef", "fill-level": 2, "ok": true, "x": null}]}\n',
    );
  });
});

describe('yaml format', () => {
  it('sorts keys and does not indent sequences, like PyYAML', () => {
    expect(formatResult({ pools: [{ name: 'a', 'fill-level': 1 }], action: 'get' }, 'yaml')).toBe(
      'action: get\npools:\n- fill-level: 1\n  name: a\n',
    );
  });
});
