import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';

/**
 * How every Duffy service connects to NATS: to any server of the list (a cluster's), and it
 * never stops reconnecting — nats.js gives up after 10 attempts by default, which would leave a
 * running service deaf after a NATS node's restart of 20 s.
 */
export function natsConnectionOptions(
  servers: string | string[],
  name?: string,
): ConnectionOptions {
  return {
    servers,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
  };
}

export function connectNats(servers: string | string[], name?: string): Promise<NatsConnection> {
  return connect(natsConnectionOptions(servers, name));
}
