import { Client } from 'pg';

/** A connection that LISTENs on one channel, and whether notifications really reach it. */
export interface NotificationListener {
  close(): Promise<void>;
}

export interface ListenOptions {
  url: string;
  channel: string;
  applicationName: string;
  /** A notification on the channel (not the listener's own probe). */
  onNotification(payload: string): void;
  /** The connection failed after it was set up: the listener is gone, and the caller listens again when it wants to. */
  onLost(error: Error): void;
  /** How long to wait for the probe (ms). */
  probeTimeoutMs?: number;
}

const PROBE = 'probe';

/**
 * LISTEN on a connection of its own, checked with a NOTIFY of its own. Resolves with the listener
 * when that probe comes back, with null when it does not: through the embedded database's socket,
 * notifications may not be delivered, and the caller then reads on a timer instead. Connection
 * errors reject.
 */
export async function listenForNotifications(options: ListenOptions): Promise<NotificationListener | null> {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) throw new Error(`not a channel name: ${options.channel}`);
  const client = new Client({ connectionString: options.url, application_name: options.applicationName, connectionTimeoutMillis: 5000 });
  let ready = false;
  client.on('error', (error) => {
    if (!ready) return;
    ready = false;
    void client.end().catch(() => undefined);
    options.onLost(error);
  });
  try {
    await client.connect();
    const heard = new Promise<boolean>((resolve) => {
      const timeout = setTimeout(() => resolve(false), options.probeTimeoutMs ?? 2000);
      timeout.unref();
      client.on('notification', (message) => {
        if (message.channel !== options.channel) return;
        if (message.payload === PROBE) {
          clearTimeout(timeout);
          resolve(true);
        } else options.onNotification(message.payload ?? '');
      });
    });
    await client.query(`LISTEN ${options.channel}`);
    await client.query(`SELECT pg_notify($1, $2)`, [options.channel, PROBE]);
    if (!(await heard)) {
      await client.end().catch(() => undefined);
      return null;
    }
    ready = true;
    return {
      close: async () => {
        ready = false;
        await client.end().catch(() => undefined);
      },
    };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}
