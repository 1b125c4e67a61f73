import { Client, Notification } from 'pg';
import { EmbeddedPostgres } from './embedded-postgres';

describe('EmbeddedPostgres LISTEN/NOTIFY', () => {
  let pg: EmbeddedPostgres;
  const clients: Client[] = [];
  const connect = async () => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    clients.push(client);
    return client;
  };
  const collect = (client: Client) => {
    const received: Notification[] = [];
    client.on('notification', (message) => received.push(message));
    return received;
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  beforeAll(async () => {
    pg = await EmbeddedPostgres.start();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await pg?.stop();
  });

  it('delivers a NOTIFY sent on one connection to exactly the connections that LISTEN', async () => {
    const [listener, other, sender, bystander] = await Promise.all(
      Array.from({ length: 4 }, () => connect()),
    );
    const [heard, heardOther, heardBySender, heardByBystander] = [
      listener,
      other,
      sender,
      bystander,
    ].map(collect);
    await listener.query('LISTEN appended');
    await other.query('LISTEN "Other"');

    await sender.query("NOTIFY appended, 'one'");
    await sender.query('BEGIN');
    await sender.query("SELECT pg_notify('Other', 'two')");
    await sender.query('COMMIT');
    await settle();

    expect(heard.map((n) => [n.channel, n.payload])).toEqual([['appended', 'one']]);
    expect(heardOther.map((n) => [n.channel, n.payload])).toEqual([['Other', 'two']]);
    expect(heardBySender).toEqual([]);
    expect(heardByBystander).toEqual([]);
  });

  it("keeps delivering to a listener after another connection's UNLISTEN", async () => {
    const [stays, leaves, sender] = await Promise.all(Array.from({ length: 3 }, () => connect()));
    const heard = collect(stays);
    const heardByLeaver = collect(leaves);
    await stays.query('LISTEN shared');
    await leaves.query('LISTEN shared');
    await leaves.query('UNLISTEN shared');

    await sender.query("NOTIFY shared, 'still here'");
    await settle();

    expect(heard.map((n) => n.payload)).toEqual(['still here']);
    expect(heardByLeaver).toEqual([]);
  });
});
