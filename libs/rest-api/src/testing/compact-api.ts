import * as path from 'node:path';
import { loadConfigOrThrow } from '@app/config';
import { createTestDatabase } from '../../../../test/support/postgres';
import { createApi } from '../create-api';

const COMPACT = path.join(__dirname, '../../../../deploy/config/compact');

export interface CompactApi {
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

/** The api of the compact example configuration on a database of its own, listening on loopback. */
export async function startCompactApi(name: string): Promise<CompactApi> {
  const db = await createTestDatabase(name);
  const env = { DUFFY_DATABASE__URL: db.url };
  const app = await createApi(loadConfigOrThrow({ paths: [COMPACT], env }).config, {
    bcryptCost: 4,
  });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    base,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
