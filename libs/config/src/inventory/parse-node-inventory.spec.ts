import { InventoryError, parseNodeInventory } from './parse-node-inventory';

const problemsOf = (file: string, text: string): string[] => {
  try {
    parseNodeInventory(file, text);
  } catch (e) {
    if (e instanceof InventoryError) return e.problems;
    throw e;
  }
  return [];
};

describe('parseNodeInventory', () => {
  it('reads a CSV with a header line', () => {
    const nodes = parseNodeInventory(
      'n.csv',
      'hostname,ipaddr,pool,reusable,comment,data\n' +
        'n1.test,127.0.0.21,small,true,"rack 1, left","{""rack"": 1}"\n' +
        'n2.test,127.0.0.22,,,,\n',
    );
    expect(nodes).toEqual([
      {
        hostname: 'n1.test',
        ipaddr: '127.0.0.21',
        pool: 'small',
        reusable: true,
        comment: 'rack 1, left',
        data: { rack: 1 },
        line: 2,
      },
      { hostname: 'n2.test', ipaddr: '127.0.0.22', line: 3 },
    ]);
  });

  it('reads YAML as a list or {nodes: [...]}', () => {
    const list =
      '- {hostname: a.test, ipaddr: 127.0.0.31}\n- {hostname: b.test, ipaddr: 127.0.0.32, reusable: false}\n';
    expect(parseNodeInventory('n.yaml', list).map((n) => [n.hostname, n.line])).toEqual([
      ['a.test', 1],
      ['b.test', 2],
    ]);
    const nested = 'nodes:\n  - hostname: c.test\n    ipaddr: 127.0.0.33\n    data: {slot: 2}\n';
    expect(parseNodeInventory('n.yml', nested)).toEqual([
      { hostname: 'c.test', ipaddr: '127.0.0.33', data: { slot: 2 }, line: 2 },
    ]);
  });

  it('names file:line and the field of every problem, all at once', () => {
    expect(
      problemsOf(
        'inv.csv',
        'hostname,ipaddr,rack\n' +
          'n1.test,127.0.0.41,\n' +
          ',127.0.0.42,\n' +
          'n3.test,127.0.0.300,\n' +
          'n1.test,127.0.0.41,3\n',
      ),
    ).toEqual([
      'inv.csv:3: hostname: missing',
      "inv.csv:4: ipaddr: not an IP address: '127.0.0.300'",
      'inv.csv:5: rack: unknown column',
      "inv.csv:5: hostname: 'n1.test' already on line 2",
      "inv.csv:5: ipaddr: '127.0.0.41' already on line 2",
    ]);
    expect(
      problemsOf(
        'inv.yaml',
        '- {hostname: a.test, ipaddr: 127.0.0.51, reusable: maybe, data: [1]}\n',
      ),
    ).toEqual([
      'inv.yaml:1: reusable: must be true or false',
      'inv.yaml:1: data: must be a mapping (JSON object in CSV)',
    ]);
    expect(problemsOf('inv.yaml', 'nodes: 3\n')).toEqual([
      'inv.yaml:1: nodes: expected a list, or a mapping with nodes',
    ]);
  });
});
