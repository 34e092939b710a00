import { type Database, listenForNotifications } from '@lockstep/db';
import { sql } from 'kysely';
import type { Logger } from '../logger.js';
import { CHANGES_CHANNEL } from './change-log.js';

/**
 * What tells an instance that a change may have committed, on this instance or any other:
 * - PostgreSQL: `LISTEN` on the channel every change notifies at its commit;
 * - SQLite: `PRAGMA data_version`, which moves whenever another connection to the file commits
 *   (this process's writer, or another process's), read on the reader connection every
 *   `SQLITE_POLL_MS`: a cheap look at a counter in shared memory, no query of the log.
 * The hub then reads the log itself; a signal carries no data that could be lost or forged.
 */
export interface CommitSignal {
  close(): Promise<void>;
}

/** How often SQLite's data version is looked at: well within the feeds' 100 ms delivery target. */
export const SQLITE_POLL_MS = 20;

export function watchCommits(db: Database, databaseUrl: string, wake: () => void, logger: Logger): CommitSignal {
  if (db.engine === 'postgresql') {
    const listener = listenForNotifications(databaseUrl, CHANGES_CHANNEL, {
      notified: wake,
      listening: wake,
      failed: (error) => logger.warn({ err: error }, 'listening for changes failed; connecting again'),
    });
    return { close: () => listener.close() };
  }
  let seen: number | undefined;
  let looking = false;
  const look = async () => {
    if (looking) return;
    looking = true;
    try {
      const { rows } = await sql<{ data_version: number }>`PRAGMA data_version`.execute(db.read);
      const version = rows[0]?.data_version;
      if (version !== seen) {
        seen = version;
        wake();
      }
    } catch (error) {
      logger.warn({ err: error }, 'looking for changes failed');
    } finally {
      looking = false;
    }
  };
  const timer = setInterval(() => void look(), SQLITE_POLL_MS);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
    },
  };
}
