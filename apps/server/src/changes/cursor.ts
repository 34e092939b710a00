import { FEED_CURSOR_PATTERN } from '@lockstep/contract';

/**
 * A feed's cursor (the SSE `id:`): the change's position in the log and when it was recorded,
 * in whole seconds, both in base 36. Opaque to clients; the time lets the server tell, without
 * a query, a resume from a change older than the log keeps (answered `event: reset`).
 */
export interface FeedCursor {
  id: number;
  recordedAt: Date;
}

const PATTERN = new RegExp(FEED_CURSOR_PATTERN);

export const encodeCursor = ({ id, recordedAt }: FeedCursor): string =>
  `${id.toString(36)}-${Math.floor(recordedAt.getTime() / 1000).toString(36)}`;

/** The cursor a client sent back, or undefined when it is not one this server hands out. */
export function decodeCursor(text: string): FeedCursor | undefined {
  if (!PATTERN.test(text)) return undefined;
  const [id, seconds] = text.split('-').map((part) => Number.parseInt(part, 36)) as [number, number];
  if (!Number.isSafeInteger(id) || !Number.isSafeInteger(seconds * 1000)) return undefined;
  return { id, recordedAt: new Date(seconds * 1000) };
}
