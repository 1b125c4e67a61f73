import type { TenantEvent } from '@app/domain';
import { interval, Sql, utc } from '../../projection/sql';

/** `tenants` rows (compat §2.1); quota allotments live in the event log only. */
export async function projectTenantEvent(sql: Sql, event: TenantEvent): Promise<void> {
  switch (event.type) {
    case 'TenantCreated': {
      const d = event.data;
      await sql.query(
        `INSERT INTO tenants (id, name, is_admin, ssh_key, api_key, node_quota, session_lifetime,
           session_lifetime_max, created_at, is_auditor)
         VALUES ($1, $2, $3, $4, $5, $6, ${interval(7)}, ${interval(8)}, ${utc(9)}, $10)`,
        [
          d.tenantId,
          d.name,
          d.isAdmin,
          d.sshKey,
          d.apiKeyHash,
          d.nodeQuota,
          d.sessionLifetimeMs,
          d.sessionLifetimeMaxMs,
          d.at,
          d.isAuditor ?? false,
        ],
      );
      return;
    }
    case 'TenantUpdated': {
      const d = event.data;
      const sets: string[] = [];
      const params: unknown[] = [d.name];
      const add = (column: string, value: unknown, wrap = (n: number) => `$${n}`) => {
        params.push(value);
        sets.push(`${column} = ${wrap(params.length)}`);
      };
      if (d.sshKey !== undefined) add('ssh_key', d.sshKey);
      if (d.isAuditor !== undefined) add('is_auditor', d.isAuditor);
      if (d.nodeQuota !== undefined) add('node_quota', d.nodeQuota);
      if (d.sessionLifetimeMs !== undefined) add('session_lifetime', d.sessionLifetimeMs, interval);
      if (d.sessionLifetimeMaxMs !== undefined) {
        add('session_lifetime_max', d.sessionLifetimeMaxMs, interval);
      }
      if (sets.length > 0) {
        await sql.query(`UPDATE tenants SET ${sets.join(', ')} WHERE name = $1`, params);
      }
      return;
    }
    case 'TenantApiKeyRotated':
      await sql.query('UPDATE tenants SET api_key = $2 WHERE name = $1', [
        event.data.name,
        event.data.apiKeyHash,
      ]);
      return;
    case 'TenantRetired':
      await sql.query(
        `UPDATE tenants SET retired_at = COALESCE(retired_at, ${utc(2)}) WHERE name = $1`,
        [event.data.name, event.data.at],
      );
      return;
    case 'TenantReactivated':
      await sql.query('UPDATE tenants SET retired_at = NULL WHERE name = $1', [event.data.name]);
      return;
    case 'TenantNodesAllotted':
    case 'TenantNodesReturned':
      return;
  }
}
