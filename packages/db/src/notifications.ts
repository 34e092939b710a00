import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export interface NotificationHandlers {
  /** A notification on the channel, with its payload. */
  notified(payload: string): void;
  /** Listening (again): notifications sent while not listening are lost, so look at the truth now. */
  listening(): void;
  /** The connection failed; it is being made again. */
  failed(error: unknown): void;
}

export interface NotificationListener {
  close(): Promise<void>;
}

/** Pauses before connecting again after a failure: doubling, capped. */
const RECONNECT_DELAYS_MS = { first: 100, max: 5_000 } as const;

/**
 * `LISTEN channel` on a connection of its own (a pooled one goes back to the pool, and its
 * listening with it), made again after any failure, until closed. PostgreSQL delivers a
 * notification when the transaction that sent it commits, and never for a rollback.
 */
export function listenForNotifications(
  url: string,
  channel: string,
  handlers: NotificationHandlers,
): NotificationListener {
  let closed = false;
  let client: pg.Client | undefined;
  let wakeUp: (() => void) | undefined;
  const stop = new AbortController();

  /** A listening connection, and a promise that settles when it fails or ends. */
  const connectOnce = async (): Promise<{ connection: pg.Client; lost: Promise<void> }> => {
    const connection = new pg.Client({ connectionString: url });
    connection.on('notification', (message) => {
      if (message.channel === channel) handlers.notified(message.payload ?? '');
    });
    // Listened to for the connection's whole life: an 'error' nobody hears would end the process.
    let failure: unknown;
    const lost = new Promise<void>((resolve) => {
      connection.on('error', (error) => {
        failure ??= error;
        resolve();
      });
      connection.on('end', () => resolve());
    });
    try {
      await connection.connect();
      await connection.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await connection.end().catch(() => undefined);
      throw error;
    }
    return {
      connection,
      lost: lost.then(() => {
        if (failure !== undefined && !closed) handlers.failed(failure);
      }),
    };
  };

  const run = async () => {
    let delay: number = RECONNECT_DELAYS_MS.first;
    while (!closed) {
      try {
        const listening = await connectOnce();
        client = listening.connection;
        if (closed) break;
        delay = RECONNECT_DELAYS_MS.first;
        handlers.listening();
        await Promise.race([listening.lost, new Promise<void>((resolve) => (wakeUp = resolve))]);
      } catch (error) {
        if (!closed) handlers.failed(error);
      }
      const failed = client;
      client = undefined;
      await failed?.end().catch(() => undefined);
      if (closed) break;
      await sleep(delay, undefined, { signal: stop.signal }).catch(() => undefined);
      delay = Math.min(delay * 2, RECONNECT_DELAYS_MS.max);
    }
    await client?.end().catch(() => undefined);
  };
  const running = run();

  return {
    async close() {
      closed = true;
      stop.abort();
      wakeUp?.();
      await client?.end().catch(() => undefined);
      await running;
    },
  };
}
